// Research-council project records: NSF award XML (projects/nsf.h), EU
// CORDIS projects (the XML of cordis.europa.eu and the JSON/CSV exports, plus
// the CORDIS programme table; projects/cordis.h), UKRI Gateway to Research
// project JSON, and the Research Council of Norway's project page
// (projects/rcn.h). Every format fills one ProjectInfo
// (projects/project.h); MapProject turns it into triples in one place. The
// project node is named by its funder and grant number (ProjectIri), the node
// a publication's funding note links to, whichever is imported first.
#ifndef BIBKG_INDEXER_READERS_PROJECTS_H_
#define BIBKG_INDEXER_READERS_PROJECTS_H_

#include <cstdio>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"
#include "indexer/readers/projects/cordis.h"
#include "indexer/readers/projects/nsf.h"
#include "indexer/readers/projects/project.h"
#include "indexer/readers/projects/rcn.h"

namespace bibkg::indexer {

// JSON: an array (or JSON lines) of CORDIS project objects, or Gateway to
// Research project JSON (`projectOverview`, search results, API `project`
// lists).
bool LooksLikeProjectJson(std::string_view head);
absl::Status ReadProjectJson(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PROJECTS_H_
