// The gRPC service: bibkg.v1.Bibkg over a store, plus health checking and
// server reflection. Translates between protos and query::Engine calls and
// between absl::Status and grpc::Status; holds no logic of its own.
#ifndef BIBKG_SERVICE_SERVICE_H_
#define BIBKG_SERVICE_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bibkg/v1/bibkg.grpc.pb.h"
#include "query/engine.h"
#include "service/import_service.h"
#include "service/status.h"
#include "store/store.h"

namespace bibkg::service {

// Thread-safe: reads use one snapshot per call; imports are serialized.
// The query RPCs (GetWork, Search, RelatedWorks, ReadingList) are answered
// with gRPC's callback API, on the thread that read the request (no hand-over
// to a worker thread: at 1M works, two clients, that doubled Search's calls/s
// and more than halved its p99); the others run on the synchronous server's
// threads.
class BibkgService final
    : public bibkg::v1::Bibkg::WithCallbackMethod_GetWork<
          bibkg::v1::Bibkg::WithCallbackMethod_Search<
              bibkg::v1::Bibkg::WithCallbackMethod_RelatedWorks<
                  bibkg::v1::Bibkg::WithCallbackMethod_ReadingList<
                      bibkg::v1::Bibkg::Service>>>> {
 public:
  // `token`: the bearer token Import requires; empty disables token
  // imports. With `trust_client_certs`, a client whose TLS certificate the
  // server verified may import without the token.
  BibkgService(store::Store* store, std::string token,
               bool trust_client_certs = false);

  grpc::ServerUnaryReactor* GetWork(grpc::CallbackServerContext* ctx,
                                    const v1::GetWorkRequest* req,
                                    v1::Work* resp) override;
  grpc::Status References(grpc::ServerContext* ctx, const v1::LinksRequest* req,
                          v1::LinksResponse* resp) override;
  grpc::Status CitedBy(grpc::ServerContext* ctx, const v1::LinksRequest* req,
                       v1::LinksResponse* resp) override;
  grpc::Status WorksByAuthor(grpc::ServerContext* ctx,
                             const v1::WorksByAuthorRequest* req,
                             v1::WorksResponse* resp) override;
  grpc::Status Projects(grpc::ServerContext* ctx,
                        const v1::ProjectsRequest* req,
                        v1::ProjectsResponse* resp) override;
  grpc::ServerUnaryReactor* Search(grpc::CallbackServerContext* ctx,
                                   const v1::SearchRequest* req,
                                   v1::SearchResponse* resp) override;
  grpc::ServerUnaryReactor* RelatedWorks(
      grpc::CallbackServerContext* ctx, const v1::RelatedWorksRequest* req,
      v1::RelatedWorksResponse* resp) override;
  grpc::ServerUnaryReactor* ReadingList(grpc::CallbackServerContext* ctx,
                                        const v1::ReadingListRequest* req,
                                        v1::ReadingListResponse* resp) override;
  grpc::Status Import(grpc::ServerContext* ctx,
                      grpc::ServerReader<v1::ImportRequest>* reader,
                      v1::ImportResponse* resp) override;
  grpc::Status Stats(grpc::ServerContext* ctx, const v1::StatsRequest* req,
                     v1::StatsResponse* resp) override;

  // Reads the current view's search document entries into its cache
  // (Engine::WarmSearchEntries), for a server started with --warm.
  absl::StatusOr<size_t> WarmSearch(const std::atomic<bool>* stop = nullptr);

 private:
  grpc::Status AnswerRelatedWorks(grpc::ServerContextBase* ctx,
                                  const v1::RelatedWorksRequest* req,
                                  v1::RelatedWorksResponse* resp);
  grpc::Status AnswerReadingList(grpc::ServerContextBase* ctx,
                                 const v1::ReadingListRequest* req,
                                 v1::ReadingListResponse* resp);
  grpc::Status AnswerSearch(grpc::ServerContextBase* ctx,
                            const v1::SearchRequest* req,
                            v1::SearchResponse* resp);
  grpc::Status AnswerGetWork(grpc::ServerContextBase* ctx,
                             const v1::GetWorkRequest* req, v1::Work* resp);
  grpc::Status Links(grpc::ServerContext* ctx, const v1::LinksRequest* req,
                     bool incoming, v1::LinksResponse* resp);

  // The database's current shared view and the label cache that goes with
  // it: a request reads one snapshot, and requests between two writes share
  // it.
  query::SharedView CurrentView();

  store::Store* store_;
  ImportService import_;
  std::mutex view_mu_;
  // Not owning: the store keeps its shared view, and drops it before it
  // closes.
  std::weak_ptr<const store::ReadView> current_view_;
  std::shared_ptr<query::ViewCache> current_cache_;
};

struct ServerOptions {
  // host:port; port 0 picks a free one. Default: loopback only.
  std::string listen = "127.0.0.1:50051";
  // Bearer token for Import; empty disables Import.
  std::string token;
  // Largest request or response message. Default: 16 MiB.
  int max_message_bytes = 16 << 20;
  // TLS: PEM files of the server's certificate chain and key. Empty: plain
  // text (fine on loopback).
  std::string tls_cert_file, tls_key_file;
  // PEM file of the CA whose client certificates the server requires and
  // trusts for Import. Empty: no client certificates.
  std::string tls_client_ca_file;
};

struct RunningServer {
  std::unique_ptr<BibkgService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;  // the port actually bound
};

// Starts the server (health checking and reflection included).
// Unavailable when the address cannot be bound.
absl::StatusOr<RunningServer> StartServer(store::Store* store,
                                          const ServerOptions& options);

}  // namespace bibkg::service

#endif  // BIBKG_SERVICE_SERVICE_H_
