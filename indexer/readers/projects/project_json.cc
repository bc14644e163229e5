// Project JSON: CORDIS project objects and publication lists, and Gateway to
// Research project JSON, told apart object by object.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "indexer/readers/json_stream.h"
#include "indexer/readers/projects.h"
#include "indexer/readers/projects/project_internal.h"

namespace bibkg::indexer {
namespace project_internal {

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

}  // namespace project_internal

namespace {

using project_internal::Json;
using project_internal::JsonField;
using project_internal::JsonPath;
using project_internal::MapCordisFlat;
using project_internal::MapCordisPublication;
using project_internal::MapGtrProject;

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

}  // namespace

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

}  // namespace bibkg::indexer
