// Reads JSON input one document at a time with bounded memory: each element
// of a top-level array, each object of a JSON-lines file, or the one
// top-level object. A document that does not parse is reported and the next
// one is read, so one bad record does not end the file.
#ifndef BIBKG_INDEXER_READERS_JSON_STREAM_H_
#define BIBKG_INDEXER_READERS_JSON_STREAM_H_

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// Largest single JSON document (array element, line, or whole object).
inline constexpr size_t kMaxJsonDocumentBytes = 256u << 20;

// `where` names the document for messages: "element 12 (line 340)" in a
// top-level array, "line 7" otherwise.
using JsonDocumentFn = std::function<absl::Status(const nlohmann::json& doc,
                                                  const std::string& where)>;
using JsonErrorFn = std::function<absl::Status(const std::string& where,
                                               const std::string& message)>;

absl::Status ReadJsonDocuments(std::FILE* in, const JsonDocumentFn& on_doc,
                               const JsonErrorFn& on_error);

// An error handler that reports a document as a failed record named by where
// it is, through the readers' usual record callback.
JsonErrorFn FailedRecordReporter(
    const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_JSON_STREAM_H_
