// RIS, the tagged format of reference managers ("TY  - JOUR" ... "ER  -"),
// read record by record from a stream so that memory stays bounded on any
// file size.
#ifndef BIBKG_INDEXER_READERS_RIS_H_
#define BIBKG_INDEXER_READERS_RIS_H_

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// Longest RIS line read (bytes). A longer line is reported and the record
// holding it skipped.
inline constexpr size_t kMaxRisLineBytes = 1u << 20;

// True when `head` (the first bytes of a file, a UTF-8 BOM allowed) looks
// like RIS: a "TY  - " line, or mostly tag lines, among its first ten
// non-blank lines.
bool LooksLikeRis(std::string_view head);

// Reads the RIS records of `in` (not closed) and calls `on_record` for each,
// in file order. Records are named `<file>#<n>` (n counts from 1). A record
// without TY, or cut off by the end of the file or by the next TY before its
// ER, is passed on failed (Record::has_fatal), as is a line over
// kMaxRisLineBytes or with invalid UTF-8 (the record holding it is skipped).
// Returns the first error `on_record` returns (reading stops there),
// Unavailable on a read error, else OK.
absl::Status ReadRis(const Source& source, std::FILE* in,
                     const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_RIS_H_
