#include "indexer/readers/pages.h"

#include <cctype>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/pages_internal.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using pages_internal::Lines;

std::string_view FirstNonEmpty(const std::vector<std::string_view>& lines,
                               size_t* index) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].empty()) {
      *index = i;
      return lines[i];
    }
  }
  *index = lines.size();
  return {};
}

// ---------------------------------------------------------------------------
// Catalog record page

enum class CatalogField {
  kPublishedIn,
  kAuthor,
  kFormat,
  kLanguage,
  kSubjects,
  kAbstract,
  kIssn,
  kDoi,
  kIgnored
};

std::optional<CatalogField> CatalogLabel(std::string_view label) {
  static const std::map<std::string, CatalogField, std::less<>> kLabels = {
      {"veröffentlicht in", CatalogField::kPublishedIn},
      {"published in", CatalogField::kPublishedIn},
      {"in", CatalogField::kPublishedIn},
      {"1. verfasser", CatalogField::kAuthor},
      {"verfasser", CatalogField::kAuthor},
      {"weitere verfasser", CatalogField::kAuthor},
      {"1. author", CatalogField::kAuthor},
      {"author", CatalogField::kAuthor},
      {"authors", CatalogField::kAuthor},
      {"main author", CatalogField::kAuthor},
      {"other authors", CatalogField::kAuthor},
      {"format", CatalogField::kFormat},
      {"sprache", CatalogField::kLanguage},
      {"language", CatalogField::kLanguage},
      {"schlagworte", CatalogField::kSubjects},
      {"schlagwörter", CatalogField::kSubjects},
      {"subjects", CatalogField::kSubjects},
      {"zusammenfassung", CatalogField::kAbstract},
      {"summary", CatalogField::kAbstract},
      {"abstract", CatalogField::kAbstract},
      {"issn", CatalogField::kIssn},
      {"doi", CatalogField::kDoi},
      {"online-zugang", CatalogField::kIgnored},
      {"online access", CatalogField::kIgnored},
      {"gespeichert in", CatalogField::kIgnored},
      {"saved in", CatalogField::kIgnored},
      {"tags", CatalogField::kIgnored},
  };
  std::string lower = base::AsciiLower(label);
  auto it = kLabels.find(lower);
  if (it == kLabels.end()) return std::nullopt;
  return it->second;
}

struct CatalogRow {
  std::string label;  // as written, for messages
  CatalogField field;
  std::string value;
};

// Reads "Label: | value |" rows; a value may run over several lines until
// the closing bar.
std::vector<CatalogRow> CatalogRows(
    const std::vector<std::string_view>& lines) {
  std::vector<CatalogRow> rows;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 40) continue;
    std::string_view label = line.substr(0, colon);
    std::optional<CatalogField> field = CatalogLabel(label);
    if (!field) continue;
    std::string_view rest = base::StripWhitespace(line.substr(colon + 1));
    if (!base::ConsumePrefix(&rest, "|")) continue;
    std::string value;
    size_t bar = rest.find('|');
    if (bar != std::string_view::npos) {
      value = std::string(rest.substr(0, bar));
    } else {
      value = std::string(rest);
      while (i + 1 < lines.size()) {
        std::string_view next = lines[++i];
        size_t b = next.find('|');
        value += "\n";
        value += next.substr(0, b);
        if (b != std::string_view::npos) break;
      }
    }
    rows.push_back({std::string(label), *field,
                    std::string(base::StripWhitespace(value))});
  }
  return rows;
}

}  // namespace

bool LooksLikeCatalogPage(std::string_view text) {
  int rows = 0;
  for (std::string_view line : Lines(text)) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon > 40) continue;
    if (!CatalogLabel(line.substr(0, colon))) continue;
    std::string_view rest = base::StripWhitespace(line.substr(colon + 1));
    if (rest.starts_with("|")) ++rows;
  }
  return rows >= 3;
}

Record ParseCatalogPage(std::string_view text, const Source& source) {
  Record rec;
  rec.id = "1";
  rec.graph = GraphFor(source, rec.id);
  std::vector<std::string_view> lines = Lines(text);
  size_t title_line;
  std::string title(FirstNonEmpty(lines, &title_line));
  if (title.empty() || title.find(": |") != std::string::npos) {
    rec.Fail("title", "the page has no title line before the record table");
    return rec;
  }
  std::vector<CatalogRow> rows = CatalogRows(lines);

  std::string doi, lang;
  std::vector<text::PersonName> authors;
  std::vector<text::Issn> issns;
  std::string issn_label = "ISSN";
  std::optional<text::SourceCitation> citation;
  std::string citation_label;
  std::string abstract, format;
  std::vector<std::string> subjects;
  for (const CatalogRow& row : rows) {
    if (row.value.empty()) continue;
    switch (row.field) {
      case CatalogField::kDoi: {
        absl::StatusOr<std::string> d = text::NormalizeDoi(row.value);
        if (d.ok()) {
          doi = *d;
        } else {
          rec.Warn(row.label, std::string(d.status().message()));
        }
        break;
      }
      case CatalogField::kIssn:
        issns = text::FindIssns(row.value);
        issn_label = row.label;
        if (issns.empty())
          rec.Warn(row.label, "no ISSN in \"" + row.value + "\"");
        break;
      case CatalogField::kLanguage:
        lang = text::ToIso639_1(text::CollapseSpace(row.value));
        if (lang.empty())
          rec.Warn(row.label, "unknown language code \"" + row.value + "\"");
        break;
      case CatalogField::kAuthor:
        for (std::string_view n : base::Split(row.value, ";\n")) {
          if (auto p = text::ParsePersonName(n)) authors.push_back(*p);
        }
        break;
      case CatalogField::kSubjects:
        for (std::string_view s : base::Split(row.value, ";\n")) {
          std::string label = text::CollapseSpace(s);
          if (!label.empty()) subjects.push_back(label);
        }
        break;
      case CatalogField::kAbstract:
        abstract = row.value;
        break;
      case CatalogField::kFormat:
        format = text::CollapseSpace(row.value);
        break;
      case CatalogField::kPublishedIn: {
        absl::StatusOr<text::SourceCitation> c =
            text::ParseSourceCitation(text::CollapseSpace(row.value));
        if (c.ok()) {
          citation = *c;
        } else {
          rec.Warn(row.label, std::string(c.status().message()));
        }
        citation_label = row.label;
        break;
      }
      case CatalogField::kIgnored:
        break;
    }
  }

  std::optional<int> year;
  if (citation && citation->date) year = citation->date->year;
  std::string work =
      WorkIri(doi, title, year, authors.empty() ? "" : authors[0].family);
  std::string format_lower = base::AsciiLower(format);
  const char* type = vocab::kExpression;
  if (format_lower == "artikel" || format_lower == "article" ||
      format_lower == "aufsatz" || format_lower == "journal article") {
    type = vocab::kJournalArticle;
  } else if (format_lower == "buch" || format_lower == "book") {
    type = vocab::kBook;
  }
  rec.AddIri(work, vocab::kRdfType, type);
  rec.AddLiteral(work, vocab::kFormat, format);
  AddWorkTitle(&rec, work, title, lang);
  rec.AddLiteral(work, vocab::kDoi, doi);
  rec.AddIri(work, vocab::kLanguage, LanguageIri(lang));
  rec.AddLiteral(work, vocab::kAbstract, abstract, lang);
  for (const text::PersonName& a : authors) {
    rec.AddIri(work, vocab::kCreator, AddPerson(&rec, a));
  }
  for (const std::string& s : subjects) {
    rec.AddIri(work, vocab::kSubject, AddConcept(&rec, s, lang));
  }

  if (citation) {
    // The journal is named by its first valid ISSN, else by its title.
    std::string journal = JournalIri(issns, citation->journal_title);
    rec.AddIri(journal, vocab::kRdfType, vocab::kJournal);
    rec.AddLiteral(journal, vocab::kTitle, citation->journal_title);
    for (const text::Issn& i : issns) AddIssn(&rec, journal, i, issn_label);
    rec.AddIri(work, vocab::kIsPartOf, journal);
    const text::Enumeration& e = citation->enumeration;
    rec.AddLiteral(work, vocab::kVolume, e.volume);
    rec.AddLiteral(work, vocab::kIssue, e.issue);
    rec.AddLiteral(work, vocab::kPageStart, e.page_start);
    rec.AddLiteral(work, vocab::kPageEnd, e.page_end);
    if (citation->date) {
      rec.AddTyped(work, vocab::kIssued, citation->date->Iso(),
                   citation->date->XsdType());
    }
  } else {
    for (const text::Issn& i : issns) AddIssn(&rec, work, i, issn_label);
  }
  return rec;
}

// ---------------------------------------------------------------------------
// Web article or blog post

namespace {

bool IsHeading(std::string_view line, std::string_view heading) {
  return base::EqualsIgnoreCase(line, heading);
}

// Lines after which nothing is article text.
bool IsTrailer(std::string_view line) {
  for (std::string_view t :
       {"Share this page", "Leave a Reply", "Learn More",
        "Related Sponsored Articles", "Please login to post a comment",
        "Subscribe to our newsletter"}) {
    if (base::StartsWithIgnoreCase(line, t)) return true;
  }
  return false;
}

// Page furniture inside the text.
bool IsFurniture(std::string_view line) {
  return base::ContainsIgnoreCase(line, "Photo credit:") ||
         IsHeading(line, "New call-to-action") ||
         IsHeading(line, "Advertisement");
}

// "Eloise Smith": two to four capitalized words and nothing else.
bool LooksLikeName(std::string_view line) {
  if (line.size() > 40) return false;
  std::vector<std::string_view> words = base::Split(line, " ", true);
  if (words.size() < 2 || words.size() > 4) return false;
  for (std::string_view w : words) {
    if (!std::isupper(static_cast<unsigned char>(w[0]))) return false;
    for (char c : w) {
      if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-' &&
          c != '.' && c != '\'' && static_cast<unsigned char>(c) < 0x80) {
        return false;
      }
    }
  }
  return true;
}

struct Byline {
  std::optional<text::PersonName> author;
  std::optional<text::Date> date;
  std::string section;
};

// "Written by Rebecca Hill on 5 July 2016 in News", "By Rebecca Hill".
std::optional<Byline> ParseByline(std::string_view line) {
  std::string_view rest = line;
  if (!base::ConsumePrefix(&rest, "Written by ") &&
      !base::ConsumePrefix(&rest, "By ") &&
      !base::ConsumePrefix(&rest, "Posted by ")) {
    return std::nullopt;
  }
  Byline b;
  std::string_view name = rest;
  if (size_t on = rest.find(" on "); on != std::string_view::npos) {
    name = rest.substr(0, on);
    std::string_view when = rest.substr(on + 4);
    if (size_t in = when.rfind(" in "); in != std::string_view::npos) {
      b.section = std::string(when.substr(in + 4));
      when = when.substr(0, in);
    }
    absl::StatusOr<text::Date> d = text::ParseDate(when);
    if (d.ok()) b.date = *d;
  }
  b.author = text::ParsePersonName(name);
  return b;
}

}  // namespace

Record ParseWebArticle(std::string_view text, const Source& source) {
  Record rec;
  rec.id = "1";
  rec.graph = GraphFor(source, rec.id);
  std::vector<std::string_view> lines = Lines(text);
  size_t i;
  std::string title(FirstNonEmpty(lines, &i));
  if (title.empty()) {
    rec.Fail("title", "the page is empty");
    return rec;
  }
  ++i;
  Byline byline;
  std::vector<std::string> body, related;
  bool byline_seen = false;
  bool blog = false;
  for (; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty()) continue;
    if (IsTrailer(line)) break;
    if (!byline_seen) {
      if (auto b = ParseByline(line)) {
        byline = *b;
        byline_seen = true;
        continue;
      }
      if (body.empty() && LooksLikeName(line)) {
        byline.author = text::ParsePersonName(line);
        byline_seen = true;
        continue;
      }
    }
    if (IsHeading(line, "Related content") ||
        IsHeading(line, "Related Articles") ||
        IsHeading(line, "Related posts") || IsHeading(line, "Read more")) {
      // The list runs to the first blank line after its first item.
      size_t j = i + 1;
      while (j < lines.size() && lines[j].empty()) ++j;
      for (; j < lines.size() && !lines[j].empty(); ++j) {
        if (IsTrailer(lines[j])) break;
        related.emplace_back(lines[j]);
      }
      i = j - 1;
      continue;
    }
    if (IsFurniture(line)) continue;
    body.emplace_back(line);
  }
  std::string body_text = base::Join(body, "\n\n");
  for (std::string_view word : {"blog", "Blog"}) {
    if (body_text.find("This " + std::string(word)) != std::string::npos ||
        body_text.find("this " + std::string(word)) != std::string::npos) {
      blog = true;
    }
  }
  std::string lang =
      text::GuessLanguage(body_text, {"en", "de", "nb", "nn", "fr"});
  std::optional<int> year;
  if (byline.date) year = byline.date->year;
  std::string work =
      WorkIri("", title, year, byline.author ? byline.author->family : "");
  const char* type = vocab::kWebContent;
  if (blog) {
    type = vocab::kBlogPost;
  } else if (base::EqualsIgnoreCase(byline.section, "News") ||
             !related.empty()) {
    type = vocab::kNewsItem;
  }
  rec.AddIri(work, vocab::kRdfType, type);
  AddWorkTitle(&rec, work, title, lang);
  if (byline.author)
    rec.AddIri(work, vocab::kCreator, AddPerson(&rec, *byline.author));
  if (byline.date) {
    rec.AddTyped(work, vocab::kIssued, byline.date->Iso(),
                 byline.date->XsdType());
  }
  rec.AddIri(work, vocab::kLanguage, LanguageIri(lang));
  rec.AddLiteral(work, vocab::kDescription, body_text, lang);
  for (const std::string& r : related) {
    rec.title_refs.push_back({work, vocab::kRelation, r, 0, {}});
  }
  return rec;
}

}  // namespace bibkg::indexer
