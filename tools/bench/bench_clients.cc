#include "tools/bench/bench_clients.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace bibkg::bench {

Figures Measure(const std::string& address, int clients, double seconds,
                double window_start, int seed, int server_pid,
                bool clients_alone, const Call& call) {
  std::vector<std::vector<double>> lat(clients);
  std::atomic<uint64_t> errors{0};
  std::vector<std::thread> threads;
  const double window_end = window_start + seconds;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      grpc::ChannelArguments args;
      args.SetInt("grpc.channel_id", seed + c);  // separate connections
      auto channel = grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args);
      auto stub = v1::Bibkg::NewStub(channel);
      grpc::GenericStub generic(channel);
      std::mt19937_64 rng(1000 + seed + c);
      do {
        call(stub.get(), &generic, rng);
      } while (Now() < window_start);
      while (Now() < window_end) {
        double t0 = Now();
        bool ok = call(stub.get(), &generic, rng);
        lat[c].push_back((Now() - t0) * 1e6);
        if (!ok) ++errors;
      }
    });
  }
  std::this_thread::sleep_for(
      std::chrono::duration<double>(std::max(0.0, window_start - Now())));
  const double cpu_start = server_pid > 0 ? ProcessCpuSeconds(server_pid) : -1;
  const double self_start = SelfCpuSeconds();
  const double start = std::max(window_start, Now());
  for (auto& t : threads) t.join();
  double elapsed = Now() - start;
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  f.calls = all.size();
  f.errors = errors;
  if (!all.empty()) {
    f.p50_us = all[all.size() / 2];
    f.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  f.per_s = all.size() / elapsed;
  f.elapsed_s = elapsed;
  for (double us : all) ++f.latency[Bucket(us)];
  const double cpu_end = server_pid > 0 ? ProcessCpuSeconds(server_pid) : -1;
  if (clients_alone && !all.empty()) {
    f.client_cpu_us =
        (SelfCpuSeconds() - self_start) * 1e6 / static_cast<double>(all.size());
  }
  if (cpu_start >= 0 && cpu_end >= 0 && !all.empty()) {
    f.server_cpu_us =
        (cpu_end - cpu_start) * 1e6 / static_cast<double>(all.size());
  }
  return f;
}

namespace {

template <typename Req, typename Resp>
bool Unary(grpc::Status (v1::Bibkg::Stub::*method)(grpc::ClientContext*,
                                                   const Req&, Resp*),
           v1::Bibkg::Stub* stub, const Req& req) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  Resp resp;
  return (stub->*method)(&ctx, req, &resp).ok();
}

}  // namespace

bool HealthCheck(grpc::GenericStub* generic) {
  static const std::string kRequest =
      std::string("\x0a\x0e", 2) + "bibkg.v1.Bibkg";
  grpc::Slice slice(kRequest);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext ctx;
  grpc::CompletionQueue cq;
  auto call = generic->PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check",
                                        request, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  return ok && status.ok();
}

std::vector<Figures> MeasureRpcs(const std::string& address,
                                 const Requests& requests,
                                 const BenchOptions& options) {
  const std::string& only = options.only;
  const bool clients_alone = !options.connect.empty();
  // Each RPC's window follows the last one's after a warm-up.
  double window = options.start_at > 0 ? options.start_at : Now();
  const int seed = 100 * options.client_index;
  auto measure = [&](const Call& call) {
    window += kWarmUpSeconds;
    const double start = window;
    window += options.seconds;
    return Measure(address, options.clients, options.seconds, start, seed,
                   options.server_pid, clients_alone, call);
  };
  std::vector<Figures> got(RpcRows().size());
  got[0] = measure(
      [](auto*, grpc::GenericStub* g, auto&) { return HealthCheck(g); });
  if (only.empty() || only == "GetWork")
    got[1] = measure([&](auto* stub, auto*, auto& rng) {
      v1::GetWorkRequest req;
      req.set_id(requests.RandomWork(rng));
      return Unary(&v1::Bibkg::Stub::GetWork, stub, req);
    });
  if (only.empty() || only == "Search")
    got[2] = measure([&](auto* stub, auto*, auto& rng) {
      v1::SearchRequest req;
      req.set_query(requests.Query(rng));
      return Unary(&v1::Bibkg::Stub::Search, stub, req);
    });
  if (only.empty() || only == "RelatedWorks")
    got[3] = measure([&](auto* stub, auto*, auto& rng) {
      v1::RelatedWorksRequest req;
      req.add_ids(requests.RandomWork(rng));
      return Unary(&v1::Bibkg::Stub::RelatedWorks, stub, req);
    });
  if (only.empty() || only == "ReadingList")
    got[4] = measure([&](auto* stub, auto*, auto& rng) {
      v1::ReadingListRequest req;
      req.add_seed_ids(requests.RandomWork(rng));
      req.set_size(10);
      req.set_format("bibtex");
      return Unary(&v1::Bibkg::Stub::ReadingList, stub, req);
    });
  return got;
}

}  // namespace bibkg::bench
