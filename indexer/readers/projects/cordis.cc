#include "indexer/readers/projects/cordis.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/projects/project.h"
#include "indexer/readers/projects/project_internal.h"
#include "indexer/readers/xml_util.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {

namespace {

using project_internal::Field;
using project_internal::ReadDate;
using xml::Child;
using xml::TextOf;

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

}  // namespace

namespace project_internal {

Record MapCordisFlat(const Field& get, const Source& source,
                     const std::string& where) {
  Record rec;
  rec.id = where;
  ProjectInfo p;
  if (ReadCordisFields(get, &rec, &p)) MapProject(p, &rec);
  rec.graph = GraphFor(source, rec.id);
  return rec;
}

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

}  // namespace project_internal

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

}  // namespace bibkg::indexer
