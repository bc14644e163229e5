#include "tools/bench/bench_figures.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace bibkg::bench {

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int Bucket(double us) {
  return static_cast<int>(std::floor(std::log(std::max(us, 1.0)) * 100));
}

double Quantile(const Histogram& h, double q) {
  uint64_t total = 0;
  for (const auto& [b, n] : h) total += n;
  const uint64_t rank = static_cast<uint64_t>(static_cast<double>(total) * q);
  uint64_t seen = 0;
  for (const auto& [b, n] : h) {
    seen += n;
    if (seen > rank) return std::exp((b + 0.5) / 100);
  }
  return 0;
}

Figures Merge(const std::vector<Figures>& runs, bool concurrent) {
  Figures m;
  double cpu = 0, client_cpu = 0;
  for (const Figures& f : runs) {
    m.calls += f.calls;
    m.errors += f.errors;
    m.per_s += f.per_s;
    m.elapsed_s = concurrent ? std::max(m.elapsed_s, f.elapsed_s)
                             : m.elapsed_s + f.elapsed_s;
    cpu += f.server_cpu_us * static_cast<double>(f.calls);
    client_cpu += f.client_cpu_us * static_cast<double>(f.calls);
    for (const auto& [b, n] : f.latency) m.latency[b] += n;
  }
  if (m.calls == 0) return m;
  const double calls = static_cast<double>(m.calls);
  m.p50_us = Quantile(m.latency, 0.5);
  m.p99_us = Quantile(m.latency, 0.99);
  if (!concurrent) m.per_s = m.elapsed_s > 0 ? calls / m.elapsed_s : 0;
  m.server_cpu_us =
      cpu / calls / (concurrent ? static_cast<double>(runs.size()) : 1.0);
  m.client_cpu_us = client_cpu / calls;
  return m;
}

std::vector<Row> RpcRows() {
  return {{"empty RPC (health check)", {}},
          {"GetWork", {}},
          {"Search", {}},
          {"RelatedWorks", {}},
          {"ReadingList", {}}};
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double ProcessCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return -1;
  size_t close = line.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 13; ++i) rest >> field;  // state .. cmajflt
  unsigned long long user = 0, system = 0;
  if (!(rest >> user >> system)) return -1;
  return static_cast<double>(user + system) / sysconf(_SC_CLK_TCK);
}

}  // namespace bibkg::bench
