// The commit of one record: its links resolved, the stubs waiting for its
// work taken over, its graph and topic-index entries written, all in one
// atomic write.
#include <memory>
#include <vector>

#include "base/status_macros.h"
#include "indexer/importer.h"
#include "indexer/importer_internal.h"
#include "indexer/link_resolver.h"

namespace bibkg::indexer {
namespace {

// Stages the record's graph content (replaced, or added to for a kAdd
// record) and the topic-index entries that follow the graph's new content.
absl::Status StageGraphContent(const store::ReadView& view, const Record& rec,
                               store::WriteSet* ws) {
  if (rec.mode != Record::Mode::kAdd) {
    ws->ReplaceGraph(rec.graph, rec.triples);
    return StageTopicEntries(view, rec.graph, rec.triples, ws);
  }
  // Read at most one more quad than a topic document may have: a larger
  // graph gets none, and re-reading it for every chunk would be quadratic.
  std::vector<store::Triple> final_triples;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, std::nullopt, std::nullopt, rec.graph},
                [&](const store::Quad& q) {
                  final_triples.push_back({q.s, q.p, q.o});
                  return final_triples.size() <= kMaxTopicGraphQuads;
                }));
  final_triples.insert(final_triples.end(), rec.triples.begin(),
                       rec.triples.end());
  ws->AddToGraph(rec.graph, rec.triples);
  return StageTopicEntries(view, rec.graph, final_triples, ws);
}

}  // namespace

absl::Status Importer::CommitRecord(Record& rec) {
  store::WriteSet ws;
  std::unique_ptr<store::ReadView> view = store_->NewReadView();
  if (rec.mode == Record::Mode::kDelete) {
    ws.DropGraph(rec.graph);
    BIBKG_RETURN_IF_ERROR(StageTopicEntries(*view, rec.graph, {}, &ws));
  } else {
    BIBKG_RETURN_IF_ERROR(ResolveTitleLinks(*view, rec));
    BIBKG_RETURN_IF_ERROR(ResolveLocatorLinks(*view, &rec));
    BIBKG_RETURN_IF_ERROR(CheckCitationDates(*view, rec));
    // Stubs waiting for this work: every graph that holds one points at the
    // work instead, in the same atomic write.
    BIBKG_RETURN_IF_ERROR(StageStubTakeover(*view, rec, &ws));
    BIBKG_RETURN_IF_ERROR(StageGraphContent(*view, rec, &ws));
  }
  return Commit(ws);
}

absl::Status Importer::Commit(const store::WriteSet& ws) {
  store::CommitStats cs;
  // During a bulk load the loader holds the writer lock: commit through it.
  BIBKG_RETURN_IF_ERROR(loader_ ? loader_->Commit(ws, &cs)
                                : store_->Commit(ws, &cs));
  stats_.quads_inserted += cs.quads_inserted;
  stats_.quads_deleted += cs.quads_deleted;
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
