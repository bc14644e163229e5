// The bulk path of the importer: records without links go to the store's
// bulk loader (sorted runs, table ingestion), parsed on one thread while
// another stores them; the stubs the loaded works take over are resolved
// when a load ends.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "indexer/importer.h"
#include "indexer/importer_internal.h"
#include "indexer/link_resolver.h"
#include "store/topic_postings.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// Keys of bulk-loaded works remembered for stub resolution; past this, all
// stubs are scanned instead.
constexpr size_t kMaxBulkStubKeys = 1u << 20;

// Records handed from the parsing thread to the storing thread, in batches,
// with a bound on how many wait (memory stays bounded).
class RecordQueue {
 public:
  explicit RecordQueue(size_t max_batches) : max_batches_(max_batches) {}

  // Blocks while the queue is full. Cancelled once the consumer gave up.
  absl::Status Push(Record rec) {
    pending_triples_ += rec.triples.size();
    pending_.push_back(std::move(rec));
    if (pending_.size() < kBatch && pending_triples_ < kBatchTriples) {
      return absl::OkStatus();
    }
    return PushPending();
  }
  absl::Status PushPending() {
    if (pending_.empty()) return absl::OkStatus();
    std::unique_lock<std::mutex> lock(mu_);
    // Full at `max_batches_` batches or at kMaxQueuedTriples triples (records
    // of RDF input are chunks of thousands of triples); an empty queue
    // takes any batch.
    not_full_.wait(lock, [&] {
      return cancelled_ || batches_.empty() ||
             (batches_.size() < max_batches_ &&
              queued_triples_ + pending_triples_ <= kMaxQueuedTriples);
    });
    if (cancelled_) return absl::CancelledError("import stopped");
    batches_.push_back({std::move(pending_), pending_triples_});
    queued_triples_ += pending_triples_;
    pending_.clear();
    pending_triples_ = 0;
    not_empty_.notify_one();
    return absl::OkStatus();
  }
  void Close() {
    (void)PushPending();
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  // False when closed and drained.
  bool Pop(std::vector<Record>* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front().records);
    queued_triples_ -= batches_.front().triples;
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }

 private:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kBatchTriples = 16u << 10;
  static constexpr size_t kMaxQueuedTriples = 256u << 10;
  struct Batch {
    std::vector<Record> records;
    size_t triples;
  };
  const size_t max_batches_;
  std::vector<Record> pending_;  // producer side only
  size_t pending_triples_ = 0;   // producer side only
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Batch> batches_;
  size_t queued_triples_ = 0;
  bool closed_ = false, cancelled_ = false;
};

}  // namespace

absl::Status ParseWhileStoring(
    const std::function<absl::Status(const RecordSink&)>& parse,
    const RecordSink& store, const std::function<void()>& after_batch) {
  // Three stages on their own threads, each queue bounded: parsing and
  // mapping; topic documents (ICU word breaks, normalization, stems, about
  // as costly as mapping); storing, on the calling thread.
  absl::Status parsed, stored;
  RecordQueue mapped(16), ready(16);
  std::thread producer([&] {
    parsed = parse([&](Record& rec) { return mapped.Push(std::move(rec)); });
    mapped.Close();
  });
  std::thread topics([&] {
    std::vector<Record> batch;
    bool cancelled = false;
    while (mapped.Pop(&batch)) {
      if (cancelled) continue;
      for (Record& rec : batch) {
        PrepareTopic(&rec);
        if (!ready.Push(std::move(rec)).ok()) {
          cancelled = true;
          mapped.Cancel();
          break;
        }
      }
    }
    ready.Close();
  });
  std::vector<Record> batch;
  while (ready.Pop(&batch)) {
    for (Record& rec : batch) {
      if (stored.ok()) stored = store(rec);
    }
    if (!stored.ok()) ready.Cancel();
    after_batch();
  }
  topics.join();
  producer.join();
  if (absl::IsCancelled(parsed)) parsed = absl::OkStatus();
  return stored.ok() ? parsed : stored;
}

absl::Status Importer::BulkRecord(Record& rec) {
  if (!loader_) {
    store::BulkOptions bulk;
    bulk.run_quads = options_.bulk_run_quads;
    {
      // Only then can a work of this load be cited by one already stored.
      auto view = store_->NewReadView();
      bulk_store_has_cites_ = false;
      BIBKG_RETURN_IF_ERROR(
          view->Scan({std::nullopt, store::Term::Iri(vocab::kCites),
                      std::nullopt, std::nullopt},
                     [&](const store::Quad&) {
                       bulk_store_has_cites_ = true;
                       return false;
                     }));
    }
    BIBKG_ASSIGN_OR_RETURN(loader_, store_->NewBulkLoader(bulk));
  }
  if (rec.mode == Record::Mode::kDelete) return CommitReplacing(rec);
  if (rec.mode == Record::Mode::kAdd) {
    // RDF chunks: quads only; their topic documents are rebuilt at Finish.
    uint64_t before = loader_->quads_loaded();
    BIBKG_RETURN_IF_ERROR(loader_->AddGraph(rec.graph, rec.triples, false));
    stats_.quads_inserted += loader_->quads_loaded() - before;
    reindex_graphs_.push_back(rec.graph);
    return absl::OkStatus();
  }
  BIBKG_ASSIGN_OR_RETURN(bool exists, loader_->HasGraph(rec.graph));
  if (exists) {
    // A graph in the store or staged by this load: replacing it needs the
    // old topic entries, which only a commit can diff.
    return CommitReplacing(rec);
  }
  if (!rec.topic_ready) PrepareTopic(&rec);
  uint64_t before = loader_->quads_loaded();
  BIBKG_RETURN_IF_ERROR(
      loader_->AddNewGraph(rec.graph, rec.triples, rec.topic_entries));
  if (rec.has_topic_doc) {
    loader_->AddToCounter(store::kTopicDocsCounter, 1);
    loader_->AddToCounter(store::kTopicLengthCounter,
                          static_cast<int64_t>(rec.topic_length));
  }
  stats_.quads_inserted += loader_->quads_loaded() - before;
  {
    DateCheck check{rec.id, rec.graph,       rec.work_iri,
                    {},     current_source_, bulk_seq_++};
    check.cites = CitationsOfWorks(rec);
    if (!check.cites.empty()) bulk_citing_graphs_.insert(rec.graph.value);
    if (!check.cites.empty() ||
        (bulk_store_has_cites_ && !check.work.empty())) {
      bulk_date_checks_.push_back(std::move(check));
    }
  }
  if (!rec.match_key.empty()) {
    bulk_has_works_ = true;
    // The keys stubs waiting for this work would have (see ResolveStubs).
    if (!bulk_keys_overflow_) {
      bulk_keys_.push_back("t|" + rec.match_key);
      for (std::string& k : WorkLocatorKeys(rec))
        bulk_keys_.push_back("l|" + k);
      if (bulk_keys_.size() > kMaxBulkStubKeys) {
        bulk_keys_overflow_ = true;
        bulk_keys_.clear();
        bulk_keys_.shrink_to_fit();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Importer::FlushAndCommit(Record& rec) {
  // What the load staged becomes visible first: the record's links and
  // topic entries are resolved against it.
  if (loader_) BIBKG_RETURN_IF_ERROR(loader_->Flush());
  return CommitRecord(rec);
}

absl::Status Importer::CommitReplacing(Record& rec) {
  if (bulk_has_works_ || !bulk_date_checks_.empty()) {
    // The works staged so far take over the stubs waiting for them, and
    // their citation dates are checked, before the record can replace or
    // remove one of them or a work they cite: the load ends here, as if
    // the input were split before the record.
    BIBKG_RETURN_IF_ERROR(EndBulk());
    return CommitRecord(rec);
  }
  return FlushAndCommit(rec);
}

absl::Status Importer::EndBulk() {
  if (!loader_) return absl::OkStatus();
  absl::Status s = loader_->Finish();
  loader_.reset();
  BIBKG_RETURN_IF_ERROR(s);
  BIBKG_RETURN_IF_ERROR(CheckLoadedCitationDates());
  // Stubs in the store may be waiting for works of this load.
  if (bulk_has_works_) {
    bulk_has_works_ = false;
    absl::Cleanup reset = [&] {
      bulk_keys_.clear();
      bulk_keys_.shrink_to_fit();
      bulk_keys_overflow_ = false;
    };
    BIBKG_RETURN_IF_ERROR(ResolveStubs());
  }
  return absl::OkStatus();
}

absl::Status Importer::CheckLoadedCitationDates() {
  std::vector<DateCheck> checks = std::move(bulk_date_checks_);
  bulk_date_checks_.clear();
  absl::flat_hash_set<std::string> citing_graphs =
      std::move(bulk_citing_graphs_);
  bulk_citing_graphs_.clear();
  absl::flat_hash_map<std::string, uint64_t> committed =
      std::move(bulk_committed_graphs_);
  bulk_committed_graphs_.clear();
  bulk_seq_ = 0;
  if (checks.empty()) return absl::OkStatus();
  std::unique_ptr<store::ReadView> view = store_->NewReadView();
  const std::string source = current_source_;
  absl::Cleanup restore = [&] { current_source_ = source; };
  for (const DateCheck& c : checks) {
    current_source_ = c.source;
    // Loaded citers check themselves; a citer committed after this record
    // was staged saw it then.
    BIBKG_RETURN_IF_ERROR(
        CheckCitationDates(*view, c, {}, [&](const std::string& g) {
          if (citing_graphs.contains(g)) return true;
          auto it = committed.find(g);
          return it != committed.end() && it->second > c.seq;
        }));
  }
  return absl::OkStatus();
}

absl::Status Importer::Finish() {
  BIBKG_RETURN_IF_ERROR(EndLoad());
  return store_->Sync();
}

absl::Status Importer::EndLoad() {
  BIBKG_RETURN_IF_ERROR(EndBulk());
  if (!reindex_graphs_.empty()) {
    // RDF loaded in chunks: the topic documents of the whole graphs.
    std::vector<store::TermId> graphs;
    {
      auto view = store_->NewReadView();
      absl::flat_hash_set<std::string> seen;
      for (const store::Term& g : reindex_graphs_) {
        if (!seen.insert(g.value).second) continue;
        absl::StatusOr<store::TermId> id = view->Lookup(g);
        if (id.ok()) graphs.push_back(*id);
      }
    }
    reindex_graphs_.clear();
    BIBKG_RETURN_IF_ERROR(ReindexTopics(store_, std::move(graphs)));
  }
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
