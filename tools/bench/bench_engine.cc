#include "tools/bench/bench_engine.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "query/engine.h"
#include "tools/bench/bench_figures.h"

namespace bibkg::bench {

namespace {

// Calls `call` for `seconds` and prints its latencies in a graph of `works`
// works, over all calls and over the second half alone.
void Time(const char* name, uint64_t works, double seconds,
          const std::function<absl::Status(std::mt19937_64&)>& call) {
  std::mt19937_64 rng(7);
  std::vector<double> us;
  size_t errors = 0;
  std::string first_error;
  double end = Now() + seconds;
  while (Now() < end) {
    double t0 = Now();
    absl::Status s = call(rng);
    us.push_back((Now() - t0) * 1e6);
    if (!s.ok() && errors++ == 0) first_error = s.ToString();
  }
  // The second half alone: the view's caches filled by the first.
  std::vector<double> late(us.begin() + us.size() / 2, us.end());
  std::sort(us.begin(), us.end());
  std::sort(late.begin(), late.end());
  std::printf(
      "  engine only, %llu works: %-12s p50 %8.0f µs  p99 %8.0f "
      "µs  (%zu calls); second half p50 %.0f µs  p99 %.0f µs\n",
      static_cast<unsigned long long>(works), name, us[us.size() / 2],
      us[us.size() * 99 / 100], us.size(), late[late.size() / 2],
      late[late.size() * 99 / 100]);
  if (errors > 0)
    std::printf("    %zu errors, the first: %s\n", errors, first_error.c_str());
}

}  // namespace

bool TimeEngine(store::Store* store, const Requests& requests,
                const BenchOptions& options) {
  const std::string& only = options.only;
  query::SharedView shared{store->SharedReadView(),
                           std::make_shared<query::ViewCache>()};
  if (options.warm) {
    auto entries = query::Engine(shared).WarmSearchEntries();
    if (!entries.ok()) return false;
    std::printf("  kept %zu search entries\n", *entries);
  }
  auto time = [&](const char* name, const auto& call) {
    if (!only.empty() && only != name) return;
    Time(name, requests.works(), options.seconds, call);
  };
  time("GetWork", [&](std::mt19937_64& rng) {
    // As the server answers it: the identifier resolved, then the work.
    query::Engine e(shared);
    absl::StatusOr<std::string> iri =
        e.Resolve(requests.RandomWork(rng), /*check_known=*/false);
    if (!iri.ok()) return iri.status();
    return e.GetWork(*iri, /*require_known=*/true).status();
  });
  std::vector<std::pair<double, std::string>> slowest;
  time("Search", [&](std::mt19937_64& rng) {
    query::Engine e(shared);
    query::SearchOptions o;
    o.query = requests.Query(rng);
    o.limit = 20;  // the server's default page, as the RPC rows ask for
    double t0 = Now();
    auto r = e.Search(o);
    slowest.emplace_back(
        (Now() - t0) * 1e6,
        o.query + " (" + std::to_string(r.ok() ? r->total : 0) + " matched)");
    return r.status();
  });
  if (only.empty() || only == "Search") {
    const size_t kept = shared.cache->CachedPostings();
    std::printf("    postings kept by the view's cache: %zu (%.0f MiB)\n", kept,
                static_cast<double>(kept * (sizeof(uint32_t) + sizeof(float))) /
                    1048576.0);
  }
  std::sort(slowest.rbegin(), slowest.rend());
  for (size_t i = 0; i < slowest.size() && i < 8; ++i)
    std::printf("    slow search %.0f µs: %s\n", slowest[i].first,
                slowest[i].second.c_str());
  time("RelatedWorks", [&](std::mt19937_64& rng) {
    query::Engine e(shared);
    return e.Related({requests.RandomWork(rng)}, 10).status();
  });
  return true;
}

}  // namespace bibkg::bench
