// EU CORDIS projects (cordis.europa.eu): the project XML, and the CSV
// tables of the open-data exports. The JSON exports are read by
// ReadProjectJson (indexer/readers/projects.h), which also reads Gateway to
// Research JSON. Projects are named by the European Commission's funder IRI
// and their grant agreement number.
#ifndef BIBKG_INDEXER_READERS_PROJECTS_CORDIS_H_
#define BIBKG_INDEXER_READERS_PROJECTS_CORDIS_H_

#include <libxml/tree.h>

#include <cstdio>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// One CORDIS <project xmlns="http://cordis.europa.eu">; graph `<file>#<id>`.
Record MapCordisXml(const xmlNode* project, const Source& source);

// CSV (`;` or `,` separated, quoted fields may span lines): the CORDIS
// project table (id;acronym;status;title;…), programme table
// (id;language;code;…;title;shortTitle;…) or project publication list
// (…;title;…;doi;projectID;…), whose rows link each publication to its
// project. The publication list is also read as JSON.
bool LooksLikeProjectCsv(std::string_view head);
absl::Status ReadProjectCsv(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PROJECTS_CORDIS_H_
