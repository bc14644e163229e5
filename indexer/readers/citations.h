// Reference lists: Crossref REST API work JSON (single `message`, `items`
// lists, and JSON-lines dumps) and OpenCitations index CSV. Each citing work
// is one record; its references become `cito:cites` links, to the DOI's work
// node when the reference has a DOI (so the link holds whichever of the two
// is imported first), to a stub titled as the reference otherwise.
#ifndef BIBKG_INDEXER_READERS_CITATIONS_H_
#define BIBKG_INDEXER_READERS_CITATIONS_H_

#include <cstdio>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

bool LooksLikeCrossrefJson(std::string_view head);
bool LooksLikeCitationCsv(std::string_view head);

// Crossref works: graph `<file>#<DOI>`. A work without a DOI or title is
// reported and skipped.
absl::Status ReadCrossrefJson(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record);

// OpenCitations index rows (`citing`, `cited`, ...): consecutive rows of one
// citing work are one record, graph `<file>#<citing id>`. DOIs name works
// by their DOI IRI; PubMed ids (NOCI) by `https://identifiers.org/pubmed:N`.
absl::Status ReadCitationCsv(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_CITATIONS_H_
