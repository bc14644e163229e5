// store_bench: loads generated bibliographic quads through the store's bulk
// path and, in the same run, the same number of fixed-width id triples
// through a raw RocksDB SstFileWriter + IngestExternalFile load of three
// permutations (the floor). Each load runs in its own child process so that
// its peak memory is its own.
//
//   build/tools/bench/store_bench --quads 10000000 --dir /tmp/store-bench
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "store/store.h"

namespace {

using bibkg::store::Term;
using bibkg::store::Triple;
namespace fs = std::filesystem;

const char* kBase = "http://example.org/";
const char* kDct = "http://purl.org/dc/terms/";
const char* kBibo = "http://purl.org/ontology/bibo/";
const char* kXsd = "http://www.w3.org/2001/XMLSchema#";

const char* kWords[] = {"analysis",    "of",         "the",
                        "digital",     "public",     "sector",
                        "leadership",  "library",    "catalog",
                        "metadata",    "citation",   "network",
                        "graph",       "knowledge",  "municipal",
                        "strategy",    "governance", "transformation",
                        "open",        "data",       "linked",
                        "semantic",    "retrieval",  "ranking",
                        "evaluation",  "study",      "survey",
                        "model",       "learning",   "climate",
                        "ocean",       "policy",     "market",
                        "education",   "language",   "corpus",
                        "translation", "archive",    "history",
                        "manuscripts", "protein",    "cell",
                        "quantum"};

// Generates works of about 20 quads each, one graph per work: type, title,
// year, DOI, journal, 1-6 creators, 1-7 Zipf-distributed subjects, 0-20
// citations of earlier works. `emit(graph, triples)` receives each work;
// `emit_ids` (if set) receives integer (s, p, o) triples of the same shape.
struct Generator {
  explicit Generator(uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;
  uint64_t works = 0;

  uint64_t Zipf(uint64_t n) {
    // Inverse-power sampling: small ids are much more frequent.
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<uint64_t>(std::pow(static_cast<double>(n), u)) - 1;
  }

  template <typename Emit>
  void NextWork(Emit&& emit) {
    uint64_t w = works++;
    std::string work = std::string(kBase) + "work/" + std::to_string(w);
    std::vector<Triple> t;
    auto iri = [](std::string s) { return Term::Iri(std::move(s)); };
    t.push_back({iri(work),
                 iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                 iri("http://purl.org/spar/fabio/JournalArticle")});
    std::string title;
    int words = 5 + static_cast<int>(rng() % 6);
    for (int i = 0; i < words; ++i) {
      if (i) title += ' ';
      title += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
    }
    t.push_back({iri(work), iri(std::string(kDct) + "title"),
                 Term::LangLiteral(title, "en")});
    t.push_back({iri(work), iri(std::string(kDct) + "issued"),
                 Term::Typed(std::to_string(1950 + rng() % 75),
                             std::string(kXsd) + "gYear")});
    t.push_back(
        {iri(work), iri(std::string(kBibo) + "doi"),
         Term::Literal("10.5555/" + std::to_string(w * 7919 % 100000000))});
    t.push_back(
        {iri(work), iri(std::string(kDct) + "isPartOf"),
         iri(std::string(kBase) + "journal/" + std::to_string(Zipf(20000)))});
    int creators = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < creators; ++i) {
      t.push_back({iri(work), iri(std::string(kDct) + "creator"),
                   iri(std::string(kBase) + "person/" +
                       std::to_string(rng() % 300000))});
    }
    int subjects = 1 + static_cast<int>(rng() % 7);
    for (int i = 0; i < subjects; ++i) {
      t.push_back(
          {iri(work), iri(std::string(kDct) + "subject"),
           iri(std::string(kBase) + "subject/" + std::to_string(Zipf(5000)))});
    }
    int cites = w == 0 ? 0 : static_cast<int>(rng() % 12);
    for (int i = 0; i < cites; ++i) {
      t.push_back(
          {iri(work), iri("http://purl.org/spar/cito/cites"),
           iri(std::string(kBase) + "work/" + std::to_string(rng() % w))});
    }
    emit(Term::Iri(std::string(kBase) + "record/" + std::to_string(w)),
         std::move(t));
  }
};

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

uint64_t DirBytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

struct Result {
  double seconds = 0;
  uint64_t items = 0;
  uint64_t table_bytes = 0;
  uint64_t dir_bytes = 0;
  uint64_t terms = 0;
};

// Runs `fn` in a child process; returns its result and its peak RSS in KiB.
template <typename Fn>
std::pair<Result, long> InChild(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Result r = fn();
    if (write(fds[1], &r, sizeof r) != sizeof r) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  Result r;
  ssize_t n = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status;
  struct rusage usage;
  wait4(pid, &status, 0, &usage);
  if (n != sizeof r || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "benchmark child failed\n");
    std::exit(1);
  }
  return {r, usage.ru_maxrss};
}

Result StoreBulkLoad(const std::string& dir, uint64_t quads) {
  auto store = bibkg::store::Store::Open(dir);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", std::string(store.status().message()).c_str());
    std::exit(2);
  }
  auto loader = (*store)->NewBulkLoader();
  if (!loader.ok()) std::exit(2);
  Generator gen(42);
  uint64_t staged = 0;
  double start = Now();
  while (staged < quads) {
    gen.NextWork([&](const Term& g, std::vector<Triple> t) {
      if (staged + t.size() > quads) t.resize(quads - staged);
      staged += t.size();
      absl::Status s = (*loader)->AddGraph(g, t);
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
        std::exit(2);
      }
    });
  }
  absl::Status s = (*loader)->Finish();
  if (!s.ok()) std::exit(2);
  Result r;
  r.seconds = Now() - start;
  r.items = (*store)->NewReadView()->quad_count();
  r.terms = (*store)->NewReadView()->term_count();
  r.table_bytes = (*store)->LiveTableBytes();
  r.dir_bytes = DirBytes(dir);
  return r;
}

// The floor: sort fixed-width 24-byte (s, p, o) keys three ways and ingest
// them, with nothing else.
Result RawLoad(const std::string& dir, uint64_t triples, size_t run) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  rocksdb::BlockBasedTableOptions t;
  t.block_size = 16 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kZSTD;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, options},
      {"spo", options},
      {"pos", options},
      {"osp", options}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db;
  if (!rocksdb::DB::Open(options, dir, cfs, &handles, &db).ok()) std::exit(2);
  // Integer triples of the same shape: each term numbered by first sight.
  Generator gen(42);
  std::vector<std::array<uint64_t, 3>> buf;
  uint64_t produced = 0;
  int seq = 0;
  double start = Now();
  std::hash<std::string> h;
  auto flush = [&]() {
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (int perm = 0; perm < 3; ++perm) {
      std::sort(buf.begin(), buf.end(), [perm](const auto& a, const auto& b) {
        for (int i = 0; i < 3; ++i) {
          if (a[(perm + i) % 3] != b[(perm + i) % 3])
            return a[(perm + i) % 3] < b[(perm + i) % 3];
        }
        return false;
      });
      std::string path = dir + "/raw-" + std::to_string(seq++) + ".sst";
      rocksdb::SstFileWriter w(rocksdb::EnvOptions(), options);
      if (!w.Open(path).ok()) std::exit(2);
      char key[24];
      std::string prev;
      for (const auto& tr : buf) {
        for (int i = 0; i < 3; ++i) {
          uint64_t v = tr[(perm + i) % 3];
          for (int b = 7; b >= 0; --b) {
            key[i * 8 + b] = static_cast<char>(v & 0xff);
            v >>= 8;
          }
        }
        if (prev.size() == 24 && std::equal(key, key + 24, prev.data()))
          continue;
        prev.assign(key, 24);
        if (!w.Put(rocksdb::Slice(key, 24), rocksdb::Slice()).ok())
          std::exit(2);
      }
      if (!w.Finish().ok()) std::exit(2);
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = handles[1 + perm];
      arg.external_files = {path};
      arg.options.move_files = true;
      args.push_back(arg);
    }
    if (!db->IngestExternalFiles(args).ok()) std::exit(2);
    buf.clear();
  };
  while (produced < triples) {
    gen.NextWork([&](const Term&, std::vector<Triple> t) {
      for (const Triple& tr : t) {
        if (produced == triples) break;
        // Ids from a hash of the text: no dictionary in the floor.
        buf.push_back(
            {h(tr.s.value), h(tr.p.value), h(tr.o.value + tr.o.extra)});
        ++produced;
        if (buf.size() >= run) flush();
      }
    });
  }
  if (!buf.empty()) flush();
  Result r;
  r.seconds = Now() - start;
  r.items = produced;
  for (int i = 1; i <= 3; ++i) {
    uint64_t v = 0;
    db->GetIntProperty(handles[i], "rocksdb.live-sst-files-size", &v);
    r.table_bytes += v;
  }
  r.dir_bytes = DirBytes(dir);
  for (auto* hd : handles) db->DestroyColumnFamilyHandle(hd);
  delete db;
  return r;
}

// The generator alone, so that its share of both loads can be seen.
Result GenerateOnly(uint64_t quads) {
  Generator gen(42);
  uint64_t n = 0, bytes = 0;
  double start = Now();
  while (n < quads) {
    gen.NextWork([&](const Term&, std::vector<Triple> t) {
      n += t.size();
      for (const auto& tr : t) bytes += tr.o.value.size();
    });
  }
  Result r;
  r.seconds = Now() - start;
  r.items = n;
  r.table_bytes = bytes;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Store bulk-load benchmark: bibkg's bulk path against a raw RocksDB "
      "SstFileWriter + IngestExternalFile load of three permutations."};
  uint64_t quads = 10'000'000;
  std::string dir = (fs::temp_directory_path() / "bibkg-store-bench").string();
  bool keep = false;
  app.add_option("--quads", quads, "Quads to load")->capture_default_str();
  app.add_option("--dir", dir, "Scratch directory (emptied first)")
      ->capture_default_str();
  app.add_flag("--keep", keep, "Keep the databases afterwards");
  CLI11_PARSE(app, argc, argv);

  fs::remove_all(dir);
  fs::create_directories(dir);
  std::printf("store_bench: %llu quads, ~20 per graph, one graph per work\n",
              static_cast<unsigned long long>(quads));
  auto [gen, gen_rss] = InChild([&] { return GenerateOnly(quads); });
  std::printf(
      "  generator alone        %8.2f s  (%.0f quads/s; included in both loads "
      "below)\n",
      gen.seconds, gen.items / gen.seconds);
  auto [store, store_rss] =
      InChild([&] { return StoreBulkLoad(dir + "/store", quads); });
  auto [raw, raw_rss] =
      InChild([&] { return RawLoad(dir + "/raw", quads, 4u << 20); });
  double store_rate = store.items / store.seconds;
  double raw_rate = raw.items / raw.seconds;
  std::printf("\n%-34s %12s %12s\n", "", "bibkg bulk", "raw 3-perm");
  std::printf("%-34s %12llu %12llu\n", "quads / triples loaded",
              static_cast<unsigned long long>(store.items),
              static_cast<unsigned long long>(raw.items));
  std::printf("%-34s %12.2f %12.2f\n", "seconds", store.seconds, raw.seconds);
  std::printf("%-34s %12.0f %12.0f\n", "per second", store_rate, raw_rate);
  std::printf("%-34s %12.1f %12.1f\n", "table bytes per quad",
              static_cast<double>(store.table_bytes) / store.items,
              static_cast<double>(raw.table_bytes) / raw.items);
  std::printf("%-34s %12.1f %12.1f\n", "directory bytes per quad",
              static_cast<double>(store.dir_bytes) / store.items,
              static_cast<double>(raw.dir_bytes) / raw.items);
  std::printf("%-34s %12.0f %12.0f\n", "peak RSS (MiB)", store_rss / 1024.0,
              raw_rss / 1024.0);
  std::printf("%-34s %12llu %12s\n", "dictionary terms",
              static_cast<unsigned long long>(store.terms), "-");
  std::printf(
      "\nratio bibkg/raw: rate %.2f (target >= 0.50), bytes per quad %.1f "
      "(target <= 60 including the dictionary)\n",
      store_rate / raw_rate,
      static_cast<double>(store.table_bytes) / store.items);
  if (!keep) fs::remove_all(dir);
  return 0;
}
