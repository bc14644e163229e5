// XML record streams: MARCXML collections (with or without the MARC 21 slim
// namespace or a prefix, also inside SRU responses) and OAI-PMH
// ListRecords / GetRecord responses carrying oai_dc or MARCXML. Read with
// libxml2's streaming reader, one record subtree at a time, so a file of any
// size imports in bounded memory.
//
// Untrusted input: documents with a DOCTYPE are refused (no DTD is loaded,
// no entity is declared or expanded), no network access, and libxml2's own
// limits on text node size apply.
#ifndef BIBKG_INDEXER_READERS_XML_RECORDS_H_
#define BIBKG_INDEXER_READERS_XML_RECORDS_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// True when `head` looks like MARCXML or OAI-PMH.
bool LooksLikeRecordXml(std::string_view head);

// Calls `on_record` for every record. A well-formedness error ends the file
// (records before it are kept) and is passed to `on_record` as a record with
// a fatal problem naming the line. `on_progress` gets the bytes consumed.
absl::Status ReadXmlRecords(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record,
    const std::function<void(uint64_t)>& on_progress = nullptr);

struct MarcRecord;

// Reads the MARCXML records of `in` as MARC records, unmapped (for
// comparing bibkg's reading of MARC with other MARC tools). Stops at the
// first well-formedness error, returning InvalidArgument with its line.
absl::Status ReadMarcXmlRecords(
    std::FILE* in, const std::function<absl::Status(MarcRecord&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_XML_RECORDS_H_
