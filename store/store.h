// A quad store on RocksDB: dictionary-encoded terms, four permutation column
// families, one named graph per source record.
//
// Column families (persistent layout, see docs/storage.md):
//   default  meta: "format_version", "next_term_id" (u64be), "quad_count"
//   (u64be) t2i      EncodeTerm(term) -> id:u64be i2t      id:u64be ->
//   EncodeTerm(term) spog posg ospg gspo   32-byte quad keys
//   (store/key_codec.h), empty values aux      key + graph id:u64be -> value
//   (entries derived from a graph,
//            such as search postings; opaque to the store)
//   gaux     graph id:u64be + key -> "" or "L" (which aux entries a graph
//            owns; "L": the entry is in the key's list)
//   lists    key + chunk:u32be -> graph items (list entries, store/lists.h)
//   default  also "counter/<name>" -> i64be  (counters kept by writers)
//
// Every change of graphs goes through one rocksdb::WriteBatch (Commit) or one
// atomic multi-column-family ingestion (BulkLoader), so after a crash each
// graph is either wholly old or wholly new. Readers use a snapshot (ReadView).
//
// Terms are never deleted from the dictionary: an id stays valid for the life
// of the database.
#ifndef BIBKG_STORE_STORE_H_
#define BIBKG_STORE_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/key_codec.h"
#include "store/term.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Snapshot;
}  // namespace rocksdb

namespace bibkg::store {

struct StoreOptions {
  // Create the database when `dir` holds none. Default: true.
  bool create_if_missing = true;
  // Upper bound on the writer's term -> id cache, in entries. The cache is
  // emptied when it grows past this. Default: 4M (about 400 MB).
  size_t term_cache_entries = 4u << 20;
  // Block cache shared by all column families, in bytes: decompressed table
  // blocks kept for reads. Default: 512 MiB.
  size_t block_cache_bytes = 512u << 20;
  // Dictionary entries (id <-> term) kept for readers, shared by all
  // ReadViews, in bytes; the least recently read go first. Every answer reads
  // the titles, dates and identifiers of the works it shows. Default (0): an
  // eighth of block_cache_bytes (for a server's default cache on a 24 GiB
  // machine, 768 MiB: the dictionary entries a 1M-work graph's answers show).
  size_t read_cache_bytes = 0;
  // Predicates whose in-degree the store keeps as it writes: for each
  // object, the number of distinct subjects linked to it (in any graph), so
  // "how often is X cited" is one read. Every opener of a database should
  // give the same list. Default: cito:cites.
  std::vector<std::string> counted_predicates = {
      "http://purl.org/spar/cito/cites"};
};

// The block cache a server should have by default: a quarter of the
// machine's memory (at least 512 MiB). The cache takes memory only as blocks
// are read; a large graph's queries then decompress nothing twice.
size_t DefaultServingBlockCacheBytes();

// An entry derived from a graph (a search posting, a document statistic).
// The store keeps it under `key` followed by the graph's id, and removes it
// with the graph.
struct AuxEntry {
  std::string key;
  std::string value;
  // Kept in the key's list instead (store/lists.h): every graph's entry under
  // `key` read together, in graph order, by ReadView::ScanList. For entries
  // read all at once, such as a word's search postings. The value is at most
  // 254 bytes.
  bool list = false;
  // Terms whose ids the store appends to `value` as it writes the entry, a
  // varint each (base/varint.h), interning them as it does a quad's terms:
  // an entry that names nodes then takes a few bytes for each. Not for list
  // entries.
  std::vector<Term> ids = {};
};

// Changes to several graphs, applied together by Store::Commit in one atomic
// write. Not thread-safe; a WriteSet is built by one thread.
class WriteSet {
 public:
  // The graph's aux entries become exactly `entries` (applied after the quad
  // operations on that graph; DropGraph removes them too).
  void SetAux(Term graph, std::vector<AuxEntry> entries);
  // Adds `delta` to the named counter.
  void AddToCounter(std::string name, int64_t delta);
  // The graph's quads become exactly `triples` (duplicates are dropped).
  void ReplaceGraph(Term graph, std::vector<Triple> triples);
  // Removes every quad of the graph.
  void DropGraph(Term graph);
  // Adds `triples` to what the graph already holds.
  void AddToGraph(Term graph, std::vector<Triple> triples);
  bool empty() const { return ops_.empty() && counters_.empty(); }

 private:
  friend class Store;
  enum class OpKind { kReplace, kDrop, kAdd, kSetAux };
  struct Op {
    OpKind kind;
    Term graph;
    std::vector<Triple> triples;
    std::vector<AuxEntry> aux;
  };
  std::vector<Op> ops_;
  std::vector<std::pair<std::string, int64_t>> counters_;
};

// What a Commit changed.
struct CommitStats {
  uint64_t quads_inserted = 0;
  uint64_t quads_deleted = 0;
  uint64_t terms_created = 0;
};

// A pattern of terms; an unset position matches anything.
struct QuadPattern {
  std::optional<Term> s, p, o, g;
};

// A consistent, read-only view of the store at one point in time (a RocksDB
// snapshot). It never sees half of a commit. Safe for concurrent use by
// several threads; must not outlive the Store.
class ReadView {
 public:
  ~ReadView();
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  // Calls `fn` on every quad matching `pattern`, in the order of the index
  // that answers it, until `fn` returns false. A pattern naming a term the
  // store has never seen matches nothing.
  absl::Status Scan(const QuadPattern& pattern,
                    const std::function<bool(const Quad&)>& fn) const;
  // The same over ids (no dictionary lookups).
  absl::Status ScanIds(const IdPattern& pattern,
                       const std::function<bool(const IdQuad&)>& fn) const;
  // Calls `fn` once for each distinct id at `position` (0 s, 1 p, 2 o, 3 g)
  // among the quads matching `pattern`, in index order, until it returns
  // false. When the position follows the pattern's prefix in the index (the
  // objects of (s, p), the subjects of (p, o)), it skips over the repeats
  // with one seek per distinct id, so a fact stated by many records costs
  // one step.
  absl::Status ScanDistinct(const IdPattern& pattern, int position,
                            const std::function<bool(TermId)>& fn) const;
  // The id of `term`; NotFound when the store has never seen it. Ids and
  // terms never change, and a view may know of terms created after its
  // snapshot (their quads stay invisible to it).
  absl::StatusOr<TermId> Lookup(const Term& term) const;
  // The term of `id`; NotFound for an id never assigned, DataLoss when the
  // stored bytes are corrupt.
  absl::StatusOr<Term> Resolve(TermId id) const;
  // The terms of `ids`, in that order, in one batched read: for terms read
  // once, such as one work's literals (written together, so side by side in
  // the dictionary). Those not in the read cache are not added to it, which
  // keeps the terms read again and again. Errors as Resolve.
  absl::StatusOr<std::vector<Term>> ResolveMany(
      const std::vector<TermId>& ids) const;
  // Calls `fn(key, graph, value)` for every aux entry whose key starts with
  // `prefix`, in key order, until it returns false.
  absl::Status ScanAux(
      std::string_view prefix,
      const std::function<bool(std::string_view key, TermId graph,
                               std::string_view value)>& fn) const;
  // Calls `fn(key, graph, value)` for every list entry (AuxEntry::list)
  // whose key starts with `prefix`, until it returns false. The entries of
  // one key come in graph order; with a prefix that is not a whole key,
  // entries of keys that extend one another may interleave.
  absl::Status ScanList(
      std::string_view prefix,
      const std::function<bool(std::string_view key, TermId graph,
                               std::string_view value)>& fn) const;
  // The same, a stored value at a time: `fn(key, items)` with `items` the
  // encoded items of one chunk of graphs (store/list_reader.h reads them;
  // a stored value holds no removals), in key and graph order. For readers
  // that walk every item (Search), without a call per item.
  absl::Status ScanListValues(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view items)>&
          fn) const;
  // The value of aux entry `key` of `graph`; NotFound when absent.
  absl::StatusOr<std::string> GetAux(std::string_view key, TermId graph) const;
  // The values of aux entry `key` of each of `graphs`, in one batched read
  // (nullopt where absent).
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGetAux(
      std::string_view key, const std::vector<TermId>& graphs) const;
  // The value of a counter (0 when never written).
  int64_t Counter(std::string_view name) const;
  // The number of distinct subjects with a `predicate` link to `object`,
  // for a predicate in StoreOptions::counted_predicates (else 0).
  int64_t InDegree(const Term& predicate, const Term& object) const;
  // The same by term ids.
  int64_t InDegree(TermId predicate, TermId object) const;
  // Number of distinct graphs (one seek per graph).
  absl::StatusOr<uint64_t> CountGraphs() const;
  // Number of quads and of dictionary terms in this view.
  uint64_t quad_count() const { return quad_count_; }
  // The sequence number of the view's snapshot: equal for two views of the
  // same database state.
  uint64_t sequence() const;
  uint64_t term_count() const { return next_term_id_ - 1; }

 private:
  friend class Store;
  ReadView(const class Store* store);
  // Iterators kept for reuse: creating one costs more than a seek.
  struct IteratorPool;
  class Lease;
  const class Store* store_;
  const rocksdb::Snapshot* snapshot_;
  std::unique_ptr<IteratorPool> pool_;
  uint64_t quad_count_ = 0;
  uint64_t next_term_id_ = 1;
};

class BulkLoader;

// Options of a bulk load.
struct BulkOptions {
  // Quads buffered before a sorted run is written and ingested. Each buffered
  // quad takes 32 bytes. Default: 4M (128 MB).
  size_t run_quads = 4u << 20;
};

// The quad store. Thread-safe: writers (Commit, BulkLoader) are serialized by
// an internal mutex; readers use ReadViews and never block writers.
class Store {
 public:
  // Opens (or creates) the database in `dir`.
  static absl::StatusOr<std::unique_ptr<Store>> Open(
      const std::string& dir, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Applies every change of `changes` in one atomic write. On error nothing
  // is written. InvalidArgument for a malformed term (a literal predicate,
  // a literal graph, a language tag over 255 bytes).
  absl::Status Commit(const WriteSet& changes, CommitStats* stats = nullptr);
  absl::Status ReplaceGraph(const Term& graph, std::vector<Triple> triples);
  absl::Status DropGraph(const Term& graph);

  // Reads every table once so that the block cache holds what fits of it:
  // a server that has just started answers as one that has run for a while.
  // Returns the bytes read.
  // With `stop`, gives up (OK, the bytes read so far) once *stop is true.
  absl::StatusOr<uint64_t> WarmBlockCache(
      const std::atomic<bool>* stop = nullptr) const;

  // A snapshot of the current state.
  std::unique_ptr<ReadView> NewReadView() const;
  // A snapshot of the current state shared by every caller until the next
  // write: readers of an unchanged database reuse one view (its snapshot,
  // iterators and counters) instead of making their own. Thread-safe.
  std::shared_ptr<const ReadView> SharedReadView() const;

  // Starts a bulk load. The loader holds the writer lock until it is
  // destroyed: other writers wait.
  absl::StatusOr<std::unique_ptr<BulkLoader>> NewBulkLoader(
      const BulkOptions& options = {});

  // Makes every committed write durable (fsyncs the write-ahead log).
  absl::Status Sync();
  // Compacts every column family (reclaims space after deletes).
  absl::Status CompactAll();
  // Bytes of live table files over all column families.
  uint64_t LiveTableBytes() const;

  const std::string& dir() const { return dir_; }

 private:
  friend class ReadView;
  friend class BulkLoader;
  struct Impl;
  Store(std::string dir, StoreOptions options);
  absl::Status CommitLocked(const WriteSet& changes, CommitStats* stats);

  std::string dir_;
  StoreOptions options_;
  std::unique_ptr<Impl> impl_;
  mutable std::mutex write_mu_;
};

// Loads many graphs fast: quads are buffered, sorted per permutation, written
// as table files and ingested into all column families in one atomic step per
// run. A graph already in the store (or added twice) is replaced through the
// ordinary Commit path, so the result equals ReplaceGraph for every graph.
// Not thread-safe.
class BulkLoader {
 public:
  ~BulkLoader();
  // Stages the graph's quads: they replace what the graph held, or with
  // `replace` false are added to it.
  absl::Status AddGraph(const Term& graph, const std::vector<Triple>& triples,
                        bool replace = true);
  // Stages a new graph with its aux entries (see WriteSet::SetAux). For a
  // graph that HasGraph() reports, use a WriteSet instead: the loader cannot
  // diff aux entries. FailedPrecondition when the graph exists.
  absl::Status AddNewGraph(const Term& graph,
                           const std::vector<Triple>& triples,
                           const std::vector<AuxEntry>& aux);
  // Adds `delta` to a named counter in the same ingestion as the quads.
  void AddToCounter(const std::string& name, int64_t delta);
  // True when the graph is in the store or was staged by this loader.
  absl::StatusOr<bool> HasGraph(const Term& graph);
  // Writes and ingests the pending run. Graphs staged since the last run are
  // absent until this returns OK.
  absl::Status Flush();
  // Flush, then commits `changes` as Store::Commit does (one atomic write),
  // under the writer lock the loader holds. Graphs the write changes are
  // replaced, not appended to, by later AddGraph calls.
  absl::Status Commit(const WriteSet& changes, CommitStats* stats = nullptr);
  // Flush, then give the writer lock back. The loader is unusable after.
  absl::Status Finish();

  uint64_t quads_loaded() const { return quads_loaded_; }
  uint64_t runs() const { return runs_; }
  // Every graph given to AddGraph, once each, in first-seen order: what a
  // caller must bring derived data (aux entries) up to date for.
  const std::vector<TermId>& graphs() const { return graphs_; }

 private:
  friend class Store;
  struct RunState;
  BulkLoader(Store* store, BulkOptions options);
  absl::StatusOr<TermId> Intern(const Term& term, bool* created);

  // A full run is written and ingested on a background thread while the
  // next one is staged; at most one run is in flight.
  absl::Status StartFlush();
  absl::Status WaitFlush();
  absl::Status WriteRun(RunState& run);
  // Graphs added to in several calls may have repeated a quad: count what
  // was stored and correct the quad count.
  absl::Status CorrectAppendedCounts();

  Store* store_;
  BulkOptions options_;
  std::unique_lock<std::mutex> lock_;
  std::unique_ptr<RunState> run_;
  std::unique_ptr<RunState> flushing_;
  std::vector<TermId> counted_ids_;  // counted predicates' ids
  std::thread flush_thread_;
  absl::Status flush_status_;
  TermId first_new_id_ = 0;
  std::string key_buf_;  // Intern's encoded term
  uint64_t quads_loaded_ = 0;
  uint64_t runs_ = 0;
  std::vector<TermId> graphs_;
  bool finished_ = false;
};

}  // namespace bibkg::store

#endif  // BIBKG_STORE_STORE_H_
