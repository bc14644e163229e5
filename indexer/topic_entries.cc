// The topic-index entries of the graphs the importer writes.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "base/status_macros.h"
#include "indexer/importer.h"
#include "indexer/importer_internal.h"
#include "store/topic_postings.h"
#include "topic/document.h"

namespace bibkg::indexer {

absl::Status StageTopicEntries(const store::ReadView& view,
                               const store::Term& graph,
                               const std::vector<store::Triple>& triples,
                               store::WriteSet* ws) {
  // The old document of this graph, to keep the corpus counters right.
  int64_t old_docs = 0, old_length = 0;
  absl::StatusOr<store::TermId> gid = view.Lookup(graph);
  if (gid.ok()) {
    absl::StatusOr<std::string> old = view.GetAux(store::kDocKey, *gid);
    if (old.ok()) {
      if (std::optional<store::DocInfo> info = store::ParseDocEntry(*old)) {
        old_docs = 1;
        old_length = static_cast<int64_t>(info->length);
      }
    } else if (!absl::IsNotFound(old.status())) {
      return old.status();
    }
  } else if (!absl::IsNotFound(gid.status())) {
    return gid.status();
  }
  std::optional<store::TopicDoc> doc;
  if (triples.size() <= kMaxTopicGraphQuads)
    doc = topic::BuildTopicDoc(triples);
  int64_t new_docs = doc ? 1 : 0;
  int64_t new_length = doc ? static_cast<int64_t>(doc->length) : 0;
  if (doc || old_docs)
    ws->SetAux(graph, doc ? store::TopicEntries(*doc)
                          : std::vector<store::AuxEntry>{});
  if (new_docs != old_docs)
    ws->AddToCounter(store::kTopicDocsCounter, new_docs - old_docs);
  if (new_length != old_length)
    ws->AddToCounter(store::kTopicLengthCounter, new_length - old_length);
  return absl::OkStatus();
}

void PrepareTopic(Record* rec) {
  if (rec->has_fatal() || rec->skip || rec->mode != Record::Mode::kReplace)
    return;
  rec->topic_ready = true;
  if (rec->triples.size() > kMaxTopicGraphQuads) return;
  std::optional<store::TopicDoc> doc = topic::BuildTopicDoc(rec->triples);
  if (!doc) return;
  rec->has_topic_doc = true;
  rec->topic_length = doc->length;
  rec->topic_entries = store::TopicEntries(*doc);
}

absl::Status ReindexTopics(
    store::Store* store, std::vector<store::TermId> graphs,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  constexpr size_t kBatch = 500;
  uint64_t total = graphs.size();
  if (graphs.empty()) {
    auto view = store->NewReadView();
    // Every graph: the distinct graph ids of the graph index.
    BIBKG_RETURN_IF_ERROR(view->ScanDistinct({}, 3, [&](store::TermId g) {
      graphs.push_back(g);
      return true;
    }));
  }
  uint64_t done = 0;
  for (size_t start = 0; start < graphs.size(); start += kBatch) {
    auto view = store->NewReadView();
    store::WriteSet ws;
    for (size_t i = start; i < std::min(graphs.size(), start + kBatch); ++i) {
      BIBKG_ASSIGN_OR_RETURN(store::Term graph, view->Resolve(graphs[i]));
      std::vector<store::Triple> triples;
      BIBKG_RETURN_IF_ERROR(
          view->Scan({std::nullopt, std::nullopt, std::nullopt, graph},
                     [&](const store::Quad& q) {
                       triples.push_back({q.s, q.p, q.o});
                       return triples.size() <= kMaxTopicGraphQuads;
                     }));
      BIBKG_RETURN_IF_ERROR(StageTopicEntries(*view, graph, triples, &ws));
    }
    BIBKG_RETURN_IF_ERROR(store->Commit(ws));
    done = std::min<uint64_t>(graphs.size(), start + kBatch);
    if (progress) progress(done, total ? total : graphs.size());
  }
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
