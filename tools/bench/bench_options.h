// The settings of one query_bench process, as its command line gives them
// (query_bench --help describes each).
#ifndef BIBKG_TOOLS_BENCH_BENCH_OPTIONS_H_
#define BIBKG_TOOLS_BENCH_BENCH_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace bibkg::bench {

struct BenchOptions {
  uint64_t works = 1'000'000;  // --works: the large graph
  uint64_t small = 100'000;    // --small: the small graph, measured first
  int clients = 2;
  double seconds = 5;  // per RPC and size
  std::string dir;     // the scratch directory
  size_t block_cache_mb = 0;
  bool huge_pages = true;
  bool warm = false;
  bool engine_only = false;
  std::string only;  // one RPC's name, or empty for all
  bool reuse = false;
  bool no_prime = false;
  std::string fixed_query;  // --query
  bool recompact = false;
  // The address of a running server to measure; this process is then only
  // clients.
  std::string connect;
  bool clients_in_process = false;
  // The server process measured, 0 when unknown or when the clients share
  // its process.
  int server_pid = 0;
  int rounds = 1;
  bool client_threads = false;
  // A client process's number among those started together.
  int client_index = 0;
  // The time (Now()) the first RPC's warm-up starts in client processes
  // started together; 0 in any other process.
  double start_at = 0;
  // The graph to serve, in a server process; empty in any other.
  std::string serve_db;
};

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_OPTIONS_H_
