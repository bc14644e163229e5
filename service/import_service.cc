#include "service/import_service.h"

#include <algorithm>
#include <string>

#include "indexer/importer.h"
#include "service/status.h"

namespace bibkg::service {

ImportService::ImportService(store::Store* store, std::string token,
                             bool trust_client_certs)
    : store_(store),
      token_(std::move(token)),
      trust_client_certs_(trust_client_certs) {}

grpc::Status ImportService::Import(
    grpc::ServerContext* ctx, grpc::ServerReader<v1::ImportRequest>* reader,
    v1::ImportResponse* resp) {
  bool by_certificate = trust_client_certs_ && ctx->auth_context() &&
                        ctx->auth_context()->IsPeerAuthenticated();
  if (!by_certificate) {
    if (token_.empty()) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "this server was started without --token or client "
                          "certificates: imports are disabled");
    }
    auto auth = ctx->client_metadata().find("authorization");
    std::string given =
        auth == ctx->client_metadata().end()
            ? ""
            : std::string(auth->second.data(), auth->second.size());
    std::string expected = "Bearer " + token_;
    // Compare in constant time.
    unsigned diff = given.size() ^ expected.size();
    for (size_t i = 0; i < std::min(given.size(), expected.size()); ++i) {
      diff |= static_cast<unsigned>(given[i] ^ expected[i]);
    }
    if (diff != 0) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "Import needs the metadata \"authorization: Bearer "
                          "<token>\" with the server's token");
    }
  }
  std::lock_guard<std::mutex> lock(import_mu_);
  indexer::ImporterOptions options;
  indexer::Importer importer(store_, options);
  v1::ImportRequest doc;
  while (reader->Read(&doc)) {
    if (ctx->IsCancelled()) break;
    if (doc.name().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "every document needs a name");
    }
    absl::StatusOr<indexer::InputFormat> format =
        indexer::ParseInputFormat(doc.format().empty() ? "auto" : doc.format());
    if (!format.ok()) return ToGrpcStatus(format.status());
    absl::Status s = importer.ImportText(indexer::UploadSource(doc.name()),
                                         doc.content(), *format);
    if (!s.ok()) return ToGrpcStatus(s);
  }
  absl::Status s = importer.Finish();
  if (!s.ok()) return ToGrpcStatus(s);
  const auto& st = importer.stats();
  resp->set_records_imported(st.records_imported);
  resp->set_records_failed(st.records_failed);
  resp->set_quads_inserted(st.quads_inserted);
  resp->set_quads_deleted(st.quads_deleted);
  for (const auto& e : importer.errors()) {
    v1::ImportError* pe = resp->add_errors();
    pe->set_document(e.file);
    pe->set_record(e.record);
    pe->set_field(e.field);
    pe->set_message(e.message);
    pe->set_fatal(e.fatal);
  }
  if (ctx->IsCancelled()) return Gone(ctx);
  return grpc::Status::OK;
}

}  // namespace bibkg::service
