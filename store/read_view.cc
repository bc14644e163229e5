// ReadView: reads at one snapshot, through pooled iterators and the shared
// dictionary read cache.
#include <array>
#include <functional>
#include <unordered_map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/slice.h"
#include "store/lists.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
using namespace internal;  // NOLINT: this file implements the internals

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

uint64_t ReadView::sequence() const { return snapshot_->GetSequenceNumber(); }

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
