#include "tools/bench/bench_processes.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "absl/strings/str_format.h"
#include "base/huge_pages.h"
#include "service/service.h"
#include "tools/bench/bench_graph.h"

namespace bibkg::bench {

int ServeChild(const std::string& dir, size_t block_cache_mb, bool warm,
               bool huge_pages) {
  // As bibkg serve does, unless --no-huge-pages.
  if (huge_pages && !UseHugePagesForHeap()) {
    std::fprintf(stderr, "query_bench server: malloc is not tcmalloc\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  // Blocked before any thread starts, so that every thread inherits the mask
  // and only sigwait below takes the signal.
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto store = OpenGraph(dir, block_cache_mb);
  if (!store.ok()) return 2;
  if (warm) {
    double t0 = Now();
    auto bytes = (*store)->WarmBlockCache();
    if (!bytes.ok()) return 2;
    std::printf("  server: warmed the block cache, %.0f MiB read in %.1f s\n",
                *bytes / 1048576.0, Now() - t0);
  }
  if (size_t reserved = HeapBytesInReservedHugePages())
    std::printf("  server: %.0f MiB of its memory in reserved huge pages\n",
                reserved / 1048576.0);
  service::ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto server = service::StartServer(store->get(), options);
  if (!server.ok()) {
    std::fprintf(stderr, "query_bench server: %s\n",
                 std::string(server.status().message()).c_str());
    return 2;
  }
  if (warm) {
    double t0 = Now();
    auto entries = server->service->WarmSearch();
    if (!entries.ok()) return 2;
    std::printf("  server: kept %zu search entries in %.1f s\n", *entries,
                Now() - t0);
  }
  std::printf("serving %d %d\n", server->port, static_cast<int>(getpid()));
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  server->server->Shutdown();
  return 0;
}

bool ServerProcess::Start(const std::string& cmd) {
  std::fflush(stdout);
  pipe_ = popen(cmd.c_str(), "r");
  if (pipe_ == nullptr) return false;
  char line[512];
  while (std::fgets(line, sizeof line, pipe_)) {
    int port = 0, pid = 0;
    if (std::sscanf(line, "serving %d %d", &port, &pid) == 2) {
      port_ = port;
      pid_ = pid;
      return true;
    }
    std::fputs(line, stdout);  // the server's own progress lines
  }
  Stop();
  return false;
}

void ServerProcess::Stop() {
  if (pid_ > 0) kill(pid_, SIGTERM);
  pid_ = 0;
  if (pipe_ != nullptr) pclose(pipe_);
  pipe_ = nullptr;
}

namespace {

// `arg` quoted for the shell.
std::string Quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? "'\\''" : std::string(1, c);
  return q + "'";
}

}  // namespace

std::string ServeCommand(const std::string& self, const std::string& db,
                         const BenchOptions& options) {
  std::string cmd = Quote(self) + " --serve-db " + Quote(db) +
                    " --block-cache-mb " +
                    std::to_string(options.block_cache_mb);
  if (options.warm) cmd += " --warm";
  if (!options.huge_pages) cmd += " --no-huge-pages";
  return cmd;
}

std::vector<std::string> ClientCommands(const std::string& self,
                                        const std::string& at, uint64_t works,
                                        int pid, double seconds,
                                        const BenchOptions& options) {
  std::string cmd = Quote(self) + " --connect " + at + " --works " +
                    std::to_string(works) + " --seconds " +
                    std::to_string(seconds);
  if (pid > 0) cmd += " --server-pid " + std::to_string(pid);
  if (!options.only.empty()) cmd += " --only " + Quote(options.only);
  if (!options.fixed_query.empty())
    cmd += " --query " + Quote(options.fixed_query);
  const int processes = options.client_threads ? 1 : options.clients;
  cmd += " --clients " +
         std::to_string(options.client_threads ? options.clients : 1);
  // Time for the processes to start before the first warm-up.
  const std::string start = absl::StrFormat("%.6f", Now() + 0.3);
  std::vector<std::string> cmds;
  for (int c = 0; c < processes; ++c)
    cmds.push_back(cmd + " --client-index " + std::to_string(c) +
                   " --start-at " + start);
  return cmds;
}

namespace {

// Reads the figures a client process reports on `out` (PrintClientFigures)
// into `rows` (indexed as its rows).
void ReadClientFigures(FILE* out, std::vector<Figures>* rows) {
  char* line = nullptr;
  size_t capacity = 0;
  while (getline(&line, &capacity, out) > 0) {
    size_t row = 0;
    int used = 0;
    Figures f;
    unsigned long long calls = 0, errs = 0;
    if (std::sscanf(line, "figures %zu %lf %lf %lf %llu %llu %lf %lf %lf", &row,
                    &f.p50_us, &f.p99_us, &f.per_s, &calls, &errs,
                    &f.server_cpu_us, &f.elapsed_s, &f.client_cpu_us) == 9 &&
        row < rows->size()) {
      f.calls = calls;
      f.errors = errs;
      f.latency = std::move((*rows)[row].latency);
      (*rows)[row] = std::move(f);
    } else if (std::sscanf(line, "latency %zu%n", &row, &used) == 1 &&
               row < rows->size()) {
      std::istringstream in(line + used);
      int bucket = 0;
      char colon = 0;
      unsigned long long count = 0;
      while (in >> bucket >> colon >> count)
        (*rows)[row].latency[bucket] += count;
    }
  }
  std::free(line);
}

}  // namespace

bool RunClientProcesses(const std::vector<std::string>& cmds,
                        std::vector<Figures>* rows) {
  std::fflush(stdout);
  std::vector<FILE*> children;
  bool ok = true;
  for (const std::string& cmd : cmds) {
    FILE* child = popen(cmd.c_str(), "r");
    if (child == nullptr) {
      std::perror("query_bench: starting a client process");
      ok = false;
      break;
    }
    children.push_back(child);
  }
  std::vector<std::vector<Figures>> got(children.size(),
                                        std::vector<Figures>(rows->size()));
  for (size_t i = 0; i < children.size(); ++i) {
    ReadClientFigures(children[i], &got[i]);
    if (pclose(children[i]) != 0) {
      std::fprintf(stderr, "query_bench: a client process failed\n");
      ok = false;
    }
  }
  if (!ok) return false;
  for (size_t row = 0; row < rows->size(); ++row) {
    std::vector<Figures> of_row;
    for (const auto& g : got) of_row.push_back(g[row]);
    (*rows)[row] = Merge(of_row, /*concurrent=*/true);
  }
  return true;
}

void PrintClientFigures(const std::vector<Row>& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const Figures& f = rows[i].at[1];
    std::printf("figures %zu %.1f %.1f %.1f %llu %llu %.1f %.4f %.1f\n", i,
                f.p50_us, f.p99_us, f.per_s,
                static_cast<unsigned long long>(f.calls),
                static_cast<unsigned long long>(f.errors), f.server_cpu_us,
                f.elapsed_s, f.client_cpu_us);
    std::printf("latency %zu", i);
    for (const auto& [b, count] : f.latency)
      std::printf(" %d:%llu", b, static_cast<unsigned long long>(count));
    std::printf("\n");
  }
}

}  // namespace bibkg::bench
