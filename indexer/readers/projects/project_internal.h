// Helpers the funders' project readers under indexer/readers/projects/ share;
// not for callers outside them.
#ifndef BIBKG_INDEXER_READERS_PROJECTS_PROJECT_INTERNAL_H_
#define BIBKG_INDEXER_READERS_PROJECTS_PROJECT_INTERNAL_H_

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "indexer/mapping/record.h"
#include "text/grammars.h"

namespace bibkg::indexer::project_internal {

using Json = nlohmann::json;

// A named field of one project as a flat source gives it (a CORDIS JSON
// object, a CSV row); empty when absent.
using Field = std::function<std::string(std::string_view)>;

// A date as the formats write it (ISO, NSF's MM/DD/YYYY, CORDIS timestamps
// "2022-10-08 18:28:27"); nullopt and a warning naming `field` otherwise.
std::optional<text::Date> ReadDate(Record* rec, std::string_view text,
                                   const std::string& field);

// The string or number under `key` as text; empty when absent or another
// type.
std::string JsonField(const Json& j, std::string_view key);

// The value at the object path `path`, or null.
const Json* JsonPath(const Json& j, std::initializer_list<const char*> path);

// The per-funder mappings the JSON and CSV readers dispatch to.

// A CORDIS project from its flat fields (a JSON object, a CSV row); graph
// `<file>#<id>`, or `<file>#<where>` without a usable id (indexer/readers/
// projects/cordis.cc).
Record MapCordisFlat(const Field& get, const Source& source,
                     const std::string& where);

// A row of CORDIS's project publication list (projectPublications.csv or
// .json): the publication, funded by the project it is listed under
// (cordis.cc).
Record MapCordisPublication(const Field& get, const Source& source,
                            const std::string& where);

// One Gateway to Research project: `pc` is a projectComposition (project +
// people + orgs) or null for an API `project` object (gtr.cc).
Record MapGtrProject(const Json& project, const Json* pc, const Source& source,
                     const std::string& where);

}  // namespace bibkg::indexer::project_internal

#endif  // BIBKG_INDEXER_READERS_PROJECTS_PROJECT_INTERNAL_H_
