// LEB128 varints: seven bits per byte, low bits first, the high bit set on
// every byte but the last. Used by the dictionary's term encoding, the
// store's lists and the topic index's postings.
#ifndef BIBKG_BASE_VARINT_H_
#define BIBKG_BASE_VARINT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace bibkg {

inline void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads one varint from the front of `*in` and removes it. False (and `*in`
// unspecified) when the bytes end first or the value needs over 64 bits.
inline bool ReadVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace bibkg

#endif  // BIBKG_BASE_VARINT_H_
