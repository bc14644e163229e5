#include "store/store.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
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
// Store

Store::Store(std::string dir, StoreOptions options)
    : dir_(std::move(dir)),
      options_(options),
      impl_(std::make_unique<Impl>()) {}

Store::~Store() {
  impl_->shared_view.reset();  // its snapshot goes before the database
  if (impl_->db) {
    for (auto* cf : impl_->cfs) impl_->db->DestroyColumnFamilyHandle(cf);
    impl_->db->Close().PermitUncheckedError();
  }
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(
    const std::string& dir, const StoreOptions& options) {
  std::unique_ptr<Store> store(new Store(dir, options));
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  // A database written before a column family existed gets it empty.
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.max_background_jobs = 2;
  db_options.bytes_per_sync = 1 << 20;
  db_options.keep_log_file_num = 3;

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           CfOptions(kCfMeta, cache));
  descriptors.emplace_back("t2i", CfOptions(kCfT2i, cache));
  descriptors.emplace_back("i2t", CfOptions(kCfI2t, cache));
  for (Permutation p : kPerms) {
    descriptors.emplace_back(PermutationName(p),
                             CfOptions(kCfPerm0 + static_cast<int>(p), cache));
  }
  descriptors.emplace_back("aux", CfOptions(kCfAux, cache));
  descriptors.emplace_back("gaux", CfOptions(kCfGraphAux, cache));
  descriptors.emplace_back("lists", CfOptions(kCfLists, cache));
  rocksdb::DB* raw = nullptr;
  Impl& impl = *store->impl_;
  rocksdb::Status s =
      rocksdb::DB::Open(db_options, dir, descriptors, &impl.cfs, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return absl::FailedPreconditionError(
          absl::StrCat("database ", dir,
                       " is in use by another process (a running `bibkg "
                       "serve`?); stop it, or "
                       "import through the server's Import RPC"));
    }
    if (!options.create_if_missing && s.IsInvalidArgument()) {
      return absl::NotFoundError(absl::StrCat("no bibkg database in ", dir));
    }
    return absl::Status(FromRocks(s, absl::StrCat("opening database ", dir)));
  }
  impl.db.reset(raw);
  impl.read_cache = std::make_unique<TermReadCache>(
      options.read_cache_bytes != 0 ? options.read_cache_bytes
                                    : options.block_cache_bytes / 8);

  std::string value;
  rocksdb::ReadOptions ro;
  s = impl.db->Get(ro, impl.cfs[kCfMeta], kMetaFormatVersion, &value);
  if (s.IsNotFound()) {
    BIBKG_RETURN_IF_ERROR(FromRocks(
        impl.db->Put(rocksdb::WriteOptions(), impl.cfs[kCfMeta],
                     kMetaFormatVersion, rocksdb::Slice(kFormatVersion)),
        "writing format version"));
  } else {
    BIBKG_RETURN_IF_ERROR(FromRocks(s, "reading format version"));
    if (value != kFormatVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("database ", dir, " has storage format ", value,
                       "; this bibkg reads format ", kFormatVersion));
    }
  }
  s = impl.db->Get(ro, impl.cfs[kCfMeta], kMetaNextTermId, &value);
  if (s.ok() && value.size() == 8) impl.next_term_id = GetU64(value.data());
  s = impl.db->Get(ro, impl.cfs[kCfMeta], kMetaQuadCount, &value);
  if (s.ok() && value.size() == 8) impl.quad_count = GetU64(value.data());
  impl.cache_complete = impl.next_term_id == 1;
  impl.term_cache_limit = options.term_cache_entries;
  impl.counted_predicates = options.counted_predicates;
  return store;
}

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
  Impl& impl = *impl_;
  rocksdb::WriteBatch batch;
  TermId next_id = impl.next_term_id;
  // Terms created by this commit; cached only once the write succeeded.
  absl::flat_hash_map<std::string, TermId> created;

  auto intern = [&](const Term& t, bool create) -> absl::StatusOr<TermId> {
    std::string key = EncodeTerm(t);
    if (auto it = created.find(key); it != created.end()) return it->second;
    BIBKG_ASSIGN_OR_RETURN(std::optional<TermId> id, impl.LookupEncoded(key));
    if (id) return *id;
    if (!create) return TermId{0};
    TermId nid = next_id++;
    batch.Put(impl.cfs[kCfT2i], key, U64Key(nid));
    batch.Put(impl.cfs[kCfI2t], U64Key(nid), key);
    created.emplace(std::move(key), nid);
    return nid;
  };

  // Graph id -> (state before this commit, state after it).
  std::vector<TermId> order;
  absl::flat_hash_map<TermId,
                      std::pair<std::vector<IdTriple>, std::vector<IdTriple>>>
      graphs;
  // Graphs whose aux entries change, and to what (empty when dropped).
  std::vector<std::pair<TermId, const std::vector<AuxEntry>*>> aux_changes;
  static const std::vector<AuxEntry> kNoAux;
  for (const WriteSet::Op& op : changes.ops_) {
    BIBKG_RETURN_IF_ERROR(ValidateGraph(op.graph));
    bool create = op.kind != WriteSet::OpKind::kDrop;
    BIBKG_ASSIGN_OR_RETURN(TermId g, intern(op.graph, create));
    if (g == 0) continue;  // dropping a graph the store never saw
    if (op.kind == WriteSet::OpKind::kSetAux) {
      aux_changes.emplace_back(g, &op.aux);
      continue;
    }
    if (op.kind == WriteSet::OpKind::kDrop)
      aux_changes.emplace_back(g, &kNoAux);
    auto [it, inserted] = graphs.try_emplace(g);
    auto& [before, after] = it->second;
    if (inserted) {
      order.push_back(g);
      if (g < impl.next_term_id) {
        BIBKG_ASSIGN_OR_RETURN(before, impl.GraphTriples(g));
      }
      after = before;
    }
    std::vector<IdTriple> staged;
    staged.reserve(op.triples.size());
    for (const Triple& t : op.triples) {
      BIBKG_RETURN_IF_ERROR(ValidateTriple(t));
      BIBKG_ASSIGN_OR_RETURN(TermId s, intern(t.s, true));
      BIBKG_ASSIGN_OR_RETURN(TermId p, intern(t.p, true));
      BIBKG_ASSIGN_OR_RETURN(TermId o, intern(t.o, true));
      staged.push_back({s, p, o});
    }
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

  uint64_t inserted = 0, deleted = 0;
  char key[kQuadKeySize];
  auto emit = [&](TermId g, const IdTriple& t, bool put) {
    IdQuad q{t[0], t[1], t[2], g};
    for (Permutation p : kPerms) {
      EncodeQuadKey(p, q, key);
      rocksdb::Slice k(key, kQuadKeySize);
      if (put) {
        batch.Put(impl.perm(p), k, rocksdb::Slice());
      } else {
        batch.Delete(impl.perm(p), k);
      }
    }
  };
  // Net change, over the graphs of this commit, of each triple with a
  // counted predicate (for the in-degree counts below).
  std::vector<TermId> counted;
  for (const std::string& iri : impl.counted_predicates) {
    BIBKG_ASSIGN_OR_RETURN(TermId id, intern(Term::Iri(iri), false));
    if (id != 0) counted.push_back(id);
  }
  absl::flat_hash_map<IdTriple, int64_t> counted_net;
  auto note = [&](const IdTriple& t, int64_t d) {
    if (std::find(counted.begin(), counted.end(), t[1]) != counted.end())
      counted_net[t] += d;
  };
  for (TermId g : order) {
    const auto& [before, after] = graphs[g];
    // Both sorted: a merge walk yields the difference.
    size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
      if (j == after.size() || (i < before.size() && before[i] < after[j])) {
        note(before[i], -1);
        emit(g, before[i++], false);
        ++deleted;
      } else if (i == before.size() || after[j] < before[i]) {
        note(after[j], +1);
        emit(g, after[j++], true);
        ++inserted;
      } else {
        ++i;
        ++j;
      }
    }
  }
  // In-degrees: an object gains (loses) one when a subject links to it in
  // some graph now and in none before (or the reverse).
  absl::flat_hash_map<std::string, int64_t> in_degree;
  for (const auto& [t, net] : counted_net) {
    if (net == 0) continue;
    BIBKG_ASSIGN_OR_RETURN(uint64_t graphs_before,
                           impl.TripleGraphCount(t[0], t[1], t[2]));
    bool was = graphs_before > 0;
    bool is = static_cast<int64_t>(graphs_before) + net > 0;
    if (was != is) in_degree[InDegreeKey(t[1], t[2])] += is ? 1 : -1;
  }
  for (const auto& [name, delta] : in_degree) {
    BIBKG_ASSIGN_OR_RETURN(int64_t current, impl.ReadCounter(name));
    batch.Put(impl.cfs[kCfMeta], std::string(kMetaCounterPrefix) + name,
              U64Key(static_cast<uint64_t>(current + delta)));
  }
  // Aux entries: the old ones of each graph go, the new ones come.
  absl::flat_hash_set<TermId> aux_done;
  for (auto it = aux_changes.rbegin(); it != aux_changes.rend(); ++it) {
    auto [g, entries] = *it;
    if (!aux_done.insert(g).second)
      continue;  // the last change of a graph wins
    std::string prefix = U64Key(g);
    std::string end = PrefixEnd(prefix);
    rocksdb::Slice upper(end);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> iter(
        impl.db->NewIterator(ro, impl.cfs[kCfGraphAux]));
    // A list entry written again needs no removal: its new item replaces
    // the old one.
    absl::flat_hash_set<std::string_view> relisted;
    for (const AuxEntry& e : *entries) {
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
          batch.Merge(impl.cfs[kCfLists], ListKey(aux_key, g), removal);
        }
      } else {
        batch.Delete(impl.cfs[kCfAux], aux_key + prefix);
      }
      batch.Delete(impl.cfs[kCfGraphAux], k);
    }
    BIBKG_RETURN_IF_ERROR(FromRocks(iter->status(), "aux scan"));
    for (const AuxEntry& e : *entries) {
      if (e.list) {
        std::string item;
        TermId prev = 0;
        AppendListItem(&item, &prev, g, e.value);
        batch.Merge(impl.cfs[kCfLists], ListKey(e.key, g), item);
        batch.Put(impl.cfs[kCfGraphAux], prefix + e.key, kGraphAuxListMark);
      } else {
        BIBKG_ASSIGN_OR_RETURN(
            std::string value,
            StoredAuxValue(e, [&](const Term& t) { return intern(t, true); }));
        batch.Put(impl.cfs[kCfAux], e.key + prefix, value);
        batch.Put(impl.cfs[kCfGraphAux], prefix + e.key, rocksdb::Slice());
      }
    }
  }
  // Counters: writers are serialized, so read-modify-write is safe.
  absl::flat_hash_map<std::string, int64_t> counters;
  for (const auto& [name, delta] : changes.counters_) counters[name] += delta;
  for (const auto& [name, delta] : counters) {
    BIBKG_ASSIGN_OR_RETURN(int64_t current, impl.ReadCounter(name));
    batch.Put(impl.cfs[kCfMeta], std::string(kMetaCounterPrefix) + name,
              U64Key(static_cast<uint64_t>(current + delta)));
  }

  uint64_t new_count = impl.quad_count + inserted - deleted;
  impl.PutMeta(&batch, next_id, new_count);
  BIBKG_RETURN_IF_ERROR(
      FromRocks(impl.db->Write(rocksdb::WriteOptions(), &batch), "commit"));
  impl.next_term_id = next_id;
  impl.quad_count = new_count;
  for (auto& [k, id] : created)
    impl.CacheTerm(k, id, options_.term_cache_entries);
  if (stats) {
    stats->quads_inserted += inserted;
    stats->quads_deleted += deleted;
    stats->terms_created += created.size();
  }
  return absl::OkStatus();
}

std::unique_ptr<ReadView> Store::NewReadView() const {
  return std::unique_ptr<ReadView>(new ReadView(this));
}

absl::StatusOr<uint64_t> Store::WarmBlockCache(
    const std::atomic<bool>* stop) const {
  uint64_t bytes = 0;
  rocksdb::ReadOptions ro;
  ro.fill_cache = true;
  ro.readahead_size = 2u << 20;
  for (auto* cf : impl_->cfs) {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, cf));
    uint64_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
      if (stop && (++n & 0xffff) == 0 && stop->load()) return bytes;
    }
    BIBKG_RETURN_IF_ERROR(FromRocks(it->status(), "warming the cache"));
  }
  return bytes;
}

size_t DefaultServingBlockCacheBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGE_SIZE);
  size_t quarter =
      pages > 0 && page > 0 ? static_cast<size_t>(pages) * page / 4 : 0;
  return std::max<size_t>(quarter, size_t{512} << 20);
}

std::shared_ptr<const ReadView> Store::SharedReadView() const {
  // Every write (commit, ingested bulk run, counter) advances the sequence.
  const uint64_t latest = impl_->db->GetLatestSequenceNumber();
  std::lock_guard<std::mutex> lock(impl_->shared_view_mu);
  if (!impl_->shared_view || impl_->shared_view_seq != latest) {
    std::shared_ptr<const ReadView> view(new ReadView(this));
    impl_->shared_view_seq = view->sequence();
    impl_->shared_view = std::move(view);
  }
  return impl_->shared_view;
}

uint64_t ReadView::sequence() const { return snapshot_->GetSequenceNumber(); }

absl::StatusOr<std::unique_ptr<BulkLoader>> Store::NewBulkLoader(
    const BulkOptions& options) {
  if (options.run_quads == 0) {
    return absl::InvalidArgumentError("bulk run size must be positive");
  }
  return std::unique_ptr<BulkLoader>(new BulkLoader(this, options));
}

absl::Status Store::Sync() {
  return FromRocks(impl_->db->SyncWAL(), "syncing the write-ahead log");
}

absl::Status Store::CompactAll() {
  rocksdb::CompactRangeOptions o;
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* cf : impl_->cfs) {
    BIBKG_RETURN_IF_ERROR(FromRocks(
        impl_->db->CompactRange(o, cf, nullptr, nullptr), "compaction"));
  }
  return absl::OkStatus();
}

uint64_t Store::LiveTableBytes() const {
  uint64_t total = 0;
  for (auto* cf : impl_->cfs) {
    uint64_t v = 0;
    if (impl_->db->GetIntProperty(cf, "rocksdb.live-sst-files-size", &v))
      total += v;
  }
  return total;
}

// ---------------------------------------------------------------------------
// ReadView

struct ReadView::IteratorPool {
  std::mutex mu;
  std::vector<std::unique_ptr<rocksdb::Iterator>> free[kNumCfs];
};

// An iterator of one column family at the view's snapshot, borrowed from the
// pool and given back when the lease ends. It has no upper bound: callers
// stop at the end of their prefix.
class ReadView::Lease {
 public:
  Lease(const ReadView* view, int cf) : view_(view), cf_(cf) {
    {
      std::lock_guard<std::mutex> lock(view->pool_->mu);
      auto& free = view->pool_->free[cf];
      if (!free.empty()) {
        it_ = std::move(free.back());
        free.pop_back();
      }
    }
    if (!it_) {
      rocksdb::ReadOptions ro;
      ro.snapshot = view->snapshot_;
      it_.reset(view->store_->impl_->db->NewIterator(
          ro, view->store_->impl_->cfs[cf]));
    }
  }
  ~Lease() {
    if (!it_->status().ok()) return;  // a failed iterator is not reused
    std::lock_guard<std::mutex> lock(view_->pool_->mu);
    view_->pool_->free[cf_].push_back(std::move(it_));
  }
  rocksdb::Iterator* operator->() { return it_.get(); }

 private:
  const ReadView* view_;
  int cf_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

ReadView::ReadView(const Store* store)
    : store_(store), pool_(std::make_unique<IteratorPool>()) {
  const Store::Impl& impl = *store->impl_;
  snapshot_ = impl.db->GetSnapshot();
  // The counters are read from the snapshot, so they agree with its quads.
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  if (impl.db->Get(ro, impl.cfs[kCfMeta], kMetaNextTermId, &value).ok() &&
      value.size() == 8) {
    next_term_id_ = GetU64(value.data());
  }
  if (impl.db->Get(ro, impl.cfs[kCfMeta], kMetaQuadCount, &value).ok() &&
      value.size() == 8) {
    quad_count_ = GetU64(value.data());
  }
}

ReadView::~ReadView() {
  pool_.reset();  // iterators go before their snapshot
  store_->impl_->db->ReleaseSnapshot(snapshot_);
}

absl::StatusOr<TermId> ReadView::Lookup(const Term& term) const {
  std::string key = EncodeTerm(term);
  TermId cached;
  if (store_->impl_->read_cache->Find(key, &cached)) return cached;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s =
      store_->impl_->db->Get(ro, store_->impl_->cfs[kCfT2i], key, &value);
  if (s.IsNotFound()) {
    return absl::NotFoundError(
        absl::StrCat("unknown term ", term.ToNTriples()));
  }
  BIBKG_RETURN_IF_ERROR(FromRocks(s, "term lookup"));
  if (value.size() != 8) return absl::DataLossError("corrupt term id");
  TermId id = GetU64(value.data());
  store_->impl_->read_cache->Put(key, id);
  return id;
}

namespace {

// The term of `id` from its dictionary read (status `s`, stored `bytes`).
absl::Status DecodeDictionaryEntry(TermId id, const rocksdb::Status& s,
                                   std::string_view bytes, Term* out) {
  if (s.IsNotFound())
    return absl::NotFoundError(absl::StrCat("unknown term id ", id));
  BIBKG_RETURN_IF_ERROR(FromRocks(s, "term resolve"));
  if (!DecodeTerm(bytes, out)) {
    return absl::DataLossError(
        absl::StrCat("corrupt dictionary entry for id ", id));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Term> ReadView::Resolve(TermId id) const {
  Term cached;
  if (store_->impl_->read_cache->Find(id, &cached)) return cached;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s = store_->impl_->db->Get(ro, store_->impl_->cfs[kCfI2t],
                                             U64Key(id), &value);
  Term t;
  BIBKG_RETURN_IF_ERROR(DecodeDictionaryEntry(id, s, value, &t));
  store_->impl_->read_cache->Put(id, t);
  return t;
}

absl::StatusOr<std::vector<Term>> ReadView::ResolveMany(
    const std::vector<TermId>& ids) const {
  std::vector<Term> out(ids.size());
  std::vector<size_t> missing;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!store_->impl_->read_cache->Find(ids[i], &out[i])) missing.push_back(i);
  }
  if (missing.empty()) return out;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::vector<std::string> full(missing.size());
  std::vector<rocksdb::Slice> keys(missing.size());
  for (size_t k = 0; k < missing.size(); ++k) {
    full[k] = U64Key(ids[missing[k]]);
    keys[k] = full[k];
  }
  std::vector<rocksdb::PinnableSlice> values(missing.size());
  std::vector<rocksdb::Status> statuses(missing.size());
  store_->impl_->db->MultiGet(ro, store_->impl_->cfs[kCfI2t], keys.size(),
                              keys.data(), values.data(), statuses.data());
  for (size_t k = 0; k < missing.size(); ++k) {
    BIBKG_RETURN_IF_ERROR(DecodeDictionaryEntry(
        ids[missing[k]], statuses[k],
        std::string_view(values[k].data(), values[k].size()),
        &out[missing[k]]));
  }
  return out;
}

absl::Status ReadView::ScanIds(
    const IdPattern& pattern,
    const std::function<bool(const IdQuad&)>& fn) const {
  ScanPlan plan = PlanScan(pattern);
  Lease it(this, kCfPerm0 + static_cast<int>(plan.perm));
  for (it->Seek(plan.prefix); it->Valid() && it->key().starts_with(plan.prefix);
       it->Next()) {
    if (it->key().size() != kQuadKeySize) {
      return absl::DataLossError("corrupt quad key");
    }
    IdQuad q = DecodeQuadKey(
        plan.perm, std::string_view(it->key().data(), it->key().size()));
    if (!Matches(pattern, q)) continue;
    if (!fn(q)) return absl::OkStatus();
  }
  return FromRocks(it->status(), "scan");
}

absl::Status ReadView::ScanDistinct(
    const IdPattern& pattern, int position,
    const std::function<bool(TermId)>& fn) const {
  if (position < 0 || position > 3)
    return absl::InvalidArgumentError("position must be 0..3");
  ScanPlan plan = PlanScan(pattern);
  size_t bound = plan.prefix.size() / 8;
  // Where `position` stands in the index's order.
  std::array<TermId, 4> marker =
      Order(plan.perm, {position == 0 ? 1u : 0u, position == 1 ? 1u : 0u,
                        position == 2 ? 1u : 0u, position == 3 ? 1u : 0u});
  size_t index_pos = 0;
  while (index_pos < 4 && marker[index_pos] == 0) ++index_pos;
  // Skipping is exact when nothing but the prefix is bound and the position
  // comes right after it.
  int bound_total =
      (pattern.s != 0) + (pattern.p != 0) + (pattern.o != 0) + (pattern.g != 0);
  bool skip = index_pos == bound && static_cast<size_t>(bound_total) == bound;
  Lease it(this, kCfPerm0 + static_cast<int>(plan.perm));
  absl::flat_hash_set<TermId> seen;
  it->Seek(plan.prefix);
  while (it->Valid() && it->key().starts_with(plan.prefix)) {
    if (it->key().size() != kQuadKeySize)
      return absl::DataLossError("corrupt quad key");
    std::string_view key(it->key().data(), it->key().size());
    IdQuad q = DecodeQuadKey(plan.perm, key);
    TermId id = position == 0   ? q.s
                : position == 1 ? q.p
                : position == 2 ? q.o
                                : q.g;
    if (Matches(pattern, q) && seen.insert(id).second && !fn(id))
      return absl::OkStatus();
    if (skip && id != ~TermId{0}) {
      // Most ids are stated by one record: the next entry usually holds the
      // next id already, and a step costs far less than a seek. Seek only
      // past a run of repeats.
      std::string next(key.substr(0, 8 * bound));
      next += U64Key(id + 1);
      int steps = 0;
      for (it->Next(); it->Valid() && it->key().starts_with(plan.prefix) &&
                       it->key().size() == kQuadKeySize;
           it->Next()) {
        if (GetU64(it->key().data() + 8 * index_pos) != id) break;
        if (++steps == 4) {
          it->Seek(next);
          break;
        }
      }
    } else {
      it->Next();
    }
  }
  return FromRocks(it->status(), "distinct scan");
}

absl::Status ReadView::ScanAux(
    std::string_view prefix,
    const std::function<bool(std::string_view, TermId, std::string_view)>& fn)
    const {
  std::string start(prefix);
  Lease it(this, kCfAux);
  for (it->Seek(start); it->Valid() && it->key().starts_with(start);
       it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.size() < 8) return absl::DataLossError("corrupt aux key");
    TermId g = GetU64(k.data() + k.size() - 8);
    if (!fn(std::string_view(k.data(), k.size() - 8), g,
            std::string_view(it->value().data(), it->value().size()))) {
      return absl::OkStatus();
    }
  }
  return FromRocks(it->status(), "aux scan");
}

absl::Status ReadView::ScanList(
    std::string_view prefix,
    const std::function<bool(std::string_view, TermId, std::string_view)>& fn)
    const {
  ListWalk walk = ListWalk::kDone;
  absl::Status s =
      ScanListValues(prefix, [&](std::string_view key, std::string_view items) {
        walk = WalkListItems(items, [&](TermId g, std::string_view value) {
          return fn(key, g, value);
        });
        return walk == ListWalk::kDone;
      });
  if (s.ok() && walk == ListWalk::kCorrupt)
    return absl::DataLossError("corrupt list value");
  return s;
}

absl::Status ReadView::ScanListValues(
    std::string_view prefix,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::string start(prefix);
  Lease it(this, kCfLists);
  for (it->Seek(start); it->Valid() && it->key().starts_with(start);
       it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.size() < 4) return absl::DataLossError("corrupt list key");
    if (!fn(std::string_view(k.data(), k.size() - 4),
            std::string_view(it->value().data(), it->value().size())))
      return absl::OkStatus();
  }
  return FromRocks(it->status(), "list scan");
}

absl::StatusOr<std::string> ReadView::GetAux(std::string_view key,
                                             TermId graph) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  std::string full = std::string(key) + U64Key(graph);
  rocksdb::Status s =
      store_->impl_->db->Get(ro, store_->impl_->cfs[kCfAux], full, &value);
  if (s.IsNotFound()) return absl::NotFoundError("no such aux entry");
  BIBKG_RETURN_IF_ERROR(FromRocks(s, "aux read"));
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> ReadView::MultiGetAux(
    std::string_view key, const std::vector<TermId>& graphs) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::vector<std::string> full(graphs.size());
  std::vector<rocksdb::Slice> keys(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) {
    full[i] = std::string(key) + U64Key(graphs[i]);
    keys[i] = full[i];
  }
  std::vector<rocksdb::PinnableSlice> values(graphs.size());
  std::vector<rocksdb::Status> statuses(graphs.size());
  store_->impl_->db->MultiGet(ro, store_->impl_->cfs[kCfAux], keys.size(),
                              keys.data(), values.data(), statuses.data());
  std::vector<std::optional<std::string>> out(graphs.size());
  for (size_t i = 0; i < graphs.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    BIBKG_RETURN_IF_ERROR(FromRocks(statuses[i], "aux read"));
    out[i] = values[i].ToString();
  }
  return out;
}

int64_t ReadView::Counter(std::string_view name) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  std::string key = std::string(kMetaCounterPrefix) + std::string(name);
  if (store_->impl_->db->Get(ro, store_->impl_->cfs[kCfMeta], key, &value)
          .ok() &&
      value.size() == 8) {
    return static_cast<int64_t>(GetU64(value.data()));
  }
  return 0;
}

int64_t ReadView::InDegree(const Term& predicate, const Term& object) const {
  absl::StatusOr<TermId> p = Lookup(predicate);
  absl::StatusOr<TermId> o = Lookup(object);
  if (!p.ok() || !o.ok()) return 0;
  return Counter(InDegreeKey(*p, *o));
}

int64_t ReadView::InDegree(TermId predicate, TermId object) const {
  return Counter(InDegreeKey(predicate, object));
}

absl::StatusOr<uint64_t> ReadView::CountGraphs() const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::unique_ptr<rocksdb::Iterator> it(store_->impl_->db->NewIterator(
      ro, store_->impl_->perm(Permutation::kGspo)));
  uint64_t graphs = 0;
  it->SeekToFirst();
  while (it->Valid()) {
    ++graphs;
    TermId g = GetU64(it->key().data());
    if (g == ~TermId{0}) break;
    it->Seek(U64Key(g + 1));
  }
  BIBKG_RETURN_IF_ERROR(FromRocks(it->status(), "graph count"));
  return graphs;
}

absl::Status ReadView::Scan(const QuadPattern& pattern,
                            const std::function<bool(const Quad&)>& fn) const {
  IdPattern ids;
  const std::optional<Term>* in[4] = {&pattern.s, &pattern.p, &pattern.o,
                                      &pattern.g};
  TermId* out[4] = {&ids.s, &ids.p, &ids.o, &ids.g};
  for (int i = 0; i < 4; ++i) {
    if (!in[i]->has_value()) continue;
    absl::StatusOr<TermId> id = Lookup(**in[i]);
    if (absl::IsNotFound(id.status()))
      return absl::OkStatus();  // matches nothing
    BIBKG_RETURN_IF_ERROR(id.status());
    *out[i] = *id;
  }
  // Small per-scan cache: consecutive quads share most of their terms.
  constexpr size_t kScanCacheTerms = 100000;
  std::unordered_map<TermId, Term>
      cache;  // pointer-stable: s, p, o, g point in
  absl::Status inner;
  auto resolve = [&](TermId id) -> const Term* {
    auto it = cache.find(id);
    if (it != cache.end()) return &it->second;
    absl::StatusOr<Term> t = Resolve(id);
    if (!t.ok()) {
      inner = t.status();
      return nullptr;
    }
    return &cache.emplace(id, *std::move(t)).first->second;
  };
  BIBKG_RETURN_IF_ERROR(ScanIds(ids, [&](const IdQuad& q) {
    // Bounded, and emptied only between quads: a quad's terms point into it.
    if (cache.size() > kScanCacheTerms) cache.clear();
    const Term* s = resolve(q.s);
    const Term* p = s ? resolve(q.p) : nullptr;
    const Term* o = p ? resolve(q.o) : nullptr;
    const Term* g = o ? resolve(q.g) : nullptr;
    if (!g) return false;
    return fn(Quad{*s, *p, *o, *g});
  }));
  return inner;
}

}  // namespace bibkg::store
