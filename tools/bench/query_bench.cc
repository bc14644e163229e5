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
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "base/huge_pages.h"
#include "bibkg/v1/bibkg.grpc.pb.h"
#include "query/engine.h"
#include "service/service.h"
#include "store/store.h"
#include "store/topic_postings.h"
#include "text/vocab.h"
#include "topic/document.h"

namespace {

using bibkg::store::Term;
using bibkg::store::Triple;
namespace vocab = bibkg::vocab;
namespace fs = std::filesystem;

double Now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Zipf(s = 1) over [0, n) by inverse transform on the harmonic numbers.
class Zipf {
 public:
  explicit Zipf(size_t n) : cdf_(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / (i + 1));
    for (double& c : cdf_) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
  }

 private:
  std::vector<double> cdf_;
};

// Pseudo-words from syllables: a vocabulary of `n` distinct words.
std::vector<std::string> Vocabulary(size_t n) {
  const char* syl[] = {"ka",  "lo",  "mi",  "ren", "tor", "sa", "vel",
                       "qui", "dan", "bor", "li",  "mek", "nu", "pra",
                       "sto", "fe",  "gal", "hin", "jo",  "wex"};
  std::vector<std::string> out;
  for (size_t i = 0; out.size() < n; ++i) {
    std::string w;
    size_t x = i;
    do {
      w += syl[x % 20];
      x /= 20;
    } while (x > 0);
    w += syl[(i * 7) % 20];
    out.push_back(w);
  }
  return out;
}

struct Corpus {
  std::vector<std::string> words = Vocabulary(30000);
  Zipf word_zipf{30000};
  Zipf subject_zipf{5000};
  Zipf journal_zipf{20000};
  Zipf author_zipf{300000};
  std::vector<uint64_t>
      cited;  // every citation target so far (preferential attachment)
  std::mt19937_64 rng{42};
  uint64_t works = 0;

  std::string Words(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ' ';
      out += words[word_zipf(rng)];
    }
    return out;
  }

  static std::string WorkIri(uint64_t w) {
    return "https://doi.org/10.5555/bench." + std::to_string(w);
  }

  // One record: the work and the nodes it names, as one graph.
  std::vector<Triple> NextWork() {
    uint64_t w = works++;
    std::string work = WorkIri(w);
    auto iri = [](std::string s) { return Term::Iri(std::move(s)); };
    std::vector<Triple> t;
    t.push_back({iri(work), iri(vocab::kRdfType), iri(vocab::kJournalArticle)});
    t.push_back(
        {iri(work), iri(vocab::kTitle), Term::LangLiteral(Words(8), "en")});
    t.push_back(
        {iri(work), iri(vocab::kAbstract), Term::LangLiteral(Words(60), "en")});
    t.push_back({iri(work), iri(vocab::kIssued),
                 Term::Typed(std::to_string(1960 + w * 64 / 1000000 % 65),
                             "http://www.w3.org/2001/XMLSchema#gYear")});
    t.push_back({iri(work), iri(vocab::kDoi),
                 Term::Literal("10.5555/bench." + std::to_string(w))});
    std::string journal =
        "urn:bench:journal/" + std::to_string(journal_zipf(rng));
    t.push_back({iri(work), iri(vocab::kIsPartOf), iri(journal)});
    t.push_back({iri(journal), iri(vocab::kRdfType), iri(vocab::kJournal)});
    t.push_back({iri(journal), iri(vocab::kTitle),
                 Term::Literal("Journal " + journal.substr(18))});
    for (int i = 0, n = 1 + static_cast<int>(rng() % 5); i < n; ++i) {
      std::string person =
          "urn:bench:person/" + std::to_string(author_zipf(rng));
      t.push_back({iri(work), iri(vocab::kCreator), iri(person)});
      t.push_back({iri(person), iri(vocab::kName),
                   Term::Literal("Person " + person.substr(17))});
    }
    for (int i = 0, n = 1 + static_cast<int>(rng() % 5); i < n; ++i) {
      size_t s = subject_zipf(rng);
      std::string subject = "urn:bench:subject/" + std::to_string(s);
      t.push_back({iri(work), iri(vocab::kSubject), iri(subject)});
      t.push_back(
          {iri(subject), iri(vocab::kPrefLabel),
           Term::LangLiteral(words[s % 30000] + " " + words[(s * 31) % 30000],
                             "en")});
    }
    int refs = w < 10 ? 0 : static_cast<int>(rng() % 21);
    for (int i = 0; i < refs; ++i) {
      uint64_t target = (!cited.empty() && rng() % 2)
                            ? cited[rng() % cited.size()]
                            : rng() % w;
      cited.push_back(target);
      t.push_back({iri(work), iri(vocab::kCites), iri(WorkIri(target))});
    }
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    return t;
  }
};

// Adds works up to `total` through the bulk loader (as `bibkg import --bulk`
// does), topic index included.
void Grow(bibkg::store::Store* store, Corpus* corpus, uint64_t total) {
  double start = Now();
  uint64_t from = corpus->works;
  auto loader = store->NewBulkLoader();
  if (!loader.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(loader.status().message()).c_str());
    std::exit(2);
  }
  while (corpus->works < total) {
    Term graph = Term::Iri("urn:bench:record/" + std::to_string(corpus->works));
    std::vector<Triple> t = corpus->NextWork();
    std::vector<bibkg::store::AuxEntry> aux;
    if (auto doc = bibkg::topic::BuildTopicDoc(t)) {
      aux = bibkg::store::TopicEntries(*doc);
      (*loader)->AddToCounter(bibkg::store::kTopicDocsCounter, 1);
      (*loader)->AddToCounter(bibkg::store::kTopicLengthCounter,
                              static_cast<int64_t>(doc->length));
    }
    absl::Status s = (*loader)->AddNewGraph(graph, t, aux);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      std::exit(2);
    }
  }
  absl::Status finished = (*loader)->Finish();
  if (!finished.ok()) {
    std::fprintf(stderr, "%s\n", std::string(finished.message()).c_str());
    std::exit(2);
  }
  double loaded = Now();
  // Measure the settled state a long-running server reaches, not the
  // moment after a burst of writes.
  absl::Status s = store->CompactAll();
  if (!s.ok()) std::exit(2);
  std::printf(
      "  loaded works %llu..%llu in %.1f s (%.0f works/s, bulk loader), "
      "compacted in %.1f s\n",
      static_cast<unsigned long long>(from),
      static_cast<unsigned long long>(total), loaded - start,
      (total - from) / (loaded - start), Now() - loaded);
}

// Reads every file of the database once, so that the operating system's
// page cache holds them, as it does on a server that has been answering for
// a while: the figures are then of the engine and the block cache, not of
// the disk. Returns the bytes read.
uint64_t PrimePageCache(const std::string& dir) {
  uint64_t bytes = 0;
  std::vector<char> buffer(1 << 20);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)
      bytes += static_cast<uint64_t>(in.gcount());
  }
  return bytes;
}

// Whether the kernel's DAMON is monitoring memory, and how often it
// samples: every sample clears the accessed bits of pages across physical
// memory, and each page of a running process so touched likely costs that
// process a TLB flush. A server holding a large block cache measured slower
// tails with it on than off (docs/performance.md, eleventh session), so the
// figures say whether it ran. Empty when no kdamond is on (or DAMON is not
// built in).
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

// Latency histogram: bucket b holds the calls that took exp(b / 100) to
// exp((b + 1) / 100) µs (1 % wide), so that the calls of several runs can be
// merged and their percentiles read within 1 %.
using Histogram = std::map<int, uint64_t>;

int Bucket(double us) {
  return static_cast<int>(std::floor(std::log(std::max(us, 1.0)) * 100));
}

// The latency at quantile `q` (0..1) of a histogram, at its bucket's middle.
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

// The server process measured (--server-pid), 0 when unknown or when the
// clients share its process.
int server_pid = 0;
// Whether this process is only the clients (--connect): its own CPU time is
// then theirs.
bool clients_alone = false;

// CPU seconds (user + system) this process has used so far.
double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// CPU seconds (user + system) used so far by process `pid`, from
// /proc/PID/stat; negative if it cannot be read.
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

// Seconds of uncounted calls before each RPC's measured window: they
// connect the channels and warm the server's threads, heaps and caches for
// that RPC.
constexpr double kWarmUpSeconds = 0.5;

// Runs `call` from `clients` threads (each with its own channel and random
// sequence, seeded from `seed`) and counts the calls that start in the
// window [`window_start`, `window_start` + `seconds`) of Now()'s clock; calls
// before it warm up and are not counted. The server's CPU time (and this
// process's, when it is only clients) is read at the window's ends.
Figures Measure(
    const std::string& address, int clients, double seconds,
    double window_start, int seed,
    const std::function<bool(bibkg::v1::Bibkg::Stub*, grpc::GenericStub*,
                             std::mt19937_64&)>& call) {
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
      auto stub = bibkg::v1::Bibkg::NewStub(channel);
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

template <typename Req, typename Resp>
bool Unary(grpc::Status (bibkg::v1::Bibkg::Stub::*method)(grpc::ClientContext*,
                                                          const Req&, Resp*),
           bibkg::v1::Bibkg::Stub* stub, const Req& req) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  Resp resp;
  return (stub->*method)(&ctx, req, &resp).ok();
}

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

// Opens the graph with a block cache of `block_cache_mb` MiB; says why on
// standard error when it cannot.
absl::StatusOr<std::unique_ptr<bibkg::store::Store>> OpenGraph(
    const std::string& dir, size_t block_cache_mb) {
  bibkg::store::StoreOptions store_options;
  store_options.block_cache_bytes = block_cache_mb << 20;
  auto store = bibkg::store::Store::Open(dir, store_options);
  if (!store.ok()) {
    std::fprintf(stderr, "query_bench: %s\n",
                 std::string(store.status().message()).c_str());
  }
  return store;
}

// The server process of a measurement (--serve-db): opens the graph, warms
// the block cache if asked, starts the server on a free loopback port, prints
// "serving PORT PID" and answers until SIGTERM.
int ServeChild(const std::string& dir, size_t block_cache_mb, bool warm,
               bool huge_pages) {
  // As bibkg serve does, unless --no-huge-pages.
  if (huge_pages && !bibkg::UseHugePagesForHeap()) {
    std::fprintf(stderr, "query_bench server: malloc is not tcmalloc\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  // Blocked before any thread starts, so that every thread inherits the mask
  // and only sigwait below takes the signal.
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  auto store = OpenGraph(dir, block_cache_mb);
  if (!store.ok()) return 2;
  if (warm) {
    double t0 = Now();
    auto bytes = (*store)->WarmBlockCache();
    if (!bytes.ok()) return 2;
    std::printf("  server: warmed the block cache, %.0f MiB read in %.1f s\n",
                *bytes / 1048576.0, Now() - t0);
  }
  if (size_t reserved = bibkg::HeapBytesInReservedHugePages())
    std::printf("  server: %.0f MiB of its memory in reserved huge pages\n",
                reserved / 1048576.0);
  bibkg::service::ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto server = bibkg::service::StartServer(store->get(), options);
  if (!server.ok()) {
    std::fprintf(stderr, "query_bench server: %s\n",
                 std::string(server.status().message()).c_str());
    return 2;
  }
  if (warm) {
    double t0 = Now();
    auto entries = server->service->WarmSearch();
    if (!entries.ok()) return 2;
    std::printf("  server: kept %zu search entries in %.1f s\n", *entries,
                Now() - t0);
  }
  std::printf("serving %d %d\n", server->port, static_cast<int>(getpid()));
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  server->server->Shutdown();
  return 0;
}

// A server process started by ServeChild; stopped when destroyed.
class ServerProcess {
 public:
  ~ServerProcess() { Stop(); }
  // Starts `cmd` and waits for its "serving" line; false if it failed.
  bool Start(const std::string& cmd) {
    std::fflush(stdout);
    pipe_ = popen(cmd.c_str(), "r");
    if (pipe_ == nullptr) return false;
    char line[512];
    while (std::fgets(line, sizeof line, pipe_)) {
      int port = 0, pid = 0;
      if (std::sscanf(line, "serving %d %d", &port, &pid) == 2) {
        port_ = port;
        pid_ = pid;
        return true;
      }
      std::fputs(line, stdout);  // the server's own progress lines
    }
    Stop();
    return false;
  }
  int port() const { return port_; }
  int pid() const { return pid_; }
  void Stop() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    pid_ = 0;
    if (pipe_ != nullptr) pclose(pipe_);
    pipe_ = nullptr;
  }

 private:
  FILE* pipe_ = nullptr;
  int pid_ = 0;
  int port_ = 0;
};

std::string Quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? "'\\''" : std::string(1, c);
  return q + "'";
}

// Reads the figures a client process (this program with --connect) reports
// on `out` into `rows` (indexed as its rows).
void ReadClientFigures(FILE* out, std::vector<Figures>* rows) {
  char* line = nullptr;
  size_t capacity = 0;
  while (getline(&line, &capacity, out) > 0) {
    size_t row = 0;
    int used = 0;
    Figures f;
    unsigned long long calls = 0, errs = 0;
    if (std::sscanf(line, "figures %zu %lf %lf %lf %llu %llu %lf %lf %lf", &row,
                    &f.p50_us, &f.p99_us, &f.per_s, &calls, &errs,
                    &f.server_cpu_us, &f.elapsed_s, &f.client_cpu_us) == 9 &&
        row < rows->size()) {
      f.calls = calls;
      f.errors = errs;
      f.latency = std::move((*rows)[row].latency);
      (*rows)[row] = std::move(f);
    } else if (std::sscanf(line, "latency %zu%n", &row, &used) == 1 &&
               row < rows->size()) {
      std::istringstream in(line + used);
      int bucket = 0;
      char colon = 0;
      unsigned long long count = 0;
      while (in >> bucket >> colon >> count)
        (*rows)[row].latency[bucket] += count;
    }
  }
  std::free(line);
}

// Runs the client processes `cmds` at once (they measure each RPC in the
// same windows) and reads their figures, as one run, into `rows`; false if
// one failed. A process prints its figures only when it has measured every
// RPC, so reading the processes one after another holds none of them up.
bool RunClientProcesses(const std::vector<std::string>& cmds,
                        std::vector<Figures>* rows) {
  std::fflush(stdout);
  std::vector<FILE*> children;
  bool ok = true;
  for (const std::string& cmd : cmds) {
    FILE* child = popen(cmd.c_str(), "r");
    if (child == nullptr) {
      std::perror("query_bench: starting a client process");
      ok = false;
      break;
    }
    children.push_back(child);
  }
  std::vector<std::vector<Figures>> got(children.size(),
                                        std::vector<Figures>(rows->size()));
  for (size_t i = 0; i < children.size(); ++i) {
    ReadClientFigures(children[i], &got[i]);
    if (pclose(children[i]) != 0) {
      std::fprintf(stderr, "query_bench: a client process failed\n");
      ok = false;
    }
  }
  if (!ok) return false;
  for (size_t row = 0; row < rows->size(); ++row) {
    std::vector<Figures> of_row;
    for (const auto& g : got) of_row.push_back(g[row]);
    (*rows)[row] = Merge(of_row, /*concurrent=*/true);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Query benchmark over real gRPC on loopback."};
  uint64_t works = 1'000'000, small = 100'000;
  int clients = 2;
  double seconds = 5;
  std::string dir = (fs::temp_directory_path() / "bibkg-query-bench").string();
  app.add_option("--works", works, "Works in the large graph")
      ->capture_default_str();
  app.add_option("--small", small, "Works in the small graph (measured first)")
      ->capture_default_str();
  app.add_option("--clients", clients,
                 "Concurrent clients (a process each, unless --client-threads)")
      ->capture_default_str();
  app.add_option("--seconds", seconds, "Seconds per RPC and size")
      ->capture_default_str();
  app.add_option("--dir", dir, "Scratch directory (emptied first)")
      ->capture_default_str();
  size_t block_cache_mb = bibkg::store::DefaultServingBlockCacheBytes() >> 20;
  app.add_option("--block-cache-mb", block_cache_mb,
                 "RocksDB block cache in MiB (as bibkg serve --block-cache-mb)")
      ->capture_default_str();
  bool huge_pages = true;
  app.add_flag("--huge-pages,!--no-huge-pages", huge_pages,
               "Server processes (and the engine or server in this process "
               "with --engine-only or --clients-in-process) take their memory "
               "in huge pages (reserved ones first), as bibkg serve does by "
               "default")
      ->capture_default_str();
  bool warm = false;
  app.add_flag("--warm", warm,
               "Read the whole database once before measuring (as "
               "bibkg serve --warm does)");
  bool engine_only = false;
  app.add_flag("--engine-only", engine_only,
               "Time the query engine alone (no gRPC), one thread");
  std::string only;
  app.add_option("--only", only,
                 "Measure only this RPC (GetWork, Search, RelatedWorks, "
                 "ReadingList) next to the empty RPC, e.g. for a profiler");
  bool reuse = false;
  app.add_flag("--reuse", reuse,
               "If --dir holds the large graph of an earlier run with the same "
               "--works, measure it again at that size only (no rebuild): for "
               "comparing engine changes; with --rounds, both sizes if "
               "DIR-small holds the small graph of the same --small");
  bool no_prime = false;
  app.add_flag("--no-prime", no_prime,
               "Do not read the database files once before measuring (by "
               "default they are, so that the disk is not what is measured)");
  std::string fixed_query;
  app.add_option("--query", fixed_query,
                 "Search for this text every time (to profile one query)");
  bool recompact = false;
  app.add_flag("--recompact", recompact,
               "With --reuse: rewrite the graph's tables with the current "
               "table options before measuring");
  std::string connect;
  app.add_option("--connect", connect,
                 "Measure a server already running at this address (e.g. "
                 "bibkg serve on a graph this program built with --works) "
                 "instead of starting one: the clients then run in their own "
                 "process");
  bool clients_in_process = false;
  app.add_flag("--clients-in-process", clients_in_process,
               "Run the server and the clients in this process (by default "
               "the server runs in a process of its own, started after each "
               "build, and the clients in another, as real clients do)");
  app.add_option("--server-pid", server_pid,
                 "With --connect: the server's process id, to report its CPU "
                 "time per call")
      ->capture_default_str();
  int rounds = 1;
  app.add_option("--rounds", rounds,
                 "Serve both graphs at once and measure them in this many "
                 "rounds of --seconds / rounds each, alternating which size "
                 "goes first (a ratio of the sizes that drift in the "
                 "machine's speed does not skew), after a warm-up round that "
                 "is not counted; 1 measures the small graph, then the large "
                 "one")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  bool client_threads = false;
  app.add_flag("--client-threads", client_threads,
               "Run the clients as threads of one process (a channel each) "
               "instead of a process each, as independent clients are");
  int client_index = 0;
  app.add_option("--client-index", client_index,
                 "Internal: this client process's number among those started "
                 "together (its calls' random sequence)")
      ->group("");
  double start_at = 0;
  app.add_option("--start-at", start_at,
                 "Internal: the time (CLOCK_MONOTONIC seconds) the first "
                 "RPC's warm-up starts, shared by client processes started "
                 "together")
      ->group("");
  std::string serve_db;
  app.add_option("--serve-db", serve_db,
                 "Internal: be the server process of a measurement over the "
                 "graph in this directory")
      ->group("");
  CLI11_PARSE(app, argc, argv);
  if (!serve_db.empty())
    return ServeChild(serve_db, block_cache_mb, warm, huge_pages);
  clients_alone = !connect.empty();
  // Whether this process starts client processes (this program again, with
  // --connect) instead of running the clients itself: always when it starts
  // the server process, and with --connect for more than one client, unless
  // --client-threads, or it is itself one of them (--start-at).
  const bool clients_elsewhere =
      start_at == 0 && !engine_only && !clients_in_process &&
      (connect.empty() || (clients > 1 && !client_threads));
  if (rounds > 1 && (engine_only || clients_in_process || !connect.empty())) {
    std::fprintf(stderr,
                 "query_bench: --rounds measures server processes of its own; "
                 "it does not go with --engine-only, --clients-in-process or "
                 "--connect\n");
    return 2;
  }
  // The engine or the server in this process: its heap as a server's.
  if (huge_pages && (engine_only || clients_in_process) && connect.empty() &&
      !bibkg::UseHugePagesForHeap()) {
    std::fprintf(stderr, "query_bench: malloc is not tcmalloc\n");
    return 2;
  }

  const fs::path marker = fs::path(dir) / "BENCH-WORKS";
  bool reused = !connect.empty();
  if (reuse && connect.empty()) {
    std::ifstream in(marker);
    uint64_t built = 0;
    reused = (in >> built) && built == works;
  }
  if (!reused) fs::remove_all(dir);
  if (std::string damon = DamonState(); !damon.empty())
    std::printf("  the kernel's DAMON is monitoring memory (%s)\n",
                damon.c_str());
  // By default the graph is built in this process, then closed and served by
  // a fresh server process for each size (as `bibkg serve` serves what
  // `bibkg import` wrote), with the clients in a third process.
  // --engine-only and --clients-in-process keep the server (or the engine)
  // in this process.
  const bool server_process =
      connect.empty() && !engine_only && !clients_in_process;
  absl::StatusOr<std::unique_ptr<bibkg::store::Store>> store =
      std::unique_ptr<bibkg::store::Store>();
  absl::StatusOr<bibkg::service::RunningServer> server;
  std::string address = connect;
  auto open_store = [&]() -> bool {
    if (*store) return true;
    store = OpenGraph(dir, block_cache_mb);
    return store.ok();
  };
  // A server process opens the graph itself; this process opens it only to
  // build it (below) or to serve it here.
  if (connect.empty() && !server_process) {
    if (!open_store()) return 2;
    bibkg::service::ServerOptions options;
    options.listen = "127.0.0.1:0";
    server = bibkg::service::StartServer(store->get(), options);
    if (!server.ok()) return 2;
    address = "127.0.0.1:" + std::to_string(server->port);
  }
  Corpus corpus;
  std::printf(
      "query_bench: %d clients (%s), %.0f s per RPC, server %s\n", clients,
      !clients_elsewhere ? "in this process"
      : client_threads   ? "threads of one client process"
                         : "a process each",
      seconds,
      server_process ? "in a process of its own, started after each build"
                     : address.c_str());
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  // A server process's command line: this program again, with --serve-db.
  auto serve_command = [&](const std::string& db) {
    std::string cmd = Quote(self) + " --serve-db " + Quote(db) +
                      " --block-cache-mb " + std::to_string(block_cache_mb);
    if (warm) cmd += " --warm";
    if (!huge_pages) cmd += " --no-huge-pages";
    return cmd;
  };
  // The client processes' command lines: this program again, with
  // --connect; one process per client, started to measure in the same
  // windows, or with --client-threads one process with a thread per client.
  auto client_commands = [&](const std::string& at, uint64_t n, int pid,
                             double secs) {
    std::string cmd = Quote(self) + " --connect " + at + " --works " +
                      std::to_string(n) + " --seconds " + std::to_string(secs);
    if (pid > 0) cmd += " --server-pid " + std::to_string(pid);
    if (!only.empty()) cmd += " --only " + Quote(only);
    if (!fixed_query.empty()) cmd += " --query " + Quote(fixed_query);
    const int processes = client_threads ? 1 : clients;
    cmd += " --clients " + std::to_string(client_threads ? clients : 1);
    // Time for the processes to start before the first warm-up.
    const std::string start = absl::StrFormat("%.6f", Now() + 0.3);
    std::vector<std::string> cmds;
    for (int c = 0; c < processes; ++c)
      cmds.push_back(cmd + " --client-index " + std::to_string(c) +
                     " --start-at " + start);
    return cmds;
  };

  struct Row {
    const char* name;
    Figures at[2];
  };
  std::vector<Row> rows = {{"empty RPC (health check)", {}},
                           {"GetWork", {}},
                           {"Search", {}},
                           {"RelatedWorks", {}},
                           {"ReadingList", {}}};
  uint64_t sizes[2] = {small, works};
  if (rounds > 1) {
    // Both graphs served at once, each by a server process of its own, and
    // measured in turns: `rounds` rounds of seconds / rounds per RPC and
    // size, the order of the sizes alternating, so that the ratio of their
    // latencies is not at the mercy of the machine growing faster or slower
    // between the two sizes (as a shared virtual machine does).
    const std::string dirs[2] = {dir + "-small", dir};
    const fs::path small_marker = fs::path(dirs[0]) / "BENCH-WORKS";
    bool have_both = false;
    if (reused) {
      std::ifstream in(small_marker);
      uint64_t built = 0;
      have_both = (in >> built) && built == small;
    }
    if (have_both) {
      std::printf("  reusing the graphs of %llu and %llu works in %s and %s\n",
                  static_cast<unsigned long long>(small),
                  static_cast<unsigned long long>(works), dirs[0].c_str(),
                  dirs[1].c_str());
    } else {
      fs::remove_all(dir);
      fs::remove_all(dirs[0]);
      if (!open_store()) return 2;
      Grow(store->get(), &corpus, small);
      store->reset();  // closed, so that its files are whole when copied
      fs::copy(dir, dirs[0], fs::copy_options::recursive);
      std::ofstream(small_marker) << small << "\n";
      if (!open_store()) return 2;
      Grow(store->get(), &corpus, works);
      std::ofstream(marker) << works << "\n";
      store->reset();
    }
    ServerProcess servers[2];
    std::string addresses[2];
    for (int si = 0; si < 2; ++si) {
      if (!no_prime) {
        double t0 = Now();
        uint64_t bytes = PrimePageCache(dirs[si]);
        std::printf(
            "  %s: database files read once (page cache): %.0f MiB in %.1f s\n",
            dirs[si].c_str(), bytes / 1048576.0, Now() - t0);
      }
      if (!servers[si].Start(serve_command(dirs[si]))) {
        std::fprintf(stderr, "query_bench: the server process failed\n");
        return 2;
      }
      addresses[si] = "127.0.0.1:" + std::to_string(servers[si].port());
      std::printf("  %llu works served on %s\n",
                  static_cast<unsigned long long>(sizes[si]),
                  addresses[si].c_str());
    }
    // runs[row][size]: the figures of each round.
    std::vector<std::array<std::vector<Figures>, 2>> runs(rows.size());
    // Round 0 warms both servers up (their threads, heaps and caches, as a
    // server that has been answering for a while) and is not counted.
    for (int round = 0; round <= rounds; ++round) {
      for (int k = 0; k < 2; ++k) {
        const int si = round % 2 == 1 ? k : 1 - k;
        std::vector<Figures> got(rows.size());
        if (!RunClientProcesses(
                client_commands(addresses[si], sizes[si], servers[si].pid(),
                                seconds / rounds),
                &got))
          return 2;
        if (round == 0)
          std::printf("  warm-up, %llu works (not counted):",
                      static_cast<unsigned long long>(sizes[si]));
        else
          std::printf("  round %d/%d, %llu works:", round, rounds,
                      static_cast<unsigned long long>(sizes[si]));
        for (size_t i = 0; i < rows.size(); ++i) {
          if (got[i].calls == 0) continue;
          std::printf("  %s %.0f/%.0f", i == 0 ? "empty" : rows[i].name,
                      got[i].p50_us, got[i].p99_us);
          if (round > 0) runs[i][si].push_back(std::move(got[i]));
        }
        std::printf(" (p50/p99 µs)\n");
      }
    }
    for (size_t i = 0; i < rows.size(); ++i)
      for (int si = 0; si < 2; ++si)
        rows[i].at[si] = Merge(runs[i][si], /*concurrent=*/false);
  } else {
    for (int si = reused ? 1 : 0; si < 2; ++si) {
      if (!connect.empty()) {
        corpus.works = sizes[si];
        std::printf("  measuring the server at %s (a graph of %llu works)\n",
                    connect.c_str(),
                    static_cast<unsigned long long>(corpus.works));
      } else if (reused) {
        corpus.works = sizes[si];
        std::printf("  reusing the graph of %llu works in %s\n",
                    static_cast<unsigned long long>(corpus.works), dir.c_str());
        if (recompact) {
          if (!open_store()) return 2;
          double t0 = Now();
          if (!(*store)->CompactAll().ok()) return 2;
          std::printf("  compacted again (current table options) in %.1f s\n",
                      Now() - t0);
        }
      } else {
        if (!open_store()) return 2;
        Grow(store->get(), &corpus, sizes[si]);
        if (si == 1) std::ofstream(marker) << works << "\n";
      }
      uint64_t n = corpus.works;
      auto random_work = [n](std::mt19937_64& rng) {
        return Corpus::WorkIri(rng() % n);
      };
      auto query = [&](std::mt19937_64& rng) -> std::string {
        if (!fixed_query.empty()) return fixed_query;
        // Two words of middling frequency (ranks 50..5000).
        return corpus.words[50 + rng() % 4950] + " " +
               corpus.words[50 + rng() % 4950];
      };
      if (!no_prime && connect.empty()) {
        double t0 = Now();
        uint64_t bytes = PrimePageCache(dir);
        std::printf(
            "  database files read once (page cache): %.0f MiB in %.1f s\n",
            bytes / 1048576.0, Now() - t0);
      }
      ServerProcess server_child;
      if (server_process) {
        // Closed here, so that the server process can open it.
        store->reset();
        if (!server_child.Start(serve_command(dir))) {
          std::fprintf(stderr, "query_bench: the server process failed\n");
          return 2;
        }
        address = "127.0.0.1:" + std::to_string(server_child.port());
        std::printf("  server process on %s\n", address.c_str());
      }
      if (warm && connect.empty() && !server_process) {
        double t0 = Now();
        auto bytes = (*store)->WarmBlockCache();
        if (!bytes.ok()) return 2;
        std::printf("  warmed the block cache: %.0f MiB read in %.1f s\n",
                    *bytes / 1048576.0, Now() - t0);
      }
      if (engine_only && connect.empty()) {
        // The engine alone, in this thread, no RPC: steadier figures for
        // changes to the engine than the RPC rows on a busy machine.
        bibkg::query::SharedView shared{
            (*store)->SharedReadView(),
            std::make_shared<bibkg::query::ViewCache>()};
        if (warm) {
          auto entries = bibkg::query::Engine(shared).WarmSearchEntries();
          if (!entries.ok()) return 2;
          std::printf("  kept %zu search entries\n", *entries);
        }
        auto time = [&](const char* name, auto&& call) {
          if (!only.empty() && only != name) return;
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
              static_cast<unsigned long long>(n), name, us[us.size() / 2],
              us[us.size() * 99 / 100], us.size(), late[late.size() / 2],
              late[late.size() * 99 / 100]);
          if (errors > 0)
            std::printf("    %zu errors, the first: %s\n", errors,
                        first_error.c_str());
        };
        time("GetWork", [&](auto& rng) {
          // As the server answers it: the identifier resolved, then the work.
          bibkg::query::Engine e(shared);
          absl::StatusOr<std::string> iri =
              e.Resolve(random_work(rng), /*check_known=*/false);
          if (!iri.ok()) return iri.status();
          return e.GetWork(*iri, /*require_known=*/true).status();
        });
        std::vector<std::pair<double, std::string>> slowest;
        time("Search", [&](auto& rng) {
          bibkg::query::Engine e(shared);
          bibkg::query::SearchOptions o;
          o.query = query(rng);
          o.limit = 20;  // the server's default page, as the RPC rows ask for
          double t0 = Now();
          auto r = e.Search(o);
          slowest.emplace_back((Now() - t0) * 1e6,
                               o.query + " (" +
                                   std::to_string(r.ok() ? r->total : 0) +
                                   " matched)");
          return r.status();
        });
        if (only.empty() || only == "Search") {
          const size_t kept = shared.cache->CachedPostings();
          std::printf(
              "    postings kept by the view's cache: %zu (%.0f MiB)\n", kept,
              static_cast<double>(kept * (sizeof(uint32_t) + sizeof(float))) /
                  1048576.0);
        }
        std::sort(slowest.rbegin(), slowest.rend());
        for (size_t i = 0; i < slowest.size() && i < 8; ++i)
          std::printf("    slow search %.0f µs: %s\n", slowest[i].first,
                      slowest[i].second.c_str());
        time("RelatedWorks", [&](auto& rng) {
          bibkg::query::Engine e(shared);
          return e.Related({random_work(rng)}, 10).status();
        });
        continue;
      }
      if (clients_elsewhere) {
        // The clients in processes of their own: this program again, with
        // --connect, reporting its figures on its standard output.
        std::vector<Figures> got(rows.size());
        if (!RunClientProcesses(
                client_commands(
                    address, n,
                    server_process ? server_child.pid() : server_pid, seconds),
                &got))
          return 2;
        for (size_t i = 0; i < rows.size(); ++i) rows[i].at[si] = got[i];
        continue;
      }
      // Each RPC's window follows the last one's after a warm-up; client
      // processes started together (--start-at) measure in the same windows.
      double window = start_at > 0 ? start_at : Now();
      auto next_window = [&] {
        window += kWarmUpSeconds;
        const double start = window;
        window += seconds;
        return start;
      };
      const int seed = 100 * client_index;
      rows[0].at[si] = Measure(
          address, clients, seconds, next_window(), seed,
          [](auto*, grpc::GenericStub* g, auto&) { return HealthCheck(g); });
      if (only.empty() || only == "GetWork")
        rows[1].at[si] =
            Measure(address, clients, seconds, next_window(), seed,
                    [&](auto* stub, auto*, auto& rng) {
                      bibkg::v1::GetWorkRequest req;
                      req.set_id(random_work(rng));
                      return Unary(&bibkg::v1::Bibkg::Stub::GetWork, stub, req);
                    });
      if (only.empty() || only == "Search")
        rows[2].at[si] =
            Measure(address, clients, seconds, next_window(), seed,
                    [&](auto* stub, auto*, auto& rng) {
                      bibkg::v1::SearchRequest req;
                      req.set_query(query(rng));
                      return Unary(&bibkg::v1::Bibkg::Stub::Search, stub, req);
                    });
      if (only.empty() || only == "RelatedWorks")
        rows[3].at[si] = Measure(
            address, clients, seconds, next_window(), seed,
            [&](auto* stub, auto*, auto& rng) {
              bibkg::v1::RelatedWorksRequest req;
              req.add_ids(random_work(rng));
              return Unary(&bibkg::v1::Bibkg::Stub::RelatedWorks, stub, req);
            });
      if (only.empty() || only == "ReadingList")
        rows[4].at[si] = Measure(
            address, clients, seconds, next_window(), seed,
            [&](auto* stub, auto*, auto& rng) {
              bibkg::v1::ReadingListRequest req;
              req.add_seed_ids(random_work(rng));
              req.set_size(10);
              req.set_format("bibtex");
              return Unary(&bibkg::v1::Bibkg::Stub::ReadingList, stub, req);
            });
    }
  }
  if (!connect.empty()) {
    // For a parent query_bench reading this process's output.
    for (size_t i = 0; i < rows.size(); ++i) {
      const Figures& f = rows[i].at[1];
      std::printf("figures %zu %.1f %.1f %.1f %llu %llu %.1f %.4f %.1f\n", i,
                  f.p50_us, f.p99_us, f.per_s,
                  static_cast<unsigned long long>(f.calls),
                  static_cast<unsigned long long>(f.errors), f.server_cpu_us,
                  f.elapsed_s, f.client_cpu_us);
      std::printf("latency %zu", i);
      for (const auto& [b, count] : f.latency)
        std::printf(" %d:%llu", b, static_cast<unsigned long long>(count));
      std::printf("\n");
    }
  }
  if (engine_only && connect.empty()) {
    // The engine's figures are printed above; no RPC was measured.
    if (server.ok()) server->server->Shutdown();
    return 0;
  }
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
  if (rows[0].at[1].server_cpu_us > 0 || rows[0].at[1].client_cpu_us > 0) {
    // What the server alone would answer if its clients did not share the
    // machine's cores: a figure less at the mercy of the client process;
    // and what the client process spends, on the same cores.
    std::printf("\n%-26s %16s %16s %16s %16s %15s %12s\n",
                "server CPU per call", "µs (small)", "calls/s/core",
                "µs (large)", "calls/s/core", "client (small)", "(large)");
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
  if (rows[1].at[1].calls > 0 && rows[0].at[1].calls > 0) {
    std::printf("\nGetWork p99 / empty RPC p99 at %llu works: %.1f\n",
                static_cast<unsigned long long>(works),
                rows[1].at[1].p99_us / rows[0].at[1].p99_us);
  }
  if (server.ok()) server->server->Shutdown();
  return 0;
}
