// The query engine timed alone (--engine-only): in this thread, no RPC, for
// steadier figures of changes to the engine than the RPC rows give on a
// busy machine.
#ifndef BIBKG_TOOLS_BENCH_BENCH_ENGINE_H_
#define BIBKG_TOOLS_BENCH_BENCH_ENGINE_H_

#include "store/store.h"
#include "tools/bench/bench_graph.h"
#include "tools/bench/bench_options.h"

namespace bibkg::bench {

// Times GetWork, Search and RelatedWorks (only `options.only` when that is
// set) on `store` for `options.seconds` each and prints their latencies,
// the postings the view's cache keeps and the slowest searches; keeps every
// search entry first when `options.warm`. False if warming failed.
bool TimeEngine(store::Store* store, const Requests& requests,
                const BenchOptions& options);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_ENGINE_H_
