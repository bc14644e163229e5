// A query_bench run: builds the two graphs (or reuses them), serves them,
// measures each RPC at both sizes, by clients in this process or in client
// processes, and prints the report.
#ifndef BIBKG_TOOLS_BENCH_BENCH_RUN_H_
#define BIBKG_TOOLS_BENCH_BENCH_RUN_H_

#include "tools/bench/bench_options.h"

namespace bibkg::bench {

// Runs the benchmark `options` ask for (any but a server process's,
// --serve-db); returns the exit code: 0, or 2 when a step failed (said on
// standard error).
int RunBench(const BenchOptions& options);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_RUN_H_
