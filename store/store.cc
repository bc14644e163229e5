// Store: opening a database (its column families and their options), its
// lifetime, the views it hands out and its maintenance. The commit path is in
// store_commit.cc, ReadView in read_view.cc, BulkLoader in bulk_loader.cc.
#include "store/store.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "store/store_internal.h"

namespace bibkg::store {
using namespace internal;  // NOLINT: this file implements the internals

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
  // A database without one of the column families gets it, empty.
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

}  // namespace bibkg::store
