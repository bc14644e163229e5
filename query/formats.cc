#include "query/formats.h"

#include <cctype>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "text/names.h"
#include "text/vocab.h"

namespace bibkg::query {
namespace {

namespace vocab = ::bibkg::vocab;

std::string Year(const Work& w) { return w.summary.issued.substr(0, 4); }

std::string FirstText(const std::vector<Text>& texts) {
  return texts.empty() ? "" : texts[0].value;
}

std::string Pages(const Work& w) {
  if (w.page_start.empty()) return "";
  return w.page_end.empty() ? w.page_start : w.page_start + "-" + w.page_end;
}

std::string Url(const Work& w) {
  return w.summary.iri.rfind("http", 0) == 0 ? w.summary.iri : "";
}

bool Is(const Work& w, const char* type) {
  for (const std::string& t : w.types) {
    if (t == type) return true;
  }
  return false;
}

// --- BibTeX -----------------------------------------------------------------

std::string BibEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '{':
      case '}':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string CiteKey(const Work& w, std::set<std::string>* used) {
  std::string base;
  std::string who = w.creators.empty() ? "" : w.creators[0].label;
  if (auto n = text::ParsePersonName(who)) who = n->family;
  std::string word;
  for (char c : w.summary.title) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (word.size() >= 4) {
      break;
    } else {
      word.clear();
    }
  }
  for (char c : who) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      base.push_back(
          static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  base += Year(w) + word;
  if (base.empty()) base = "work";
  std::string key = base;
  for (char suffix = 'a'; !used->insert(key).second; ++suffix)
    key = base + suffix;
  return key;
}

std::string Bibtex(const std::vector<Work>& works) {
  std::string out;
  std::set<std::string> used;
  for (const Work& w : works) {
    const char* type = Is(w, vocab::kJournalArticle) ? "article"
                       : Is(w, vocab::kBook)         ? "book"
                                                     : "misc";
    absl::StrAppend(&out, "@", type, "{", CiteKey(w, &used), ",\n");
    auto field = [&](const char* name, const std::string& value) {
      if (!value.empty())
        absl::StrAppend(&out, "  ", name, " = {", BibEscape(value), "},\n");
    };
    field("title", w.summary.title);
    std::string authors;
    for (const NamedNode& c : w.creators) {
      absl::StrAppend(&authors, authors.empty() ? "" : " and ", c.label);
    }
    field("author", authors);
    if (w.venue)
      field(Is(w, vocab::kJournalArticle) ? "journal" : "howpublished",
            w.venue->label);
    field("year", Year(w));
    field("volume", w.volume);
    field("number", w.issue);
    if (!w.page_start.empty()) {
      field("pages", w.page_end.empty() ? w.page_start
                                        : w.page_start + "--" + w.page_end);
    }
    field("doi", w.summary.doi);
    if (!w.issns.empty()) field("issn", w.issns[0]);
    if (w.summary.doi.empty()) field("url", Url(w));
    field("abstract", FirstText(w.abstracts));
    out += "}\n\n";
  }
  return out;
}

// --- RIS --------------------------------------------------------------------

std::string Ris(const std::vector<Work>& works) {
  std::string out;
  for (const Work& w : works) {
    const char* type = Is(w, vocab::kJournalArticle) ? "JOUR"
                       : Is(w, vocab::kBook)         ? "BOOK"
                       : Is(w, vocab::kBlogPost)     ? "BLOG"
                       : Is(w, vocab::kNewsItem)     ? "NEWS"
                                                     : "GEN";
    absl::StrAppend(&out, "TY  - ", type, "\r\n");
    auto tag = [&](const char* name, const std::string& value) {
      if (value.empty()) return;
      std::string one_line = value;
      for (char& c : one_line) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      absl::StrAppend(&out, name, "  - ", one_line, "\r\n");
    };
    tag("TI", w.summary.title);
    for (const NamedNode& c : w.creators) tag("AU", c.label);
    tag("PY", Year(w));
    if (w.summary.issued.size() > 4) {
      std::string da = w.summary.issued;
      for (char& c : da) {
        if (c == '-') c = '/';
      }
      tag("DA", da);
    }
    if (w.venue) tag("T2", w.venue->label);
    tag("VL", w.volume);
    tag("IS", w.issue);
    tag("SP", w.page_start);
    tag("EP", w.page_end);
    tag("DO", w.summary.doi);
    if (!w.issns.empty()) tag("SN", w.issns[0]);
    tag("UR", Url(w));
    tag("AB", FirstText(w.abstracts));
    out += "ER  - \r\n\r\n";
  }
  return out;
}

// --- CSL-JSON ---------------------------------------------------------------

std::string Json(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string CslJson(const std::vector<Work>& works) {
  std::string out = "[\n";
  for (size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    const char* type = Is(w, vocab::kJournalArticle) ? "article-journal"
                       : Is(w, vocab::kBook)         ? "book"
                       : Is(w, vocab::kBlogPost)     ? "post-weblog"
                       : Is(w, vocab::kNewsItem)     ? "article-newspaper"
                       : Is(w, vocab::kProject)      ? "report"
                                                     : "document";
    std::vector<std::string> fields;
    fields.push_back("\"id\": " + Json(w.summary.iri));
    fields.push_back(absl::StrCat("\"type\": \"", type, "\""));
    fields.push_back("\"title\": " + Json(w.summary.title));
    if (!w.creators.empty()) {
      std::string authors = "[";
      for (size_t j = 0; j < w.creators.size(); ++j) {
        auto n = text::ParsePersonName(w.creators[j].label);
        if (j) authors += ", ";
        if (n && !n->given.empty()) {
          authors += "{\"family\": " + Json(n->family) +
                     ", \"given\": " + Json(n->given) + "}";
        } else {
          authors += "{\"literal\": " + Json(w.creators[j].label) + "}";
        }
      }
      fields.push_back("\"author\": " + authors + "]");
    }
    if (!w.summary.issued.empty()) {
      std::string parts;
      for (size_t pos = 0; pos < w.summary.issued.size();) {
        size_t dash = w.summary.issued.find('-', pos);
        std::string num = w.summary.issued.substr(pos, dash - pos);
        num.erase(0, std::min(num.find_first_not_of('0'), num.size() - 1));
        absl::StrAppend(&parts, parts.empty() ? "" : ", ", num);
        if (dash == std::string::npos) break;
        pos = dash + 1;
      }
      fields.push_back("\"issued\": {\"date-parts\": [[" + parts + "]]}");
    }
    if (w.venue)
      fields.push_back("\"container-title\": " + Json(w.venue->label));
    if (!w.volume.empty()) fields.push_back("\"volume\": " + Json(w.volume));
    if (!w.issue.empty()) fields.push_back("\"issue\": " + Json(w.issue));
    if (!Pages(w).empty()) fields.push_back("\"page\": " + Json(Pages(w)));
    if (!w.summary.doi.empty())
      fields.push_back("\"DOI\": " + Json(w.summary.doi));
    if (!w.issns.empty()) fields.push_back("\"ISSN\": " + Json(w.issns[0]));
    if (!Url(w).empty()) fields.push_back("\"URL\": " + Json(Url(w)));
    if (!w.abstracts.empty())
      fields.push_back("\"abstract\": " + Json(w.abstracts[0].value));
    out += "  {";
    for (size_t j = 0; j < fields.size(); ++j)
      out += (j ? ", " : "") + fields[j];
    out += i + 1 < works.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

// --- Markdown ---------------------------------------------------------------

std::string Markdown(const std::vector<Work>& works) {
  std::string out;
  for (size_t i = 0; i < works.size(); ++i) {
    const Work& w = works[i];
    std::string authors;
    for (size_t j = 0; j < w.creators.size(); ++j) {
      absl::StrAppend(&authors, j ? ", " : "", w.creators[j].label);
    }
    absl::StrAppend(&out, i + 1, ". ");
    if (!authors.empty())
      absl::StrAppend(&out, authors, Year(w).empty() ? ". " : " ");
    if (!Year(w).empty()) absl::StrAppend(&out, "(", Year(w), "). ");
    absl::StrAppend(&out, "*", w.summary.title, "*.");
    if (w.venue) {
      absl::StrAppend(&out, " ", w.venue->label);
      if (!w.volume.empty()) absl::StrAppend(&out, ", ", w.volume);
      if (!w.issue.empty()) absl::StrAppend(&out, "(", w.issue, ")");
      if (!Pages(w).empty()) absl::StrAppend(&out, ", ", Pages(w));
      out += ".";
    }
    if (!Url(w).empty()) absl::StrAppend(&out, " <", Url(w), ">");
    out += "\n";
  }
  return out;
}

}  // namespace

absl::StatusOr<CitationFormat> ParseCitationFormat(std::string_view name) {
  if (name == "bibtex") return CitationFormat::kBibtex;
  if (name == "ris") return CitationFormat::kRis;
  if (name == "csljson" || name == "csl-json") return CitationFormat::kCslJson;
  if (name == "markdown" || name == "md") return CitationFormat::kMarkdown;
  return absl::InvalidArgumentError(
      "unknown format \"" + std::string(name) +
      "\"; expected bibtex, ris, csljson or markdown");
}

std::string Render(const std::vector<Work>& works, CitationFormat format) {
  switch (format) {
    case CitationFormat::kBibtex:
      return Bibtex(works);
    case CitationFormat::kRis:
      return Ris(works);
    case CitationFormat::kCslJson:
      return CslJson(works);
    case CitationFormat::kMarkdown:
      return Markdown(works);
  }
  return "";
}

}  // namespace bibkg::query
