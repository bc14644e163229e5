#include "store/key_codec.h"

namespace bibkg::store {

const char* PermutationName(Permutation p) {
  switch (p) {
    case Permutation::kSpog:
      return "spog";
    case Permutation::kPosg:
      return "posg";
    case Permutation::kOspg:
      return "ospg";
    case Permutation::kGspo:
      return "gspo";
  }
  return "?";
}

IdQuad Unorder(Permutation p, const std::array<TermId, 4>& k) {
  switch (p) {
    case Permutation::kSpog:
      return {k[0], k[1], k[2], k[3]};
    case Permutation::kPosg:
      return {k[2], k[0], k[1], k[3]};
    case Permutation::kOspg:
      return {k[1], k[2], k[0], k[3]};
    case Permutation::kGspo:
      return {k[1], k[2], k[3], k[0]};
  }
  return {};
}

std::string EncodeQuadKey(Permutation p, const IdQuad& q) {
  std::string key(kQuadKeySize, '\0');
  EncodeQuadKey(p, q, key.data());
  return key;
}

IdQuad DecodeQuadKey(Permutation p, std::string_view key) {
  std::array<TermId, 4> ids;
  for (int i = 0; i < 4; ++i) ids[i] = GetU64(key.data() + 8 * i);
  return Unorder(p, ids);
}

ScanPlan PlanScan(const IdPattern& q) {
  // A bound graph is one source record: a handful of quads, so the GSPO range
  // of the graph answers every pattern that binds it.
  Permutation perm;
  if (q.g != 0) {
    perm = Permutation::kGspo;
  } else if (q.s != 0) {
    perm = (q.p == 0 && q.o != 0) ? Permutation::kOspg : Permutation::kSpog;
  } else if (q.p != 0) {
    perm = Permutation::kPosg;
  } else if (q.o != 0) {
    perm = Permutation::kOspg;
  } else {
    perm = Permutation::kSpog;
  }
  auto ids = Order(perm, {q.s, q.p, q.o, q.g});
  std::string prefix;
  for (TermId id : ids) {
    if (id == 0) break;
    prefix += U64Key(id);
  }
  return {perm, std::move(prefix)};
}

bool Matches(const IdPattern& p, const IdQuad& q) {
  return (p.s == 0 || p.s == q.s) && (p.p == 0 || p.p == q.p) &&
         (p.o == 0 || p.o == q.o) && (p.g == 0 || p.g == q.g);
}

}  // namespace bibkg::store
