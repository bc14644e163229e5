// The figures query_bench measures: the clock, latency histograms and their
// percentiles, the figures of one RPC on one server and their merging over
// runs, and the CPU time of processes.
#ifndef BIBKG_TOOLS_BENCH_BENCH_FIGURES_H_
#define BIBKG_TOOLS_BENCH_BENCH_FIGURES_H_

#include <cstdint>
#include <map>
#include <vector>

namespace bibkg::bench {

// Seconds on the steady clock (CLOCK_MONOTONIC), shared by the processes of
// one machine.
double Now();

// Latency histogram: bucket b holds the calls that took exp(b / 100) to
// exp((b + 1) / 100) µs (1 % wide), so that the calls of several runs can be
// merged and their percentiles read within 1 %.
using Histogram = std::map<int, uint64_t>;

// The bucket of a call that took `us` µs.
int Bucket(double us);

// The latency at quantile `q` (0..1) of a histogram, at its bucket's middle.
double Quantile(const Histogram& h, double q);

struct Figures {
  double p50_us = 0, p99_us = 0, per_s = 0;
  uint64_t calls = 0, errors = 0;
  // The server process's CPU time (user + system) per call, when the server
  // is a process of its own whose id is known; 0 otherwise.
  double server_cpu_us = 0;
  // The client processes' CPU time per call, when the clients are processes
  // of their own (--connect, as they are by default); 0 otherwise.
  double client_cpu_us = 0;
  double elapsed_s = 0;
  Histogram latency;
};

// The figures of several runs of one RPC on one server as one run, with
// the latency percentiles of all their calls and each process's CPU time per
// call weighted by calls. Runs one after another (`concurrent` false): calls
// per second over their summed time. Client processes that measured in the
// same window (`concurrent`): their calls per second summed, and the
// server's CPU time, which each of them read over that window, per call of
// them all.
Figures Merge(const std::vector<Figures>& runs, bool concurrent);

// One row of the report: an RPC's figures at the small graph (at[0]) and
// at the large one (at[1]); a size not measured has no calls.
struct Row {
  const char* name;
  Figures at[2];
};

// The rows in the order the clients measure them: the empty RPC (the
// floor), GetWork, Search, RelatedWorks, ReadingList.
std::vector<Row> RpcRows();

// CPU seconds (user + system) this process has used so far.
double SelfCpuSeconds();

// CPU seconds (user + system) used so far by process `pid`, from
// /proc/PID/stat; negative if it cannot be read.
double ProcessCpuSeconds(int pid);

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_FIGURES_H_
