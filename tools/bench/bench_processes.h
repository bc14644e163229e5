// The child processes of a measurement, each this program again: a server
// process (--serve-db) serves one graph as `bibkg serve` would, and client
// processes (--connect) measure it and report their figures on standard
// output, which the parent reads and merges.
#ifndef BIBKG_TOOLS_BENCH_BENCH_PROCESSES_H_
#define BIBKG_TOOLS_BENCH_BENCH_PROCESSES_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tools/bench/bench_figures.h"
#include "tools/bench/bench_options.h"

namespace bibkg::bench {

// The server process of a measurement (--serve-db): opens the graph, warms
// the block cache if asked, starts the server on a free loopback port, prints
// "serving PORT PID" and answers until SIGTERM. Returns the exit code.
int ServeChild(const std::string& dir, size_t block_cache_mb, bool warm,
               bool huge_pages);

// A server process started by ServeChild; stopped when destroyed.
class ServerProcess {
 public:
  ~ServerProcess() { Stop(); }
  // Starts `cmd` and waits for its "serving" line, passing the server's
  // other lines on to standard output; false if it failed.
  bool Start(const std::string& cmd);
  int port() const { return port_; }
  int pid() const { return pid_; }
  void Stop();

 private:
  FILE* pipe_ = nullptr;
  int pid_ = 0;
  int port_ = 0;
};

// The command line of a server process serving the graph in `db`, with
// the server settings of `options`; `self` is this program's path.
std::string ServeCommand(const std::string& self, const std::string& db,
                         const BenchOptions& options);

// The command lines of the client processes measuring the server at `at`
// (a graph of `works` works, served by process `pid` when > 0) for
// `seconds` per RPC: one process per client, started to measure in the
// same windows, or with --client-threads one process with a thread per
// client.
std::vector<std::string> ClientCommands(const std::string& self,
                                        const std::string& at, uint64_t works,
                                        int pid, double seconds,
                                        const BenchOptions& options);

// Runs the client processes `cmds` at once (they measure each RPC in the
// same windows) and reads their figures, as one run, into `rows`; false if
// one failed. A process prints its figures only when it has measured every
// RPC, so reading the processes one after another holds none of them up.
bool RunClientProcesses(const std::vector<std::string>& cmds,
                        std::vector<Figures>* rows);

// Prints the figures of a client process at the large size (at[1]) of each
// row, for the parent's RunClientProcesses.
void PrintClientFigures(const std::vector<Row>& rows);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_PROCESSES_H_
