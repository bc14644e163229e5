// Fixed-width keys of the quad permutations.
//
// Byte format (persistent): every quad is stored four times, once per
// permutation column family, as a 32-byte key and an empty value:
//   key := id_a:u64be id_b:u64be id_c:u64be id_d:u64be
// where (a, b, c, d) is the permutation's order of (s, p, o, g). Big-endian
// ids make byte order equal numeric order, so a bound prefix of the order is
// one contiguous key range.
#ifndef BIBKG_STORE_KEY_CODEC_H_
#define BIBKG_STORE_KEY_CODEC_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/term.h"

namespace bibkg::store {

struct IdQuad {
  TermId s = 0, p = 0, o = 0, g = 0;
  friend bool operator==(const IdQuad&, const IdQuad&) = default;
};

// DO NOT CHANGE THESE VALUES: they index the column-family table.
enum class Permutation : uint8_t { kSpog = 0, kPosg = 1, kOspg = 2, kGspo = 3 };
inline constexpr int kNumPermutations = 4;
inline constexpr size_t kQuadKeySize = 32;

// The column-family name of a permutation ("spog", ...).
const char* PermutationName(Permutation p);

inline void PutU64(char* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}
inline uint64_t GetU64(const char* in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}
inline std::string U64Key(uint64_t v) {
  std::string s(8, '\0');
  PutU64(s.data(), v);
  return s;
}

// The quad's ids in the permutation's order.
inline std::array<TermId, 4> Order(Permutation p, const IdQuad& q) {
  switch (p) {
    case Permutation::kSpog:
      return {q.s, q.p, q.o, q.g};
    case Permutation::kPosg:
      return {q.p, q.o, q.s, q.g};
    case Permutation::kOspg:
      return {q.o, q.s, q.p, q.g};
    case Permutation::kGspo:
      return {q.g, q.s, q.p, q.o};
  }
  return {};
}
// The inverse of Order.
IdQuad Unorder(Permutation p, const std::array<TermId, 4>& ids);

// Writes the 32-byte key of `q` in permutation `p` to `out`.
inline void EncodeQuadKey(Permutation p, const IdQuad& q, char* out) {
  auto ids = Order(p, q);
  for (int i = 0; i < 4; ++i) PutU64(out + 8 * i, ids[i]);
}
std::string EncodeQuadKey(Permutation p, const IdQuad& q);
// REQUIRES: key.size() == kQuadKeySize.
IdQuad DecodeQuadKey(Permutation p, std::string_view key);

// A pattern of ids; 0 means unbound.
struct IdPattern {
  TermId s = 0, p = 0, o = 0, g = 0;
};

// The permutation that answers `pattern` with one prefix scan, and that
// prefix. Positions bound but not in the prefix must still be filtered.
struct ScanPlan {
  Permutation perm;
  std::string prefix;
};
ScanPlan PlanScan(const IdPattern& pattern);
bool Matches(const IdPattern& pattern, const IdQuad& q);

}  // namespace bibkg::store

#endif  // BIBKG_STORE_KEY_CODEC_H_
