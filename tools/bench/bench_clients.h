// The gRPC load clients: threads that call one RPC over a channel each, in
// a window of time after a warm-up, and record each call's latency.
#ifndef BIBKG_TOOLS_BENCH_BENCH_CLIENTS_H_
#define BIBKG_TOOLS_BENCH_BENCH_CLIENTS_H_

#include <grpcpp/generic/generic_stub.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bibkg/v1/bibkg.grpc.pb.h"
#include "tools/bench/bench_figures.h"
#include "tools/bench/bench_graph.h"
#include "tools/bench/bench_options.h"

namespace bibkg::bench {

// Seconds of uncounted calls before each RPC's measured window: they
// connect the channels and warm the server's threads, heaps and caches for
// that RPC.
inline constexpr double kWarmUpSeconds = 0.5;

// One call of an RPC, with either stub of the client's channel; true if it
// succeeded.
using Call =
    std::function<bool(v1::Bibkg::Stub*, grpc::GenericStub*, std::mt19937_64&)>;

// Runs `call` from `clients` threads (each with its own channel and random
// sequence, seeded from `seed`) and counts the calls that start in the
// window [`window_start`, `window_start` + `seconds`) of Now()'s clock; calls
// before it warm up and are not counted. The CPU time of the server process
// `server_pid` (when > 0), and this process's when `clients_alone`, is read
// at the window's ends.
Figures Measure(const std::string& address, int clients, double seconds,
                double window_start, int seed, int server_pid,
                bool clients_alone, const Call& call);

// The empty RPC: a gRPC health check of the Bibkg service, through the
// generic stub.
bool HealthCheck(grpc::GenericStub* generic);

// Measures each RPC of RpcRows() (only the empty one and `options.only`
// when that is set) on the server at `address`, one window after another,
// with `options.clients` threads; returns their figures in the rows' order,
// none for an RPC not measured. Client processes started together
// (`options.start_at`) measure in the same windows.
std::vector<Figures> MeasureRpcs(const std::string& address,
                                 const Requests& requests,
                                 const BenchOptions& options);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_CLIENTS_H_
