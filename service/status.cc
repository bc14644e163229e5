#include "service/status.h"

#include <chrono>
#include <string>

namespace bibkg::service {

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

grpc::Status Gone(grpc::ServerContextBase* ctx) {
  if (ctx->deadline() < std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "deadline exceeded");
  }
  return grpc::Status(grpc::StatusCode::CANCELLED,
                      "the client cancelled the call");
}

}  // namespace bibkg::service
