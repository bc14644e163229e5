#include "indexer/mapping.h"

#include "absl/strings/str_cat.h"
#include "indexer/text.h"
#include "indexer/vocab.h"

namespace bibkg::indexer {

std::string PersonName::Display() const {
  return given.empty() ? family : absl::StrCat(given, " ", family);
}

std::optional<PersonName> ParsePersonName(std::string_view text) {
  std::string t = CollapseSpace(text);
  // Drop a trailing role in brackets: "Hill, Rebecca [Verfasser]".
  if (size_t b = t.find(" ["); b != std::string::npos) t = t.substr(0, b);
  if (size_t b = t.find(" ("); b != std::string::npos) t = t.substr(0, b);
  while (!t.empty() &&
         (t.back() == ',' || t.back() == '.' || t.back() == ';')) {
    t.pop_back();
  }
  if (t.empty()) return std::nullopt;
  PersonName n;
  if (size_t comma = t.find(','); comma != std::string::npos) {
    n.family = CollapseSpace(t.substr(0, comma));
    n.given = CollapseSpace(t.substr(comma + 1));
  } else if (size_t sp = t.rfind(' '); sp != std::string::npos) {
    n.given = t.substr(0, sp);
    n.family = t.substr(sp + 1);
  } else {
    n.family = t;
  }
  if (n.family.empty()) return std::nullopt;
  return n;
}

std::string DoiIri(std::string_view normalized_doi) {
  return "https://doi.org/" + IriEscape(normalized_doi);
}

std::string WorkIri(const std::string& doi, std::string_view title,
                    std::optional<int> year, std::string_view first_family) {
  if (!doi.empty()) return DoiIri(doi);
  std::string key =
      absl::StrCat(MatchKey(title), "|", year ? absl::StrCat(*year) : "", "|",
                   MatchKey(first_family));
  return MintIri("work", key);
}

std::string AddPerson(Record* rec, const PersonName& name) {
  std::string iri = MintIri("person", MatchKey(name.Display()));
  rec->AddIri(iri, vocab::kRdfType, vocab::kPerson);
  rec->AddLiteral(iri, vocab::kName, name.Display());
  rec->AddLiteral(iri, vocab::kFamilyName, name.family);
  rec->AddLiteral(iri, vocab::kGivenName, name.given);
  return iri;
}

std::string AddConcept(Record* rec, std::string_view label,
                       std::string_view lang) {
  std::string iri = MintIri("concept", MatchKey(label));
  rec->AddIri(iri, vocab::kRdfType, vocab::kConcept);
  rec->AddLiteral(iri, vocab::kPrefLabel, label, lang);
  return iri;
}

std::string LanguageIri(std::string_view iso639_1) {
  if (iso639_1.empty()) return "";
  return "http://id.loc.gov/vocabulary/iso639-1/" + std::string(iso639_1);
}

std::string JournalIri(const std::vector<Issn>& issns, std::string_view title,
                       std::string_view kind) {
  for (const Issn& i : issns) {
    if (i.check_digit_ok) return "urn:issn:" + i.normalized;
  }
  return MintIri(kind, MatchKey(title));
}

void AddAwardedAmount(Record* rec, const std::string& project,
                      std::string_view text, const std::string& field) {
  absl::StatusOr<Amount> a = ParseAmount(text);
  if (!a.ok()) {
    rec->Warn(field, std::string(a.status().message()));
    return;
  }
  std::string node = project + "/amount";
  rec->AddIri(project, vocab::kAmount, node);
  rec->AddIri(node, vocab::kRdfType, vocab::kMonetaryAmount);
  rec->AddTyped(node, vocab::kValue, a->value, vocab::kXsdDecimal);
  rec->AddLiteral(node, vocab::kCurrency, a->currency);
}

void AddWorkTitle(Record* rec, const std::string& work, std::string_view title,
                  std::string_view lang) {
  rec->AddLiteral(work, vocab::kTitle, title, lang);
  std::string key = MatchKey(title);
  if (key.empty()) return;
  rec->AddLiteral(work, vocab::kMatchKey, key);
  rec->work_iri = work;
  rec->match_key = key;
}

void AddIssn(Record* rec, const std::string& node, const Issn& issn,
             const std::string& field) {
  if (issn.check_digit_ok) {
    rec->AddLiteral(node, vocab::kIssn, issn.normalized);
  } else {
    rec->AddLiteral(node, vocab::kInvalidIssn, issn.normalized);
    rec->Warn(field, absl::StrCat("ISSN ", issn.normalized,
                                  " has a wrong check digit; kept as "
                                  "bibkg:invalidIssn, not used for linking"));
  }
}

}  // namespace bibkg::indexer
