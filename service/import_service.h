// The Import RPC: authorizes the caller and writes the streamed documents
// through the importer, one call at a time. The one part of the server that
// writes to the store.
#ifndef BIBKG_SERVICE_IMPORT_SERVICE_H_
#define BIBKG_SERVICE_IMPORT_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <mutex>
#include <string>

#include "bibkg/v1/bibkg.grpc.pb.h"
#include "store/store.h"

namespace bibkg::service {

class ImportService {
 public:
  // `token`: the bearer token Import requires; empty disables token
  // imports. With `trust_client_certs`, a client whose TLS certificate the
  // server verified may import without the token.
  ImportService(store::Store* store, std::string token,
                bool trust_client_certs);

  // PERMISSION_DENIED when imports are disabled, UNAUTHENTICATED without the
  // token, INVALID_ARGUMENT for a document without a name or with an unknown
  // format. Bad records do not fail the call: they are in `resp`'s errors.
  // Thread-safe: calls are serialized.
  grpc::Status Import(grpc::ServerContext* ctx,
                      grpc::ServerReader<v1::ImportRequest>* reader,
                      v1::ImportResponse* resp);

 private:
  store::Store* store_;
  std::string token_;
  bool trust_client_certs_;
  std::mutex import_mu_;
};

}  // namespace bibkg::service

#endif  // BIBKG_SERVICE_IMPORT_SERVICE_H_
