// MARC 21: records as read from ISO 2709 files (`.mrc`) and MARCXML, and
// their mapping to triples (bibliographic records to works, authority records
// to person / organization / concept nodes; holdings records are skipped).
#ifndef BIBKG_INDEXER_READERS_MARC_H_
#define BIBKG_INDEXER_READERS_MARC_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

struct MarcSubfield {
  char code = 0;
  std::string value;  // UTF-8
};

struct MarcField {
  std::string tag;  // "245"; three characters
  char ind1 = ' ';
  char ind2 = ' ';
  std::string data;  // control fields (00X): the value
  std::vector<MarcSubfield> subfields;

  bool is_control() const { return tag < "010" && tag.size() == 3; }
  // The first subfield `code`, or empty.
  std::string_view Sub(char code) const;
  // Every subfield `code`.
  std::vector<std::string_view> All(char code) const;
  // The listed subfields joined by spaces, in field order ("ab").
  std::string Join(std::string_view codes) const;
};

struct MarcRecord {
  std::string leader;  // 24 characters
  std::vector<MarcField> fields;
  // Where it was read: 1-based number within the file and byte offset (ISO
  // 2709) or line (XML), for messages.
  uint64_t number = 0;
  std::string where;              // "record 3 (byte 1234)"
  std::vector<Problem> problems;  // what the reader found wrong

  const MarcField* First(std::string_view tag) const;
  std::vector<const MarcField*> All(std::string_view tag) const;
  char LeaderAt(size_t i) const { return i < leader.size() ? leader[i] : ' '; }
};

// Largest record the ISO 2709 reader accepts (bytes); longer ones are
// reported and skipped, so memory stays bounded on any input.
inline constexpr size_t kMaxMarcRecordBytes = 1u << 20;

// Reads ISO 2709 records from `in`, calling `on_record` for each. Follows the
// record terminators where the leader's length disagrees (as yaz does), skips
// filler bytes between records, converts MARC-8 (leader/09 blank) to UTF-8
// with YAZ. Problems go into MarcRecord::problems (fatal ones mean the record
// could not be read). `on_progress` is told the byte offset now and then.
absl::Status ReadIso2709(
    std::FILE* in, const std::function<absl::Status(MarcRecord&)>& on_record,
    const std::function<void(uint64_t)>& on_progress = nullptr);

// True when `head` (the first bytes of a file) looks like ISO 2709.
bool LooksLikeIso2709(std::string_view head);

// Maps one MARC record to a bibkg record. Bibliographic records become a
// work; authority records (leader/06 `z`) a person, organization or concept;
// deleted records (leader/05 `d`) delete their graph. The graph is named by
// the record's control number (003 + 001), so an update file replaces and a
// deletion file removes what an earlier file imported; records without 001
// are named `<file>#<number>`. Holdings records come back with `skip` set.
// `graph`, when not empty, names the graph instead (an OAI-PMH identifier).
Record MapMarcRecord(const MarcRecord& marc, const Source& source,
                     const std::string& graph = "");

// Reads an ISO 2709 file and maps each record (ReadIso2709 + MapMarcRecord).
absl::Status ReadMarcFile(const Source& source, std::FILE* in,
                          const std::function<absl::Status(Record&)>& on_record,
                          const std::function<void(uint64_t)>& on_progress);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_MARC_H_
