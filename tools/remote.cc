#include "tools/remote.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/huge_pages.h"
#include "bibkg/v1/bibkg.grpc.pb.h"
#include "service/service.h"
#include "store/store.h"

namespace bibkg::tools {
namespace {

struct ClientArgs {
  std::string server = "127.0.0.1:50051";
  bool json = false;
  double timeout_s = 30;
  // TLS: the CA that signed the server's certificate, and optionally this
  // client's certificate and key. Empty: plain text.
  std::string tls_ca, tls_cert, tls_key;
};

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const ClientArgs& a) {
  if (a.tls_ca.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadWhole(a.tls_ca);
  if (!a.tls_cert.empty()) {
    ssl.pem_cert_chain = ReadWhole(a.tls_cert);
    ssl.pem_private_key = ReadWhole(a.tls_key);
  }
  return grpc::SslCredentials(ssl);
}

int PrintStatus(const grpc::Status& s) {
  std::fprintf(stderr, "bibkg: %s: %s\n",
               s.error_code() == grpc::StatusCode::UNAVAILABLE
                   ? "server unavailable"
                   : "request failed",
               s.error_message().c_str());
  return 2;
}

int PrintJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(m, &out, o).ok()) return 2;
  std::fputs(out.c_str(), stdout);
  return 0;
}

std::string Short(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

void PrintSummary(const v1::WorkSummary& w) {
  std::printf("%s", w.title().c_str());
  if (!w.issued().empty()) std::printf(" (%s)", w.issued().c_str());
  std::printf("\n     %s", w.iri().c_str());
  std::string type = w.type().substr(w.type().find_last_of("/#") + 1);
  if (!type.empty()) std::printf("  [%s]", type.c_str());
  std::printf("\n");
}

class Client {
 public:
  explicit Client(const ClientArgs& a) : args_(a) {
    grpc::ChannelArguments ch;
    ch.SetMaxReceiveMessageSize(16 << 20);
    stub_ = v1::Bibkg::NewStub(
        grpc::CreateCustomChannel(a.server, Credentials(a), ch));
  }
  void Prepare(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(
                          static_cast<int64_t>(args_.timeout_s * 1000)));
  }
  v1::Bibkg::Stub* stub() { return stub_.get(); }
  bool json() const { return args_.json; }

 private:
  ClientArgs args_;
  std::unique_ptr<v1::Bibkg::Stub> stub_;
};

// Calls `rpc` with the client's deadline. On failure prints the status and
// returns exit code 2; with --json prints the answer as JSON, else hands it
// to `print`. Returns the exit code.
template <typename Req, typename Resp, typename Print>
int Ask(const ClientArgs& args,
        grpc::Status (v1::Bibkg::Stub::*rpc)(grpc::ClientContext*, const Req&,
                                             Resp*),
        const Req& req, Print print) {
  Client c(args);
  grpc::ClientContext ctx;
  c.Prepare(&ctx);
  Resp resp;
  grpc::Status s = (c.stub()->*rpc)(&ctx, req, &resp);
  if (!s.ok()) return PrintStatus(s);
  if (c.json()) return PrintJson(resp);
  print(resp);
  return 0;
}

int Serve(const std::string& db, const std::string& listen, std::string token,
          const std::string& token_file, const service::ServerOptions& tls,
          size_t block_cache_mb, bool warm, bool huge_pages) {
  // Before the block cache takes its first memory.
  if (huge_pages && !UseHugePagesForHeap())
    std::fprintf(stderr,
                 "bibkg: --huge-pages: malloc is not tcmalloc; "
                 "serving without\n");
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!std::getline(in, token) || token.empty()) {
      std::fprintf(stderr, "bibkg: cannot read a token from %s\n",
                   token_file.c_str());
      return 2;
    }
  }
  store::StoreOptions store_options;
  store_options.block_cache_bytes = block_cache_mb << 20;
  auto store = store::Store::Open(db, store_options);
  if (!store.ok()) {
    std::fprintf(stderr, "bibkg: %s\n",
                 std::string(store.status().message()).c_str());
    return 2;
  }

  // Block the stop signals before any thread starts, then wait for one.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  service::ServerOptions options;
  options.listen = listen;
  options.token = token;
  options.tls_cert_file = tls.tls_cert_file;
  options.tls_key_file = tls.tls_key_file;
  options.tls_client_ca_file = tls.tls_client_ca_file;
  auto server = service::StartServer(store->get(), options);
  if (!server.ok()) {
    std::fprintf(stderr, "bibkg: %s\n",
                 std::string(server.status().message()).c_str());
    return 2;
  }
  std::string host = listen.substr(0, listen.rfind(':'));
  const char* imports = !tls.tls_client_ca_file.empty()
                            ? "need a client certificate or the token"
                        : token.empty() ? "disabled"
                                        : "need the token";
  std::printf("bibkg serving %s on %s:%d (%s; imports %s); Ctrl-C stops\n",
              db.c_str(), host.c_str(), server->port,
              tls.tls_cert_file.empty() ? "plain text" : "TLS", imports);
  std::fflush(stdout);
  // Warming reads the whole database (a minute for a million works) while
  // queries are already answered; the first ones are slower meanwhile.
  std::atomic<bool> stopping{false};
  std::thread warmer;
  if (warm) {
    warmer = std::thread([&] {
      const auto t0 = std::chrono::steady_clock::now();
      absl::StatusOr<uint64_t> bytes = (*store)->WarmBlockCache(&stopping);
      if (!bytes.ok()) {
        std::fprintf(stderr, "bibkg: warming the block cache: %s\n",
                     bytes.status().ToString().c_str());
      } else if (!stopping) {
        std::fprintf(
            stderr, "bibkg: read %llu MiB into the block cache in %.0f s\n",
            static_cast<unsigned long long>(*bytes >> 20),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                .count());
      }
      // Then what every search reads of its best hits: their entries.
      absl::StatusOr<size_t> entries = server->service->WarmSearch(&stopping);
      if (!entries.ok()) {
        std::fprintf(stderr, "bibkg: warming the search entries: %s\n",
                     entries.status().ToString().c_str());
      } else if (!stopping) {
        std::fprintf(stderr, "bibkg: kept %zu search entries in memory\n",
                     *entries);
      }
    });
  }
  int sig = 0;
  sigwait(&stop, &sig);
  std::printf("stopping\n");
  stopping = true;
  if (warmer.joinable()) warmer.join();
  server->server->Shutdown(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
  return 0;
}

}  // namespace

void AddRemoteCommands(CLI::App* app, int* exit_code) {
  // serve
  auto* serve = app->add_subcommand("serve",
                                    "Answer gRPC queries (bibkg.v1.Bibkg, "
                                    "health, reflection) over a database.");
  static std::string db, listen = "127.0.0.1:50051", token, token_file;
  serve->add_option("--db", db, "Database directory")->required();
  serve
      ->add_option("--listen", listen,
                   "host:port to listen on (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--token", token,
                    "Bearer token that Import requires (default: no imports)");
  serve->add_option("--token-file", token_file,
                    "Read the token from this file");
  static service::ServerOptions tls;
  serve->add_option("--tls-cert", tls.tls_cert_file,
                    "PEM certificate chain: serve TLS instead of plain text");
  serve->add_option("--tls-key", tls.tls_key_file,
                    "PEM private key of --tls-cert");
  serve->add_option("--tls-client-ca", tls.tls_client_ca_file,
                    "PEM CA: require client certificates it signed; such "
                    "clients may Import without the token");
  static size_t block_cache_mb = store::DefaultServingBlockCacheBytes() >> 20;
  serve
      ->add_option("--block-cache-mb", block_cache_mb,
                   "RocksDB block cache (uncompressed blocks) in MiB, taken "
                   "as blocks are read; default: a quarter of this machine's "
                   "memory. A graph whose blocks all fit decompresses nothing "
                   "twice")
      ->capture_default_str();
  static bool warm = false;
  serve->add_flag("--warm", warm,
                  "Read the whole database into the block cache in the "
                  "background after start-up (queries are answered "
                  "meanwhile), so that later queries find their blocks "
                  "cached; then keep every search document's entry in "
                  "memory (what a search reads of each of its best 200 "
                  "hits)");
  static bool huge_pages = true;
  serve
      ->add_flag("--huge-pages,!--no-huge-pages", huge_pages,
                 "Take memory in huge pages: reserved ones (sysctl "
                 "vm.nr_hugepages) while any are free, else transparent "
                 "ones (madvise); keep what is freed for reuse. A large "
                 "block cache in 4 KiB pages costs every request (on by "
                 "default; THP 'never' in "
                 "/sys/kernel/mm/transparent_hugepage/enabled and no "
                 "reserved pages turn it off too)")
      ->capture_default_str();
  serve->callback([=] {
    *exit_code = Serve(db, listen, token, token_file, tls, block_cache_mb, warm,
                       huge_pages);
  });

  // query
  static ClientArgs args;
  auto* query = app->add_subcommand("query", "Ask a running bibkg server.");
  query->add_option("--server", args.server, "host:port of the server")
      ->capture_default_str();
  query->add_flag("--json", args.json, "Print the answer as JSON");
  query->add_option("--timeout", args.timeout_s, "Deadline in seconds")
      ->capture_default_str();
  query->add_option("--tls-ca", args.tls_ca,
                    "PEM CA of the server's certificate: talk TLS");
  query->add_option("--tls-cert", args.tls_cert, "PEM client certificate");
  query->add_option("--tls-key", args.tls_key, "PEM key of --tls-cert");
  query->require_subcommand(1);

  static std::string id;
  auto* get =
      query->add_subcommand("get", "One work by DOI, issn:…, isbn:… or IRI.");
  get->add_option("id", id, "DOI, issn:NNNN-NNNN, isbn:… or IRI")->required();
  get->callback([=] {
    v1::GetWorkRequest req;
    req.set_id(id);
    *exit_code =
        Ask(args, &v1::Bibkg::Stub::GetWork, req, [&](const v1::Work& w) {
          PrintSummary(w.summary());
          for (const auto& a : w.creators())
            std::printf("  creator:   %s\n", a.label().c_str());
          if (!w.venue().label().empty()) {
            std::printf("  in:        %s", w.venue().label().c_str());
            if (!w.volume().empty())
              std::printf(", vol. %s", w.volume().c_str());
            if (!w.issue().empty()) std::printf(" (%s)", w.issue().c_str());
            if (!w.page_start().empty()) {
              std::printf(", p. %s-%s", w.page_start().c_str(),
                          w.page_end().c_str());
            }
            std::printf("\n");
          }
          if (!w.summary().doi().empty())
            std::printf("  DOI:       %s\n", w.summary().doi().c_str());
          for (const auto& i : w.issns())
            std::printf("  ISSN:      %s\n", i.c_str());
          for (const auto& t : w.alternative_titles()) {
            std::printf("  also:      %s (%s)\n", t.value().c_str(),
                        t.lang().c_str());
          }
          for (const auto& sj : w.subjects())
            std::printf("  subject:   %s\n", sj.label().c_str());
          for (const auto& f : w.funders())
            std::printf("  funder:    %s\n", f.label().c_str());
          if (!w.programme().label().empty()) {
            std::printf("  programme: %s\n", w.programme().label().c_str());
          }
          if (!w.amount().empty()) {
            std::printf("  amount:    %s %s\n", w.amount().c_str(),
                        w.currency().c_str());
          }
          std::printf("  links:     %llu out, %llu in\n",
                      static_cast<unsigned long long>(w.reference_count()),
                      static_cast<unsigned long long>(w.citation_count()));
          for (const auto& t : w.abstracts()) {
            std::printf("  abstract:  %s\n", Short(t.value(), 300).c_str());
          }
          for (const auto& t : w.descriptions()) {
            std::printf("  text:      %s\n", Short(t.value(), 300).c_str());
          }
          for (const auto& src : w.sources())
            std::printf("  source:    %s\n", src.c_str());
        });
  });

  static std::vector<std::string> words;
  static std::vector<std::string> types;
  static int year_from = 0, year_to = 0, page_size = 0;
  static std::string lang, page_token;
  auto* search = query->add_subcommand("search", "Works on a topic.");
  search->add_option("words", words, "Query words")->required();
  search->add_option("--type", types, "Only this class IRI (repeatable)");
  search->add_option("--from", year_from, "Issued in or after this year");
  search->add_option("--to", year_to, "Issued in or before this year");
  search->add_option("--lang", lang, "Only works in this language (ISO 639-1)");
  search->add_option("--page-size", page_size, "Hits per page (max 100)");
  search->add_option("--page-token", page_token,
                     "next_page_token of the previous page");
  static std::string search_funder;
  search->add_option("--funder", search_funder,
                     "Only works funded by this funder or project");
  search->callback([=] {
    v1::SearchRequest req;
    std::string q;
    for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
    req.set_query(q);
    for (const auto& t : types) req.add_types(t);
    req.set_year_from(year_from);
    req.set_year_to(year_to);
    req.set_language(lang);
    req.set_page_size(page_size);
    req.set_page_token(page_token);
    req.set_funder(search_funder);
    *exit_code = Ask(
        args, &v1::Bibkg::Stub::Search, req, [&](const v1::SearchResponse& r) {
          std::printf("%llu works match \"%s\"\n",
                      static_cast<unsigned long long>(r.total()), q.c_str());
          int n = 0;
          for (const auto& h : r.hits()) {
            std::printf("%2d. [%.2f] ", ++n, h.score());
            PrintSummary(h.work());
            std::string terms;
            for (const auto& t : h.matched_terms())
              terms += (terms.empty() ? "" : ", ") + t;
            std::printf("     matched: %s\n", terms.c_str());
          }
          if (!r.next_page_token().empty()) {
            std::printf("more: --page-token %s\n", r.next_page_token().c_str());
          }
        });
  });

  static std::vector<std::string> seeds;
  static int limit = 10;
  auto* related = query->add_subcommand(
      "related", "Works related to seed works, with reasons.");
  related->add_option("ids", seeds, "Seed works (DOI, IRI, …)")->required();
  related->add_option("--limit", limit, "How many (max 100)")
      ->capture_default_str();
  related->callback([=] {
    v1::RelatedWorksRequest req;
    for (const auto& s : seeds) req.add_ids(s);
    req.set_limit(limit);
    *exit_code = Ask(args, &v1::Bibkg::Stub::RelatedWorks, req,
                     [&](const v1::RelatedWorksResponse& r) {
                       int n = 0;
                       for (const auto& w : r.works()) {
                         std::printf("%2d. [%.2f] ", ++n, w.score());
                         PrintSummary(w.work());
                         for (const auto& why : w.reasons())
                           std::printf("     - %s\n", why.c_str());
                       }
                     });
  });

  for (bool incoming : {false, true}) {
    static std::string link_id[2];
    auto* links =
        query->add_subcommand(incoming ? "cited-by" : "references",
                              incoming ? "Works that cite or link to a work."
                                       : "Works a work cites or links to.");
    links->add_option("id", link_id[incoming], "DOI, IRI, …")->required();
    links->callback([=] {
      v1::LinksRequest req;
      req.set_id(link_id[incoming]);
      req.set_page_size(100);
      *exit_code = Ask(
          args,
          incoming ? &v1::Bibkg::Stub::CitedBy : &v1::Bibkg::Stub::References,
          req, [&](const v1::LinksResponse& r) {
            int n = 0;
            for (const auto& l : r.links()) {
              std::printf("%2d. %s: ", ++n, l.relation().c_str());
              PrintSummary(l.work());
            }
          });
    });
  }

  static std::string person;
  auto* author = query->add_subcommand("author", "The works of a person.");
  author->add_option("person", person, "The person's IRI")->required();
  author->callback([=] {
    v1::WorksByAuthorRequest req;
    req.set_person(person);
    req.set_page_size(100);
    *exit_code = Ask(args, &v1::Bibkg::Stub::WorksByAuthor, req,
                     [&](const v1::WorksResponse& r) {
                       int n = 0;
                       for (const auto& w : r.works()) {
                         std::printf("%2d. ", ++n);
                         PrintSummary(w);
                       }
                     });
  });

  static std::string funder, programme, topic;
  auto* projects = query->add_subcommand(
      "projects", "Research projects by funder, programme or topic.");
  projects->add_option("--funder", funder,
                       "Funder IRI or Funder Registry DOI (10.13039/…)");
  projects->add_option("--programme", programme,
                       "Programme code (e.g. OFFPHD) or IRI");
  projects->add_option("--topic", topic, "Topic words");
  projects->callback([=] {
    v1::ProjectsRequest req;
    req.set_funder(funder);
    req.set_programme(programme);
    req.set_topic(topic);
    req.set_page_size(100);
    *exit_code =
        Ask(args, &v1::Bibkg::Stub::Projects, req,
            [&](const v1::ProjectsResponse& r) {
              int n = 0;
              for (const auto& p : r.projects()) {
                std::printf("%2d. ", ++n);
                PrintSummary(p.project());
                for (const auto& f : p.funders())
                  std::printf("     funder:    %s\n", f.label().c_str());
                if (!p.programme().label().empty()) {
                  std::printf("     programme: %s\n",
                              p.programme().label().c_str());
                }
                if (!p.amount().empty()) {
                  std::printf("     amount:    %s %s\n", p.amount().c_str(),
                              p.currency().c_str());
                }
                for (const auto& o : p.outputs())
                  std::printf("     output:    %s\n", o.title().c_str());
              }
            });
  });

  auto* stats =
      query->add_subcommand("stats", "Counts of what the server holds.");
  stats->callback([=] {
    const v1::StatsRequest req;
    *exit_code = Ask(args, &v1::Bibkg::Stub::Stats, req,
                     [&](const v1::StatsResponse& r) { PrintJson(r); });
  });

  // reading-list
  static ClientArgs rl_args;
  static std::vector<std::string> rl_seeds;
  static std::string rl_topic, rl_format = "markdown";
  static int rl_size = 10;
  auto* rl = app->add_subcommand(
      "reading-list",
      "A reading list from seed works or a topic, from a running server.");
  rl->add_option("--server", rl_args.server, "host:port of the server")
      ->capture_default_str();
  rl->add_option("--seed", rl_seeds, "Seed work (DOI, IRI, …); repeatable");
  rl->add_option("--topic", rl_topic, "Topic words");
  rl->add_option("--size", rl_size, "Number of works (max 100)")
      ->capture_default_str();
  rl->add_option("--format", rl_format, "bibtex, ris, csljson or markdown")
      ->capture_default_str();
  rl->add_option("--timeout", rl_args.timeout_s, "Deadline in seconds")
      ->capture_default_str();
  rl->callback([=] {
    if (rl_seeds.empty() && rl_topic.empty()) {
      std::fprintf(stderr, "bibkg: give --seed or --topic\n");
      *exit_code = 2;
      return;
    }
    v1::ReadingListRequest req;
    for (const auto& s : rl_seeds) req.add_seed_ids(s);
    req.set_topic(rl_topic);
    req.set_size(rl_size);
    req.set_format(rl_format);
    *exit_code = Ask(rl_args, &v1::Bibkg::Stub::ReadingList, req,
                     [&](const v1::ReadingListResponse& r) {
                       std::fputs(r.text().c_str(), stdout);
                     });
  });
}

}  // namespace bibkg::tools
