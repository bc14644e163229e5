#include "indexer/readers/json_stream.h"

#include "absl/strings/str_cat.h"

namespace bibkg::indexer {

// A byte scanner that finds where each top-level value (or each element of a
// top-level array) ends, following strings and escapes, so each one can be
// parsed on its own.
absl::Status ReadJsonDocuments(std::FILE* in, const JsonDocumentFn& on_doc,
                               const JsonErrorFn& on_error) {
  std::string doc;
  int depth = 0;  // nesting inside the current document
  bool in_string = false, escaped = false;
  bool top_array = false;  // the input is one array of documents
  bool seen_top = false;   // the first non-blank byte was read
  bool skipping = false;   // the current document is over the size limit
  uint64_t line = 1, doc_line = 1, element = 0;
  auto where = [&] {
    return top_array
               ? absl::StrCat("element ", element, " (line ", doc_line, ")")
               : absl::StrCat("line ", doc_line);
  };
  auto finish = [&]() -> absl::Status {
    ++element;
    if (skipping) {
      skipping = false;
      doc.clear();
      return on_error(where(),
                      absl::StrCat("JSON document over ", kMaxJsonDocumentBytes,
                                   " bytes; skipped"));
    }
    nlohmann::json parsed = nlohmann::json::parse(doc, nullptr, false);
    doc.clear();
    if (parsed.is_discarded()) return on_error(where(), "invalid JSON");
    return on_doc(parsed, where());
  };
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      char c = buf[i];
      if (c == '\n') ++line;
      if (!seen_top) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        seen_top = true;
        if (c == '[') {
          top_array = true;
          continue;
        }
      }
      if (depth == 0 && !in_string) {
        // Between documents: blanks, commas in an array, the closing ']'.
        // They also end a scalar document ("12,").
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
            (top_array && (c == ',' || c == ']'))) {
          if (!doc.empty() || skipping) {
            if (absl::Status s = finish(); !s.ok()) return s;
          }
          continue;
        }
        if (doc.empty()) doc_line = line;
      }
      if (!skipping) {
        doc.push_back(c);
        if (doc.size() > kMaxJsonDocumentBytes) {
          skipping = true;
          doc.clear();
        }
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) {
            // A bare string at the top: a document of its own.
            if (absl::Status s = finish(); !s.ok()) return s;
          }
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth <= 0) {
          depth = 0;
          if (absl::Status s = finish(); !s.ok()) return s;
        }
      }
    }
  }
  if (std::ferror(in)) return absl::UnavailableError("read error");
  if (in_string || depth > 0) {
    ++element;
    doc.clear();
    return on_error(where(), "the JSON ends inside a document (truncated?)");
  }
  if (!doc.empty()) return finish();
  return absl::OkStatus();
}

JsonErrorFn FailedRecordReporter(
    const std::function<absl::Status(Record&)>& on_record) {
  return [on_record](const std::string& where, const std::string& message) {
    Record rec;
    rec.id = where;
    rec.Fail("", message);
    return on_record(rec);
  };
}

}  // namespace bibkg::indexer
