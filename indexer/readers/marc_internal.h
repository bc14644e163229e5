// Internals of the MARC reader shared by marc.cc (records and dispatch),
// marc_iso2709.cc (ISO 2709 + MARC-8) and marc_map.cc (mapping to triples).
#ifndef BIBKG_INDEXER_READERS_MARC_INTERNAL_H_
#define BIBKG_INDEXER_READERS_MARC_INTERNAL_H_

#include <cstddef>
#include <string_view>

#include "indexer/mapping/record.h"
#include "indexer/readers/marc.h"

namespace bibkg::indexer::marc_internal {

// True when `s` is non-empty and all ASCII digits.
inline bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The value of a string of ASCII digits (IsDigits).
inline size_t ToNumber(std::string_view s) {
  size_t n = 0;
  for (char c : s) n = n * 10 + static_cast<size_t>(c - '0');
  return n;
}

// Adds a bibliographic record's work to `rec` (named and graphed by the
// caller) and returns it; fails it without a usable 245 title.
Record MapBibliographic(const MarcRecord& marc, Record rec);

// Adds an authority record's heading (100 person, 110/111 organization,
// 150/151/155 concept) with its authority id and 4XX variant labels; fails
// the record without a heading.
Record MapAuthority(const MarcRecord& marc, Record rec);

}  // namespace bibkg::indexer::marc_internal

#endif  // BIBKG_INDEXER_READERS_MARC_INTERNAL_H_
