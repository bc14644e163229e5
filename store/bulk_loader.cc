// BulkLoader: graphs staged into runs of quads, dictionary entries, aux
// entries and counters; a full run is written and ingested (bulk_run.cc) on a
// background thread while the next one is staged.
#include <algorithm>
#include <filesystem>
#include <thread>

#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "store/bulk_loader_internal.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
using namespace internal;  // NOLINT: this file implements the internals

BulkLoader::BulkLoader(Store* store, BulkOptions options)
    : store_(store),
      options_(options),
      lock_(store->write_mu_),
      run_(std::make_unique<RunState>()) {
  first_new_id_ = store_->impl_->next_term_id;
  run_->next_id = store_->impl_->next_term_id;
  run_->quad_count = store_->impl_->quad_count;
}

BulkLoader::~BulkLoader() {
  if (flush_thread_.joinable()) flush_thread_.join();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(store_->dir_) / "bulk-tmp",
                              ec);
}

absl::StatusOr<TermId> BulkLoader::Intern(const Term& term, bool* created) {
  std::string& key = key_buf_;
  EncodeTermTo(term, &key);
  if (auto it = run_->new_term_index.find(key);
      it != run_->new_term_index.end()) {
    *created = false;
    return it->second;
  }
  if (flushing_) {
    if (auto it = flushing_->new_term_index.find(key);
        it != flushing_->new_term_index.end()) {
      *created = false;
      return it->second;
    }
  }
  BIBKG_ASSIGN_OR_RETURN(std::optional<TermId> id,
                         store_->impl_->LookupEncoded(key));
  if (id) {
    *created = false;
    return *id;
  }
  TermId nid = run_->next_id++;
  run_->new_term_index.emplace(key, nid);
  run_->new_terms.emplace_back(key, nid);
  *created = true;
  return nid;
}

absl::Status BulkLoader::AddGraph(const Term& graph,
                                  const std::vector<Triple>& triples,
                                  bool replace) {
  if (finished_) return absl::FailedPreconditionError("bulk loader finished");
  BIBKG_RETURN_IF_ERROR(ValidateGraph(graph));
  for (const Triple& t : triples) BIBKG_RETURN_IF_ERROR(ValidateTriple(t));
  bool created = false;
  BIBKG_ASSIGN_OR_RETURN(TermId g, Intern(graph, &created));
  auto created_here = run_->new_graphs.find(g);
  bool append = !replace && created_here != run_->new_graphs.end();
  bool exists = !append && !created &&
                (run_->seen_graphs.contains(g) ||
                 (g < first_new_id_ && store_->impl_->GraphExists(g)));
  if (exists) {
    // Replacing needs the old quads: make the pending run visible, then take
    // the ordinary path.
    BIBKG_RETURN_IF_ERROR(Flush());
    WriteSet ws;
    if (replace) {
      ws.ReplaceGraph(graph, triples);
    } else {
      ws.AddToGraph(graph, triples);
    }
    CommitStats stats;
    BIBKG_RETURN_IF_ERROR(store_->CommitLocked(ws, &stats));
    run_->new_graphs.erase(g);  // committed: later additions commit too
    run_->appended.erase(g);
    run_->next_id = store_->impl_->next_term_id;
    run_->quad_count = store_->impl_->quad_count;
    quads_loaded_ += stats.quads_inserted;
    if (run_->seen_graphs.insert(g).second) graphs_.push_back(g);
    return absl::OkStatus();
  }
  if (run_->seen_graphs.insert(g).second) graphs_.push_back(g);
  std::vector<IdQuad> staged;
  staged.reserve(triples.size());
  const std::vector<std::string>& counted = store_->impl_->counted_predicates;
  // A record's triples mostly share their subject and repeat predicates:
  // the previous triple's ids are reused for an equal term.
  const Term* last_s = nullptr;
  const Term* last_p = nullptr;
  TermId s = 0, p = 0;
  for (const Triple& t : triples) {
    bool unused;
    if (!last_s || !(t.s == *last_s)) {
      BIBKG_ASSIGN_OR_RETURN(s, Intern(t.s, &unused));
      last_s = &t.s;
    }
    if (!last_p || !(t.p == *last_p)) {
      BIBKG_ASSIGN_OR_RETURN(p, Intern(t.p, &unused));
      last_p = &t.p;
    }
    BIBKG_ASSIGN_OR_RETURN(TermId o, Intern(t.o, &unused));
    staged.push_back({s, p, o, g});
    if (!counted.empty() &&
        std::find(counted.begin(), counted.end(), t.p.value) != counted.end() &&
        std::find(counted_ids_.begin(), counted_ids_.end(), p) ==
            counted_ids_.end()) {
      counted_ids_.push_back(p);
    }
  }
  std::sort(staged.begin(), staged.end(), LessGspo());
  staged.erase(std::unique(staged.begin(), staged.end()), staged.end());
  if (!counted_ids_.empty()) {
    for (const IdQuad& q : staged) {
      if (std::find(counted_ids_.begin(), counted_ids_.end(), q.p) !=
          counted_ids_.end()) {
        run_->counted.push_back({q.s, q.p, q.o});
      }
    }
  }
  if (append) {
    // More of a graph this load created (an RDF dump read in chunks).
    run_->appended.insert(g);
    run_->new_graphs[g] += staged.size();
  } else {
    run_->new_graphs[g] = staged.size();
  }
  run_->quads.insert(run_->quads.end(), staged.begin(), staged.end());
  run_->quad_count += staged.size();
  quads_loaded_ += staged.size();
  if (run_->quads.size() >= options_.run_quads) return StartFlush();
  return absl::OkStatus();
}

absl::StatusOr<bool> BulkLoader::HasGraph(const Term& graph) {
  std::string key = EncodeTerm(graph);
  TermId g = 0;
  if (auto it = run_->new_term_index.find(key);
      it != run_->new_term_index.end()) {
    g = it->second;
  } else if (auto f = flushing_ ? flushing_->new_term_index.find(key)
                                : decltype(flushing_->new_term_index.end())();
             flushing_ && f != flushing_->new_term_index.end()) {
    g = f->second;
  } else {
    BIBKG_ASSIGN_OR_RETURN(std::optional<TermId> id,
                           store_->impl_->LookupEncoded(key));
    if (!id) return false;
    g = *id;
  }
  return run_->seen_graphs.contains(g) ||
         (g < first_new_id_ && store_->impl_->GraphExists(g));
}

absl::Status BulkLoader::AddNewGraph(const Term& graph,
                                     const std::vector<Triple>& triples,
                                     const std::vector<AuxEntry>& aux) {
  BIBKG_ASSIGN_OR_RETURN(bool exists, HasGraph(graph));
  if (exists) {
    return absl::FailedPreconditionError(
        "AddNewGraph of a graph that exists; commit it instead");
  }
  // Every entry checked before anything of the graph is staged: a refused
  // graph leaves neither quads nor entries behind.
  for (const AuxEntry& e : aux) BIBKG_RETURN_IF_ERROR(ValidateAuxEntry(e));
  BIBKG_RETURN_IF_ERROR(AddGraph(graph, triples, true));
  if (aux.empty()) return absl::OkStatus();
  bool created = false;
  BIBKG_ASSIGN_OR_RETURN(TermId g, Intern(graph, &created));
  std::string gkey = U64Key(g);
  RunState& run = *run_;
  if (g <= run.last_aux_graph) run.aux_in_graph_order = false;
  run.last_aux_graph = g;
  for (const AuxEntry& e : aux) {
    std::string key = e.list ? ListKey(e.key, g) : e.key;
    BIBKG_ASSIGN_OR_RETURN(std::string value,
                           StoredAuxValue(e, [&](const Term& t) {
                             bool unused = false;
                             return Intern(t, &unused);
                           }));
    run.aux.push_back({run.aux_arena.size(),
                       static_cast<uint32_t>(key.size() + 8),
                       static_cast<uint32_t>(value.size()), e.list});
    run.aux_arena += key;
    run.aux_arena += gkey;
    run.aux_arena += value;
  }
  return absl::OkStatus();
}

void BulkLoader::AddToCounter(const std::string& name, int64_t delta) {
  run_->counters[name] += delta;
}

absl::Status BulkLoader::Flush() {
  BIBKG_RETURN_IF_ERROR(StartFlush());
  return WaitFlush();
}

absl::Status BulkLoader::Commit(const WriteSet& changes, CommitStats* stats) {
  if (finished_) return absl::FailedPreconditionError("bulk loader finished");
  BIBKG_RETURN_IF_ERROR(Flush());
  BIBKG_RETURN_IF_ERROR(CorrectAppendedCounts());
  CommitStats local;
  CommitStats* cs = stats ? stats : &local;
  BIBKG_RETURN_IF_ERROR(store_->CommitLocked(changes, cs));
  for (const auto& [g, n] : run_->new_graphs) run_->seen_graphs.insert(g);
  run_->new_graphs.clear();
  run_->next_id = store_->impl_->next_term_id;
  run_->quad_count = store_->impl_->quad_count;
  quads_loaded_ += cs->quads_inserted;
  return absl::OkStatus();
}

absl::Status BulkLoader::StartFlush() {
  BIBKG_RETURN_IF_ERROR(WaitFlush());
  RunState& run = *run_;
  if (run.quads.empty() && run.new_terms.empty() && run.aux.empty() &&
      run.counters.empty()) {
    return absl::OkStatus();
  }
  // The next run carries on the id sequence, the count and the graphs seen.
  auto next = std::make_unique<RunState>();
  next->next_id = run.next_id;
  next->quad_count = run.quad_count;
  next->file_seq = run.file_seq + 1;
  next->seen_graphs = std::move(run.seen_graphs);
  run.seen_graphs.clear();
  next->new_graphs = std::move(run.new_graphs);
  run.new_graphs.clear();
  next->appended = std::move(run.appended);
  run.appended.clear();
  flushing_ = std::move(run_);
  run_ = std::move(next);
  flush_thread_ = std::thread([this] { flush_status_ = WriteRun(*flushing_); });
  return absl::OkStatus();
}

absl::Status BulkLoader::WaitFlush() {
  if (!flush_thread_.joinable()) return absl::OkStatus();
  flush_thread_.join();
  absl::Status s = flush_status_;
  flush_status_ = absl::OkStatus();
  if (s.ok()) {
    // What the ingested run created is now in the store.
    Store::Impl& impl = *store_->impl_;
    impl.next_term_id = std::max(impl.next_term_id, flushing_->next_id);
    impl.quad_count = flushing_->quad_count;
    for (auto& [key, id] : flushing_->new_terms) {
      impl.CacheTerm(std::move(key), id, store_->options_.term_cache_entries);
    }
    ++runs_;
  }
  flushing_.reset();
  return s;
}

absl::Status BulkLoader::CorrectAppendedCounts() {
  if (run_->appended.empty()) return absl::OkStatus();
  Store::Impl& impl = *store_->impl_;
  int64_t delta = 0;
  for (TermId g : run_->appended) {
    BIBKG_ASSIGN_OR_RETURN(uint64_t stored, impl.GraphSize(g));
    delta += static_cast<int64_t>(stored) -
             static_cast<int64_t>(run_->new_graphs[g]);
  }
  run_->appended.clear();
  if (delta == 0) return absl::OkStatus();
  impl.quad_count =
      static_cast<uint64_t>(static_cast<int64_t>(impl.quad_count) + delta);
  quads_loaded_ =
      static_cast<uint64_t>(static_cast<int64_t>(quads_loaded_) + delta);
  rocksdb::WriteBatch batch;
  impl.PutMeta(&batch, impl.next_term_id, impl.quad_count);
  return FromRocks(impl.db->Write(rocksdb::WriteOptions(), &batch),
                   "quad count");
}

absl::Status BulkLoader::Finish() {
  if (finished_) return absl::OkStatus();
  absl::Status s = Flush();
  if (s.ok()) s = CorrectAppendedCounts();
  finished_ = true;
  lock_.unlock();
  return s;
}

}  // namespace bibkg::store
