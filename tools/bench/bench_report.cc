#include "tools/bench/bench_report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_format.h"

namespace bibkg::bench {

namespace fs = std::filesystem;

std::string DamonState() {
  const fs::path root = "/sys/kernel/mm/damon/admin/kdamonds";
  std::error_code ec;
  std::string out;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string state, sample_us;
    std::ifstream(entry.path() / "state") >> state;
    if (state != "on") continue;
    std::ifstream(entry.path() /
                  "contexts/0/monitoring_attrs/intervals/sample_us") >>
        sample_us;
    if (!out.empty()) out += ", ";
    out += "kdamond " + entry.path().filename().string() + " sampling every " +
           (sample_us.empty() ? std::string("?") : sample_us) + " µs";
  }
  return out;
}

namespace {

// Latency and calls per second at both sizes, and the ratio of the p99s.
void PrintLatencies(const std::vector<Row>& rows, uint64_t small,
                    uint64_t works) {
  // A size not measured (--reuse measures only the large graph; --only
  // leaves rows out) is shown as "-".
  auto cell = [](const Figures& f, double v) {
    return f.calls == 0 ? std::string("-") : absl::StrFormat("%.0f", v);
  };
  std::printf("\n%-26s %12s %12s %12s %12s %12s %12s %10s\n", "", "p50 µs",
              "p99 µs", "calls/s", "p50 µs", "p99 µs", "calls/s", "p99 ratio");
  std::printf("%-26s %38s %38s\n", "",
              ("at " + std::to_string(small) + " works").c_str(),
              ("at " + std::to_string(works) + " works").c_str());
  for (const Row& r : rows) {
    const Figures& a = r.at[0];
    const Figures& b = r.at[1];
    std::printf(
        "%-26s %12s %12s %12s %12s %12s %12s %10s", r.name,
        cell(a, a.p50_us).c_str(), cell(a, a.p99_us).c_str(),
        cell(a, a.per_s).c_str(), cell(b, b.p50_us).c_str(),
        cell(b, b.p99_us).c_str(), cell(b, b.per_s).c_str(),
        a.calls == 0 || b.calls == 0
            ? "-"
            : absl::StrFormat("%.2f", b.p99_us / std::max(1.0, a.p99_us))
                  .c_str());
    if (r.at[0].errors + r.at[1].errors) {
      std::printf("  (%llu errors)", static_cast<unsigned long long>(
                                         r.at[0].errors + r.at[1].errors));
    }
    std::printf("\n");
  }
}

// What the server alone would answer if its clients did not share the
// machine's cores: a figure less at the mercy of the client process; and
// what the client process spends, on the same cores.
void PrintCpuPerCall(const std::vector<Row>& rows) {
  std::printf("\n%-26s %16s %16s %16s %16s %15s %12s\n", "server CPU per call",
              "µs (small)", "calls/s/core", "µs (large)", "calls/s/core",
              "client (small)", "(large)");
  auto us = [](double v) {
    return v > 0 ? absl::StrFormat("%.0f", v) : std::string("-");
  };
  for (const Row& r : rows) {
    auto rate = [](const Figures& f) {
      return f.server_cpu_us > 0
                 ? absl::StrFormat("%.0f", 1e6 / f.server_cpu_us)
                 : std::string("-");
    };
    std::printf("%-26s %16s %16s %16s %16s %15s %12s\n", r.name,
                us(r.at[0].server_cpu_us).c_str(), rate(r.at[0]).c_str(),
                us(r.at[1].server_cpu_us).c_str(), rate(r.at[1]).c_str(),
                us(r.at[0].client_cpu_us).c_str(),
                us(r.at[1].client_cpu_us).c_str());
  }
}

}  // namespace

void PrintReport(const std::vector<Row>& rows, uint64_t small, uint64_t works) {
  PrintLatencies(rows, small, works);
  if (rows[0].at[1].server_cpu_us > 0 || rows[0].at[1].client_cpu_us > 0)
    PrintCpuPerCall(rows);
  if (rows[1].at[1].calls > 0 && rows[0].at[1].calls > 0) {
    std::printf("\nGetWork p99 / empty RPC p99 at %llu works: %.1f\n",
                static_cast<unsigned long long>(works),
                rows[1].at[1].p99_us / rows[0].at[1].p99_us);
  }
}

}  // namespace bibkg::bench
