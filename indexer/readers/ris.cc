#include "indexer/readers/ris.h"

#include <boost/spirit/home/x3.hpp>
#include <cctype>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace x3 = boost::spirit::x3;

namespace {

// "AU  - Smith, J." : a two-character tag (letter, then letter or digit),
// spaces, a hyphen, an optional space and the value. Exports differ in the
// spaces, so any number is accepted.
struct TagLine {
  std::string tag;
  std::string value;
};
bool ParseTagLine(std::string_view line, TagLine* out) {
  auto first = line.begin();
  std::string tag;
  const auto tag_rule = x3::upper >> (x3::upper | x3::digit);
  if (!x3::parse(first, line.end(), x3::raw[tag_rule], tag) ||
      !x3::parse(first, line.end(),
                 *x3::lit(' ') >> x3::lit('-') >> (x3::eoi | x3::lit(' ')))) {
    return false;
  }
  out->tag = tag;
  out->value = std::string(base::StripWhitespace(
      std::string_view(&*first, static_cast<size_t>(line.end() - first))));
  return true;
}

const char* RisType(std::string_view ty) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"JOUR", vocab::kJournalArticle},  {"JFULL", vocab::kPeriodical},
      {"EJOUR", vocab::kJournalArticle}, {"MGZN", vocab::kJournalArticle},
      {"NEWS", vocab::kNewsItem},        {"BOOK", vocab::kBook},
      {"EBOOK", vocab::kBook},           {"EDBOOK", vocab::kBook},
      {"CHAP", vocab::kBookChapter},     {"ECHAP", vocab::kBookChapter},
      {"CONF", vocab::kConferencePaper}, {"CPAPER", vocab::kConferencePaper},
      {"THES", vocab::kThesis},          {"RPRT", vocab::kReportDocument},
      {"DATA", vocab::kDataset},         {"COMP", vocab::kComputerProgram},
      {"BLOG", vocab::kBlogPost},        {"ELEC", vocab::kWebContent},
  };
  for (const auto& [code, type] : kTypes) {
    if (ty == code) return type;
  }
  return nullptr;
}

// "2001/09/01/", "2014", "2001///", "2014-05-12".
std::optional<text::Date> RisDate(std::string_view text) {
  std::vector<std::string_view> parts = base::Split(text, "/-");
  std::string iso;
  for (size_t i = 0; i < parts.size() && i < 3; ++i) {
    std::string_view p = base::StripWhitespace(parts[i]);
    if (p.empty()) break;
    if (i > 0) iso += '-';
    iso += std::string(p);
  }
  absl::StatusOr<text::Date> d = text::ParseDate(iso);
  if (d.ok()) return *d;
  if (text.size() >= 4) {
    d = text::ParseDate(text.substr(0, 4));
    if (d.ok()) return *d;
  }
  return std::nullopt;
}

class RisRecord {
 public:
  void Add(const std::string& tag, const std::string& value) {
    fields_.push_back({tag, value});
  }
  void Continue(std::string_view line) {
    if (fields_.empty()) return;
    std::string& v = fields_.back().value;
    std::string_view t = base::StripWhitespace(line);
    if (t.empty()) return;
    if (!v.empty()) v += fields_.back().tag == "N1" ? "\n" : " ";
    v += std::string(t);
  }
  bool empty() const { return fields_.empty(); }

  Record Map(const Source& source, uint64_t number, uint64_t line) const {
    Record rec;
    rec.id = absl::StrCat(number, " (line ", line, ")");
    rec.graph = GraphFor(source, absl::StrCat(number));
    BibItem item;
    item.title_field = "TI";
    item.doi_field = "DO";
    item.isbn_field = "SN";
    item.issn_field = "SN";
    std::string ty, secondary, journal;
    for (const TagLine& f : fields_) {
      const std::string& t = f.tag;
      const std::string& v = f.value;
      if (v.empty()) continue;
      if (t == "TY") {
        ty = v;
      } else if (t == "TI" || t == "T1") {
        if (item.title.empty()) {
          item.title = v;
        } else {
          item.alt_titles.push_back(v);
        }
      } else if (t == "CT" && item.title.empty()) {
        item.title = v;
      } else if (t == "ST" || t == "TT") {
        item.alt_titles.push_back(v);
      } else if (t == "T2" || t == "BT") {
        secondary = v;
      } else if (t == "JO" || t == "JF" || t == "JA" || t == "J2" ||
                 t == "J1") {
        if (journal.empty()) journal = v;
      } else if (t == "AU" || t == "A1") {
        item.agents.push_back({v, false, true, {}, "", "", t});
      } else if (t == "A2" || t == "ED") {
        item.agents.push_back({v, false, false, {"edt"}, "", "", t});
      } else if (t == "A3" || t == "A4") {
        item.agents.push_back({v, false, false, {}, "", "", t});
      } else if (t == "PY" || t == "Y1" || t == "DA") {
        if (!item.date) {
          item.date = RisDate(v);
          if (!item.date) rec.Warn(t, "unreadable date \"" + v + "\"");
        }
      } else if (t == "VL") {
        item.enumeration.volume = v;
      } else if (t == "IS") {
        item.enumeration.issue = v;
      } else if (t == "SP") {
        // Some exports put the whole range in SP.
        std::string p = v;
        size_t dash = p.find('-');
        item.enumeration.page_start = text::CollapseSpace(p.substr(0, dash));
        if (dash != std::string::npos && item.enumeration.page_end.empty())
          item.enumeration.page_end =
              text::CollapseSpace(p.substr(p.find_first_not_of('-', dash)));
      } else if (t == "EP") {
        item.enumeration.page_end = v;
      } else if (t == "SN") {
        for (std::string_view part : base::Split(v, ";,")) {
          std::string sn = text::CollapseSpace(part);
          if (sn.empty()) continue;
          std::string digits;
          for (char c : sn) {
            if (std::isdigit(static_cast<unsigned char>(c)) || c == 'X' ||
                c == 'x')
              digits += c;
          }
          if (digits.size() == 8) {
            item.host_issns.push_back(sn);
          } else {
            item.isbns.push_back(sn);
          }
        }
      } else if (t == "DO") {
        if (item.doi.empty()) item.doi = v;
      } else if (t == "UR" || t == "L1" || t == "L2" || t == "LK") {
        for (std::string_view u : base::Split(v, " ;")) {
          std::string url = text::CollapseSpace(u);
          if (url.empty()) continue;
          if (item.doi.empty() &&
              base::ContainsIgnoreCase(url, "doi.org/10.")) {
            item.doi = url;
            item.doi_field = t;
          }
          item.urls.push_back(url);
        }
      } else if (t == "AB" || t == "N2") {
        if (item.abstract.empty()) item.abstract = v;
      } else if (t == "KW") {
        item.subjects.push_back({v, "", "", false});
      } else if (t == "PB") {
        item.publisher = v;
      } else if (t == "CY" || t == "PP") {
        item.place = v;
      } else if (t == "ET") {
        item.edition = v;
      } else if (t == "N1") {
        item.notes.push_back(v);
        // A note naming a funder and its grant number links the project.
        item.funding.push_back(FundingText(v, "N1", true));
      } else if (t == "LA") {
        std::string l = text::ToIso639_1(base::AsciiLower(v));
        if (l.empty()) l = text::ToIso639_1(base::AsciiLower(v.substr(0, 3)));
        item.lang = l;
      } else if (t == "AN" || t == "ID" || t == "M1" || t == "C1") {
        if (t == "AN" || t == "ID") item.identifiers.push_back(v);
      }
    }
    item.type = RisType(ty);
    if (ty == "CHAP" || ty == "CONF" || ty == "CPAPER") {
      item.host_title = !secondary.empty() ? secondary : journal;
      item.host_type = vocab::kBook;
    } else {
      item.host_title = !journal.empty() ? journal : secondary;
    }
    if (ty.empty()) {
      rec.Fail("TY", "record does not start with a TY (type) line");
      return rec;
    }
    MapBibItem(item, &rec);
    return rec;
  }

 private:
  std::vector<TagLine> fields_;
};

}  // namespace

bool LooksLikeRis(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  // A "TY  - " line, or mostly tag lines, among the first lines (exports
  // may number their records: "1.").
  int lines = 0, tags = 0;
  for (std::string_view line : base::Split(head, "\n")) {
    std::string_view t = base::StripWhitespace(line);
    if (t.empty()) continue;
    TagLine tl;
    if (ParseTagLine(t, &tl)) {
      if (tl.tag == "TY") return true;
      ++tags;
    }
    if (++lines == 10) break;
  }
  return tags >= 3 && tags * 2 > lines;
}

absl::Status ReadRis(const Source& source, std::FILE* in,
                     const std::function<absl::Status(Record&)>& on_record) {
  RisRecord current;
  bool open = false;
  uint64_t number = 0, line_no = 0, start_line = 0, bytes = 0;
  std::string line;
  char buf[65536];
  // `unclosed` says why a record had no ER; empty when it had.
  auto finish = [&](const std::string& unclosed) -> absl::Status {
    if (current.empty()) return absl::OkStatus();
    ++number;
    Record rec = current.Map(source, number, start_line);
    if (!unclosed.empty()) {
      rec.problems.clear();
      rec.Fail("ER", unclosed);
    }
    current = RisRecord();
    open = false;
    return on_record(rec);
  };
  bool too_long = false;
  while (std::fgets(buf, sizeof buf, in)) {
    size_t n = std::strlen(buf);
    line.append(buf, n);
    if (n > 0 && buf[n - 1] != '\n' && !std::feof(in)) {
      if (line.size() > kMaxRisLineBytes) {
        line.clear();
        too_long = true;
      }
      continue;
    }
    ++line_no;
    bytes += line.size();
    std::string_view l = line;
    if (line_no == 1 && l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);
    while (!l.empty() && (l.back() == '\n' || l.back() == '\r'))
      l.remove_suffix(1);
    if (too_long) {
      Record rec;
      rec.id = absl::StrCat("line ", line_no);
      rec.Fail("", absl::StrCat("line longer than ", kMaxRisLineBytes,
                                " bytes; the record holding it is skipped"));
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      current = RisRecord();
      open = false;
      too_long = false;
      line.clear();
      continue;
    }
    if (size_t bad = text::FindInvalidUtf8(l); bad != std::string_view::npos) {
      Record rec;
      rec.id = absl::StrCat("line ", line_no);
      rec.Fail("", absl::StrCat("invalid UTF-8 at byte ", bad,
                                " of the line; the record holding it is "
                                "skipped"));
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      current = RisRecord();
      open = false;
      line.clear();
      continue;
    }
    TagLine tl;
    if (ParseTagLine(l, &tl)) {
      if (tl.tag == "TY") {
        if (!current.empty()) {
          BIBKG_RETURN_IF_ERROR(finish(absl::StrCat(
              "record has no ER line before the next TY at line ", line_no)));
        }
        open = true;
        start_line = line_no;
      } else if (!open && current.empty()) {
        start_line = line_no;
      }
      if (tl.tag == "ER") {
        BIBKG_RETURN_IF_ERROR(finish(""));
      } else {
        current.Add(tl.tag, tl.value);
      }
    } else {
      current.Continue(l);
    }
    line.clear();
  }
  if (std::ferror(in)) return absl::UnavailableError("read error");
  return finish("truncated record: the file ends before its ER line");
}

}  // namespace bibkg::indexer
