#include "tools/bench/bench_run.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "service/service.h"
#include "store/store.h"
#include "tools/bench/bench_clients.h"
#include "tools/bench/bench_engine.h"
#include "tools/bench/bench_figures.h"
#include "tools/bench/bench_graph.h"
#include "tools/bench/bench_processes.h"
#include "tools/bench/bench_report.h"

namespace bibkg::bench {

namespace {

namespace fs = std::filesystem;

// Whether the file `marker` says its graph holds `works` works.
bool Holds(const fs::path& marker, uint64_t works) {
  std::ifstream in(marker);
  uint64_t built = 0;
  return (in >> built) && built == works;
}

// Prints the time and bytes of reading the files of `dir` once (after
// `label`, when not empty).
void PrimeAndSay(const std::string& dir, const std::string& label) {
  double t0 = Now();
  uint64_t bytes = PrimePageCache(dir);
  std::printf("  %sdatabase files read once (page cache): %.0f MiB in %.1f s\n",
              label.c_str(), bytes / 1048576.0, Now() - t0);
}

class BenchRun {
 public:
  explicit BenchRun(const BenchOptions& options);
  int Main();

 private:
  bool OpenStore();
  // Serves the graph in this process (--engine-only, --clients-in-process).
  bool StartServerHere();
  // --rounds N: both graphs served at once, measured in alternating rounds.
  bool MeasureInRounds();
  // Builds both graphs (the small one kept in dirs[0]) unless --reuse finds
  // them; false if the store failed.
  bool BuildBoth(const std::string (&dirs)[2]);
  // Measures the graph of size `si` (0 the small one, 1 the large one)
  // into each row's at[si], or times the engine on it; false if a step
  // failed.
  bool MeasureSize(int si);
  // Builds, reuses or names the graph of size `si`.
  bool PrepareGraph(int si);

  const BenchOptions& o_;
  // Whether this process starts client processes (this program again, with
  // --connect) instead of running the clients itself: always when it starts
  // the server process, and with --connect for more than one client, unless
  // --client-threads, or it is itself one of them (--start-at).
  const bool clients_elsewhere_;
  // By default the graph is built in this process, then closed and served by
  // a fresh server process for each size (as `bibkg serve` serves what
  // `bibkg import` wrote), with the clients in a third process.
  // --engine-only and --clients-in-process keep the server (or the engine)
  // in this process.
  const bool server_process_;
  const fs::path marker_;
  bool reused_ = false;
  absl::StatusOr<std::unique_ptr<store::Store>> store_ =
      std::unique_ptr<store::Store>();
  absl::StatusOr<service::RunningServer> server_;
  std::string address_;
  Corpus corpus_;
  std::string self_;  // this program, for its child processes
  std::vector<Row> rows_ = RpcRows();
  const uint64_t sizes_[2];
};

BenchRun::BenchRun(const BenchOptions& options)
    : o_(options),
      clients_elsewhere_(options.start_at == 0 && !options.engine_only &&
                         !options.clients_in_process &&
                         (options.connect.empty() ||
                          (options.clients > 1 && !options.client_threads))),
      server_process_(options.connect.empty() && !options.engine_only &&
                      !options.clients_in_process),
      marker_(fs::path(options.dir) / "BENCH-WORKS"),
      address_(options.connect),
      sizes_{options.small, options.works} {}

bool BenchRun::OpenStore() {
  if (*store_) return true;
  store_ = OpenGraph(o_.dir, o_.block_cache_mb);
  return store_.ok();
}

bool BenchRun::StartServerHere() {
  if (!OpenStore()) return false;
  service::ServerOptions options;
  options.listen = "127.0.0.1:0";
  server_ = service::StartServer(store_->get(), options);
  if (!server_.ok()) return false;
  address_ = "127.0.0.1:" + std::to_string(server_->port);
  return true;
}

int BenchRun::Main() {
  reused_ = !o_.connect.empty();
  if (o_.reuse && o_.connect.empty()) reused_ = Holds(marker_, o_.works);
  if (!reused_) fs::remove_all(o_.dir);
  if (std::string damon = DamonState(); !damon.empty())
    std::printf("  the kernel's DAMON is monitoring memory (%s)\n",
                damon.c_str());
  // A server process opens the graph itself; this process opens it only to
  // build it or to serve it here.
  if (o_.connect.empty() && !server_process_ && !StartServerHere()) return 2;
  std::printf(
      "query_bench: %d clients (%s), %.0f s per RPC, server %s\n", o_.clients,
      !clients_elsewhere_ ? "in this process"
      : o_.client_threads ? "threads of one client process"
                          : "a process each",
      o_.seconds,
      server_process_ ? "in a process of its own, started after each build"
                      : address_.c_str());
  self_ = fs::read_symlink("/proc/self/exe").string();
  if (o_.rounds > 1) {
    if (!MeasureInRounds()) return 2;
  } else {
    for (int si = reused_ ? 1 : 0; si < 2; ++si)
      if (!MeasureSize(si)) return 2;
  }
  // For a parent query_bench reading this process's output.
  if (!o_.connect.empty()) PrintClientFigures(rows_);
  // With --engine-only the engine's figures are printed as measured; no RPC
  // was.
  if (!(o_.engine_only && o_.connect.empty()))
    PrintReport(rows_, o_.small, o_.works);
  if (server_.ok()) server_->server->Shutdown();
  return 0;
}

bool BenchRun::BuildBoth(const std::string (&dirs)[2]) {
  const fs::path small_marker = fs::path(dirs[0]) / "BENCH-WORKS";
  if (reused_ && Holds(small_marker, o_.small)) {
    std::printf("  reusing the graphs of %llu and %llu works in %s and %s\n",
                static_cast<unsigned long long>(o_.small),
                static_cast<unsigned long long>(o_.works), dirs[0].c_str(),
                dirs[1].c_str());
    return true;
  }
  fs::remove_all(o_.dir);
  fs::remove_all(dirs[0]);
  if (!OpenStore()) return false;
  Grow(store_->get(), &corpus_, o_.small);
  store_->reset();  // closed, so that its files are whole when copied
  fs::copy(o_.dir, dirs[0], fs::copy_options::recursive);
  std::ofstream(small_marker) << o_.small << "\n";
  if (!OpenStore()) return false;
  Grow(store_->get(), &corpus_, o_.works);
  std::ofstream(marker_) << o_.works << "\n";
  store_->reset();
  return true;
}

bool BenchRun::MeasureInRounds() {
  // Both graphs served at once, each by a server process of its own, and
  // measured in turns: `rounds` rounds of seconds / rounds per RPC and
  // size, the order of the sizes alternating, so that the ratio of their
  // latencies is not at the mercy of the machine growing faster or slower
  // between the two sizes (as a shared virtual machine does).
  const std::string dirs[2] = {o_.dir + "-small", o_.dir};
  if (!BuildBoth(dirs)) return false;
  ServerProcess servers[2];
  std::string addresses[2];
  for (int si = 0; si < 2; ++si) {
    if (!o_.no_prime) PrimeAndSay(dirs[si], dirs[si] + ": ");
    if (!servers[si].Start(ServeCommand(self_, dirs[si], o_))) {
      std::fprintf(stderr, "query_bench: the server process failed\n");
      return false;
    }
    addresses[si] = "127.0.0.1:" + std::to_string(servers[si].port());
    std::printf("  %llu works served on %s\n",
                static_cast<unsigned long long>(sizes_[si]),
                addresses[si].c_str());
  }
  // runs[row][size]: the figures of each round.
  std::vector<std::array<std::vector<Figures>, 2>> runs(rows_.size());
  // Round 0 warms both servers up (their threads, heaps and caches, as a
  // server that has been answering for a while) and is not counted.
  for (int round = 0; round <= o_.rounds; ++round) {
    for (int k = 0; k < 2; ++k) {
      const int si = round % 2 == 1 ? k : 1 - k;
      std::vector<Figures> got(rows_.size());
      if (!RunClientProcesses(
              ClientCommands(self_, addresses[si], sizes_[si],
                             servers[si].pid(), o_.seconds / o_.rounds, o_),
              &got))
        return false;
      if (round == 0)
        std::printf("  warm-up, %llu works (not counted):",
                    static_cast<unsigned long long>(sizes_[si]));
      else
        std::printf("  round %d/%d, %llu works:", round, o_.rounds,
                    static_cast<unsigned long long>(sizes_[si]));
      for (size_t i = 0; i < rows_.size(); ++i) {
        if (got[i].calls == 0) continue;
        std::printf("  %s %.0f/%.0f", i == 0 ? "empty" : rows_[i].name,
                    got[i].p50_us, got[i].p99_us);
        if (round > 0) runs[i][si].push_back(std::move(got[i]));
      }
      std::printf(" (p50/p99 µs)\n");
    }
  }
  for (size_t i = 0; i < rows_.size(); ++i)
    for (int si = 0; si < 2; ++si)
      rows_[i].at[si] = Merge(runs[i][si], /*concurrent=*/false);
  return true;
}

bool BenchRun::PrepareGraph(int si) {
  if (!o_.connect.empty()) {
    corpus_.works = sizes_[si];
    std::printf("  measuring the server at %s (a graph of %llu works)\n",
                o_.connect.c_str(),
                static_cast<unsigned long long>(corpus_.works));
  } else if (reused_) {
    corpus_.works = sizes_[si];
    std::printf("  reusing the graph of %llu works in %s\n",
                static_cast<unsigned long long>(corpus_.works), o_.dir.c_str());
    if (o_.recompact) {
      if (!OpenStore()) return false;
      double t0 = Now();
      if (!(*store_)->CompactAll().ok()) return false;
      std::printf("  compacted again (current table options) in %.1f s\n",
                  Now() - t0);
    }
  } else {
    if (!OpenStore()) return false;
    Grow(store_->get(), &corpus_, sizes_[si]);
    if (si == 1) std::ofstream(marker_) << o_.works << "\n";
  }
  return true;
}

bool BenchRun::MeasureSize(int si) {
  if (!PrepareGraph(si)) return false;
  const Requests requests(corpus_, corpus_.works, o_.fixed_query);
  if (!o_.no_prime && o_.connect.empty()) PrimeAndSay(o_.dir, "");
  ServerProcess server_child;
  if (server_process_) {
    // Closed here, so that the server process can open it.
    store_->reset();
    if (!server_child.Start(ServeCommand(self_, o_.dir, o_))) {
      std::fprintf(stderr, "query_bench: the server process failed\n");
      return false;
    }
    address_ = "127.0.0.1:" + std::to_string(server_child.port());
    std::printf("  server process on %s\n", address_.c_str());
  }
  if (o_.warm && o_.connect.empty() && !server_process_) {
    double t0 = Now();
    auto bytes = (*store_)->WarmBlockCache();
    if (!bytes.ok()) return false;
    std::printf("  warmed the block cache: %.0f MiB read in %.1f s\n",
                *bytes / 1048576.0, Now() - t0);
  }
  if (o_.engine_only && o_.connect.empty())
    return TimeEngine(store_->get(), requests, o_);
  std::vector<Figures> got(rows_.size());
  if (clients_elsewhere_) {
    // The clients in processes of their own: this program again, with
    // --connect, reporting its figures on its standard output.
    if (!RunClientProcesses(
            ClientCommands(self_, address_, requests.works(),
                           server_process_ ? server_child.pid() : o_.server_pid,
                           o_.seconds, o_),
            &got))
      return false;
  } else {
    got = MeasureRpcs(address_, requests, o_);
  }
  for (size_t i = 0; i < rows_.size(); ++i) rows_[i].at[si] = got[i];
  return true;
}

}  // namespace

int RunBench(const BenchOptions& options) { return BenchRun(options).Main(); }

}  // namespace bibkg::bench
