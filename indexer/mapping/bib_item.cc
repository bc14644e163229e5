#include "indexer/mapping/bib_item.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/strings.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// Crossref Funder Registry ids of funders whose names appear in notes.
struct KnownFunder {
  const char* iri;
  const char* name;
  std::vector<const char*> spellings;  // matched on MatchKey, as words
};
const std::vector<KnownFunder>& KnownFunders() {
  static const auto* funders = new std::vector<KnownFunder>{
      {"https://doi.org/10.13039/501100005416",
       "Research Council of Norway",
       {"norges forskningsrad", "research council of norway", "nfr", "rcn",
        "forskningsradet"}},
      {"https://doi.org/10.13039/501100000780",
       "European Commission",
       {"european commission", "horizon 2020", "h2020", "fp7", "european union",
        "horizon europe", "erc"}},
      {"https://doi.org/10.13039/100000001",
       "National Science Foundation",
       {"national science foundation", "nsf"}},
      {"https://doi.org/10.13039/501100001659",
       "Deutsche Forschungsgemeinschaft",
       {"deutsche forschungsgemeinschaft", "dfg",
        "german research foundation"}},
      {"https://doi.org/10.13039/100014013",
       "UK Research and Innovation",
       {"uk research and innovation", "ukri"}},
      {"https://doi.org/10.13039/100000002",
       "National Institutes of Health",
       {"national institutes of health", "nih"}},
  };
  return *funders;
}

// " key " contains " word " (both match keys).
bool HasWords(const std::string& padded_key, std::string_view words) {
  return padded_key.find(absl::StrCat(" ", std::string(words), " ")) !=
         std::string::npos;
}

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

}  // namespace

std::string KnownFunderIri(std::string_view text) {
  std::string key = absl::StrCat(" ", text::MatchKey(text), " ");
  for (const KnownFunder& f : KnownFunders()) {
    for (const char* s : f.spellings) {
      if (HasWords(key, s)) return f.iri;
    }
  }
  return "";
}

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

FundingNote FundingText(std::string text, std::string field, bool free_text) {
  FundingNote n;
  n.text = std::move(text);
  n.field = std::move(field);
  n.free_text = free_text;
  return n;
}

std::string ProjectIri(std::string_view funder_key, std::string_view grant) {
  return text::MintIri("project", absl::StrCat(std::string(funder_key), "|",
                                               text::MatchKey(grant)));
}

void MapBibItem(const BibItem& item, Record* rec) {
  std::string title = text::CollapseSpace(item.title);
  if (title.empty()) {
    rec->Fail(item.title_field, "the record has no title");
    return;
  }
  // Identifiers first: they name the work.
  std::string doi;
  if (!item.doi.empty()) {
    absl::StatusOr<std::string> d = text::NormalizeDoi(item.doi);
    if (d.ok()) {
      doi = *d;
    } else {
      rec->Warn(item.doi_field, std::string(d.status().message()));
    }
  }
  std::vector<std::string> isbn13s, bad_isbns;
  for (const std::string& text : item.isbns) {
    absl::StatusOr<text::Isbn> i = text::ParseIsbn(text);
    if (!i.ok()) {
      rec->Warn(item.isbn_field, std::string(i.status().message()));
    } else if (!i->check_digit_ok) {
      bad_isbns.push_back(i->as_written);
      rec->Warn(item.isbn_field,
                absl::StrCat("ISBN ", i->as_written,
                             " has a wrong check digit; kept as "
                             "bibkg:invalidIsbn, not used for linking"));
    } else if (std::find(isbn13s.begin(), isbn13s.end(), i->isbn13) ==
               isbn13s.end()) {
      isbn13s.push_back(i->isbn13);
    }
  }
  std::string first_family;
  for (const Agent& a : item.agents) {
    if (!a.creator || a.corporate) continue;
    if (auto n = text::ParsePersonName(a.name)) first_family = n->family;
    break;
  }
  std::optional<int> year;
  if (item.date) year = item.date->year;
  std::string work;
  if (!doi.empty()) {
    work = text::DoiIri(doi);
  } else if (!isbn13s.empty()) {
    work = "urn:isbn:" + isbn13s.front();
  } else {
    work = WorkIri("", title, year, first_family);
  }

  rec->AddIri(work, vocab::kRdfType,
              item.type ? item.type : vocab::kExpression);
  AddWorkTitle(rec, work, title, item.lang);
  for (const std::string& alt : item.alt_titles)
    rec->AddLiteral(work, vocab::kAlternative, text::CollapseSpace(alt),
                    item.lang);
  rec->AddLiteral(work, vocab::kDoi, doi);
  for (const std::string& i : isbn13s) rec->AddLiteral(work, vocab::kIsbn13, i);
  for (const std::string& i : bad_isbns)
    rec->AddLiteral(work, vocab::kInvalidIsbn, i);
  rec->AddIri(work, vocab::kLanguage, LanguageIri(item.lang));
  if (item.date) {
    rec->AddTyped(work, vocab::kIssued, item.date->Iso(), item.date->XsdType());
  }
  for (const Agent& a : item.agents) AddAgent(rec, a, work);

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
  for (const std::string& s : item.series) {
    std::string name = text::CollapseSpace(s);
    if (name.empty()) continue;
    std::string series = text::MintIri("series", text::MatchKey(name));
    rec->AddIri(series, vocab::kRdfType, vocab::kBookSeries);
    rec->AddLiteral(series, vocab::kTitle, name);
    rec->AddIri(work, vocab::kIsPartOf, series);
  }

  // ISSNs: of the host journal when there is one, else of the work itself
  // (a serial).
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

  // Funding: a link to the project named by funder + grant number, with the
  // confidence of the match (docs/schema.md, "Funding links"). Grant numbers
  // are read with each council's grammar (FindGrantNumbers). A bare number is
  // linked only when the record names a funder whose numbers have its shape,
  // never when the funder named disagrees.
  struct Link {
    std::string funder, number, evidence;
    double confidence;
  };
  std::vector<Link> links;
  auto keep = [&](Link l) {
    for (Link& x : links) {
      if (x.funder == l.funder && x.number == l.number) {
        if (l.confidence > x.confidence) x = std::move(l);
        return;
      }
    }
    links.push_back(std::move(l));
  };
  std::vector<std::string> record_schemes;
  for (const FundingNote& f : item.funding) {
    for (std::string& s : text::NamedGrantSchemes(f.funder + " " + f.text)) {
      if (std::find(record_schemes.begin(), record_schemes.end(), s) ==
          record_schemes.end()) {
        record_schemes.push_back(std::move(s));
      }
    }
  }
  for (const FundingNote& f : item.funding) {
    std::string text = text::CollapseSpace(f.text);
    if (!f.free_text) rec->AddLiteral(work, vocab::kFundingNote, text);
    std::string number =
        text::CollapseSpace(!f.grant.empty() ? f.grant : f.project);
    bool linked = false;
    // The funder the fields name, when they name one.
    const std::string note_funder =
        !f.funder_iri.empty()
            ? f.funder_iri
            : (f.funder.empty() ? std::string() : KnownFunderIri(f.funder));
    for (const text::GrantNumber& g : text::FindGrantNumbers(f.text)) {
      if (g.strong) {
        // A shape-only match is not taken against a funder the fields name
        // otherwise.
        if (g.confidence == text::kShapeConfidence && !f.free_text &&
            (!f.funder.empty() || !f.funder_iri.empty()) &&
            note_funder != text::GrantSchemeFunder(g.scheme)) {
          std::vector<std::string> named = text::NamedGrantSchemes(f.funder);
          if (std::find(named.begin(), named.end(), g.scheme) == named.end())
            continue;
        }
        // The number the funder/award fields give: as sure as it gets.
        bool from_fields = !f.free_text && !number.empty() &&
                           number.find(g.number) != std::string::npos;
        keep({text::GrantSchemeFunder(g.scheme), g.number, text,
              from_fields ? text::kFieldConfidence : g.confidence});
        linked = true;
        continue;
      }
      std::vector<std::string> fitting;
      for (const std::string& s : record_schemes) {
        if (text::FitsGrantScheme(s, g.number)) fitting.push_back(s);
      }
      if (fitting.size() == 1) {
        keep({text::GrantSchemeFunder(fitting[0]), g.number, text,
              text::kBareNumberFunderElsewhereConfidence});
        linked = true;
      } else if (!f.free_text && !record_schemes.empty() && fitting.empty()) {
        rec->Warn(f.field, absl::StrCat("number ", g.number,
                                        " does not have the shape of the "
                                        "named funder's grant numbers; not "
                                        "linked"));
      }
    }
    if (linked || f.free_text || number.empty()) continue;
    // The funder the fields name (found above), else one the text names.
    std::string funder = !f.funder.empty() || !f.funder_iri.empty()
                             ? note_funder
                             : KnownFunderIri(f.text);
    if (!f.funder_iri.empty())
      rec->AddLiteral(funder, vocab::kName, text::CollapseSpace(f.funder));
    if (funder.empty() && f.funder.empty()) {
      rec->Warn(f.field, absl::StrCat("grant number \"", number,
                                      "\" without a funder; not linked"));
      continue;
    }
    if (funder.empty()) {
      // A funder without a grammar of its own: named by its name, the
      // number as written.
      funder = text::MintIri("organization", text::MatchKey(f.funder));
      rec->AddLiteral(funder, vocab::kName, text::CollapseSpace(f.funder));
    }
    keep({funder, number, text, text::kFieldConfidence});
  }
  for (const Link& l : links)
    AddFundingLink(rec, work, l.funder, l.number, l.confidence, l.evidence);
}

namespace {

// The sentence of `text` that holds `number`, at most ~200 bytes either
// side of it, cut at character boundaries.
std::string EvidenceFor(std::string_view text, std::string_view number) {
  auto boundary = [&](size_t i) {
    while (i > 0 && i < text.size() &&
           (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      --i;
    }
    return i;
  };
  size_t at = text.find(number);
  if (at == std::string_view::npos) at = 0;
  size_t begin = text.rfind(". ", at);
  begin = begin == std::string_view::npos ? 0 : begin + 2;
  size_t end = text.find(". ", at + number.size());
  end = end == std::string_view::npos ? text.size() : end + 1;
  if (at - begin > 200) begin = boundary(at - 200);
  if (end - at > 200 + number.size()) end = boundary(at + 200 + number.size());
  return text::CollapseSpace(text.substr(begin, end - begin));
}

}  // namespace

void AddFundingLink(Record* rec, const std::string& work,
                    const std::string& funder, const std::string& number,
                    double confidence, std::string_view evidence) {
  rec->AddIri(funder, vocab::kRdfType, vocab::kFundingAgency);
  std::string project = ProjectIri(funder, number);
  rec->AddIri(project, vocab::kRdfType, vocab::kProject);
  rec->AddIri(project, vocab::kIsFundedBy, funder);
  rec->AddLiteral(project, vocab::kHasGrantNumber, number);
  rec->AddIri(work, vocab::kIsFundedBy, project);
  std::string node =
      text::MintIri("funding-link", absl::StrCat(work, "|", project));
  rec->AddIri(work, vocab::kFundingLink, node);
  rec->AddIri(node, vocab::kRdfType, vocab::kFundingLinkClass);
  rec->AddIri(node, vocab::kLinkProject, project);
  rec->AddTyped(node, vocab::kConfidence, absl::StrFormat("%.1f", confidence),
                vocab::kXsdDecimal);
  rec->AddLiteral(node, vocab::kEvidence, EvidenceFor(evidence, number));
}

}  // namespace bibkg::indexer
