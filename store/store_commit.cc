// Store::Commit: a WriteSet becomes one rocksdb::WriteBatch. Each graph's
// quads before and after the commit are compared and only the difference is
// written, with the dictionary entries of new terms, the in-degree and named
// counters, and the graphs' aux and list entries.
#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/slice.h"
#include "rocksdb/write_batch.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
using namespace internal;  // NOLINT: this file implements the internals

// ---------------------------------------------------------------------------
// WriteSet

void WriteSet::ReplaceGraph(Term graph, std::vector<Triple> triples) {
  ops_.push_back({OpKind::kReplace, std::move(graph), std::move(triples), {}});
}
void WriteSet::DropGraph(Term graph) {
  ops_.push_back({OpKind::kDrop, std::move(graph), {}, {}});
}
void WriteSet::AddToGraph(Term graph, std::vector<Triple> triples) {
  ops_.push_back({OpKind::kAdd, std::move(graph), std::move(triples), {}});
}
void WriteSet::SetAux(Term graph, std::vector<AuxEntry> entries) {
  ops_.push_back({OpKind::kSetAux, std::move(graph), {}, std::move(entries)});
}
void WriteSet::AddToCounter(std::string name, int64_t delta) {
  counters_.emplace_back(std::move(name), delta);
}

// ---------------------------------------------------------------------------
// Store::Impl::CommitBatch

class Store::Impl::CommitBatch {
 public:
  explicit CommitBatch(Impl& impl) : impl_(impl), next_id_(impl.next_term_id) {}

  // The id of `t`. A term the store has never seen gets the next id, its
  // dictionary entries going into the batch, when `create` is set; else 0.
  absl::StatusOr<TermId> Intern(const Term& t, bool create) {
    std::string key = EncodeTerm(t);
    if (auto it = created_.find(key); it != created_.end()) return it->second;
    BIBKG_ASSIGN_OR_RETURN(std::optional<TermId> id, impl_.LookupEncoded(key));
    if (id) return *id;
    if (!create) return TermId{0};
    TermId nid = next_id_++;
    batch_.Put(impl_.cfs[kCfT2i], key, U64Key(nid));
    batch_.Put(impl_.cfs[kCfI2t], U64Key(nid), key);
    created_.emplace(std::move(key), nid);
    return nid;
  }

  // Each graph's quads before and after `ops`, in op order, and the graphs
  // whose aux entries change.
  absl::Status StageOps(const std::vector<WriteSet::Op>& ops);
  // The puts and deletes of every quad that differs, in each permutation.
  absl::Status WriteQuadChanges();
  // In-degrees: an object gains (loses) one when a subject links to it in
  // some graph now and in none before (or the reverse).
  absl::Status WriteInDegrees();
  // Aux entries: the old ones of each graph go, the new ones come.
  absl::Status WriteAuxChanges();
  // Adds each named counter's deltas to its stored value. Writers are
  // serialized, so read-modify-write is safe.
  absl::Status WriteCounters(
      const std::vector<std::pair<std::string, int64_t>>& deltas);
  // Writes the batch with the new metadata; once written, the writer's
  // state follows it and its created terms are cached.
  absl::Status Apply(size_t term_cache_entries, CommitStats* stats);

 private:
  // The graph's ids of `triples`, creating the new terms.
  absl::StatusOr<std::vector<IdTriple>> InternTriples(
      const std::vector<Triple>& triples);
  // The graph's aux entries become exactly `entries`.
  absl::Status ReplaceGraphAux(TermId g, const std::vector<AuxEntry>& entries);

  void WriteQuad(TermId g, const IdTriple& t, bool put) {
    char key[kQuadKeySize];
    IdQuad q{t[0], t[1], t[2], g};
    for (Permutation p : kPerms) {
      EncodeQuadKey(p, q, key);
      rocksdb::Slice k(key, kQuadKeySize);
      if (put) {
        batch_.Put(impl_.perm(p), k, rocksdb::Slice());
      } else {
        batch_.Delete(impl_.perm(p), k);
      }
    }
  }
  // Notes the net change `d` of triple `t` when its predicate is counted.
  void NoteCounted(const IdTriple& t, int64_t d) {
    if (std::find(counted_.begin(), counted_.end(), t[1]) != counted_.end())
      counted_net_[t] += d;
  }
  void PutCounter(const std::string& name, int64_t value) {
    batch_.Put(impl_.cfs[kCfMeta], std::string(kMetaCounterPrefix) + name,
               U64Key(static_cast<uint64_t>(value)));
  }

  Impl& impl_;
  rocksdb::WriteBatch batch_;
  TermId next_id_;
  // Terms created by this commit; cached only once the write succeeded.
  absl::flat_hash_map<std::string, TermId> created_;
  // Graph id -> (state before this commit, state after it), and the graphs
  // in the order first named.
  absl::flat_hash_map<TermId,
                      std::pair<std::vector<IdTriple>, std::vector<IdTriple>>>
      graphs_;
  std::vector<TermId> order_;
  // Graphs whose aux entries change, and to what (empty when dropped).
  std::vector<std::pair<TermId, const std::vector<AuxEntry>*>> aux_changes_;
  // The counted predicates' ids, and the net change, over the graphs of this
  // commit, of each triple with one of them.
  std::vector<TermId> counted_;
  absl::flat_hash_map<IdTriple, int64_t> counted_net_;
  uint64_t inserted_ = 0;
  uint64_t deleted_ = 0;
};

absl::StatusOr<std::vector<IdTriple>> Store::Impl::CommitBatch::InternTriples(
    const std::vector<Triple>& triples) {
  std::vector<IdTriple> staged;
  staged.reserve(triples.size());
  for (const Triple& t : triples) {
    BIBKG_RETURN_IF_ERROR(ValidateTriple(t));
    BIBKG_ASSIGN_OR_RETURN(TermId s, Intern(t.s, true));
    BIBKG_ASSIGN_OR_RETURN(TermId p, Intern(t.p, true));
    BIBKG_ASSIGN_OR_RETURN(TermId o, Intern(t.o, true));
    staged.push_back({s, p, o});
  }
  return staged;
}

absl::Status Store::Impl::CommitBatch::StageOps(
    const std::vector<WriteSet::Op>& ops) {
  static const std::vector<AuxEntry> kNoAux;
  for (const WriteSet::Op& op : ops) {
    BIBKG_RETURN_IF_ERROR(ValidateGraph(op.graph));
    bool create = op.kind != WriteSet::OpKind::kDrop;
    BIBKG_ASSIGN_OR_RETURN(TermId g, Intern(op.graph, create));
    if (g == 0) continue;  // dropping a graph the store never saw
    if (op.kind == WriteSet::OpKind::kSetAux) {
      aux_changes_.emplace_back(g, &op.aux);
      continue;
    }
    if (op.kind == WriteSet::OpKind::kDrop)
      aux_changes_.emplace_back(g, &kNoAux);
    auto [it, inserted] = graphs_.try_emplace(g);
    auto& [before, after] = it->second;
    if (inserted) {
      order_.push_back(g);
      if (g < impl_.next_term_id) {
        BIBKG_ASSIGN_OR_RETURN(before, impl_.GraphTriples(g));
      }
      after = before;
    }
    BIBKG_ASSIGN_OR_RETURN(std::vector<IdTriple> staged,
                           InternTriples(op.triples));
    switch (op.kind) {
      case WriteSet::OpKind::kReplace:
        after = std::move(staged);
        break;
      case WriteSet::OpKind::kDrop:
        after.clear();
        break;
      case WriteSet::OpKind::kAdd:
        after.insert(after.end(), staged.begin(), staged.end());
        break;
      case WriteSet::OpKind::kSetAux:
        break;
    }
    std::sort(after.begin(), after.end());
    after.erase(std::unique(after.begin(), after.end()), after.end());
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::WriteQuadChanges() {
  for (const std::string& iri : impl_.counted_predicates) {
    BIBKG_ASSIGN_OR_RETURN(TermId id, Intern(Term::Iri(iri), false));
    if (id != 0) counted_.push_back(id);
  }
  for (TermId g : order_) {
    const auto& [before, after] = graphs_[g];
    // Both sorted: a merge walk yields the difference.
    size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
      if (j == after.size() || (i < before.size() && before[i] < after[j])) {
        NoteCounted(before[i], -1);
        WriteQuad(g, before[i++], false);
        ++deleted_;
      } else if (i == before.size() || after[j] < before[i]) {
        NoteCounted(after[j], +1);
        WriteQuad(g, after[j++], true);
        ++inserted_;
      } else {
        ++i;
        ++j;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::WriteInDegrees() {
  absl::flat_hash_map<std::string, int64_t> in_degree;
  for (const auto& [t, net] : counted_net_) {
    if (net == 0) continue;
    BIBKG_ASSIGN_OR_RETURN(uint64_t graphs_before,
                           impl_.TripleGraphCount(t[0], t[1], t[2]));
    bool was = graphs_before > 0;
    bool is = static_cast<int64_t>(graphs_before) + net > 0;
    if (was != is) in_degree[InDegreeKey(t[1], t[2])] += is ? 1 : -1;
  }
  for (const auto& [name, delta] : in_degree) {
    BIBKG_ASSIGN_OR_RETURN(int64_t current, impl_.ReadCounter(name));
    PutCounter(name, current + delta);
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::WriteAuxChanges() {
  absl::flat_hash_set<TermId> aux_done;
  for (auto it = aux_changes_.rbegin(); it != aux_changes_.rend(); ++it) {
    auto [g, entries] = *it;
    if (!aux_done.insert(g).second)
      continue;  // the last change of a graph wins
    BIBKG_RETURN_IF_ERROR(ReplaceGraphAux(g, *entries));
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::ReplaceGraphAux(
    TermId g, const std::vector<AuxEntry>& entries) {
  std::string prefix = U64Key(g);
  std::string end = PrefixEnd(prefix);
  rocksdb::Slice upper(end);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> iter(
      impl_.db->NewIterator(ro, impl_.cfs[kCfGraphAux]));
  // A list entry written again needs no removal: its new item replaces
  // the old one.
  absl::flat_hash_set<std::string_view> relisted;
  for (const AuxEntry& e : entries) {
    BIBKG_RETURN_IF_ERROR(ValidateAuxEntry(e));
    if (e.list) relisted.insert(e.key);
  }
  for (iter->Seek(prefix); iter->Valid(); iter->Next()) {
    rocksdb::Slice k = iter->key();
    std::string aux_key(k.data() + 8, k.size() - 8);
    if (iter->value() == kGraphAuxListMark) {
      if (!relisted.contains(aux_key)) {
        std::string removal;
        TermId prev = 0;
        AppendListRemoval(&removal, &prev, g);
        batch_.Merge(impl_.cfs[kCfLists], ListKey(aux_key, g), removal);
      }
    } else {
      batch_.Delete(impl_.cfs[kCfAux], aux_key + prefix);
    }
    batch_.Delete(impl_.cfs[kCfGraphAux], k);
  }
  BIBKG_RETURN_IF_ERROR(FromRocks(iter->status(), "aux scan"));
  for (const AuxEntry& e : entries) {
    if (e.list) {
      std::string item;
      TermId prev = 0;
      AppendListItem(&item, &prev, g, e.value);
      batch_.Merge(impl_.cfs[kCfLists], ListKey(e.key, g), item);
      batch_.Put(impl_.cfs[kCfGraphAux], prefix + e.key, kGraphAuxListMark);
    } else {
      BIBKG_ASSIGN_OR_RETURN(
          std::string value,
          StoredAuxValue(e, [&](const Term& t) { return Intern(t, true); }));
      batch_.Put(impl_.cfs[kCfAux], e.key + prefix, value);
      batch_.Put(impl_.cfs[kCfGraphAux], prefix + e.key, rocksdb::Slice());
    }
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::WriteCounters(
    const std::vector<std::pair<std::string, int64_t>>& deltas) {
  absl::flat_hash_map<std::string, int64_t> counters;
  for (const auto& [name, delta] : deltas) counters[name] += delta;
  for (const auto& [name, delta] : counters) {
    BIBKG_ASSIGN_OR_RETURN(int64_t current, impl_.ReadCounter(name));
    PutCounter(name, current + delta);
  }
  return absl::OkStatus();
}

absl::Status Store::Impl::CommitBatch::Apply(size_t term_cache_entries,
                                             CommitStats* stats) {
  uint64_t new_count = impl_.quad_count + inserted_ - deleted_;
  impl_.PutMeta(&batch_, next_id_, new_count);
  BIBKG_RETURN_IF_ERROR(
      FromRocks(impl_.db->Write(rocksdb::WriteOptions(), &batch_), "commit"));
  impl_.next_term_id = next_id_;
  impl_.quad_count = new_count;
  for (auto& [k, id] : created_) impl_.CacheTerm(k, id, term_cache_entries);
  if (stats) {
    stats->quads_inserted += inserted_;
    stats->quads_deleted += deleted_;
    stats->terms_created += created_.size();
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Store

absl::Status Store::Commit(const WriteSet& changes, CommitStats* stats) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return CommitLocked(changes, stats);
}

absl::Status Store::ReplaceGraph(const Term& graph,
                                 std::vector<Triple> triples) {
  WriteSet ws;
  ws.ReplaceGraph(graph, std::move(triples));
  return Commit(ws);
}

absl::Status Store::DropGraph(const Term& graph) {
  WriteSet ws;
  ws.DropGraph(graph);
  return Commit(ws);
}

absl::Status Store::CommitLocked(const WriteSet& changes, CommitStats* stats) {
  Impl::CommitBatch commit(*impl_);
  BIBKG_RETURN_IF_ERROR(commit.StageOps(changes.ops_));
  BIBKG_RETURN_IF_ERROR(commit.WriteQuadChanges());
  BIBKG_RETURN_IF_ERROR(commit.WriteInDegrees());
  BIBKG_RETURN_IF_ERROR(commit.WriteAuxChanges());
  BIBKG_RETURN_IF_ERROR(commit.WriteCounters(changes.counters_));
  return commit.Apply(options_.term_cache_entries, stats);
}

}  // namespace bibkg::store
