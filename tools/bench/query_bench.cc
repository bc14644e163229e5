// query_bench: latency and throughput of GetWork, Search, RelatedWorks and
// ReadingList over real gRPC on loopback, with concurrent clients, at two
// graph sizes, next to an empty RPC (health check) measured in the same run
// as the floor. The server runs in a process of its own, started on the
// graph after it is built (as `bibkg serve` is after `bibkg import`), and
// each client in a process of its own (this program again, with --connect),
// as independent clients are; the client processes measure each RPC in the
// same window of time, after a warm-up. --client-threads runs the clients as
// threads of one process instead; --clients-in-process puts server and
// clients in this process.
//
//   build/tools/bench/query_bench --works 1000000 --small 100000
//
// With --rounds N both graphs (the small one kept as a copy in DIR-small) are
// served at once and measured in N alternating rounds, so that the ratio of
// their latencies is not skewed by the machine's speed drifting between them;
// a first round warms both servers up and is not counted.
//
// This file holds the command line; bench_run.cc the run, bench_graph.cc the
// graph, bench_clients.cc the gRPC clients, bench_processes.cc the server
// and client processes, bench_engine.cc the engine timed alone,
// bench_figures.cc the figures and bench_report.cc the printed tables.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "base/huge_pages.h"
#include "store/store.h"
#include "tools/bench/bench_options.h"
#include "tools/bench/bench_processes.h"
#include "tools/bench/bench_run.h"

namespace {

using bibkg::bench::BenchOptions;

// The options of the measurement: sizes, clients, time, and the server's
// settings.
void AddMeasurementOptions(CLI::App* app, BenchOptions* o) {
  app->add_option("--works", o->works, "Works in the large graph")
      ->capture_default_str();
  app->add_option("--small", o->small,
                  "Works in the small graph (measured first)")
      ->capture_default_str();
  app->add_option(
         "--clients", o->clients,
         "Concurrent clients (a process each, unless --client-threads)")
      ->capture_default_str();
  app->add_option("--seconds", o->seconds, "Seconds per RPC and size")
      ->capture_default_str();
  app->add_option("--dir", o->dir, "Scratch directory (emptied first)")
      ->capture_default_str();
  app->add_option(
         "--block-cache-mb", o->block_cache_mb,
         "RocksDB block cache in MiB (as bibkg serve --block-cache-mb)")
      ->capture_default_str();
  app->add_flag("--huge-pages,!--no-huge-pages", o->huge_pages,
                "Server processes (and the engine or server in this process "
                "with --engine-only or --clients-in-process) take their memory "
                "in huge pages (reserved ones first), as bibkg serve does by "
                "default")
      ->capture_default_str();
  app->add_flag("--warm", o->warm,
                "Read the whole database once before measuring (as "
                "bibkg serve --warm does)");
  app->add_flag("--engine-only", o->engine_only,
                "Time the query engine alone (no gRPC), one thread");
  app->add_option("--only", o->only,
                  "Measure only this RPC (GetWork, Search, RelatedWorks, "
                  "ReadingList) next to the empty RPC, e.g. for a profiler");
  app->add_flag("--reuse", o->reuse,
                "If --dir holds the large graph of an earlier run with the "
                "same --works, measure it again at that size only (no "
                "rebuild): for comparing engine changes; with --rounds, both "
                "sizes if DIR-small holds the small graph of the same --small");
  app->add_flag("--no-prime", o->no_prime,
                "Do not read the database files once before measuring (by "
                "default they are, so that the disk is not what is measured)");
  app->add_option("--query", o->fixed_query,
                  "Search for this text every time (to profile one query)");
  app->add_flag("--recompact", o->recompact,
                "With --reuse: rewrite the graph's tables with the current "
                "table options before measuring");
}

// The options of where the server and the clients run, and the internal
// ones of the child processes.
void AddProcessOptions(CLI::App* app, BenchOptions* o) {
  app->add_option("--connect", o->connect,
                  "Measure a server already running at this address (e.g. "
                  "bibkg serve on a graph this program built with --works) "
                  "instead of starting one: the clients then run in their own "
                  "process");
  app->add_flag("--clients-in-process", o->clients_in_process,
                "Run the server and the clients in this process (by default "
                "the server runs in a process of its own, started after each "
                "build, and the clients in another, as real clients do)");
  app->add_option("--server-pid", o->server_pid,
                  "With --connect: the server's process id, to report its CPU "
                  "time per call")
      ->capture_default_str();
  app->add_option("--rounds", o->rounds,
                  "Serve both graphs at once and measure them in this many "
                  "rounds of --seconds / rounds each, alternating which size "
                  "goes first (a ratio of the sizes that drift in the "
                  "machine's speed does not skew), after a warm-up round that "
                  "is not counted; 1 measures the small graph, then the large "
                  "one")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app->add_flag("--client-threads", o->client_threads,
                "Run the clients as threads of one process (a channel each) "
                "instead of a process each, as independent clients are");
  app->add_option("--client-index", o->client_index,
                  "Internal: this client process's number among those started "
                  "together (its calls' random sequence)")
      ->group("");
  app->add_option("--start-at", o->start_at,
                  "Internal: the time (CLOCK_MONOTONIC seconds) the first "
                  "RPC's warm-up starts, shared by client processes started "
                  "together")
      ->group("");
  app->add_option("--serve-db", o->serve_db,
                  "Internal: be the server process of a measurement over the "
                  "graph in this directory")
      ->group("");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Query benchmark over real gRPC on loopback."};
  BenchOptions o;
  o.dir =
      (std::filesystem::temp_directory_path() / "bibkg-query-bench").string();
  o.block_cache_mb = bibkg::store::DefaultServingBlockCacheBytes() >> 20;
  AddMeasurementOptions(&app, &o);
  AddProcessOptions(&app, &o);
  CLI11_PARSE(app, argc, argv);
  if (!o.serve_db.empty())
    return bibkg::bench::ServeChild(o.serve_db, o.block_cache_mb, o.warm,
                                    o.huge_pages);
  if (o.rounds > 1 &&
      (o.engine_only || o.clients_in_process || !o.connect.empty())) {
    std::fprintf(stderr,
                 "query_bench: --rounds measures server processes of its own; "
                 "it does not go with --engine-only, --clients-in-process or "
                 "--connect\n");
    return 2;
  }
  // The engine or the server in this process: its heap as a server's.
  if (o.huge_pages && (o.engine_only || o.clients_in_process) &&
      o.connect.empty() && !bibkg::UseHugePagesForHeap()) {
    std::fprintf(stderr, "query_bench: malloc is not tcmalloc\n");
    return 2;
  }
  return bibkg::bench::RunBench(o);
}
