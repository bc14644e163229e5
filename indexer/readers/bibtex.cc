#include "indexer/readers/bibtex.h"

#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace x3 = boost::spirit::x3;

// ---------------------------------------------------------------------------
// Grammar of the pieces of an entry. Values: {braced {nested}}, "quoted",
// 123, or a macro name; pieces joined with #.

namespace bibtex_grammar {
x3::rule<class braced_id> const braced = "braced";
auto const braced_def = '{' >> *(braced | ~x3::char_("{}")) >> '}';
BOOST_SPIRIT_DEFINE(braced)

auto const quoted = '"' >> *(braced | ~x3::char_("\"{}")) >> '"';
auto const ident = x3::lexeme[(x3::alpha | x3::char_("_")) >>
                              *(x3::alnum | x3::char_("_:./+'-"))];
auto const piece = x3::raw[x3::lexeme[braced]] | x3::raw[x3::lexeme[quoted]] |
                   x3::raw[x3::lexeme[+x3::digit]] | x3::raw[ident];
}  // namespace bibtex_grammar

namespace {

const char* BibtexType(std::string_view type) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"article", vocab::kJournalArticle},
      {"book", vocab::kBook},
      {"mvbook", vocab::kBook},
      {"booklet", vocab::kBook},
      {"inbook", vocab::kBookChapter},
      {"incollection", vocab::kBookChapter},
      {"inproceedings", vocab::kConferencePaper},
      {"conference", vocab::kConferencePaper},
      {"phdthesis", vocab::kThesis},
      {"mastersthesis", vocab::kThesis},
      {"thesis", vocab::kThesis},
      {"techreport", vocab::kReportDocument},
      {"report", vocab::kReportDocument},
      {"software", vocab::kComputerProgram},
      {"dataset", vocab::kDataset},
      {"online", vocab::kWebContent},
      {"periodical", vocab::kPeriodical},
  };
  for (const auto& [name, t] : kTypes) {
    if (type == name) return t;
  }
  return nullptr;
}

// Splits "A and B and {C and D}" at " and " outside braces.
std::vector<std::string> SplitNames(std::string_view raw) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '{') ++depth;
    if (raw[i] == '}') --depth;
    if (depth == 0 && i + 5 <= raw.size() &&
        base::EqualsIgnoreCase(raw.substr(i, 5), " and ")) {
      out.emplace_back(raw.substr(start, i - start));
      start = i + 5;
      i += 4;
    }
  }
  out.emplace_back(raw.substr(start));
  for (std::string& s : out) s = text::CollapseSpace(s);
  std::erase_if(out, [](const std::string& s) {
    return s.empty() || base::EqualsIgnoreCase(s, "others");
  });
  return out;
}

const std::map<std::string, std::string>& MonthMacros() {
  static const auto* m = new std::map<std::string, std::string>{
      {"jan", "1"}, {"feb", "2"},  {"mar", "3"},  {"apr", "4"},
      {"may", "5"}, {"jun", "6"},  {"jul", "7"},  {"aug", "8"},
      {"sep", "9"}, {"oct", "10"}, {"nov", "11"}, {"dec", "12"}};
  return *m;
}

class EntryParser {
 public:
  // Raw field values: LaTeX still in, outer delimiters removed, macros
  // expanded.
  struct Entry {
    std::string type;  // lower case
    std::string key;
    std::vector<std::pair<std::string, std::string>> fields;
  };

  // Parses one "@type{...}" text. Returns false with `error` set.
  bool Parse(std::string_view text, Entry* e, std::string* error) {
    auto first = text.begin(), last = text.end();
    std::string type;
    if (!x3::phrase_parse(first, last, x3::lit('@'), x3::space) ||
        !x3::phrase_parse(first, last, x3::raw[bibtex_grammar::ident],
                          x3::space, type)) {
      *error = "expected @type after @";
      return false;
    }
    e->type = absl::AsciiStrToLower(type);
    char open = 0;
    if (!x3::phrase_parse(first, last, x3::char_("{("), x3::space, open)) {
      *error = absl::StrCat("expected { after @", type);
      return false;
    }
    char close = open == '{' ? '}' : ')';
    if (e->type == "comment" || e->type == "preamble") return true;
    if (e->type == "string") {
      std::pair<std::string, std::string> f;
      if (!Field(first, last, &f, error)) return false;
      macros_[absl::AsciiStrToLower(f.first)] = f.second;
      return true;
    }
    // The key runs to the first comma.
    std::string key;
    if (!x3::phrase_parse(first, last,
                          x3::lexeme[*(~x3::char_(", \t\r\n{}()"))] >> ',',
                          x3::space, key)) {
      // An entry with a key and no fields: "@misc{key}".
      *error = "expected the citation key and a comma";
      return false;
    }
    e->key = key;
    for (;;) {
      x3::phrase_parse(first, last, x3::eps, x3::space);
      if (first == last) {
        *error = absl::StrCat("entry ", key, " is not closed");
        return false;
      }
      if (*first == close) return true;
      std::pair<std::string, std::string> f;
      if (!Field(first, last, &f, error)) {
        *error = absl::StrCat("entry ", key, ": ", *error);
        return false;
      }
      e->fields.push_back(std::move(f));
      x3::phrase_parse(first, last, -x3::lit(','), x3::space);
    }
  }

 private:
  template <typename It>
  bool Field(It& first, It last, std::pair<std::string, std::string>* f,
             std::string* error) {
    std::string name;
    if (!x3::phrase_parse(first, last, x3::raw[bibtex_grammar::ident],
                          x3::space, name) ||
        !x3::phrase_parse(first, last, x3::lit('='), x3::space)) {
      std::string_view rest(
          &*first, std::min<size_t>(20, static_cast<size_t>(last - first)));
      *error = absl::StrCat("expected field = value at \"",
                            text::CollapseSpace(rest), "\"");
      return false;
    }
    f->first = absl::AsciiStrToLower(name);
    std::vector<std::string> pieces;
    if (!x3::phrase_parse(first, last, bibtex_grammar::piece % '#', x3::space,
                          pieces)) {
      *error = absl::StrCat("field ", f->first,
                            ": value is not {braced}, \"quoted\", a number "
                            "or a macro, or its braces do not balance");
      return false;
    }
    for (const std::string& p : pieces) {
      if (p.front() == '{' || p.front() == '"') {
        f->second += p.substr(1, p.size() - 2);
      } else if (std::isdigit(static_cast<unsigned char>(p.front()))) {
        f->second += p;
      } else {
        std::string m = absl::AsciiStrToLower(p);
        if (auto it = macros_.find(m); it != macros_.end()) {
          f->second += it->second;
        } else if (auto mo = MonthMacros().find(m); mo != MonthMacros().end()) {
          f->second += mo->second;
        } else {
          f->second += p;  // an undefined macro: keep its name
        }
      }
    }
    return true;
  }

  std::map<std::string, std::string> macros_;
};

// A `pages` value ("173--198", "e0815") as first and last page.
void SetPages(const std::string& raw, text::Enumeration* e) {
  std::string p = text::CollapseSpace(raw);
  size_t dash = p.find('-');
  e->page_start = text::CollapseSpace(p.substr(0, dash));
  if (dash != std::string::npos) {
    size_t end = p.find_first_not_of('-', dash);
    if (end != std::string::npos)
      e->page_end = text::CollapseSpace(p.substr(end));
  }
}

// A `language` / `langid` value (an ISO code or a babel name such as
// "ngerman") as ISO 639-1; empty when unknown.
std::string BibtexLanguage(const std::string& v) {
  std::string l = text::ToIso639_1(base::AsciiLower(v));
  if (l.empty()) {
    static const std::pair<const char*, const char*> kNames[] = {
        {"english", "en"},   {"american", "en"}, {"british", "en"},
        {"german", "de"},    {"ngerman", "de"},  {"norsk", "nb"},
        {"norwegian", "nb"}, {"nynorsk", "nn"},  {"french", "fr"},
        {"spanish", "es"},   {"italian", "it"},  {"dutch", "nl"},
        {"swedish", "sv"},   {"danish", "da"}};
    for (const auto& [n, code] : kNames) {
      if (base::EqualsIgnoreCase(v, n)) l = code;
    }
  }
  return l;
}

// The item's date from `year` and `month` (a number or a month name), the
// year alone when the month does not read; a warning when the year does not.
void SetYearMonthDate(const std::string& year, const std::string& month,
                      BibItem* item, Record* rec) {
  std::string iso = year.substr(0, 4);
  if (!month.empty()) {
    int m = std::atoi(month.c_str());
    if (m == 0) {
      std::string lower = base::AsciiLower(month.substr(0, 3));
      if (auto it = MonthMacros().find(lower); it != MonthMacros().end())
        m = std::atoi(it->second.c_str());
    }
    if (m >= 1 && m <= 12) iso += absl::StrCat(m < 10 ? "-0" : "-", m);
  }
  absl::StatusOr<text::Date> d = text::ParseDate(iso);
  if (!d.ok()) d = text::ParseDate(year.substr(0, 4));
  if (d.ok()) {
    item->date = *d;
  } else {
    rec->Warn("year", "unreadable year \"" + year + "\"");
  }
}

Record MapEntry(const EntryParser::Entry& e, const Source& source,
                uint64_t line) {
  Record rec;
  rec.id = absl::StrCat(e.key, " (line ", line, ")");
  rec.graph = GraphFor(source, e.key);
  BibItem item;
  item.type = BibtexType(e.type);
  item.title_field = "title";
  item.doi_field = "doi";
  item.isbn_field = "isbn";
  item.issn_field = "issn";
  std::string journal, booktitle, year, month;
  for (const auto& [name, raw] : e.fields) {
    if (raw.empty()) continue;
    if (name == "author" || name == "editor") {
      for (const std::string& n : SplitNames(raw)) {
        Agent a;
        a.name = LatexToUnicode(n);
        a.creator = name == "author";
        if (name == "editor") a.relators.push_back("edt");
        a.field = name;
        item.agents.push_back(std::move(a));
      }
      continue;
    }
    if (name == "pages") {
      SetPages(raw, &item.enumeration);
      continue;
    }
    std::string v = LatexToUnicode(raw);
    if (v.empty()) continue;
    if (name == "title") {
      item.title = v;
    } else if (name == "subtitle") {
      item.alt_titles.push_back(v);
    } else if (name == "journal" || name == "journaltitle") {
      journal = v;
    } else if (name == "booktitle") {
      booktitle = v;
    } else if (name == "year") {
      year = v;
    } else if (name == "month") {
      month = v;
    } else if (name == "date") {
      absl::StatusOr<text::Date> d = text::ParseDate(v.substr(0, v.find('/')));
      if (d.ok()) {
        item.date = *d;
      } else {
        rec.Warn("date", "unreadable date \"" + v + "\"");
      }
    } else if (name == "volume") {
      item.enumeration.volume = v;
    } else if (name == "number" || name == "issue") {
      item.enumeration.issue = v;
    } else if (name == "doi") {
      item.doi = v;
    } else if (name == "issn") {
      item.host_issns.push_back(v);
    } else if (name == "isbn") {
      for (std::string_view i : base::Split(v, ",;")) {
        std::string t = text::CollapseSpace(i);
        if (!t.empty()) item.isbns.push_back(t);
      }
    } else if (name == "url") {
      item.urls.push_back(text::CollapseSpace(raw));
    } else if (name == "abstract") {
      item.abstract = v;
    } else if (name == "keywords") {
      for (std::string_view k : base::Split(v, ",;")) {
        std::string t = text::CollapseSpace(k);
        if (!t.empty()) item.subjects.push_back({t, "", "", false});
      }
    } else if (name == "publisher" || name == "institution" ||
               name == "school" || name == "organization") {
      if (item.publisher.empty()) item.publisher = v;
    } else if (name == "address" || name == "location") {
      item.place = v;
    } else if (name == "edition") {
      item.edition = v;
    } else if (name == "series") {
      item.series.push_back(v);
    } else if (name == "note" || name == "annote") {
      item.notes.push_back(v);
      // A note naming a funder and its grant number links the project.
      item.funding.push_back(FundingText(v, std::string(name), true));
    } else if (name == "funding" || name == "fundinginfo") {
      item.funding.push_back(FundingText(v, std::string(name), false));
    } else if (name == "language" || name == "langid") {
      item.lang = BibtexLanguage(v);
    } else if (name == "orcid" || name == "orcid-numbers") {
      // "Surname, Given/0000-0002-..." lists are not mapped to authors.
    } else if (name == "eprint" && item.doi.empty() &&
               base::StartsWithIgnoreCase(v, "10.")) {
      item.doi = v;
    }
  }
  if (!item.date && !year.empty()) SetYearMonthDate(year, month, &item, &rec);
  if (!journal.empty()) {
    item.host_title = journal;
  } else if (!booktitle.empty()) {
    item.host_title = booktitle;
    item.host_type = vocab::kBook;
  }
  MapBibItem(item, &rec);
  return rec;
}

}  // namespace

bool LooksLikeBibtex(std::string_view head) {
  // An "@type{" or "@type(" at the start of a line.
  size_t pos = 0;
  while ((pos = head.find('@', pos)) != std::string_view::npos) {
    if (pos == 0 || head[pos - 1] == '\n' || head[pos - 1] == ' ') {
      size_t j = pos + 1;
      while (j < head.size() &&
             std::isalpha(static_cast<unsigned char>(head[j])))
        ++j;
      while (j < head.size() && head[j] == ' ') ++j;
      if (j > pos + 1 && j < head.size() && (head[j] == '{' || head[j] == '('))
        return true;
    }
    ++pos;
  }
  return false;
}

absl::Status ReadBibtex(const Source& source, std::FILE* in,
                        const std::function<absl::Status(Record&)>& on_record) {
  EntryParser parser;
  std::string buf;
  size_t pos = 0;
  uint64_t line = 1;  // line of buf[pos]
  bool eof = false;
  auto fill = [&]() -> bool {
    if (eof) return false;
    if (pos > 0) {
      buf.erase(0, pos);
      pos = 0;
    }
    char chunk[65536];
    size_t n = std::fread(chunk, 1, sizeof chunk, in);
    if (n == 0) {
      eof = true;
      return false;
    }
    buf.append(chunk, n);
    return true;
  };
  auto advance = [&](size_t to) {
    for (size_t i = pos; i < to; ++i) line += buf[i] == '\n';
    pos = to;
  };
  auto report = [&](std::string id, std::string message) {
    Record rec;
    rec.id = std::move(id);
    rec.Fail("", std::move(message));
    return on_record(rec);
  };
  for (;;) {
    // Text outside entries is a comment.
    size_t at;
    while ((at = buf.find('@', pos)) == std::string::npos) {
      advance(buf.size());
      if (!fill()) break;
    }
    if (at == std::string::npos) break;
    advance(at);
    // The entry ends where its opening brace is closed.
    size_t end = std::string::npos;
    for (;;) {
      int depth = 0;
      bool opened = false;
      char open = 0;
      for (size_t i = pos + 1; i < buf.size(); ++i) {
        char c = buf[i];
        if (!opened) {
          if (c == '{' || c == '(') {
            opened = true;
            open = c;
            depth = 1;
          } else if (c == '@' || c == '\n') {
            break;  // not an entry ("@" in a comment)
          }
          continue;
        }
        if (c == '{' || (open == '(' && c == '(')) ++depth;
        if (c == '}' || (open == '(' && c == ')')) {
          if (--depth == 0) {
            end = i + 1;
            break;
          }
        }
      }
      if (end != std::string::npos || buf.size() - pos > kMaxBibtexEntryBytes)
        break;
      if (!fill()) break;
    }
    uint64_t entry_line = line;
    if (end == std::string::npos) {
      if (buf.size() - pos > kMaxBibtexEntryBytes) {
        BIBKG_RETURN_IF_ERROR(report(
            absl::StrCat("line ", entry_line),
            absl::StrCat("entry longer than ", kMaxBibtexEntryBytes,
                         " bytes (unbalanced braces?); skipped to the next "
                         "@ at the start of a line")));
        size_t next = buf.find("\n@", pos + 1);
        advance(next == std::string::npos ? buf.size() : next + 1);
        continue;
      }
      // Not an entry opener, or the file ends inside an entry.
      size_t nl = buf.find('\n', pos);
      std::string_view head = std::string_view(buf).substr(pos, 40);
      bool opener = LooksLikeBibtex(head);
      if (opener && eof) {
        // Unbalanced braces swallow the entries after; resume at the next
        // line that starts an entry.
        size_t next = buf.find("\n@", pos + 1);
        BIBKG_RETURN_IF_ERROR(report(
            absl::StrCat("line ", entry_line),
            next == std::string::npos
                ? std::string("truncated entry: the file ends before its "
                              "closing brace")
                : "entry is not closed before the next entry (unbalanced "
                  "braces?); skipped"));
        advance(next == std::string::npos ? buf.size() : next + 1);
        continue;
      }
      advance(nl == std::string::npos ? buf.size() : nl);
      if (nl == std::string::npos && !fill()) break;
      continue;
    }
    std::string_view text = std::string_view(buf).substr(pos, end - pos);
    EntryParser::Entry e;
    std::string error;
    if (!parser.Parse(text, &e, &error)) {
      BIBKG_RETURN_IF_ERROR(report(absl::StrCat("line ", entry_line), error));
    } else if (!e.key.empty() || !e.fields.empty()) {
      if (text::FindInvalidUtf8(text) != std::string_view::npos) {
        BIBKG_RETURN_IF_ERROR(
            report(absl::StrCat(e.key, " (line ", entry_line, ")"),
                   absl::StrCat("invalid UTF-8 at byte ",
                                text::FindInvalidUtf8(text), " of the entry")));
      } else if (e.type != "string") {
        Record rec = MapEntry(e, source, entry_line);
        BIBKG_RETURN_IF_ERROR(on_record(rec));
      }
    }
    advance(end);
  }
  if (std::ferror(in)) return absl::UnavailableError("read error");
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
