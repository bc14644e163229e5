#include "indexer/mapping/bib_item.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// MARC relator terms as catalogers write them, to relator codes.
std::string RelatorCode(std::string_view term) {
  std::string t = text::MatchKey(term);
  static const std::pair<const char*, const char*> kTerms[] = {
      {"author", "aut"},      {"aut", "aut"},
      {"verfasser", "aut"},   {"forfatter", "aut"},
      {"editor", "edt"},      {"ed", "edt"},
      {"eds", "edt"},         {"edt", "edt"},
      {"herausgeber", "edt"}, {"hrsg", "edt"},
      {"redaktor", "edt"},    {"translator", "trl"},
      {"tr", "trl"},          {"trans", "trl"},
      {"trl", "trl"},         {"ubersetzer", "trl"},
      {"illustrator", "ill"}, {"ill", "ill"},
      {"compiler", "com"},    {"comp", "com"},
      {"com", "com"},         {"contributor", "ctb"},
      {"ctb", "ctb"},         {"thesis advisor", "ths"},
      {"ths", "ths"},         {"degree supervisor", "dgs"},
      {"dgs", "dgs"},         {"composer", "cmp"},
      {"cmp", "cmp"},         {"performer", "prf"},
      {"prf", "prf"},         {"publisher", "pbl"},
      {"pbl", "pbl"},         {"photographer", "pht"},
      {"pht", "pht"},         {"writer of introduction", "win"},
      {"win", "win"},         {"issuing body", "isb"},
      {"isb", "isb"},         {"sponsor", "spn"},
      {"spn", "spn"},         {"funder", "fnd"},
      {"fnd", "fnd"},
  };
  for (const auto& [name, code] : kTerms) {
    if (t == name) return code;
  }
  return "";
}

// Adds the agent's node (an organization, an ORCID-named or a minted
// person) and its role on `work`; returns its IRI, empty when a person's
// name does not parse.
std::string AddAgent(Record* rec, const Agent& a, const std::string& work) {
  std::string iri;
  std::string orcid;
  if (!a.orcid.empty()) {
    absl::StatusOr<std::string> o = text::ParseOrcid(a.orcid);
    if (o.ok()) {
      orcid = *o;
    } else {
      rec->Warn(a.field, absl::StrCat(o.status().message(),
                                      "; not used to identify ", a.name));
    }
  }
  if (a.corporate) {
    iri = text::MintIri("organization", text::MatchKey(a.name));
    rec->AddIri(iri, vocab::kRdfType, vocab::kOrganization);
    rec->AddLiteral(iri, vocab::kName, text::CollapseSpace(a.name));
  } else {
    std::optional<text::PersonName> n = text::ParsePersonName(a.name);
    if (!n) return "";
    if (!orcid.empty()) {
      iri = "https://orcid.org/" + orcid;
      rec->AddIri(iri, vocab::kRdfType, vocab::kPerson);
      rec->AddLiteral(iri, vocab::kName, n->Display());
      rec->AddLiteral(iri, vocab::kFamilyName, n->family);
      rec->AddLiteral(iri, vocab::kGivenName, n->given);
    } else {
      iri = AddPerson(rec, *n);
    }
  }
  rec->AddLiteral(iri, vocab::kAuthorityId, a.authority);
  bool creator = a.creator;
  for (const std::string& r : a.relators) {
    std::string code =
        r.size() == 3 && absl::AsciiStrToLower(r) == r ? r : RelatorCode(r);
    if (code.empty()) continue;
    rec->AddIri(work, absl::StrCat(vocab::kRelators, code).c_str(), iri);
    if (code == "aut") creator = true;
  }
  rec->AddIri(work, creator ? vocab::kCreator : vocab::kContributor, iri);
  return iri;
}

// The identifiers that name a work, checked: its DOI (normalized, empty
// when missing or invalid), its ISBN-13s and the ISBNs with a wrong check
// digit. Warns about each invalid one.
struct WorkIds {
  std::string doi;
  std::vector<std::string> isbn13s;
  std::vector<std::string> bad_isbns;
};
WorkIds CheckIdentifiers(const BibItem& item, Record* rec) {
  WorkIds ids;
  if (!item.doi.empty()) {
    absl::StatusOr<std::string> d = text::NormalizeDoi(item.doi);
    if (d.ok()) {
      ids.doi = *d;
    } else {
      rec->Warn(item.doi_field, std::string(d.status().message()));
    }
  }
  for (const std::string& text : item.isbns) {
    absl::StatusOr<text::Isbn> i = text::ParseIsbn(text);
    if (!i.ok()) {
      rec->Warn(item.isbn_field, std::string(i.status().message()));
    } else if (!i->check_digit_ok) {
      ids.bad_isbns.push_back(i->as_written);
      rec->Warn(item.isbn_field,
                absl::StrCat("ISBN ", i->as_written,
                             " has a wrong check digit; kept as "
                             "bibkg:invalidIsbn, not used for linking"));
    } else if (std::find(ids.isbn13s.begin(), ids.isbn13s.end(), i->isbn13) ==
               ids.isbn13s.end()) {
      ids.isbn13s.push_back(i->isbn13);
    }
  }
  return ids;
}

// The work's IRI: its DOI, else its first ISBN-13, else minted from the
// title, the year and the first creator's family name.
std::string WorkIriOf(const BibItem& item, const WorkIds& ids,
                      const std::string& title) {
  if (!ids.doi.empty()) return text::DoiIri(ids.doi);
  if (!ids.isbn13s.empty()) return "urn:isbn:" + ids.isbn13s.front();
  std::string first_family;
  for (const Agent& a : item.agents) {
    if (!a.creator || a.corporate) continue;
    if (auto n = text::ParsePersonName(a.name)) first_family = n->family;
    break;
  }
  std::optional<int> year;
  if (item.date) year = item.date->year;
  return WorkIri("", title, year, first_family);
}

// The work's class, titles, identifiers, language and date.
void AddTitlesAndIdentifiers(const BibItem& item, const WorkIds& ids,
                             const std::string& title, const std::string& work,
                             Record* rec) {
  rec->AddIri(work, vocab::kRdfType,
              item.type ? item.type : vocab::kExpression);
  AddWorkTitle(rec, work, title, item.lang);
  for (const std::string& alt : item.alt_titles)
    rec->AddLiteral(work, vocab::kAlternative, text::CollapseSpace(alt),
                    item.lang);
  rec->AddLiteral(work, vocab::kDoi, ids.doi);
  for (const std::string& i : ids.isbn13s)
    rec->AddLiteral(work, vocab::kIsbn13, i);
  for (const std::string& i : ids.bad_isbns)
    rec->AddLiteral(work, vocab::kInvalidIsbn, i);
  rec->AddIri(work, vocab::kLanguage, LanguageIri(item.lang));
  if (item.date) {
    rec->AddTyped(work, vocab::kIssued, item.date->Iso(), item.date->XsdType());
  }
}

// Publication details and descriptive text: publisher, place, edition,
// extent, abstract, notes, URLs and other identifiers.
void AddDescription(const BibItem& item, const std::string& work, Record* rec) {
  rec->AddLiteral(work, vocab::kPublisher, text::CollapseSpace(item.publisher));
  rec->AddLiteral(work, vocab::kHasPlaceOfPublication,
                  text::CollapseSpace(item.place));
  rec->AddLiteral(work, vocab::kEdition, text::CollapseSpace(item.edition));
  rec->AddLiteral(work, vocab::kExtent, text::CollapseSpace(item.extent));
  rec->AddLiteral(work, vocab::kAbstract, item.abstract, item.lang);
  for (const std::string& n : item.notes)
    rec->AddLiteral(work, vocab::kNote, n, item.lang);
  for (const std::string& u : item.urls)
    rec->AddTyped(work, vocab::kHasUrl, text::CollapseSpace(u),
                  vocab::kXsdAnyUri);
  for (const std::string& id : item.identifiers)
    rec->AddLiteral(work, vocab::kIdentifier, text::CollapseSpace(id));
}

// Subject concepts (in their scheme, when named) and places.
void AddSubjects(const BibItem& item, const std::string& work, Record* rec) {
  for (const SubjectTerm& s : item.subjects) {
    std::string label = text::CollapseSpace(s.label);
    if (label.empty()) continue;
    std::string concept_iri = AddConcept(rec, label, "");
    if (!s.scheme.empty()) {
      std::string scheme = text::MintIri("scheme", text::MatchKey(s.scheme));
      rec->AddIri(concept_iri, vocab::kInScheme, scheme);
      rec->AddLiteral(scheme, vocab::kNotation, s.scheme);
    }
    rec->AddLiteral(concept_iri, vocab::kAuthorityId, s.authority);
    rec->AddIri(work, vocab::kSubject, concept_iri);
    if (s.place) rec->AddIri(work, vocab::kSpatial, concept_iri);
  }
}

// The book series the work is part of, one node per series title.
void AddSeries(const BibItem& item, const std::string& work, Record* rec) {
  for (const std::string& s : item.series) {
    std::string name = text::CollapseSpace(s);
    if (name.empty()) continue;
    std::string series = text::MintIri("series", text::MatchKey(name));
    rec->AddIri(series, vocab::kRdfType, vocab::kBookSeries);
    rec->AddLiteral(series, vocab::kTitle, name);
    rec->AddIri(work, vocab::kIsPartOf, series);
  }
}

// The host (journal) with its ISSNs, the work's own ISSNs (a serial), and
// the work's volume, issue and pages.
void AddHostAndEnumeration(const BibItem& item, const std::string& work,
                           Record* rec) {
  std::vector<text::Issn> host_issns, own_issns;
  for (const std::string& text : item.host_issns) {
    for (const text::Issn& i : text::FindIssns(text)) host_issns.push_back(i);
  }
  for (const std::string& text : item.issns) {
    std::vector<text::Issn> found = text::FindIssns(text);
    if (found.empty())
      rec->Warn(item.issn_field, absl::StrCat("no ISSN in \"", text, "\""));
    for (const text::Issn& i : found) own_issns.push_back(i);
  }
  bool has_host = !item.host_title.empty() || !host_issns.empty();
  if (has_host) {
    std::string journal = JournalIri(host_issns, item.host_title,
                                     item.host_type ? "host" : "journal");
    rec->AddIri(journal, vocab::kRdfType,
                item.host_type ? item.host_type : vocab::kJournal);
    rec->AddLiteral(journal, vocab::kTitle,
                    text::CollapseSpace(item.host_title));
    for (const text::Issn& i : host_issns)
      AddIssn(rec, journal, i, item.issn_field);
    rec->AddIri(work, vocab::kIsPartOf, journal);
  }
  for (const text::Issn& i : own_issns) AddIssn(rec, work, i, item.issn_field);
  const text::Enumeration& e = item.enumeration;
  rec->AddLiteral(work, vocab::kVolume, e.volume);
  rec->AddLiteral(work, vocab::kIssue, e.issue);
  rec->AddLiteral(work, vocab::kPageStart, e.page_start);
  rec->AddLiteral(work, vocab::kPageEnd, e.page_end);
}

}  // namespace

void AddCitationStub(Record* rec, const std::string& work,
                     const std::string& said) {
  std::string text = text::CollapseSpace(said);
  std::string key = text::MatchKey(text);
  if (key.empty()) return;
  std::string stub = text::MintIri("stub", "reference|" + key);
  rec->AddIri(stub, vocab::kRdfType, vocab::kUnresolved);
  rec->AddLiteral(stub, vocab::kBibliographicCitation, text);
  rec->AddIri(work, vocab::kCites, stub);
}

void MapBibItem(const BibItem& item, Record* rec) {
  std::string title = text::CollapseSpace(item.title);
  if (title.empty()) {
    rec->Fail(item.title_field, "the record has no title");
    return;
  }
  // Identifiers first: they name the work.
  const WorkIds ids = CheckIdentifiers(item, rec);
  const std::string work = WorkIriOf(item, ids, title);
  AddTitlesAndIdentifiers(item, ids, title, work, rec);
  for (const Agent& a : item.agents) AddAgent(rec, a, work);
  AddDescription(item, work, rec);
  AddSubjects(item, work, rec);
  AddSeries(item, work, rec);
  AddHostAndEnumeration(item, work, rec);
  AddFundingNotes(item.funding, work, rec);
}

}  // namespace bibkg::indexer
