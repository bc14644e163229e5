// UKRI Gateway to Research (gtr.ukri.org) projects, read from the JSON the
// site and its API give (see ReadProjectJson in indexer/readers/projects.h).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/projects/project.h"
#include "indexer/readers/projects/project_internal.h"
#include "text/normalize.h"

namespace bibkg::indexer::project_internal {
namespace {

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

}  // namespace

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

}  // namespace bibkg::indexer::project_internal
