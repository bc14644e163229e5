// Internals shared by the store's .cc files (store.cc, store_commit.cc,
// read_view.cc, bulk_loader.cc). Not part of the API.
#ifndef BIBKG_STORE_STORE_INTERNAL_H_
#define BIBKG_STORE_STORE_INTERNAL_H_

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/varint.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "store/lists.h"
#include "store/store.h"

namespace bibkg::store {
namespace internal {

// DO NOT CHANGE: the on-disk layout version written at creation.
constexpr const char* kFormatVersion = "1";
constexpr const char* kMetaFormatVersion = "format_version";
constexpr const char* kMetaNextTermId = "next_term_id";
constexpr const char* kMetaQuadCount = "quad_count";

// Column-family indexes in Impl::cfs.
constexpr int kCfMeta = 0;
constexpr int kCfT2i = 1;
constexpr int kCfI2t = 2;
constexpr int kCfPerm0 = 3;  // + static_cast<int>(Permutation)
constexpr int kCfAux = kCfPerm0 + kNumPermutations;  // derived entries
constexpr int kCfGraphAux = kCfAux + 1;              // graph id + aux key
constexpr int kCfLists = kCfGraphAux + 1;            // list entries
constexpr int kNumCfs = kCfLists + 1;
// gaux value of an entry kept in its key's list.
constexpr const char* kGraphAuxListMark = "L";
constexpr const char* kMetaCounterPrefix = "counter/";

constexpr Permutation kPerms[kNumPermutations] = {
    Permutation::kSpog, Permutation::kPosg, Permutation::kOspg,
    Permutation::kGspo};

inline absl::Status FromRocks(const rocksdb::Status& s,
                              const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsIOError()) return absl::UnavailableError(msg);
  if (s.IsBusy() || s.IsTryAgain()) return absl::AbortedError(msg);
  return absl::InternalError(msg);
}

// `cache`: the block cache shared by every column family (nullptr: none,
// as when writing bulk-load tables).
inline rocksdb::ColumnFamilyOptions CfOptions(
    int cf, std::shared_ptr<rocksdb::Cache> cache = nullptr) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_size = 16 * 1024;  // larger blocks compress sorted ids better
  t.format_version = 5;
  if (cache) {
    t.block_cache = std::move(cache);
  } else {
    t.no_block_cache = true;
  }
  if (cf == kCfT2i || cf == kCfI2t || cf == kCfAux || cf == kCfMeta) {
    // Point lookups of terms (most lookups of new terms miss), of documents'
    // entries (a search reads those of its best 200 hits, spread over the
    // whole table) and of counters (every GetWork reads its work's in-degree):
    // small blocks, so that a lookup decompresses little, and a hash index in
    // each block, so that it finds its key without a binary search and a walk
    // over long, prefix-sharing keys.
    t.block_size = 4 * 1024;
    t.data_block_index_type =
        rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
    t.data_block_hash_table_util_ratio = 0.75;
    // The hash index finds a key's restart interval, which is then walked
    // key by key: short intervals keep that walk short.
    t.block_restart_interval = 4;
  }
  // Most lookups of a new term miss, and so does the in-degree of a work
  // nobody cites: a Bloom filter answers them. Ids are looked up only once
  // known, so the id table needs none.
  if (cf == kCfT2i || cf == kCfMeta)
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (cf == kCfLists) o.merge_operator = NewListMergeOperator();
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.compression = rocksdb::kLZ4Compression;
  // An import ingests one table per column family and run; a table that
  // overlaps the data below it lands in level 0. Compacting level 0 at the
  // default four files rewrites the first level's growing table with every
  // few runs (a sixth of a 1M-record import's CPU); eight halves that, and
  // stays far below the write slowdown at twenty.
  o.level0_file_num_compaction_trigger = 8;
  // Tables that queries read are kept in LZ4 at every level: a cold block
  // decompresses about four times faster than with ZSTD, and most reads of a
  // large graph are of blocks not in the cache. Tables read only to remove a
  // graph or to answer graph-bound patterns take ZSTD once fully compacted.
  o.bottommost_compression =
      (cf == kCfPerm0 + static_cast<int>(Permutation::kGspo) ||
       cf == kCfGraphAux)
          ? rocksdb::kZSTD
          : rocksdb::kLZ4Compression;
  return o;
}

// The counter name of the in-degree of object `o` under predicate `p`.
inline std::string InDegreeKey(TermId p, TermId o) {
  return "in/" + U64Key(p) + U64Key(o);
}

inline std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char c = static_cast<unsigned char>(prefix.back());
    if (c != 0xff) {
      prefix.back() = static_cast<char>(c + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // empty: no upper bound
}

// A language tag must fit its length byte in the term's encoding.
inline bool LangTagTooLong(const Term& t) {
  return t.kind == Term::Kind::kLangLiteral && t.extra.size() > 255;
}

inline absl::Status ValidateTriple(const Triple& t) {
  if (t.s.is_literal()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a literal cannot be a subject: ", t.s.ToNTriples()));
  }
  if (!t.p.is_iri()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a predicate must be an IRI: ", t.p.ToNTriples()));
  }
  if (LangTagTooLong(t.o)) {
    return absl::InvalidArgumentError("language tag longer than 255 bytes");
  }
  return absl::OkStatus();
}

// A list entry's value must fit its item's length byte; only other entries
// carry term ids.
inline absl::Status ValidateAuxEntry(const AuxEntry& e) {
  if (e.list && !e.ids.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("list entry \"", e.key, "\": term ids are not for lists"));
  }
  for (const Term& t : e.ids) {
    if (LangTagTooLong(t)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "aux entry \"", e.key, "\": language tag longer than 255 bytes"));
    }
  }
  if (e.list && e.value.size() > kMaxListValue) {
    return absl::InvalidArgumentError(
        absl::StrCat("list entry \"", e.key, "\": a value of ", e.value.size(),
                     " bytes (at most ", kMaxListValue, ")"));
  }
  return absl::OkStatus();
}

// The value an aux entry is stored with: its value, then the ids of its
// AuxEntry::ids as varints, each interned by `intern(term)` (the commit's or
// the bulk run's).
template <typename Intern>
absl::StatusOr<std::string> StoredAuxValue(const AuxEntry& e, Intern&& intern) {
  std::string value = e.value;
  for (const Term& t : e.ids) {
    BIBKG_ASSIGN_OR_RETURN(TermId id, intern(t));
    AppendVarint(&value, id);
  }
  return value;
}

inline absl::Status ValidateGraph(const Term& g) {
  if (g.is_literal()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a graph name must be an IRI: ", g.ToNTriples()));
  }
  return absl::OkStatus();
}

using IdTriple = std::array<TermId, 3>;

}  // namespace internal

using namespace internal;  // NOLINT: internal header

// A bounded cache of dictionary entries for readers. An id and its term never
// change once written (ids are not reused, terms not deleted), so entries
// stay true for every snapshot. Held in two RocksDB LRU caches, one each way
// (in shards of at least 512 KiB, each with its lock; a lookup copies no
// key), charged by the bytes an entry takes: when full, the least recently
// read entries go, one at a time (emptying a shard at once would stall every
// reader of it for milliseconds). Thread-safe.
class TermReadCache {
 public:
  // Half of `capacity_bytes` each way (id -> term, term -> id).
  explicit TermReadCache(size_t capacity_bytes)
      : terms_(NewCache(capacity_bytes / 2)),
        ids_(NewCache(capacity_bytes / 2)) {}

  bool Find(TermId id, Term* out) const {
    char key[sizeof(id)];
    std::memcpy(key, &id, sizeof(id));
    return Get(terms_.get(), rocksdb::Slice(key, sizeof(key)), out);
  }
  bool Find(const std::string& encoded, TermId* out) const {
    return Get(ids_.get(), encoded, out);
  }
  void Put(TermId id, const Term& term) {
    char key[sizeof(id)];
    std::memcpy(key, &id, sizeof(id));
    Insert(terms_.get(), rocksdb::Slice(key, sizeof(key)), new Term(term),
           sizeof(Term) + term.value.size() + term.extra.size());
  }
  void Put(const std::string& encoded, TermId id) {
    Insert(ids_.get(), encoded, new TermId(id), sizeof(TermId));
  }
  // Bytes charged for what is held.
  size_t Usage() const { return terms_->GetUsage() + ids_->GetUsage(); }

 private:
  static std::shared_ptr<rocksdb::Cache> NewCache(size_t bytes) {
    return rocksdb::NewLRUCache(bytes, /*num_shard_bits=*/-1,
                                /*strict_capacity_limit=*/false,
                                /*high_pri_pool_ratio=*/0.0);
  }
  template <typename T>
  static bool Get(rocksdb::Cache* cache, const rocksdb::Slice& key, T* out) {
    rocksdb::Cache::Handle* h = cache->Lookup(key);
    if (h == nullptr) return false;
    *out = *static_cast<const T*>(cache->Value(h));
    cache->Release(h);
    return true;
  }
  template <typename T>
  static void Insert(rocksdb::Cache* cache, const rocksdb::Slice& key, T* value,
                     size_t bytes) {
    // Charged with the key; the cache adds its own handle's size.
    cache
        ->Insert(
            key, value, bytes + key.size(),
            [](const rocksdb::Slice&, void* v) { delete static_cast<T*>(v); })
        .PermitUncheckedError();
  }
  std::shared_ptr<rocksdb::Cache> terms_;  // by id
  std::shared_ptr<rocksdb::Cache> ids_;    // by encoded term
};

struct Store::Impl {
  using IdTriple = internal::IdTriple;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  std::unique_ptr<TermReadCache> read_cache;
  // Guarded by Store::write_mu_.
  TermId next_term_id = 1;
  uint64_t quad_count = 0;
  // Term -> id cache of the writer, in two generations: when the young one
  // is full it becomes the old one, and terms found in the old one move
  // back to the young. Frequent terms (predicates, classes, people,
  // subjects, journals) stay; a long import of unique titles does not
  // push them out.
  absl::flat_hash_map<std::string, TermId> term_cache;
  absl::flat_hash_map<std::string, TermId> term_cache_old;
  size_t term_cache_limit = 4u << 20;  // entries in both generations
  // True while every term of the database is in term_cache (from creation of
  // the database until the cache first drops a generation): a miss is then a
  // new term, with no read.
  bool cache_complete = false;
  // The view SharedReadView hands out while nothing is written, and the
  // sequence number of its snapshot.
  std::mutex shared_view_mu;
  std::shared_ptr<const ReadView> shared_view;
  uint64_t shared_view_seq = 0;

  // The writes of one Commit, built step by step into one batch
  // (store/store_commit.cc).
  class CommitBatch;

  rocksdb::ColumnFamilyHandle* perm(Permutation p) const {
    return cfs[kCfPerm0 + static_cast<int>(p)];
  }

  // The id of an encoded term in the current (unsnapshotted) state.
  absl::StatusOr<std::optional<TermId>> LookupEncoded(const std::string& key) {
    if (auto it = term_cache.find(key); it != term_cache.end())
      return it->second;
    if (auto it = term_cache_old.find(key); it != term_cache_old.end()) {
      TermId id = it->second;
      CacheTerm(key, id, term_cache_limit);
      return id;
    }
    if (cache_complete) return std::optional<TermId>();
    std::string value;
    rocksdb::Status s =
        db->Get(rocksdb::ReadOptions(), cfs[kCfT2i], key, &value);
    if (s.IsNotFound()) return std::optional<TermId>();
    BIBKG_RETURN_IF_ERROR(FromRocks(s, "term lookup"));
    if (value.size() != 8) return absl::DataLossError("corrupt term id");
    TermId id = GetU64(value.data());
    CacheTerm(key, id, term_cache_limit);
    return std::optional<TermId>(id);
  }

  void CacheTerm(std::string key, TermId id, size_t limit) {
    term_cache_limit = limit;
    if (term_cache.size() >= limit / 2) {
      term_cache_old = std::move(term_cache);
      term_cache = {};
      cache_complete = false;
    }
    term_cache.emplace(std::move(key), id);
  }

  // StoreOptions::counted_predicates (see InDegreeKey).
  std::vector<std::string> counted_predicates;

  // The number of graphs that hold (s, p, o) now.
  absl::StatusOr<uint64_t> TripleGraphCount(TermId s, TermId p, TermId o) {
    char key[kQuadKeySize];
    EncodeQuadKey(Permutation::kSpog, {s, p, o, 0}, key);
    rocksdb::Slice prefix(key, 24);
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), perm(Permutation::kSpog)));
    uint64_t n = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
         it->Next()) {
      ++n;
    }
    BIBKG_RETURN_IF_ERROR(FromRocks(it->status(), "triple lookup"));
    return n;
  }

  // The stored value of a named counter (0 when never written).
  absl::StatusOr<int64_t> ReadCounter(const std::string& name) {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), cfs[kCfMeta],
                                std::string(kMetaCounterPrefix) + name, &value);
    if (s.IsNotFound()) return 0;
    BIBKG_RETURN_IF_ERROR(FromRocks(s, "counter read"));
    return value.size() == 8 ? static_cast<int64_t>(GetU64(value.data())) : 0;
  }

  // Calls fn(key) for every GSPO key of graph `g`, in order.
  template <typename Fn>
  absl::Status ForGraphKeys(TermId g, Fn fn) {
    std::string prefix = U64Key(g);
    std::string end = PrefixEnd(prefix);
    rocksdb::Slice upper(end);
    rocksdb::ReadOptions ro;
    ro.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(ro, perm(Permutation::kGspo)));
    for (it->Seek(prefix); it->Valid(); it->Next())
      fn(std::string_view(it->key().data(), it->key().size()));
    return FromRocks(it->status(), "graph scan");
  }

  // The number of quads a graph holds now.
  absl::StatusOr<uint64_t> GraphSize(TermId g) {
    uint64_t n = 0;
    BIBKG_RETURN_IF_ERROR(ForGraphKeys(g, [&](std::string_view) { ++n; }));
    return n;
  }

  // The id-triples a graph holds now, sorted.
  absl::StatusOr<std::vector<IdTriple>> GraphTriples(TermId g) {
    std::vector<IdTriple> out;
    BIBKG_RETURN_IF_ERROR(ForGraphKeys(g, [&](std::string_view key) {
      IdQuad q = DecodeQuadKey(Permutation::kGspo, key);
      out.push_back({q.s, q.p, q.o});
    }));
    return out;
  }

  bool GraphExists(TermId g) {
    std::string prefix = U64Key(g);
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), perm(Permutation::kGspo)));
    it->Seek(prefix);
    return it->Valid() && it->key().starts_with(prefix);
  }

  void PutMeta(rocksdb::WriteBatch* b, TermId next_id, uint64_t quads) {
    b->Put(cfs[kCfMeta], kMetaNextTermId, U64Key(next_id));
    b->Put(cfs[kCfMeta], kMetaQuadCount, U64Key(quads));
  }
};

}  // namespace bibkg::store

#endif  // BIBKG_STORE_STORE_INTERNAL_H_
