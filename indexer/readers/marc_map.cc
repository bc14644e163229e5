// Mapping MARC 21 bibliographic and authority records to triples.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/marc_internal.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer::marc_internal {
namespace {

// Removes ISBD punctuation at the end of a MARC value (" /", " :", " ;",
// " =", ",", "."), but keeps a period after an initial or abbreviation of one
// letter ("Jr.", "A.").
std::string TrimIsbd(std::string_view v) {
  std::string s = text::CollapseSpace(v);
  for (;;) {
    if (s.empty()) break;
    char c = s.back();
    if (c == '/' || c == ':' || c == ';' || c == '=' || c == ',') {
      s.pop_back();
    } else if (c == '.' && s.size() >= 3 && s[s.size() - 3] != ' ' &&
               s[s.size() - 3] != '.') {
      s.pop_back();
    } else {
      break;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']' &&
      s.find('[', 1) == std::string::npos) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

std::optional<int> FirstYear(std::string_view text) {
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    std::string_view y = text.substr(i, 4);
    if (IsDigits(y) &&
        (i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1]))) &&
        (i + 4 == text.size() ||
         !std::isdigit(static_cast<unsigned char>(text[i + 4])))) {
      int year = static_cast<int>(ToNumber(y));
      if (year >= 1000 && year <= 2999) return year;
    }
  }
  return std::nullopt;
}

// "(DE-588)118540238" or a URI from $0; ORCIDs are told apart.
void ReadAuthority(const MarcField& f, Agent* a) {
  for (char code : {'0', '1'}) {
    for (std::string_view v : f.All(code)) {
      if (base::ContainsIgnoreCase(v, "orcid")) {
        a->orcid = std::string(v);
      } else if (a->authority.empty() && code == '0') {
        a->authority = text::CollapseSpace(v);
      }
    }
  }
}

// The subject scheme of a 6XX field from its second indicator or $2.
std::string SubjectScheme(const MarcField& f) {
  switch (f.ind2) {
    case '0':
      return "lcsh";
    case '1':
      return "lcshac";
    case '2':
      return "mesh";
    case '3':
      return "nal";
    case '5':
      return "cash";
    case '6':
      return "rvm";
    case '7':
      return text::CollapseSpace(f.Sub('2'));
    default:
      return "";
  }
}

// The heading of a 6XX field: its main part and subdivisions joined by " -- ".
std::string SubjectLabel(const MarcField& f) {
  std::string main, out;
  const std::string_view main_codes = f.tag == "600" ? "abcdq"
                                      : f.tag == "610" || f.tag == "611"
                                          ? "abcdn"
                                          : "a";
  for (const MarcSubfield& s : f.subfields) {
    std::string v = TrimIsbd(s.value);
    if (v.empty()) continue;
    if (main_codes.find(s.code) != std::string_view::npos || s.code == 't') {
      if (!main.empty()) main += ' ';
      main += v;
    } else if (s.code == 'x' || s.code == 'y' || s.code == 'z' ||
               s.code == 'v') {
      if (!out.empty()) out += " -- ";
      out += v;
    }
  }
  if (main.empty()) return out;
  return out.empty() ? main : main + " -- " + out;
}

const char* WorkType(const MarcRecord& marc) {
  char type = marc.LeaderAt(6), level = marc.LeaderAt(7);
  if (marc.First("502")) return vocab::kThesis;
  if (level == 's') return vocab::kPeriodical;
  if (level == 'a' || level == 'b') {
    if (const MarcField* host = marc.First("773")) {
      if (!host->Sub('x').empty() || level == 'b')
        return vocab::kJournalArticle;
      return vocab::kBookChapter;
    }
    return vocab::kJournalArticle;
  }
  if (level == 'm' && (type == 'a' || type == 't')) return vocab::kBook;
  if (type == 'm') return vocab::kComputerProgram;
  return vocab::kExpression;
}

// The title of a record without a usable 245: the first of 246 ($a $b),
// 240, 130 ($a … $p) and 740 ($a $n $p) that has one, with the tag it came
// from; empty when none has.
std::string FallbackTitle(const MarcRecord& marc, std::string* tag) {
  static constexpr std::pair<const char*, const char*> kFallbacks[] = {
      {"246", "abnp"},
      {"240", "adfklmnoprs"},
      {"130", "adfklmnoprs"},
      {"740", "anp"}};
  for (const auto& [t, codes] : kFallbacks) {
    for (const MarcField* f : marc.All(t)) {
      std::string title = TrimIsbd(f->Join(codes));
      if (!title.empty()) {
        *tag = t;
        return title;
      }
    }
  }
  return "";
}

// 245 as the title ($a $k, ": " $b, ". " $n $p); 246, 130 and 240 as
// alternative titles. A record without a 245 title takes its title from
// 246, 240, 130 or 740, with a warning. False (and the record failed) when
// none of them has a title.
bool ReadTitles(const MarcRecord& marc, BibItem* item, Record* rec) {
  const MarcField* f245 = marc.First("245");
  if (f245) {
    std::string a = TrimIsbd(f245->Join("ak"));
    std::string b = TrimIsbd(f245->Sub('b'));
    std::string np = TrimIsbd(f245->Join("np"));
    item->title = a;
    if (!b.empty()) item->title += (item->title.empty() ? "" : ": ") + b;
    if (!np.empty()) item->title += (item->title.empty() ? "" : ". ") + np;
  }
  std::string from;
  if (item->title.empty()) {
    item->title = FallbackTitle(marc, &from);
    std::string missing = f245 ? "field 245 has no title ($a, $b, $k, $n or $p)"
                               : "no field 245 (title statement)";
    if (item->title.empty()) {
      rec->Fail("245", missing + ", and no title in 246, 240, 130 or 740");
      return false;
    }
    rec->Warn("245", absl::StrCat(missing, "; title taken from ", from));
    item->title_field = from;
  }
  for (const char* tag : {"246", "130", "240"}) {
    for (const MarcField* f : marc.All(tag)) {
      std::string t = TrimIsbd(f->Join("ab"));
      if (!t.empty() && t != item->title) item->alt_titles.push_back(t);
    }
  }
  return true;
}

// 008: date 1 (07-10) and language (35-37); 041 $a when 008 names none.
void ReadDateAndLanguage(const MarcRecord& marc, BibItem* item) {
  std::string lang3;
  if (const MarcField* f008 = marc.First("008");
      f008 && f008->data.size() >= 38) {
    std::string_view d = f008->data;
    if (IsDigits(d.substr(7, 4))) {
      int year = static_cast<int>(ToNumber(d.substr(7, 4)));
      if (year > 0) item->date = text::Date{year, 0, 0};
    }
    lang3 = std::string(d.substr(35, 3));
  }
  if (const MarcField* f041 = marc.First("041")) {
    std::string_view a = f041->Sub('a');
    if (lang3.empty() || lang3 == "   " || lang3 == "|||" || lang3 == "und")
      lang3 = std::string(a.substr(0, 3));
  }
  if (!lang3.empty() && lang3 != "   " && lang3 != "|||") {
    item->lang = text::ToIso639_1(lang3);
  }
}

// ISBNs (020), ISSNs (022), the DOI (024 with $2 doi), the LCCN (010) and
// system control numbers (035).
void ReadIdentifiers(const MarcRecord& marc, BibItem* item) {
  for (const MarcField* f : marc.All("020")) {
    for (std::string_view v : f->All('a')) item->isbns.emplace_back(v);
  }
  for (const MarcField* f : marc.All("022")) {
    for (std::string_view v : f->All('a')) item->issns.emplace_back(v);
  }
  for (const MarcField* f : marc.All("024")) {
    if (f->ind1 == '7' && base::EqualsIgnoreCase(f->Sub('2'), "doi") &&
        item->doi.empty()) {
      item->doi = std::string(f->Sub('a'));
    }
  }
  if (const MarcField* f010 = marc.First("010")) {
    std::string lccn = text::CollapseSpace(f010->Sub('a'));
    if (!lccn.empty()) item->identifiers.push_back("LCCN " + lccn);
  }
  for (const MarcField* f : marc.All("035")) {
    std::string v = text::CollapseSpace(f->Sub('a'));
    if (!v.empty()) item->identifiers.push_back(v);
  }
}

// Main (100/110/111) and added (700/710/711) entries as agents, in field
// order, with their relator terms and codes; added entries with $t name a
// related work and are left out.
void ReadAgents(const MarcRecord& marc, BibItem* item) {
  for (const MarcField& f : marc.fields) {
    bool main = f.tag == "100" || f.tag == "110" || f.tag == "111";
    bool added = f.tag == "700" || f.tag == "710" || f.tag == "711";
    if (!main && !added) continue;
    if (added && !f.Sub('t').empty()) continue;  // a related work
    Agent a;
    a.field = f.tag;
    a.corporate = f.tag[1] != '0';
    a.name = TrimIsbd(a.corporate ? f.Join("ab") : f.Sub('a'));
    if (a.name.empty()) continue;
    for (std::string_view e : f.All(f.tag[2] == '1' ? 'j' : 'e'))
      a.relators.push_back(TrimIsbd(e));
    for (std::string_view c : f.All('4')) {
      std::string code = text::CollapseSpace(c);
      // $4 may hold a relator URI.
      if (size_t slash = code.rfind('/'); slash != std::string::npos)
        code = code.substr(slash + 1);
      a.relators.push_back(code);
    }
    a.creator = main || a.relators.empty();
    ReadAuthority(f, &a);
    item->agents.push_back(std::move(a));
  }
}

// Edition (250), publication (264 with second indicator 1, else 260: place,
// publisher, the year when 008 gave none), extent (300) and series (490,
// 830).
void ReadPublication(const MarcRecord& marc, BibItem* item) {
  if (const MarcField* f250 = marc.First("250"))
    item->edition = TrimIsbd(f250->Join("ab"));
  const MarcField* pub = nullptr;
  for (const MarcField* f : marc.All("264")) {
    if (f->ind2 == '1') {
      pub = f;
      break;
    }
  }
  if (!pub) pub = marc.First("260");
  if (pub) {
    item->place = TrimIsbd(pub->Sub('a'));
    item->publisher = TrimIsbd(pub->Sub('b'));
    if (!item->date) {
      if (std::optional<int> y = FirstYear(pub->Sub('c'))) {
        item->date = text::Date{*y, 0, 0};
      }
    }
  }
  for (const MarcField* f : marc.All("300")) {
    std::string e = TrimIsbd(f->Join("abc"));
    if (!e.empty()) {
      item->extent = e;
      break;
    }
  }
  for (const char* tag : {"490", "830"}) {
    for (const MarcField* f : marc.All(tag)) {
      std::string s = TrimIsbd(f->Sub('a'));
      if (!s.empty() && std::find(item->series.begin(), item->series.end(),
                                  s) == item->series.end()) {
        item->series.push_back(s);
      }
    }
  }
}

// General notes (500), the summary (520, paragraphs joined) and funding
// information (536).
void ReadNotes(const MarcRecord& marc, BibItem* item) {
  for (const MarcField* f : marc.All("500")) {
    std::string n = text::CollapseSpace(f->Sub('a'));
    if (!n.empty()) item->notes.push_back(n);
  }
  for (const MarcField* f : marc.All("520")) {
    std::string a = text::CollapseSpace(f->Join("ab"));
    if (a.empty()) continue;
    if (!item->abstract.empty()) item->abstract += "\n\n";
    item->abstract += a;
  }
  for (const MarcField* f : marc.All("536")) {
    FundingNote n;
    n.field = "536";
    n.text = f->Join("abcdefgh");
    n.funder = TrimIsbd(f->Sub('a'));
    for (char c : {'c', 'b', 'd'}) {
      if (n.grant.empty()) n.grant = TrimIsbd(f->Sub(c));
    }
    n.project = TrimIsbd(f->Sub('f'));
    item->funding.push_back(std::move(n));
  }
}

// Subject headings (600, 610, 611, 630, 650, 651, 655) with their scheme
// and authority; uncontrolled terms (653) as plain labels.
void ReadSubjects(const MarcRecord& marc, BibItem* item) {
  for (const MarcField& f : marc.fields) {
    if (!(f.tag == "600" || f.tag == "610" || f.tag == "611" ||
          f.tag == "630" || f.tag == "650" || f.tag == "651" ||
          f.tag == "653" || f.tag == "655")) {
      continue;
    }
    if (f.tag == "653") {
      for (std::string_view a : f.All('a'))
        item->subjects.push_back({TrimIsbd(a), "", "", false});
      continue;
    }
    SubjectTerm s;
    s.label = SubjectLabel(f);
    s.scheme = SubjectScheme(f);
    s.authority = text::CollapseSpace(f.Sub('0'));
    s.place = f.tag == "651";
    if (!s.label.empty()) item->subjects.push_back(std::move(s));
  }
}

// The host item (773): its title, ISSNs and the enumeration in $g (whose
// year dates the record when nothing else did); an unreadable $g warns.
void ReadHost(const MarcRecord& marc, BibItem* item, Record* rec) {
  const MarcField* f773 = marc.First("773");
  if (!f773) return;
  item->host_title = TrimIsbd(f773->Sub('t'));
  if (item->host_title.empty()) item->host_title = TrimIsbd(f773->Sub('a'));
  for (std::string_view x : f773->All('x')) item->host_issns.emplace_back(x);
  std::string g = text::CollapseSpace(f773->Join("g"));
  if (g.empty()) return;
  absl::StatusOr<text::Enumeration> e = text::ParseEnumeration(g);
  if (e.ok()) {
    item->enumeration = *e;
    if (!item->date && e->year) item->date = text::Date{*e->year, 0, 0};
  } else {
    rec->Warn("773 $g", std::string(e.status().message()));
  }
}

// Links (856 $u); a doi.org link is the DOI when 024 gave none.
void ReadLinks(const MarcRecord& marc, BibItem* item) {
  for (const MarcField* f : marc.All("856")) {
    for (std::string_view u : f->All('u')) {
      std::string url = text::CollapseSpace(u);
      if (url.empty()) continue;
      if (item->doi.empty() && base::ContainsIgnoreCase(url, "doi.org/10.")) {
        item->doi = url;
        item->doi_field = "856 $u";
      }
      item->urls.push_back(url);
    }
  }
}

}  // namespace

Record MapBibliographic(const MarcRecord& marc, Record rec) {
  BibItem item;
  item.type = WorkType(marc);
  item.title_field = "245";
  item.doi_field = "024";
  item.isbn_field = "020";
  item.issn_field = "022";
  if (!ReadTitles(marc, &item, &rec)) return rec;
  ReadDateAndLanguage(marc, &item);
  ReadIdentifiers(marc, &item);
  ReadAgents(marc, &item);
  ReadPublication(marc, &item);
  ReadNotes(marc, &item);
  ReadSubjects(marc, &item);
  ReadHost(marc, &item, &rec);
  ReadLinks(marc, &item);
  MapBibItem(item, &rec);
  return rec;
}

Record MapAuthority(const MarcRecord& marc, Record rec) {
  const MarcField* f001 = marc.First("001");
  const MarcField* f003 = marc.First("003");
  std::string authority_id;
  if (f001 && !text::CollapseSpace(f001->data).empty()) {
    std::string org = f003 ? text::CollapseSpace(f003->data) : "";
    authority_id = org.empty() ? text::CollapseSpace(f001->data)
                               : absl::StrCat("(", org, ")",
                                              text::CollapseSpace(f001->data));
  }
  for (const MarcField& f : marc.fields) {
    std::string_view tag = f.tag;
    if (tag.size() != 3 || tag[0] != '1') continue;
    std::string node;
    const char* alt_tag = nullptr;
    if (tag == "100") {
      std::optional<text::PersonName> n =
          text::ParsePersonName(TrimIsbd(f.Sub('a')));
      if (!n) continue;
      node = AddPerson(&rec, *n);
      alt_tag = "400";
    } else if (tag == "110" || tag == "111") {
      std::string name = TrimIsbd(f.Join("ab"));
      if (name.empty()) continue;
      node = text::MintIri("organization", text::MatchKey(name));
      rec.AddIri(node, vocab::kRdfType, vocab::kOrganization);
      rec.AddLiteral(node, vocab::kName, name);
      alt_tag = tag == "110" ? "410" : "411";
    } else if (tag == "150" || tag == "151" || tag == "155") {
      std::string label = SubjectLabel(f);
      if (label.empty()) continue;
      node = AddConcept(&rec, label, "");
      alt_tag = tag == "150" ? "450" : tag == "151" ? "451" : "455";
    } else {
      continue;
    }
    rec.AddLiteral(node, vocab::kAuthorityId, authority_id);
    for (const MarcField* alt : marc.All(alt_tag)) {
      std::string label = alt->tag == "400" ? TrimIsbd(alt->Sub('a'))
                                            : TrimIsbd(alt->Join("ab"));
      rec.AddLiteral(node, vocab::kAltLabel, label);
    }
    return rec;
  }
  rec.Fail("1XX",
           "authority record has no heading (100, 110, 111, 150, 151 "
           "or 155)");
  return rec;
}

}  // namespace bibkg::indexer::marc_internal
