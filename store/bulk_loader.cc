// BulkLoader: sorted runs -> SstFileWriter -> one atomic IngestExternalFiles
// over every column family (quads, dictionary and counters together).
#include <algorithm>
#include <filesystem>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "rocksdb/sst_file_writer.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
using namespace internal;  // NOLINT: this file implements the internals

namespace {

// The table files of one run, in the loader's temporary directory, and the
// arguments that ingest each into its column family.
class RunFiles {
 public:
  RunFiles(const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
           std::filesystem::path dir, int seq)
      : cfs_(cfs), dir_(std::move(dir)), seq_(seq) {}

  // The path of the run's table `name`.
  std::string Path(const char* name) const {
    return (dir_ / absl::StrCat(name, "-", seq_, ".sst")).string();
  }
  // Table `name` goes into column family `cf` (moved there by the ingestion).
  void Ingest(int cf, const char* name) {
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cfs_[cf];
    arg.external_files.push_back(Path(name));
    arg.options.move_files = true;
    arg.options.allow_blocking_flush = true;
    args_.push_back(std::move(arg));
  }
  const std::vector<rocksdb::IngestExternalFileArg>& args() const {
    return args_;
  }

 private:
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs_;
  std::filesystem::path dir_;
  int seq_;
  std::vector<rocksdb::IngestExternalFileArg> args_;
};

}  // namespace

struct BulkLoader::RunState {
  std::vector<IdQuad> quads;
  // Terms created in this run, in id order, and an index over them.
  std::vector<std::pair<std::string, TermId>> new_terms;
  absl::flat_hash_map<std::string, TermId> new_term_index;
  // Graphs staged by this loader (any run): a second AddGraph of one of them
  // goes through Commit so that it replaces rather than adds.
  absl::flat_hash_set<TermId> seen_graphs;
  // Graphs this loader created, with the quads staged for each; and those
  // that were added to more than once (their count is checked at Finish,
  // since a quad repeated across calls is staged twice but stored once).
  absl::flat_hash_map<TermId, uint64_t> new_graphs;
  absl::flat_hash_set<TermId> appended;
  TermId next_id = 1;
  uint64_t quad_count = 0;
  int file_seq = 0;
  // Aux entries of new graphs, in one buffer: "aux key + graph id" then the
  // value, located by AuxRef (sorting refs moves no strings).
  // A list entry's key is ListKey(aux key, graph) + graph id.
  struct AuxRef {
    size_t offset;
    uint32_t key_size;  // including the 8-byte graph id
    uint32_t value_size;
    bool list;
  };
  std::string aux_arena;
  std::vector<AuxRef> aux;
  bool aux_in_graph_order = true;  // graphs staged in ascending id order
  TermId last_aux_graph = 0;
  absl::flat_hash_map<std::string, int64_t> counters;
  // Staged triples with a counted predicate (see StoreOptions).
  std::vector<IdTriple> counted;

  // The steps of BulkLoader::WriteRun: each writes the run's table files of
  // some column families and adds them to `files`.
  absl::Status WriteQuadTables(RunFiles& files);
  absl::Status WriteDictionaryTables(RunFiles& files);
  // aux: key + graph id -> value; gaux: graph id + key -> "" or the list
  // mark; lists: a merge operand per list key.
  absl::Status WriteAuxTables(RunFiles& files);
  // The counters (named ones and in-degrees) and the metadata, written last:
  // they read what earlier runs stored.
  absl::Status WriteMetaTable(Store::Impl& impl, RunFiles& files);

 private:
  absl::Status WriteGraphAuxTable(RunFiles& files);
  absl::Status WritePlainAuxTable(RunFiles& files);
  absl::Status WriteListTable(std::vector<AuxRef> lists, RunFiles& files);
  // In-degrees: a staged triple that no graph holds yet adds one to its
  // object's count (earlier runs are ingested by now).
  absl::Status CountInDegrees(Store::Impl& impl);

  std::string_view KeyOf(const AuxRef& r) const {
    return std::string_view(aux_arena.data() + r.offset, r.key_size);
  }
  std::string_view ValueOf(const AuxRef& r) const {
    return std::string_view(aux_arena.data() + r.offset + r.key_size,
                            r.value_size);
  }
  // The aux key an entry is owned under (a list key without its chunk).
  std::string_view AuxKeyOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(0, k.size() - 8 - (r.list ? 4 : 0));
  }
  // A list entry's key: the list key, with its chunk.
  std::string_view ListKeyOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(0, k.size() - 8);
  }
  std::string_view GraphOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(k.size() - 8);
  }
};

namespace {

// Orders of the four permutations, as inlinable functors.
struct LessSpog {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return std::tie(a.s, a.p, a.o, a.g) < std::tie(b.s, b.p, b.o, b.g);
  }
};
struct LessPosg {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return std::tie(a.p, a.o, a.s, a.g) < std::tie(b.p, b.o, b.s, b.g);
  }
};
struct LessOspg {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return std::tie(a.o, a.s, a.p, a.g) < std::tie(b.o, b.s, b.p, b.g);
  }
};
struct LessGspo {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return std::tie(a.g, a.s, a.p, a.o) < std::tie(b.g, b.s, b.p, b.o);
  }
};

void SortFor(Permutation p, std::vector<IdQuad>* quads) {
  switch (p) {
    case Permutation::kSpog:
      std::sort(quads->begin(), quads->end(), LessSpog());
      break;
    case Permutation::kPosg:
      std::sort(quads->begin(), quads->end(), LessPosg());
      break;
    case Permutation::kOspg:
      std::sort(quads->begin(), quads->end(), LessOspg());
      break;
    case Permutation::kGspo:
      std::sort(quads->begin(), quads->end(), LessGspo());
      break;
  }
}

// Writes sorted `keys` (produced by `next`) into a table file for column
// family `cf`.
// With `merge`, the values are merge operands (the lists column family).
template <typename Next>
absl::Status WriteTable(const std::string& path, int cf, Next next,
                        bool merge = false) {
  rocksdb::Options options(rocksdb::DBOptions(), CfOptions(cf));
  // Ingested tables land in the last level, which the column families
  // compress with ZSTD; LZ4 writes several times faster, and compaction
  // recompresses what it rewrites.
  options.bottommost_compression = rocksdb::kLZ4Compression;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options);
  BIBKG_RETURN_IF_ERROR(FromRocks(writer.Open(path), "bulk table open"));
  std::string_view key, value;
  while (next(&key, &value)) {
    rocksdb::Slice k(key.data(), key.size()), v(value.data(), value.size());
    BIBKG_RETURN_IF_ERROR(FromRocks(
        merge ? writer.Merge(k, v) : writer.Put(k, v), "bulk table write"));
  }
  return FromRocks(writer.Finish(), "bulk table finish");
}

absl::Status WritePermutation(const std::string& path, Permutation p,
                              std::vector<IdQuad>* quads) {
  SortFor(p, quads);
  size_t i = 0;
  char buf[kQuadKeySize];
  char prev[kQuadKeySize];
  bool have_prev = false;
  return WriteTable(
      path, kCfPerm0 + static_cast<int>(p),
      [&](std::string_view* k, std::string_view* v) {
        while (i < quads->size()) {
          EncodeQuadKey(p, (*quads)[i++], buf);
          if (have_prev && std::equal(buf, buf + kQuadKeySize, prev)) {
            continue;
          }
          std::copy(buf, buf + kQuadKeySize, prev);
          have_prev = true;
          *k = std::string_view(buf, kQuadKeySize);
          *v = {};
          return true;
        }
        return false;
      });
}

}  // namespace

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
  std::string key = EncodeTerm(term);
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
  run_->new_terms.emplace_back(std::move(key), nid);
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
  for (const Triple& t : triples) {
    bool unused;
    BIBKG_ASSIGN_OR_RETURN(TermId s, Intern(t.s, &unused));
    BIBKG_ASSIGN_OR_RETURN(TermId p, Intern(t.p, &unused));
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

absl::Status BulkLoader::WriteRun(RunState& run) {
  Store::Impl& impl = *store_->impl_;
  namespace fs = std::filesystem;
  fs::path tmp = fs::path(store_->dir_) / "bulk-tmp";
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) return absl::UnavailableError("cannot create " + tmp.string());
  RunFiles files(impl.cfs, tmp, run.file_seq);
  BIBKG_RETURN_IF_ERROR(run.WriteQuadTables(files));
  BIBKG_RETURN_IF_ERROR(run.WriteDictionaryTables(files));
  BIBKG_RETURN_IF_ERROR(run.WriteAuxTables(files));
  BIBKG_RETURN_IF_ERROR(run.WriteMetaTable(impl, files));
  return FromRocks(impl.db->IngestExternalFiles(files.args()), "bulk ingest");
}

absl::Status BulkLoader::RunState::WriteQuadTables(RunFiles& files) {
  if (quads.empty()) return absl::OkStatus();
  // The staging thread keeps the other core busy meanwhile.
  for (Permutation p : {Permutation::kSpog, Permutation::kPosg,
                        Permutation::kOspg, Permutation::kGspo}) {
    BIBKG_RETURN_IF_ERROR(
        WritePermutation(files.Path(PermutationName(p)), p, &quads));
  }
  quads.clear();
  quads.shrink_to_fit();
  for (Permutation p : kPerms) {
    files.Ingest(kCfPerm0 + static_cast<int>(p), PermutationName(p));
  }
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::WriteDictionaryTables(RunFiles& files) {
  if (new_terms.empty()) return absl::OkStatus();
  // i2t: ids were handed out in ascending order.
  size_t i = 0;
  std::string idkey;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files.Path("i2t"), kCfI2t, [&](std::string_view* k, std::string_view* v) {
        if (i == new_terms.size()) return false;
        idkey = U64Key(new_terms[i].second);
        *k = idkey;
        *v = new_terms[i].first;
        ++i;
        return true;
      }));
  std::sort(new_terms.begin(), new_terms.end());
  i = 0;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files.Path("t2i"), kCfT2i, [&](std::string_view* k, std::string_view* v) {
        if (i == new_terms.size()) return false;
        idkey = U64Key(new_terms[i].second);
        *k = new_terms[i].first;
        *v = idkey;
        ++i;
        return true;
      }));
  files.Ingest(kCfI2t, "i2t");
  files.Ingest(kCfT2i, "t2i");
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::WriteAuxTables(RunFiles& files) {
  if (aux.empty()) return absl::OkStatus();
  BIBKG_RETURN_IF_ERROR(WriteGraphAuxTable(files));
  auto lists_begin = std::stable_partition(
      aux.begin(), aux.end(), [](const AuxRef& r) { return !r.list; });
  std::vector<AuxRef> lists(lists_begin, aux.end());
  aux.erase(lists_begin, aux.end());
  BIBKG_RETURN_IF_ERROR(WritePlainAuxTable(files));
  return WriteListTable(std::move(lists), files);
}

absl::Status BulkLoader::RunState::WriteGraphAuxTable(RunFiles& files) {
  // In staging order the graph ids ascend, and within a graph the keys need
  // sorting only among themselves.
  std::vector<AuxRef> by_graph = aux;
  auto graph_then_key = [&](const AuxRef& a, const AuxRef& b) {
    int c = GraphOf(a).compare(GraphOf(b));
    if (c != 0) return c < 0;
    return AuxKeyOf(a) < AuxKeyOf(b);
  };
  if (aux_in_graph_order) {
    size_t start = 0;
    for (size_t i = 1; i <= by_graph.size(); ++i) {
      if (i == by_graph.size() ||
          GraphOf(by_graph[i]) != GraphOf(by_graph[start])) {
        std::sort(by_graph.begin() + start, by_graph.begin() + i,
                  graph_then_key);
        start = i;
      }
    }
  } else {
    std::sort(by_graph.begin(), by_graph.end(), graph_then_key);
  }
  size_t i = 0;
  std::string gkey;
  BIBKG_RETURN_IF_ERROR(
      WriteTable(files.Path("gaux"), kCfGraphAux,
                 [&](std::string_view* k, std::string_view* v) {
                   for (; i < by_graph.size(); ++i) {
                     std::string next(GraphOf(by_graph[i]));
                     next += AuxKeyOf(by_graph[i]);
                     if (next == gkey) continue;  // a duplicate entry
                     gkey = std::move(next);
                     *k = gkey;
                     *v = by_graph[i].list ? std::string_view(kGraphAuxListMark)
                                           : std::string_view();
                     ++i;
                     return true;
                   }
                   return false;
                 }));
  files.Ingest(kCfGraphAux, "gaux");
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::WritePlainAuxTable(RunFiles& files) {
  if (aux.empty()) return absl::OkStatus();
  std::sort(aux.begin(), aux.end(), [&](const AuxRef& a, const AuxRef& b) {
    return KeyOf(a) < KeyOf(b);
  });
  size_t i = 0;
  std::string_view last;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files.Path("aux"), kCfAux, [&](std::string_view* k, std::string_view* v) {
        for (; i < aux.size(); ++i) {
          if (i > 0 && KeyOf(aux[i]) == last) continue;
          last = KeyOf(aux[i]);
          *k = last;
          *v = ValueOf(aux[i]);
          ++i;
          return true;
        }
        return false;
      }));
  files.Ingest(kCfAux, "aux");
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::WriteListTable(std::vector<AuxRef> lists,
                                                  RunFiles& files) {
  if (lists.empty()) return absl::OkStatus();
  // One merge operand per list key: its items of this run, in graph order.
  std::sort(lists.begin(), lists.end(), [&](const AuxRef& a, const AuxRef& b) {
    int c = ListKeyOf(a).compare(ListKeyOf(b));
    if (c != 0) return c < 0;
    return GraphOf(a) < GraphOf(b);
  });
  size_t i = 0;
  std::string operand;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files.Path("lists"), kCfLists,
      [&](std::string_view* k, std::string_view* v) {
        if (i == lists.size()) return false;
        std::string_view key = ListKeyOf(lists[i]);
        operand.clear();
        TermId prev = 0;
        for (; i < lists.size() && ListKeyOf(lists[i]) == key; ++i) {
          TermId g = GetU64(GraphOf(lists[i]).data());
          if (g == prev) continue;  // a duplicate entry
          AppendListItem(&operand, &prev, g, ValueOf(lists[i]));
        }
        *k = key;
        *v = operand;
        return true;
      },
      /*merge=*/true));
  files.Ingest(kCfLists, "lists");
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::CountInDegrees(Store::Impl& impl) {
  if (counted.empty()) return absl::OkStatus();
  std::sort(counted.begin(), counted.end());
  counted.erase(std::unique(counted.begin(), counted.end()), counted.end());
  for (const IdTriple& t : counted) {
    BIBKG_ASSIGN_OR_RETURN(uint64_t n, impl.TripleGraphCount(t[0], t[1], t[2]));
    if (n == 0) counters[InDegreeKey(t[1], t[2])] += 1;
  }
  return absl::OkStatus();
}

absl::Status BulkLoader::RunState::WriteMetaTable(Store::Impl& impl,
                                                  RunFiles& files) {
  BIBKG_RETURN_IF_ERROR(CountInDegrees(impl));
  // The counters travel in the same ingestion, in key order: the named
  // counters ("counter/...") before "next_term_id" and "quad_count".
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<std::pair<std::string, int64_t>> named(counters.begin(),
                                                     counters.end());
  std::sort(named.begin(), named.end());
  for (const auto& [name, delta] : named) {
    BIBKG_ASSIGN_OR_RETURN(int64_t current, impl.ReadCounter(name));
    meta.emplace_back(std::string(kMetaCounterPrefix) + name,
                      U64Key(static_cast<uint64_t>(current + delta)));
  }
  meta.emplace_back(std::string(kMetaNextTermId), U64Key(next_id));
  meta.emplace_back(std::string(kMetaQuadCount), U64Key(quad_count));
  size_t i = 0;
  BIBKG_RETURN_IF_ERROR(
      WriteTable(files.Path("meta"), kCfMeta,
                 [&](std::string_view* k, std::string_view* v) {
                   if (i == meta.size()) return false;
                   *k = meta[i].first;
                   *v = meta[i].second;
                   ++i;
                   return true;
                 }));
  files.Ingest(kCfMeta, "meta");
  return absl::OkStatus();
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
