#include "indexer/readers/projects/project.h"

#include "absl/strings/str_cat.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/projects/project_internal.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace project_internal {

std::optional<text::Date> ReadDate(Record* rec, std::string_view text,
                                   const std::string& field) {
  std::string t = text::CollapseSpace(text);
  if (t.empty()) return std::nullopt;
  // NSF writes MM/DD/YYYY.
  if (t.size() == 10 && t[2] == '/' && t[5] == '/')
    t = absl::StrCat(t.substr(6, 4), "-", t.substr(0, 2), "-", t.substr(3, 2));
  // CORDIS timestamps: "2022-10-08 18:28:27".
  if (t.size() > 10 && t[4] == '-' && t[7] == '-' &&
      (t[10] == ' ' || t[10] == 'T'))
    t.resize(10);
  absl::StatusOr<text::Date> d = text::ParseDate(t);
  if (!d.ok()) {
    rec->Warn(field, absl::StrCat("unreadable date \"", std::string(text),
                                  "\"; not kept"));
    return std::nullopt;
  }
  return *d;
}

}  // namespace project_internal

namespace {

// Languages research-council texts come in, for the detector to pick from.
const std::vector<std::string>& ProjectLanguages() {
  static const auto* langs =
      new std::vector<std::string>{"en", "nb", "nn", "de", "fr", "es", "it",
                                   "nl", "sv", "da", "fi", "pt", "pl"};
  return *langs;
}

std::string OrgIri(const ProjectOrg& o) {
  if (!o.ror.empty()) return "https://ror.org/" + o.ror;
  return text::MintIri("organization", text::MatchKey(o.name));
}

}  // namespace

void MapProject(const ProjectInfo& p, Record* rec) {
  if (p.grant.empty() && p.iri.empty()) {
    rec->Fail(p.grant_field, "the project has no identifier (grant number)");
    return;
  }
  std::string title =
      p.titles.empty() ? "" : text::CollapseSpace(p.titles[0].text);
  if (title.empty()) {
    rec->Fail("title", "the project has no title");
    return;
  }
  const std::vector<std::string>& cands = p.language_candidates.empty()
                                              ? ProjectLanguages()
                                              : p.language_candidates;
  // The record's language: the first description's, given or detected.
  std::string record_lang;
  for (const LangText& d : p.descriptions) {
    record_lang = !d.lang.empty() ? d.lang : text::GuessLanguage(d.text, cands);
    if (!record_lang.empty()) break;
  }
  // Short texts (titles, keywords): a clear guess of English is trusted,
  // otherwise the record's language; long texts are detected.
  auto short_lang = [&](const LangText& t) {
    if (!t.lang.empty()) return t.lang;
    std::string g = text::GuessLanguage(t.text, cands);
    if (g == "en" || record_lang.empty()) return g;
    return record_lang;
  };
  auto long_lang = [&](const LangText& t) {
    if (!t.lang.empty()) return t.lang;
    std::string g = text::GuessLanguage(t.text, cands);
    return g.empty() ? record_lang : g;
  };

  const std::string project =
      !p.iri.empty() ? p.iri : ProjectIri(p.funder_iri, p.grant);
  rec->AddIri(project, vocab::kRdfType, vocab::kProject);
  std::string title_lang = short_lang(p.titles[0]);
  rec->AddLiteral(project, vocab::kTitle, title, title_lang);
  for (size_t i = 1; i < p.titles.size(); ++i) {
    rec->AddLiteral(project, vocab::kTitle,
                    text::CollapseSpace(p.titles[i].text),
                    short_lang(p.titles[i]));
  }
  for (const LangText& t : p.alt_titles) {
    rec->AddLiteral(project, vocab::kAlternative, text::CollapseSpace(t.text),
                    short_lang(t));
  }
  rec->AddLiteral(project, vocab::kHasAcronym, text::CollapseSpace(p.acronym),
                  title_lang);
  rec->AddLiteral(project, vocab::kMatchKey, text::MatchKey(title));
  rec->work_iri = project;
  rec->match_key = text::MatchKey(title);
  rec->AddLiteral(project, vocab::kHasGrantNumber, p.grant);
  if (!p.grant_doi.empty()) {
    rec->AddLiteral(project, vocab::kDoi, p.grant_doi);
    rec->AddLiteral(project, vocab::kIdentifier, p.grant_doi);
  }

  if (!p.funder_iri.empty()) {
    rec->AddIri(p.funder_iri, vocab::kRdfType, vocab::kFundingAgency);
    rec->AddIri(p.funder_iri, vocab::kRdfType, vocab::kOrganization);
    for (const LangText& n : p.funder_names)
      rec->AddLiteral(p.funder_iri, vocab::kName, n.text, n.lang);
    rec->AddLiteral(p.funder_iri, vocab::kRorId, p.funder_ror);
    rec->AddIri(project, vocab::kIsFundedBy, p.funder_iri);
  }
  for (const std::string& name : p.other_funders) {
    std::string n = text::CollapseSpace(name);
    if (n.empty()) continue;
    std::string org = text::MintIri("organization", text::MatchKey(n));
    rec->AddIri(org, vocab::kRdfType, vocab::kFundingAgency);
    rec->AddIri(org, vocab::kRdfType, vocab::kOrganization);
    rec->AddLiteral(org, vocab::kName, n);
    rec->AddIri(project, vocab::kIsFundedBy, org);
  }

  if (!p.programme_code.empty() || !p.programme_label.text.empty()) {
    std::string scheme = text::MintIri(
        "programme",
        absl::StrCat(p.funder_iri, "|",
                     !p.programme_code.empty()
                         ? p.programme_code
                         : text::MatchKey(p.programme_label.text)));
    rec->AddIri(scheme, vocab::kRdfType, vocab::kFundingScheme);
    rec->AddLiteral(scheme, vocab::kNotation, p.programme_code);
    rec->AddLiteral(scheme, vocab::kPrefLabel,
                    text::CollapseSpace(p.programme_label.text),
                    p.programme_label.lang);
    rec->AddIri(project, vocab::kSchemaIsPartOf, scheme);
  }
  for (const std::string& call : p.calls)
    rec->AddLiteral(project, vocab::kHasCallIdentifier,
                    text::CollapseSpace(call));
  rec->AddLiteral(project, vocab::kType, text::CollapseSpace(p.type));

  if (!text::CollapseSpace(p.amount).empty())
    AddAwardedAmount(rec, project, p.amount, p.amount_field);
  if (p.start)
    rec->AddTyped(project, vocab::kStartDate, p.start->Iso(),
                  p.start->XsdType());
  if (p.end)
    rec->AddTyped(project, vocab::kEndDate, p.end->Iso(), p.end->XsdType());

  for (const ProjectOrg& o : p.orgs) {
    if (text::CollapseSpace(o.name).empty() && o.ror.empty()) continue;
    std::string node = OrgIri(o);
    rec->AddIri(node, vocab::kRdfType, vocab::kOrganization);
    rec->AddLiteral(node, vocab::kName, text::CollapseSpace(o.name));
    rec->AddLiteral(node, vocab::kAltLabel, text::CollapseSpace(o.short_name));
    rec->AddLiteral(node, vocab::kRorId, o.ror);
    rec->AddIri(project,
                o.coordinator ? vocab::kCoordinator : vocab::kParticipant,
                node);
  }
  for (const text::PersonName& n : p.investigators) {
    if (n.family.empty()) continue;
    std::string person = AddPerson(rec, n);
    rec->AddIri(project, vocab::kPrincipalInvestigator, person);
    rec->AddIri(project, vocab::kContributor, person);
  }
  for (const LangText& d : p.descriptions) {
    std::string text = text::CollapseSpace(d.text);
    rec->AddLiteral(project, vocab::kDescription, text, long_lang(d));
  }
  for (const LangText& k : p.keywords) {
    std::string label = text::CollapseSpace(k.text);
    if (label.empty()) continue;
    rec->AddIri(project, vocab::kSubject,
                AddConcept(rec, label, k.lang.empty() ? record_lang : k.lang));
  }
}

}  // namespace bibkg::indexer
