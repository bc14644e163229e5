// Internal to the importer (indexer/*.cc): the topic-index entries of the
// graphs it writes (topic_entries.cc) and the two-thread pipeline of bulk
// imports (bulk_import.cc). Link resolution is in indexer/link_resolver.h.
#ifndef BIBKG_INDEXER_IMPORTER_INTERNAL_H_
#define BIBKG_INDEXER_IMPORTER_INTERNAL_H_

#include <cstddef>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"
#include "store/store.h"

namespace bibkg::indexer {

// Graphs with more quads than this (a whole N-Triples dump in one graph, say)
// are not one record and get no topic document.
inline constexpr size_t kMaxTopicGraphQuads = 10000;

// Stages the topic-index entries of `graph` holding `triples`, and the
// corpus counter changes against what the graph held in `view`.
absl::Status StageTopicEntries(const store::ReadView& view,
                               const store::Term& graph,
                               const std::vector<store::Triple>& triples,
                               store::WriteSet* ws);

// Computes the topic document of a record that will be a new graph (a
// kReplace record that is neither failed nor skipped) into its topic_*
// fields, and sets topic_ready; other records are left as they are.
void PrepareTopic(Record* rec);

using RecordSink = std::function<absl::Status(Record&)>;

// Runs `parse` on a second thread, which hands each record it passes to its
// sink through a bounded queue to a third, which calls PrepareTopic on it and
// hands it on through another to the calling thread, where `store` is called
// on it in order; `after_batch` is called on the
// calling thread after each batch of records. Once `store` fails, no more
// records are stored and the parser's sink returns Cancelled. Returns the
// failure of `store`, else what `parse` returned (OK when it was only
// cancelled).
absl::Status ParseWhileStoring(
    const std::function<absl::Status(const RecordSink&)>& parse,
    const RecordSink& store, const std::function<void()>& after_batch);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_IMPORTER_INTERNAL_H_
