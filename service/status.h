// absl::Status to grpc::Status, and the status of a call whose client has
// gone.
#ifndef BIBKG_SERVICE_STATUS_H_
#define BIBKG_SERVICE_STATUS_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace bibkg::service {

// absl codes are the google.rpc codes, so this is a cast plus the message.
grpc::Status ToGrpcStatus(const absl::Status& s);

// DEADLINE_EXCEEDED when the call's deadline has passed, else CANCELLED: a
// call whose client has gone is not worth finishing.
grpc::Status Gone(grpc::ServerContextBase* ctx);

}  // namespace bibkg::service

#endif  // BIBKG_SERVICE_STATUS_H_
