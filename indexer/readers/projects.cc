#include "indexer/readers/projects.h"

#include <csv.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/readers/json_stream.h"
#include "indexer/readers/xml_util.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using Json = nlohmann::json;
using xml::Child;
using xml::Text;

// Languages research-council texts come in, for the detector to pick from.
const std::vector<std::string>& ProjectLanguages() {
  static const auto* langs =
      new std::vector<std::string>{"en", "nb", "nn", "de", "fr", "es", "it",
                                   "nl", "sv", "da", "fi", "pt", "pl"};
  return *langs;
}

std::string TextOf(const xmlNode* n) {
  return n ? text::CollapseSpace(Text(n)) : "";
}

std::string OrgIri(const ProjectOrg& o) {
  if (!o.ror.empty()) return "https://ror.org/" + o.ror;
  return text::MintIri("organization", text::MatchKey(o.name));
}

// A date as the formats write it; a warning naming `field` otherwise.
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

}  // namespace

// ---------------------------------------------------------------------------
// The one mapping

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

// ---------------------------------------------------------------------------
// NSF award XML

Record MapNsfAward(const xmlNode* award, const Source& source) {
  Record rec;
  std::string id = TextOf(Child(award, "AwardID"));
  rec.id = id.empty() ? "Award" : id;
  rec.graph = GraphFor(source, rec.id);
  if (id.empty() || !text::FitsGrantScheme("nsf", id)) {
    rec.Fail("AwardID", id.empty() ? "award without an AwardID"
                                   : "AwardID \"" + id +
                                         "\" is not a seven-digit NSF award "
                                         "number");
    return rec;
  }
  ProjectInfo p;
  p.funder_iri = text::GrantSchemeFunder("nsf");
  p.funder_names = {{"National Science Foundation", "en"}};
  p.funder_ror = "021nxhr62";
  p.grant = id;
  p.grant_field = "AwardID";
  p.titles = {{TextOf(Child(award, "AwardTitle")), "en"}};
  p.descriptions = {{TextOf(Child(award, "AbstractNarration")), "en"}};
  p.start = ReadDate(&rec, TextOf(Child(award, "AwardEffectiveDate")),
                     "AwardEffectiveDate");
  p.end = ReadDate(&rec, TextOf(Child(award, "AwardExpirationDate")),
                   "AwardExpirationDate");
  std::string amount = TextOf(Child(award, "AwardAmount"));
  if (!amount.empty()) {
    p.amount = "USD " + amount;
    p.amount_field = "AwardAmount";
  }
  // The NSF division as the programme.
  const xmlNode* org = Child(award, "Organization");
  p.programme_code = TextOf(Child(org, "Code"));
  p.programme_label = {TextOf(Child(Child(org, "Division"), "LongName")), "en"};
  p.type = TextOf(Child(award, "AwardInstrument"));
  for (const xmlNode* c = award->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view name = xml::Name(c);
    if (name == "Investigator") {
      p.investigators.push_back(
          {TextOf(Child(c, "LastName")), TextOf(Child(c, "FirstName"))});
    } else if (name == "Institution") {
      p.orgs.push_back({TextOf(Child(c, "Name")), "", "", true});
    }
  }
  MapProject(p, &rec);
  return rec;
}

// ---------------------------------------------------------------------------
// CORDIS

namespace {

using Field = std::function<std::string(std::string_view)>;

void CordisFunder(ProjectInfo* p) {
  p->funder_iri = text::GrantSchemeFunder("cordis");
  p->funder_names = {{"European Commission", "en"}};
  p->funder_ror = "00k4n6c32";
}

// The fields the CORDIS XML, JSON and CSV share (same names in all three).
// Returns false (and fails the record) when the project has no usable id.
bool ReadCordisFields(const Field& get, Record* rec, ProjectInfo* p) {
  std::string id = text::CollapseSpace(get("id"));
  rec->id = id.empty() ? rec->id : id;
  if (id.empty()) {
    rec->Fail("id", "project without an id (its grant agreement number)");
    return false;
  }
  if (!text::FitsGrantScheme("cordis", id)) {
    rec->Fail("id", absl::StrCat("id \"", id,
                                 "\" is not a grant agreement number (6 to "
                                 "9 digits)"));
    return false;
  }
  CordisFunder(p);
  p->grant = id;
  p->grant_field = "id";
  p->titles = {{get("title"), ""}};
  p->acronym = get("acronym");
  if (std::string d = text::CollapseSpace(get("grantDoi")); !d.empty()) {
    absl::StatusOr<std::string> doi = text::NormalizeDoi(d);
    if (!doi.ok()) {
      rec->Warn("grantDoi", absl::StrCat("not a DOI: \"", d, "\""));
    } else if (*doi != "10.3030/" + id) {
      rec->Warn("grantDoi",
                absl::StrCat("grant DOI ", *doi,
                             " names another grant agreement than id ", id,
                             "; the DOI is not kept"));
    } else {
      p->grant_doi = *doi;
    }
  }
  std::string legal = text::CollapseSpace(get("legalBasis"));
  p->programme_code =
      !legal.empty() ? legal : text::CollapseSpace(get("frameworkProgramme"));
  for (const char* f : {"masterCall", "subCall", "topics"}) {
    std::string c = text::CollapseSpace(get(f));
    if (!c.empty() &&
        std::find(p->calls.begin(), p->calls.end(), c) == p->calls.end()) {
      p->calls.push_back(c);
    }
  }
  p->type = get("fundingScheme");
  if (std::string amount = text::CollapseSpace(get("ecMaxContribution"));
      !amount.empty()) {
    p->amount = "EUR " + amount;
    p->amount_field = "ecMaxContribution";
  }
  p->start = ReadDate(rec, get("startDate"), "startDate");
  p->end = ReadDate(rec, get("endDate"), "endDate");
  if (std::string objective = get("objective"); !objective.empty())
    p->descriptions.push_back({objective, ""});
  for (std::string_view k : base::Split(get("keywords"), ",;", true)) {
    std::string label = text::CollapseSpace(k);
    if (!label.empty()) p->keywords.push_back({label, ""});
  }
  return true;
}

std::string JsonField(const Json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

const Json* JsonPath(const Json& j, std::initializer_list<const char*> path) {
  const Json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

// The texts of a GtR list: `[{"text": ...}]` or `{"researchSubject": [...]}`.
std::vector<std::string> GtrTexts(const Json& project, const char* list,
                                  const char* item) {
  std::vector<std::string> out;
  auto it = project.find(list);
  if (it == project.end()) return out;
  const Json* arr = &*it;
  if (arr->is_object()) {
    auto inner = arr->find(item);
    if (inner == arr->end()) return out;
    arr = &*inner;
  }
  if (!arr->is_array()) return out;
  for (const Json& e : *arr) {
    std::string t = e.is_object() ? JsonField(e, "text") : "";
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

// GtR dates: milliseconds since 1970 or ISO text.
std::optional<text::Date> GtrDate(Record* rec, const Json* v,
                                  const char* field) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_number()) {
    std::time_t t = static_cast<std::time_t>(v->get<double>() / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return text::Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
  }
  if (v->is_string()) return ReadDate(rec, v->get<std::string>(), field);
  return std::nullopt;
}

void GtrFunder(ProjectInfo* p) {
  p->funder_iri = text::GrantSchemeFunder("ukri");
  p->funder_names = {{"UK Research and Innovation", "en"}};
}

// One GtR project: `pc` is a projectComposition (project + people + orgs) or
// null for an API `project` object.
Record MapGtrProject(const Json& project, const Json* pc, const Source& source,
                     const std::string& where) {
  Record rec;
  std::string ref = text::CollapseSpace(JsonField(project, "grantReference"));
  if (ref.empty()) {
    if (const Json* ids = JsonPath(project, {"identifiers", "identifier"});
        ids && ids->is_array()) {
      for (const Json& i : *ids) {
        if (JsonField(i, "type") == "RCUK" || ref.empty())
          ref = text::CollapseSpace(JsonField(i, "value"));
      }
    }
  }
  rec.id = ref.empty() ? where : ref;
  rec.graph = GraphFor(source, rec.id);
  if (ref.empty()) {
    rec.Fail("grantReference",
             "project without a grant reference (like ES/S007164/1)");
    return rec;
  }
  ProjectInfo p;
  GtrFunder(&p);
  p.grant = absl::AsciiStrToUpper(ref);
  p.grant_field = "grantReference";
  p.titles = {{JsonField(project, "title"), "en"}};
  for (const char* f :
       {"abstractText", "techAbstractText", "potentialImpact"}) {
    std::string d = JsonField(project, f);
    if (!d.empty()) p.descriptions.push_back({d, ""});
  }
  p.type = JsonField(project, "grantCategory");
  if (std::string lead = JsonField(project, "leadFunder"); !lead.empty())
    p.other_funders.push_back(lead);
  for (const std::string& s :
       GtrTexts(project, "researchSubjects", "researchSubject"))
    p.keywords.push_back({s, "en"});
  for (const std::string& s :
       GtrTexts(project, "researchTopics", "researchTopic"))
    p.keywords.push_back({s, "en"});
  if (const Json* fund = JsonPath(project, {"fund"});
      fund && fund->is_object()) {
    if (std::string v = JsonField(*fund, "valuePounds"); !v.empty()) {
      p.amount = "GBP " + v;
      p.amount_field = "fund.valuePounds";
    }
    p.start = GtrDate(&rec, JsonPath(*fund, {"start"}), "fund.start");
    p.end = GtrDate(&rec, JsonPath(*fund, {"end"}), "fund.end");
    if (const Json* f = JsonPath(*fund, {"funder", "name"});
        f && f->is_string() && p.other_funders.empty()) {
      p.other_funders.push_back(f->get<std::string>());
    }
  }
  if (!p.start) p.start = GtrDate(&rec, JsonPath(project, {"start"}), "start");
  if (!p.end) p.end = GtrDate(&rec, JsonPath(project, {"end"}), "end");
  if (pc) {
    if (const Json* lead = JsonPath(*pc, {"leadResearchOrganisation", "name"});
        lead && lead->is_string()) {
      p.orgs.push_back({lead->get<std::string>(), "", "", true});
    }
    if (const Json* roles = JsonPath(*pc, {"personRoles"});
        roles && roles->is_array()) {
      for (const Json& person : *roles) {
        bool pi = false;
        if (const Json* rs = JsonPath(person, {"roles"});
            rs && rs->is_array()) {
          for (const Json& r : *rs)
            pi |= JsonField(r, "name") == "PRINCIPAL_INVESTIGATOR";
        }
        if (pi) {
          p.investigators.push_back(
              {JsonField(person, "surname"), JsonField(person, "firstName")});
        }
      }
    }
    if (const Json* collab = JsonPath(*pc, {"collaborator"});
        collab && collab->is_array()) {
      for (const Json& c : *collab)
        p.orgs.push_back({JsonField(c, "name"), "", "", false});
    }
  }
  MapProject(p, &rec);
  return rec;
}

// A CORDIS project from its flat fields (a JSON object, a CSV row); graph
// `<file>#<id>`, or `<file>#<where>` without a usable id.
Record MapCordisFlat(const Field& get, const Source& source,
                     const std::string& where) {
  Record rec;
  rec.id = where;
  ProjectInfo p;
  if (ReadCordisFields(get, &rec, &p)) MapProject(p, &rec);
  rec.graph = GraphFor(source, rec.id);
  return rec;
}

// Collects the project objects of one JSON document.
void CollectProjects(const Json& doc, int depth,
                     std::vector<std::pair<const Json*, const Json*>>* gtr,
                     std::vector<const Json*>* cordis,
                     std::vector<const Json*>* publications) {
  if (depth > 4) return;
  if (doc.is_array()) {
    for (const Json& e : doc)
      CollectProjects(e, depth + 1, gtr, cordis, publications);
    return;
  }
  if (!doc.is_object()) return;
  if (const Json* pc = JsonPath(doc, {"projectComposition"})) {
    if (const Json* pr = JsonPath(*pc, {"project"}); pr && pr->is_object())
      gtr->push_back({pr, pc});
    return;
  }
  if (doc.contains("projectID") &&
      (doc.contains("doi") || doc.contains("isPublishedAs"))) {
    publications->push_back(&doc);
    return;
  }
  if (doc.contains("ecMaxContribution") || doc.contains("frameworkProgramme") ||
      doc.contains("grantDoi")) {
    cordis->push_back(&doc);
    return;
  }
  if (doc.contains("grantReference") ||
      (doc.contains("grantCategory") && doc.contains("title"))) {
    gtr->push_back({&doc, nullptr});
    return;
  }
  for (const char* k : {"projectOverview", "facetedSearchResultBean", "results",
                        "project", "projects"}) {
    if (auto it = doc.find(k); it != doc.end())
      CollectProjects(*it, depth + 1, gtr, cordis, publications);
  }
}

// A row of CORDIS's project publication list (projectPublications.csv or
// .json): the publication, funded by the project it is listed under.
Record MapCordisPublication(const Field& get, const Source& source,
                            const std::string& where) {
  Record rec;
  std::string project_id = text::CollapseSpace(get("projectID"));
  std::string doi = text::CollapseSpace(get("doi"));
  std::string own_id = text::CollapseSpace(get("id"));
  rec.id = !own_id.empty() ? own_id : !doi.empty() ? doi : where;
  rec.graph = GraphFor(source, rec.id);
  if (!text::FitsGrantScheme("cordis", project_id)) {
    rec.Fail("projectID",
             project_id.empty()
                 ? "publication without a projectID"
                 : absl::StrCat("projectID \"", project_id,
                                "\" is not a grant agreement number"));
    return rec;
  }
  BibItem item;
  item.type = vocab::kJournalArticle;
  item.title = get("title");
  item.doi = doi;
  item.doi_field = "doi";
  std::string authors = get("authors");
  for (std::string_view a : base::Split(
           authors, authors.find(';') != std::string::npos ? ";" : ",", true)) {
    std::string name = text::CollapseSpace(a);
    if (name.empty()) continue;
    Agent agent;
    agent.name = name;
    agent.field = "authors";
    item.agents.push_back(std::move(agent));
  }
  if (std::string y = text::CollapseSpace(get("publishedYear")); !y.empty()) {
    if (absl::StatusOr<text::Date> d = text::ParseDate(y); d.ok()) {
      item.date = *d;
    } else {
      rec.Warn("publishedYear", absl::StrCat("unreadable year \"", y, "\""));
    }
  }
  item.host_title = get("journalTitle");
  if (std::string issn = text::CollapseSpace(get("issn")); !issn.empty())
    item.host_issns.push_back(issn);
  item.issn_field = "issn";
  MapBibItem(item, &rec);
  if (rec.has_fatal()) return rec;
  AddFundingLink(&rec, rec.work_iri, text::GrantSchemeFunder("cordis"),
                 project_id, text::kFieldConfidence,
                 absl::StrCat("listed by CORDIS as a publication of project ",
                              project_id));
  return rec;
}

}  // namespace

Record MapCordisXml(const xmlNode* project, const Source& source) {
  Record rec;
  rec.id = "project";
  ProjectInfo p;
  auto get = [&](std::string_view name) {
    if (name == "grantDoi")
      return TextOf(Child(Child(project, "identifiers"), "grantDoi"));
    return TextOf(Child(project, std::string(name).c_str()));
  };
  if (ReadCordisFields(get, &rec, &p)) {
    std::string lang = TextOf(Child(project, "language"));
    if (!lang.empty()) {
      p.titles[0].lang = lang;
      for (LangText& d : p.descriptions) d.lang = lang;
    }
    p.descriptions.insert(p.descriptions.begin(),
                          {TextOf(Child(project, "teaser")), lang});
    const xmlNode* rel = Child(project, "relations");
    const xmlNode* assoc = Child(rel, "associations");
    for (const xmlNode* c = assoc ? assoc->children : nullptr; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string_view name = xml::Name(c);
      std::string type = xml::Attr(c, "type");
      if (name == "organization") {
        p.orgs.push_back({TextOf(Child(c, "legalName")),
                          TextOf(Child(c, "shortName")), "",
                          type == "coordinator"});
      } else if (name == "programme") {
        std::string code = TextOf(Child(c, "code"));
        if (type == "relatedLegalBasis" &&
            (xml::Attr(c, "uniqueProgrammePart") == "true" ||
             p.programme_code.empty())) {
          p.programme_code = code;
          p.programme_label = {TextOf(Child(c, "title")), lang};
        } else if (type == "relatedTopic" && !code.empty() &&
                   std::find(p.calls.begin(), p.calls.end(), code) ==
                       p.calls.end()) {
          p.calls.push_back(code);
        }
      } else if (name == "call") {
        std::string ident = TextOf(Child(c, "identifier"));
        if (!ident.empty() &&
            std::find(p.calls.begin(), p.calls.end(), ident) == p.calls.end()) {
          p.calls.push_back(ident);
        }
      }
    }
    // euroSciVoc fields of science as subjects.
    const xmlNode* cats = Child(rel, "categories");
    for (const xmlNode* c = cats ? cats->children : nullptr; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || xml::Name(c) != "category") continue;
      if (xml::Attr(c, "classification") != "euroSciVoc") continue;
      std::string title = TextOf(Child(c, "title"));
      if (!title.empty())
        p.keywords.push_back({title, TextOf(Child(c, "language"))});
    }
    MapProject(p, &rec);
  }
  rec.graph = GraphFor(source, rec.id);
  return rec;
}

bool LooksLikeProjectJson(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || (head[i] != '{' && head[i] != '['))
    return false;
  auto has = [&](std::string_view s) {
    return head.find(s) != std::string_view::npos;
  };
  return has("\"projectComposition\"") || has("\"grantReference\"") ||
         (has("\"projectID\"") && has("\"isPublishedAs\"")) ||
         has("\"ecMaxContribution\"") ||
         (has("\"frameworkProgramme\"") && has("\"grantDoi\"")) ||
         (has("\"grantCategory\"") && has("\"leadFunder\""));
}

absl::Status ReadProjectJson(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record) {
  const JsonErrorFn bad = FailedRecordReporter(on_record);
  return ReadJsonDocuments(
      in,
      [&](const Json& doc, const std::string& where) -> absl::Status {
        std::vector<std::pair<const Json*, const Json*>> gtr;
        std::vector<const Json*> cordis, publications;
        CollectProjects(doc, 0, &gtr, &cordis, &publications);
        if (gtr.empty() && cordis.empty() && publications.empty()) {
          return bad(where,
                     "no CORDIS or Gateway to Research project in this JSON");
        }
        for (const Json* j : cordis) {
          Record rec = MapCordisFlat(
              [&](std::string_view k) { return JsonField(*j, k); }, source,
              where);
          BIBKG_RETURN_IF_ERROR(on_record(rec));
        }
        for (const Json* j : publications) {
          Record rec = MapCordisPublication(
              [&](std::string_view k) { return JsonField(*j, k); }, source,
              where);
          BIBKG_RETURN_IF_ERROR(on_record(rec));
        }
        for (const auto& [project, pc] : gtr) {
          Record rec = MapGtrProject(*project, pc, source, where);
          BIBKG_RETURN_IF_ERROR(on_record(rec));
        }
        return absl::OkStatus();
      },
      bad);
}

// ---------------------------------------------------------------------------
// CSV (libcsv)

namespace {

// Largest CSV field; a longer one stops the file (libcsv cannot resume).
constexpr size_t kMaxCsvFieldBytes = 64u << 20;

void* BoundedRealloc(void* p, size_t n) {
  if (n > kMaxCsvFieldBytes) return nullptr;
  return std::realloc(p, n);
}

struct CsvState {
  std::vector<std::string> row;
  std::function<absl::Status(std::vector<std::string>&)> on_row;
  absl::Status status;
};

void OnField(void* data, size_t len, void* state) {
  auto* s = static_cast<CsvState*>(state);
  s->row.emplace_back(data ? static_cast<const char*>(data) : "", len);
}

void OnRow(int, void* state) {
  auto* s = static_cast<CsvState*>(state);
  if (s->status.ok()) s->status = s->on_row(s->row);
  s->row.clear();
}

std::string HeaderName(std::string_view h) {
  std::string s = text::CollapseSpace(h);
  if (s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);
  return s;
}

// A CORDIS programme row: labels of one programme in one language.
Record MapCordisProgramme(const Field& get, const Source& source,
                          const std::string& where) {
  Record rec;
  std::string code = text::CollapseSpace(get("code"));
  if (code.empty()) code = text::CollapseSpace(get("id"));
  std::string lang = text::CollapseSpace(get("language"));
  rec.id = code.empty() ? where : absl::StrCat(code, "/", lang);
  rec.graph = GraphFor(source, rec.id);
  if (code.empty()) {
    rec.Fail("code", "programme row without a code");
    return rec;
  }
  const std::string funder = text::GrantSchemeFunder("cordis");
  auto node = [&](const std::string& c) {
    return text::MintIri("programme", absl::StrCat(funder, "|", c));
  };
  std::string scheme = node(code);
  rec.AddIri(scheme, vocab::kRdfType, vocab::kFundingScheme);
  rec.AddLiteral(scheme, vocab::kNotation, code);
  rec.AddLiteral(scheme, vocab::kPrefLabel, text::CollapseSpace(get("title")),
                 lang);
  // The short titles are English in every language's row: not tagged.
  rec.AddLiteral(scheme, vocab::kAltLabel,
                 text::CollapseSpace(get("shortTitle")));
  std::string parent = text::CollapseSpace(get("parentProgramme"));
  if (!parent.empty() && parent != code)
    rec.AddIri(scheme, vocab::kBroader, node(parent));
  return rec;
}

}  // namespace

bool LooksLikeProjectCsv(std::string_view head) {
  std::string first =
      absl::AsciiStrToLower(std::string(head.substr(0, head.find('\n'))));
  if (first.starts_with("\xEF\xBB\xBF")) first.erase(0, 3);
  bool id_first = first.starts_with("\"id\"") || first.starts_with("id;") ||
                  first.starts_with("id,");
  auto has = [&](const char* s) { return first.find(s) != std::string::npos; };
  return (id_first && has("title") &&
          (has("frameworkprogramme") || has("ecmaxcontribution"))) ||
         (has("projectid") && has("doi") && has("title"));
}

absl::Status ReadProjectCsv(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record) {
  // The separator: whichever of ';' and ',' the header line has more of.
  char buf[1 << 16];
  size_t n = std::fread(buf, 1, sizeof buf, in);
  std::string_view first(buf, n);
  first = first.substr(0, first.find('\n'));
  unsigned char sep = std::count(first.begin(), first.end(), ';') >=
                              std::count(first.begin(), first.end(), ',')
                          ? ';'
                          : ',';
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0)
    return absl::ResourceExhaustedError("cannot start the CSV parser");
  csv_set_delim(&parser, sep);
  csv_set_realloc_func(&parser, BoundedRealloc);
  std::vector<std::string> header;
  bool programme_table = false, publication_table = false;
  uint64_t row_no = 0;
  CsvState state;
  state.on_row = [&](std::vector<std::string>& row) -> absl::Status {
    if (header.empty()) {
      for (const std::string& h : row) header.push_back(HeaderName(h));
      bool has_id =
          std::find(header.begin(), header.end(), "id") != header.end();
      auto has = [&](const char* h) {
        return std::find(header.begin(), header.end(), h) != header.end();
      };
      programme_table = has("parentProgramme") && !has("ecMaxContribution");
      publication_table = has("projectID") && has("doi");
      if (!has_id) {
        Record rec;
        rec.id = "header";
        rec.Fail("", "no \"id\" column in the header");
        BIBKG_RETURN_IF_ERROR(on_record(rec));
        return absl::CancelledError("no id column");
      }
      return absl::OkStatus();
    }
    ++row_no;
    if (row.size() == 1 && text::CollapseSpace(row[0]).empty())
      return absl::OkStatus();
    std::string where = absl::StrCat("row ", row_no);
    if (row.size() != header.size()) {
      Record rec;
      rec.id = where;
      rec.Fail("", absl::StrCat("row has ", row.size(), " fields, the header ",
                                header.size()));
      return on_record(rec);
    }
    Field get = [&](std::string_view name) -> std::string {
      for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return row[i];
      }
      return "";
    };
    Record rec;
    if (programme_table) {
      rec = MapCordisProgramme(get, source, where);
    } else if (publication_table) {
      rec = MapCordisPublication(get, source, where);
    } else {
      rec = MapCordisFlat(get, source, where);
    }
    return on_record(rec);
  };
  absl::Status result;
  auto feed = [&](const char* data, size_t len) -> bool {
    size_t used = csv_parse(&parser, data, len, OnField, OnRow, &state);
    if (used != len) {
      Record rec;
      rec.id = absl::StrCat("row ", row_no + 1);
      rec.Fail("",
               absl::StrCat("CSV: ", csv_strerror(csv_error(&parser)),
                            " (fields are limited to ", kMaxCsvFieldBytes >> 20,
                            " MiB); the rest of the file is not read"));
      result = on_record(rec);
      return false;
    }
    return state.status.ok();
  };
  bool go = feed(buf, n);
  while (go && (n = std::fread(buf, 1, sizeof buf, in)) > 0) go = feed(buf, n);
  if (go) csv_fini(&parser, OnField, OnRow, &state);
  csv_free(&parser);
  if (!result.ok()) return result;
  if (absl::IsCancelled(state.status)) return absl::OkStatus();
  BIBKG_RETURN_IF_ERROR(state.status);
  return std::ferror(in) ? absl::UnavailableError("read error")
                         : absl::OkStatus();
}

}  // namespace bibkg::indexer
