// What query_bench prints at the end: the latency and throughput of each
// RPC at both sizes with the ratio of their tails, the CPU time per call,
// and the state of the machine that bears on them.
#ifndef BIBKG_TOOLS_BENCH_BENCH_REPORT_H_
#define BIBKG_TOOLS_BENCH_BENCH_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/bench/bench_figures.h"

namespace bibkg::bench {

// Whether the kernel's DAMON is monitoring memory, and how often it
// samples: every sample clears the accessed bits of pages across physical
// memory, and each page of a running process so touched likely costs that
// process a TLB flush. A server holding a large block cache has slower
// tails with it on than off (the DAMON row of docs/performance.md's tuning
// knobs), so the figures say whether it ran. Empty when no kdamond is on
// (or DAMON is not built in).
std::string DamonState();

// Prints the tables of `rows` measured at graphs of `small` and `works`
// works: p50, p99 and calls per second at each size and the ratio of the
// p99s; the server's and the clients' CPU time per call when known; and
// GetWork's p99 over the empty RPC's at the large size. A size not measured
// shows "-".
void PrintReport(const std::vector<Row>& rows, uint64_t small, uint64_t works);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_REPORT_H_
