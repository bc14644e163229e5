#include "indexer/mapping/mapping.h"

#include "absl/strings/str_cat.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {

std::string WorkIri(const std::string& doi, std::string_view title,
                    std::optional<int> year, std::string_view first_family) {
  if (!doi.empty()) return text::DoiIri(doi);
  std::string key =
      absl::StrCat(text::MatchKey(title), "|", year ? absl::StrCat(*year) : "",
                   "|", text::MatchKey(first_family));
  return text::MintIri("work", key);
}

std::string AddPerson(Record* rec, const text::PersonName& name) {
  std::string iri = text::MintIri("person", text::MatchKey(name.Display()));
  rec->AddIri(iri, vocab::kRdfType, vocab::kPerson);
  rec->AddLiteral(iri, vocab::kName, name.Display());
  rec->AddLiteral(iri, vocab::kFamilyName, name.family);
  rec->AddLiteral(iri, vocab::kGivenName, name.given);
  return iri;
}

std::string AddConcept(Record* rec, std::string_view label,
                       std::string_view lang) {
  std::string iri = text::MintIri("concept", text::MatchKey(label));
  rec->AddIri(iri, vocab::kRdfType, vocab::kConcept);
  rec->AddLiteral(iri, vocab::kPrefLabel, label, lang);
  return iri;
}

std::string LanguageIri(std::string_view iso639_1) {
  if (iso639_1.empty()) return "";
  return "http://id.loc.gov/vocabulary/iso639-1/" + std::string(iso639_1);
}

std::string JournalIri(const std::vector<text::Issn>& issns,
                       std::string_view title, std::string_view kind) {
  for (const text::Issn& i : issns) {
    if (i.check_digit_ok) return "urn:issn:" + i.normalized;
  }
  return text::MintIri(kind, text::MatchKey(title));
}

void AddAwardedAmount(Record* rec, const std::string& project,
                      std::string_view text, const std::string& field) {
  absl::StatusOr<text::Amount> a = text::ParseAmount(text);
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
  std::string key = text::MatchKey(title);
  if (key.empty()) return;
  rec->AddLiteral(work, vocab::kMatchKey, key);
  rec->work_iri = work;
  rec->match_key = key;
}

void AddIssn(Record* rec, const std::string& node, const text::Issn& issn,
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
