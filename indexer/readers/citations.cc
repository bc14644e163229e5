#include "indexer/readers/citations.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/json_stream.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array() && !it->empty() && (*it)[0].is_string())
    return (*it)[0].get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

std::vector<std::string> Strs(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const Json& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// Crossref abstracts are JATS fragments: "<jats:p>Text</jats:p>".
std::string StripTags(std::string_view s) {
  std::string out;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') {
      in_tag = true;
      out.push_back(' ');
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out.push_back(c);
    }
  }
  return text::CollapseSpace(out);
}

const char* CrossrefType(std::string_view t) {
  if (t == "journal-article") return vocab::kJournalArticle;
  if (t == "book" || t == "monograph" || t == "edited-book")
    return vocab::kBook;
  if (t == "book-chapter" || t == "book-section" || t == "book-part")
    return vocab::kBookChapter;
  if (t == "proceedings-article") return vocab::kConferencePaper;
  if (t == "dissertation") return vocab::kThesis;
  if (t == "report") return vocab::kReportDocument;
  if (t == "dataset") return vocab::kDataset;
  return nullptr;
}

std::optional<text::Date> DateParts(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return std::nullopt;
  auto parts = it->find("date-parts");
  if (parts == it->end() || !parts->is_array() || parts->empty() ||
      !(*parts)[0].is_array() || (*parts)[0].empty())
    return std::nullopt;
  const Json& p = (*parts)[0];
  text::Date d;
  auto num = [](const Json& v) -> int {
    if (v.is_number_integer()) return v.get<int>();
    if (v.is_string()) return std::atoi(v.get<std::string>().c_str());
    return 0;
  };
  d.year = num(p[0]);
  if (p.size() > 1) d.month = num(p[1]);
  if (p.size() > 2 && d.month) d.day = num(p[2]);
  if (d.year <= 0) return std::nullopt;
  return d;
}

// The work's authors and editors.
void AddCrossrefAgents(const Json& w, BibItem* item) {
  for (const char* role : {"author", "editor"}) {
    auto it = w.find(role);
    if (it == w.end() || !it->is_array()) continue;
    for (const Json& a : *it) {
      if (!a.is_object()) continue;
      Agent ag;
      std::string family = Str(a, "family"), given = Str(a, "given");
      ag.name = family.empty()
                    ? Str(a, "name")
                    : (given.empty() ? family : family + ", " + given);
      ag.corporate = family.empty() && !Str(a, "name").empty();
      ag.orcid = Str(a, "ORCID");
      ag.creator = std::string_view(role) == "author";
      if (!ag.creator) ag.relators.push_back("edt");
      ag.field = role;
      if (!ag.name.empty()) item->agents.push_back(std::move(ag));
    }
  }
}

// The work's funders: one funding note per funder and award.
void AddCrossrefFunding(const Json& w, BibItem* item) {
  auto f = w.find("funder");
  if (f == w.end() || !f->is_array()) return;
  for (const Json& fu : *f) {
    if (!fu.is_object()) continue;
    std::string name = Str(fu, "name");
    std::vector<std::string> awards = Strs(fu, "award");
    if (awards.empty()) awards.push_back("");
    for (const std::string& award : awards) {
      FundingNote n;
      n.field = "funder";
      n.funder = name;
      // The Funder Registry id, when Crossref gives it ("10.13039/…").
      if (absl::StatusOr<std::string> doi = text::NormalizeDoi(Str(fu, "DOI"));
          doi.ok() && doi->starts_with("10.13039/")) {
        n.funder_iri = "https://doi.org/" + *doi;
      }
      n.grant = award;
      n.text = award.empty() ? name : absl::StrCat(name, " ", award);
      item->funding.push_back(std::move(n));
    }
  }
}

// The Crossref work `w`, whose DOI is `doi` (normalized), as a BibItem.
BibItem CrossrefItem(const Json& w, const std::string& doi) {
  BibItem item;
  item.type = CrossrefType(Str(w, "type"));
  item.title = Str(w, "title");
  if (item.title.empty()) item.title = Str(w, "original-title");
  item.doi = doi;
  for (const std::string& s : Strs(w, "subtitle")) item.alt_titles.push_back(s);
  item.host_title = Str(w, "container-title");
  item.host_issns = Strs(w, "ISSN");
  item.isbns = Strs(w, "ISBN");
  item.enumeration.volume = Str(w, "volume");
  item.enumeration.issue = Str(w, "issue");
  std::string page = Str(w, "page");
  if (size_t dash = page.find('-'); dash != std::string::npos) {
    item.enumeration.page_start = page.substr(0, dash);
    item.enumeration.page_end = page.substr(dash + 1);
  } else {
    item.enumeration.page_start = page;
  }
  for (const char* key :
       {"issued", "published", "published-print", "published-online"}) {
    if (!item.date) item.date = DateParts(w, key);
  }
  item.publisher = Str(w, "publisher");
  item.lang = text::ToIso639_1(Str(w, "language"));
  item.abstract = StripTags(Str(w, "abstract"));
  for (const std::string& s : Strs(w, "subject"))
    item.subjects.push_back({s, "", "", false});
  AddCrossrefAgents(w, &item);
  AddCrossrefFunding(w, &item);
  return item;
}

// The fields `keys` of reference `r` that have a value, joined by ", ".
std::string JoinedFields(const Json& r,
                         std::initializer_list<const char*> keys) {
  std::vector<std::string> parts;
  for (const char* key : keys) {
    std::string v = Str(r, key);
    if (!v.empty()) parts.push_back(v);
  }
  return base::Join(parts, ", ");
}

// A reference without a usable DOI, by ISSN + volume + first page or by
// ISBN. False when the reference gives neither.
bool AddLocatorReference(const Json& r, const std::string& work, Record* rec) {
  LocatorRef loc;
  loc.subject = work;
  loc.predicate = vocab::kCites;
  for (const char* key : {"issn", "ISSN"}) {
    for (const text::Issn& i : text::FindIssns(Str(r, key))) {
      if (i.check_digit_ok && loc.issn.empty()) loc.issn = i.normalized;
    }
  }
  loc.volume = text::CollapseSpace(Str(r, "volume"));
  loc.first_page = text::CollapseSpace(Str(r, "first-page"));
  for (const char* key : {"isbn", "ISBN"}) {
    absl::StatusOr<text::Isbn> i = text::ParseIsbn(Str(r, key));
    if (i.ok() && i->check_digit_ok && loc.isbn13.empty())
      loc.isbn13 = i->isbn13;
  }
  if (loc.isbn13.empty() &&
      (loc.issn.empty() || loc.volume.empty() || loc.first_page.empty())) {
    return false;
  }
  loc.said = text::CollapseSpace(Str(r, "unstructured"));
  if (loc.said.empty()) {
    loc.said = JoinedFields(r, {"author", "year", "article-title",
                                "journal-title", "volume", "first-page"});
  }
  rec->locator_refs.push_back(std::move(loc));
  return true;
}

// Reference number `index` (from 1) of the work `work`, whose DOI is
// `doi`: a link by DOI, by locator, by title, else a stub.
void AddCrossrefReference(const Json& r, int index, const std::string& doi,
                          const std::string& work, Record* rec) {
  std::string ref_doi = Str(r, "DOI");
  if (!ref_doi.empty()) {
    absl::StatusOr<std::string> d = text::NormalizeDoi(ref_doi);
    if (!d.ok()) {
      rec->Warn(absl::StrCat("reference ", index),
                std::string(d.status().message()));
    } else if (*d == doi) {
      rec->Warn(absl::StrCat("reference ", index),
                "the work cites itself; link not kept");
      ++rec->self_citations;
      return;
    } else {
      rec->AddIri(work, vocab::kCites, text::DoiIri(*d));
      return;
    }
  }
  if (AddLocatorReference(r, work, rec)) return;
  // A link by title, to the work with that title or to a stub that the
  // work takes over when it arrives.
  std::string title = Str(r, "article-title");
  if (title.empty()) title = Str(r, "volume-title");
  if (!text::MatchKey(title).empty()) {
    TitleRef ref{work, vocab::kCites, text::CollapseSpace(title), 0, {}};
    std::string year = Str(r, "year");
    ref.year = year.size() >= 4 ? std::atoi(year.substr(0, 4).c_str()) : 0;
    if (auto n = text::ParsePersonName(Str(r, "author"))) {
      ref.author_family = n->family;
    }
    rec->title_refs.push_back(std::move(ref));
    return;
  }
  // No title either: a stub holding what the reference said.
  std::string said = Str(r, "unstructured");
  if (said.empty()) {
    said = JoinedFields(
        r, {"author", "year", "journal-title", "volume", "first-page"});
  }
  AddCitationStub(rec, work, said);
}

Record MapCrossrefWork(const Json& w, const Source& source,
                       const std::string& where) {
  Record rec;
  std::string doi_text = Str(w, "DOI");
  absl::StatusOr<std::string> doi = text::NormalizeDoi(doi_text);
  rec.id = doi.ok() ? absl::StrCat(*doi, " (", where, ")") : where;
  if (!doi.ok()) {
    rec.graph = GraphFor(source, where);
    rec.Fail("DOI", doi_text.empty() ? "Crossref work without a DOI"
                                     : std::string(doi.status().message()));
    return rec;
  }
  rec.graph = GraphFor(source, *doi);
  MapBibItem(CrossrefItem(w, *doi), &rec);
  if (rec.has_fatal()) return rec;
  const std::string work =
      rec.work_iri.empty() ? text::DoiIri(*doi) : rec.work_iri;
  auto refs = w.find("reference");
  if (refs == w.end() || !refs->is_array()) return rec;
  int index = 0;
  for (const Json& r : *refs) {
    ++index;
    if (r.is_object()) AddCrossrefReference(r, index, *doi, work, &rec);
  }
  return rec;
}

// Finds the works in a Crossref document: a work, `message`, `items`, an
// array, or an object of works keyed by DOI.
void CollectWorks(const Json& j, int depth, std::vector<const Json*>* out) {
  if (depth > 3) return;
  if (j.is_array()) {
    for (const Json& v : j) CollectWorks(v, depth + 1, out);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("DOI") && (j.contains("title") || j.contains("type"))) {
    out->push_back(&j);
    return;
  }
  if (auto m = j.find("message"); m != j.end()) {
    CollectWorks(*m, depth + 1, out);
    return;
  }
  if (auto items = j.find("items"); items != j.end()) {
    CollectWorks(*items, depth + 1, out);
    return;
  }
  for (const auto& [key, value] : j.items()) {
    if (value.is_object() || value.is_array())
      CollectWorks(value, depth + 1, out);
  }
}

// Splits a CSV line (RFC 4180 quoting; a quoted field does not span lines
// in these files).
std::vector<std::string> CsvFields(std::string_view line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
    } else if (c != '\r' && c != '\n') {
      field.push_back(c);
    }
  }
  out.push_back(std::move(field));
  return out;
}

// The work IRI of an OpenCitations id: a DOI (optionally "doi:"-prefixed,
// or the first doi: of a space-separated id list) or a PubMed id.
std::string CitationTarget(std::string_view id, std::string* error) {
  std::string_view pick = id;
  for (std::string_view part : base::Split(id, " ")) {
    if (part.starts_with("doi:")) {
      pick = part;
      break;
    }
  }
  if (pick.starts_with("doi:")) pick.remove_prefix(4);
  if (pick.starts_with("pmid:")) pick.remove_prefix(5);
  pick = base::StripWhitespace(pick);
  if (!pick.empty() && std::all_of(pick.begin(), pick.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::StrCat("https://identifiers.org/pubmed:", std::string(pick));
  }
  absl::StatusOr<std::string> d = text::NormalizeDoi(pick);
  if (!d.ok()) {
    *error = std::string(d.status().message());
    return "";
  }
  return text::DoiIri(*d);
}

}  // namespace

bool LooksLikeCrossrefJson(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || (head[i] != '{' && head[i] != '['))
    return false;
  return head.find("\"DOI\"") != std::string_view::npos ||
         head.find("\"reference-count\"") != std::string_view::npos ||
         head.find("\"message-type\"") != std::string_view::npos;
}

bool LooksLikeCitationCsv(std::string_view head) {
  size_t nl = head.find('\n');
  std::string_view first = head.substr(0, nl);
  return first.find("citing") != std::string_view::npos &&
         first.find("cited") != std::string_view::npos &&
         first.find(',') != std::string_view::npos;
}

absl::Status ReadCrossrefJson(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record) {
  const JsonErrorFn bad = FailedRecordReporter(on_record);
  uint64_t number = 0;
  return ReadJsonDocuments(
      in,
      [&](const Json& doc, const std::string& where) -> absl::Status {
        std::vector<const Json*> works;
        CollectWorks(doc, 0, &works);
        if (works.empty()) return bad(where, "no Crossref work in this JSON");
        for (const Json* w : works) {
          ++number;
          Record rec = MapCrossrefWork(
              *w, source,
              works.size() == 1 ? where
                                : absl::StrCat(where, ", work ", number));
          BIBKG_RETURN_IF_ERROR(on_record(rec));
        }
        return absl::OkStatus();
      },
      bad);
}

absl::Status ReadCitationCsv(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record) {
  char buf[1 << 16];
  std::string line;
  uint64_t line_no = 0;
  int citing_col = -1, cited_col = -1;
  Record current;
  std::string current_citing;
  absl::flat_hash_set<std::string> seen;
  auto flush = [&]() -> absl::Status {
    if (current_citing.empty()) return absl::OkStatus();
    Record rec = std::move(current);
    current = Record();
    current_citing.clear();
    return on_record(rec);
  };
  while (std::fgets(buf, sizeof buf, in)) {
    line += buf;
    if (line.back() != '\n' && !std::feof(in)) continue;
    ++line_no;
    std::vector<std::string> f = CsvFields(line);
    line.clear();
    if (citing_col < 0) {
      for (size_t i = 0; i < f.size(); ++i) {
        std::string h = text::CollapseSpace(f[i]);
        if (h == "citing") citing_col = static_cast<int>(i);
        if (h == "cited") cited_col = static_cast<int>(i);
      }
      if (citing_col < 0 || cited_col < 0) {
        Record rec;
        rec.id = "line 1";
        rec.Fail("", "no \"citing\" and \"cited\" columns in the header");
        return on_record(rec);
      }
      continue;
    }
    if (f.size() <= static_cast<size_t>(std::max(citing_col, cited_col))) {
      if (f.size() == 1 && text::CollapseSpace(f[0]).empty()) continue;
      Record rec;
      rec.id = absl::StrCat("line ", line_no);
      rec.Fail("", absl::StrCat("row has ", f.size(), " fields"));
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      continue;
    }
    std::string error;
    std::string citing = CitationTarget(f[citing_col], &error);
    std::string cited =
        citing.empty() ? "" : CitationTarget(f[cited_col], &error);
    if (citing.empty() || cited.empty()) {
      Record rec;
      rec.id = absl::StrCat("line ", line_no);
      rec.Fail(citing.empty() ? "citing" : "cited", error);
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      continue;
    }
    if (citing != current_citing) {
      BIBKG_RETURN_IF_ERROR(flush());
      current_citing = citing;
      current.id = absl::StrCat(f[citing_col], " (line ", line_no, ")");
      current.graph = GraphFor(source, f[citing_col]);
      // Rows of one citing work further down the file add to its graph.
      current.mode = seen.insert(citing).second ? Record::Mode::kReplace
                                                : Record::Mode::kAdd;
    }
    if (cited == citing) {
      current.Warn("cited", absl::StrCat("line ", line_no,
                                         ": the work cites itself; link not "
                                         "kept"));
      ++current.self_citations;
      continue;
    }
    current.AddIri(citing, vocab::kCites, cited);
  }
  BIBKG_RETURN_IF_ERROR(flush());
  return std::ferror(in) ? absl::UnavailableError("read error")
                         : absl::OkStatus();
}

}  // namespace bibkg::indexer
