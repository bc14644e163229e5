// A bulk run written as sorted table files (rocksdb::SstFileWriter) and
// ingested in one atomic IngestExternalFiles over every column family:
// quads, dictionary, aux entries and counters together. A small run (a few
// records) is written as one atomic WriteBatch instead: ingesting a dozen
// tiny files costs more than writing their entries.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/sort.h"
#include "base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "store/bulk_loader_internal.h"
#include "store/lists.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
namespace internal {

// The table files of one run, in the loader's temporary directory, and the
// arguments that ingest each into its column family; or, with a `batch`,
// the batch that receives every entry of the run.
class RunFiles {
 public:
  RunFiles(const std::vector<rocksdb::ColumnFamilyHandle*>& cfs,
           std::filesystem::path dir, int seq, rocksdb::WriteBatch* batch)
      : cfs_(cfs), dir_(std::move(dir)), seq_(seq), batch_(batch) {}

  rocksdb::WriteBatch* batch() const { return batch_; }
  rocksdb::ColumnFamilyHandle* cf(int i) const { return cfs_[i]; }

  // The path of the run's table `name`.
  std::string Path(const char* name) const {
    return (dir_ / absl::StrCat(name, "-", seq_, ".sst")).string();
  }
  // Table `name` goes into column family `cf` (moved there by the ingestion).
  // Thread-safe: a run's tables are written on two threads.
  void Ingest(int cf, const char* name) {
    if (batch_) return;
    std::lock_guard<std::mutex> lock(mu_);
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cfs_[cf];
    arg.external_files.push_back(Path(name));
    arg.options.move_files = true;
    arg.options.allow_blocking_flush = true;
    args_.push_back(std::move(arg));
  }
  // In column family order, whichever thread wrote a table first.
  const std::vector<rocksdb::IngestExternalFileArg>& args() {
    std::sort(args_.begin(), args_.end(), [](const auto& a, const auto& b) {
      return a.column_family->GetID() < b.column_family->GetID();
    });
    return args_;
  }

 private:
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs_;
  std::filesystem::path dir_;
  int seq_;
  rocksdb::WriteBatch* batch_;
  std::mutex mu_;
  std::vector<rocksdb::IngestExternalFileArg> args_;
};

}  // namespace internal

using namespace internal;  // NOLINT: this file implements the internals

namespace {
// Runs with fewer quads are written as one WriteBatch (through the log).
constexpr size_t kBatchRunQuads = 64u << 10;
}  // namespace

namespace {

// Writes sorted `keys` (produced by `next`) into the run's table `name` for
// column family `cf` (or into the run's batch).
// With `merge`, the values are merge operands (the lists column family).
template <typename Next>
absl::Status WriteTable(RunFiles& files, const char* name, int cf, Next next,
                        bool merge = false) {
  std::string_view key, value;
  if (rocksdb::WriteBatch* batch = files.batch()) {
    while (next(&key, &value)) {
      rocksdb::Slice k(key.data(), key.size()), v(value.data(), value.size());
      BIBKG_RETURN_IF_ERROR(FromRocks(merge ? batch->Merge(files.cf(cf), k, v)
                                            : batch->Put(files.cf(cf), k, v),
                                      "bulk batch write"));
    }
    return absl::OkStatus();
  }
  const std::string path = files.Path(name);
  rocksdb::Options options(rocksdb::DBOptions(), CfOptions(cf));
  // A table is written with its column family's last-level compression.
  // ZSTD there (graph-bound tables, rarely read) is taken at its fast level
  // 1: a fifth of the database for little more time than LZ4.
  if (options.bottommost_compression == rocksdb::kZSTD) {
    options.bottommost_compression_opts.enabled = true;
    options.bottommost_compression_opts.level = 1;
  }
  // The table is ingested and soon read (by compaction or queries): its
  // pages stay cached.
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options,
                                /*column_family=*/nullptr,
                                /*invalidate_page_cache=*/false);
  BIBKG_RETURN_IF_ERROR(FromRocks(writer.Open(path), "bulk table open"));
  while (next(&key, &value)) {
    rocksdb::Slice k(key.data(), key.size()), v(value.data(), value.size());
    BIBKG_RETURN_IF_ERROR(FromRocks(
        merge ? writer.Merge(k, v) : writer.Put(k, v), "bulk table write"));
  }
  return FromRocks(writer.Finish(), "bulk table finish");
}

// Bits needed for the largest id at each position of the permutation's
// order.
std::array<int, 4> OrderBits(Permutation p, const std::vector<IdQuad>& quads) {
  std::array<TermId, 4> max{};
  for (const IdQuad& q : quads) {
    max[0] |= q.s;
    max[1] |= q.p;
    max[2] |= q.o;
    max[3] |= q.g;
  }
  std::array<int, 4> bits{};
  std::array<TermId, 4> ordered =
      Order(p, IdQuad{max[0], max[1], max[2], max[3]});
  for (int i = 0; i < 4; ++i) bits[i] = std::bit_width(ordered[i]);
  return bits;
}

// Writes the permutation table of `quads` (left as they are). The ids of a
// run fit 128 bits in all but huge dictionaries: each quad is packed in
// the permutation's order into one unsigned 128-bit integer, whose numeric
// order is the key order, and those are sorted — half the bytes moved of
// sorting the quads, and one comparison instead of four.
absl::Status WritePermutation(RunFiles& files, Permutation p,
                              const std::vector<IdQuad>& quads) {
  using base::u128;
  const std::array<int, 4> bits = OrderBits(p, quads);
  const int total = bits[0] + bits[1] + bits[2] + bits[3];
  const char* name = PermutationName(p);
  const int cf = kCfPerm0 + static_cast<int>(p);
  char buf[kQuadKeySize];
  if (total > 128) {
    std::vector<IdQuad> sorted = quads;
    std::sort(sorted.begin(), sorted.end(),
              [p](const IdQuad& a, const IdQuad& b) {
                return Order(p, a) < Order(p, b);
              });
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    size_t i = 0;
    return WriteTable(files, name, cf,
                      [&](std::string_view* k, std::string_view* v) {
                        if (i == sorted.size()) return false;
                        EncodeQuadKey(p, sorted[i++], buf);
                        *k = std::string_view(buf, kQuadKeySize);
                        *v = {};
                        return true;
                      });
  }
  // Shifts of each position: the last one is the lowest.
  const int shift[4] = {bits[1] + bits[2] + bits[3], bits[2] + bits[3], bits[3],
                        0};
  std::vector<u128> packed;
  packed.reserve(quads.size());
  for (const IdQuad& q : quads) {
    std::array<TermId, 4> ids = Order(p, q);
    packed.push_back((u128{ids[0]} << shift[0]) | (u128{ids[1]} << shift[1]) |
                     (u128{ids[2]} << shift[2]) | u128{ids[3]});
  }
  // Graph order is mostly the staging order already.
  if (!std::is_sorted(packed.begin(), packed.end())) {
    base::SortKeys(&packed);
  }
  packed.erase(std::unique(packed.begin(), packed.end()), packed.end());
  auto field = [&](u128 v, int i) {
    const int width = bits[i];
    if (width == 0) return TermId{0};
    return static_cast<TermId>((v >> shift[i]) & ((u128{1} << width) - 1));
  };
  size_t i = 0;
  return WriteTable(files, name, cf,
                    [&](std::string_view* k, std::string_view* v) {
                      if (i == packed.size()) return false;
                      const u128 q = packed[i++];
                      for (int j = 0; j < 4; ++j)
                        PutU64(buf + 8 * j, field(q, j));
                      *k = std::string_view(buf, kQuadKeySize);
                      *v = {};
                      return true;
                    });
}

}  // namespace

absl::Status BulkLoader::WriteRun(RunState& run) {
  Store::Impl& impl = *store_->impl_;
  namespace fs = std::filesystem;
  fs::path tmp = fs::path(store_->dir_) / "bulk-tmp";
  std::error_code ec;
  fs::create_directories(tmp, ec);
  if (ec) return absl::UnavailableError("cannot create " + tmp.string());
  rocksdb::WriteBatch batch;
  const bool small = run.quads.size() < kBatchRunQuads;
  RunFiles files(impl.cfs, tmp, run.file_seq, small ? &batch : nullptr);
  if (small) {
    BIBKG_RETURN_IF_ERROR(
        run.WriteQuadTables(files, {Permutation::kGspo, Permutation::kSpog,
                                    Permutation::kPosg, Permutation::kOspg}));
    BIBKG_RETURN_IF_ERROR(run.WriteDictionaryTables(files));
    BIBKG_RETURN_IF_ERROR(run.WriteAuxTables(files));
  } else {
    // Two cores: four independent tasks (other data, other files) taken by
    // two threads, longest first. The permutations read the quads without
    // changing them. The last run of a load is written while nothing else
    // runs.
    std::vector<std::function<absl::Status()>> tasks = {
        [&] {
          return run.WriteQuadTables(files,
                                     {Permutation::kPosg, Permutation::kOspg});
        },
        [&] {
          return run.WriteQuadTables(files,
                                     {Permutation::kGspo, Permutation::kSpog});
        },
        [&] { return run.WriteAuxTables(files); },
        [&] { return run.WriteDictionaryTables(files); },
    };
    std::vector<absl::Status> done(tasks.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
        done[i] = tasks[i]();
      }
    };
    std::thread helper(work);
    work();
    helper.join();
    for (const absl::Status& st : done) BIBKG_RETURN_IF_ERROR(st);
  }
  // The tables hold the quads now; the next run is staged meanwhile.
  run.quads = {};
  BIBKG_RETURN_IF_ERROR(run.WriteMetaTable(impl, files));
  if (small) {
    return FromRocks(impl.db->Write(rocksdb::WriteOptions(), &batch),
                     "bulk batch");
  }
  return FromRocks(impl.db->IngestExternalFiles(files.args()), "bulk ingest");
}

absl::Status BulkLoader::RunState::WriteQuadTables(
    RunFiles& files, std::initializer_list<Permutation> perms) {
  if (quads.empty()) return absl::OkStatus();
  for (Permutation p : perms) {
    BIBKG_RETURN_IF_ERROR(WritePermutation(files, p, quads));
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
      files, "i2t", kCfI2t, [&](std::string_view* k, std::string_view* v) {
        if (i == new_terms.size()) return false;
        idkey = U64Key(new_terms[i].second);
        *k = idkey;
        *v = new_terms[i].first;
        ++i;
        return true;
      }));
  // t2i: sorted views (sorting the strings would move them).
  std::vector<std::pair<std::string_view, TermId>> by_term;
  by_term.reserve(new_terms.size());
  for (const auto& [term, id] : new_terms) by_term.emplace_back(term, id);
  base::SortKeys(&by_term);
  i = 0;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files, "t2i", kCfT2i, [&](std::string_view* k, std::string_view* v) {
        if (i == by_term.size()) return false;
        idkey = U64Key(by_term[i].second);
        *k = by_term[i].first;
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
      WriteTable(files, "gaux", kCfGraphAux,
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
      files, "aux", kCfAux, [&](std::string_view* k, std::string_view* v) {
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
  // Many entries share a key (a term's postings): the entries are grouped
  // by key with one hash each, only the distinct keys are sorted, and the
  // entries are placed by their key's rank, keeping staging order within a
  // key, which is graph order when the graphs were staged in id order.
  std::vector<uint32_t> group(lists.size());
  std::vector<std::string_view> keys;
  {
    absl::flat_hash_map<std::string_view, uint32_t> group_of;
    group_of.reserve(lists.size() / 4);
    for (size_t i = 0; i < lists.size(); ++i) {
      auto [it, added] = group_of.try_emplace(
          ListKeyOf(lists[i]), static_cast<uint32_t>(keys.size()));
      if (added) keys.push_back(it->first);
      group[i] = it->second;
    }
  }
  std::vector<uint32_t> by_key(keys.size());
  for (uint32_t k = 0; k < by_key.size(); ++k) by_key[k] = k;
  std::sort(by_key.begin(), by_key.end(),
            [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<size_t> start(keys.size() + 1, 0);  // by rank
  std::vector<uint32_t> rank(keys.size());
  for (uint32_t r = 0; r < by_key.size(); ++r) rank[by_key[r]] = r;
  for (uint32_t g : group) ++start[rank[g] + 1];
  for (size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  std::vector<AuxRef> sorted(lists.size());
  {
    std::vector<size_t> fill(start.begin(), start.end() - 1);
    for (size_t i = 0; i < lists.size(); ++i)
      sorted[fill[rank[group[i]]]++] = lists[i];
  }
  if (!aux_in_graph_order) {
    for (size_t r = 0; r + 1 < start.size(); ++r) {
      std::stable_sort(sorted.begin() + start[r], sorted.begin() + start[r + 1],
                       [&](const AuxRef& a, const AuxRef& b) {
                         return GraphOf(a) < GraphOf(b);
                       });
    }
  }
  lists = std::move(sorted);
  size_t i = 0;
  std::string operand;
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files, "lists", kCfLists,
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
  BIBKG_RETURN_IF_ERROR(WriteTable(
      files, "meta", kCfMeta, [&](std::string_view* k, std::string_view* v) {
        if (i == meta.size()) return false;
        *k = meta[i].first;
        *v = meta[i].second;
        ++i;
        return true;
      }));
  files.Ingest(kCfMeta, "meta");
  return absl::OkStatus();
}

}  // namespace bibkg::store
