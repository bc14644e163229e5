#include "store/key_codec.h"

#include <gtest/gtest.h>

namespace bibkg::store {
namespace {

constexpr Permutation kAll[] = {Permutation::kSpog, Permutation::kPosg,
                                Permutation::kOspg, Permutation::kGspo};

TEST(KeyCodec, RoundTripsEveryPermutation) {
  IdQuad q{1, 0x0102030405060708ull, ~0ull, 42};
  for (Permutation p : kAll) {
    std::string key = EncodeQuadKey(p, q);
    ASSERT_EQ(key.size(), kQuadKeySize);
    EXPECT_EQ(DecodeQuadKey(p, key), q) << PermutationName(p);
  }
}

TEST(KeyCodec, ByteOrderIsNumericOrder) {
  for (Permutation p : kAll) {
    EXPECT_LT(EncodeQuadKey(p, {1, 1, 1, 1}),
              EncodeQuadKey(p, {256, 256, 256, 256}));
    EXPECT_LT(EncodeQuadKey(p, {255, 1, 1, 1}),
              EncodeQuadKey(p, {256, 1, 1, 1}));
  }
}

// Every one of the 16 patterns of bound positions is answered by a prefix
// holding each bound position the plan does not filter on afterwards, and
// the prefix is as long as the bound leading positions of the order.
TEST(KeyCodec, EveryPatternHasAPrefixPlan) {
  for (int mask = 0; mask < 16; ++mask) {
    IdPattern pat{(mask & 1) ? 11u : 0u, (mask & 2) ? 22u : 0u,
                  (mask & 4) ? 33u : 0u, (mask & 8) ? 44u : 0u};
    ScanPlan plan = PlanScan(pat);
    auto order = Order(plan.perm, {pat.s, pat.p, pat.o, pat.g});
    size_t bound_lead = 0;
    while (bound_lead < 4 && order[bound_lead] != 0) ++bound_lead;
    EXPECT_EQ(plan.prefix.size(), 8 * bound_lead) << "mask " << mask;
    int bound = __builtin_popcount(mask);
    if (!(mask & 8)) {
      // Without a graph, the prefix covers every bound position.
      EXPECT_EQ(static_cast<int>(bound_lead), bound) << "mask " << mask;
    } else {
      EXPECT_EQ(plan.perm, Permutation::kGspo);
    }
  }
}

TEST(KeyCodec, PlansPickTheExpectedIndex) {
  EXPECT_EQ(PlanScan({1, 0, 0, 0}).perm, Permutation::kSpog);
  EXPECT_EQ(PlanScan({0, 2, 0, 0}).perm, Permutation::kPosg);
  EXPECT_EQ(PlanScan({0, 0, 3, 0}).perm, Permutation::kOspg);
  EXPECT_EQ(PlanScan({1, 0, 3, 0}).perm, Permutation::kOspg);
  EXPECT_EQ(PlanScan({0, 2, 3, 0}).perm, Permutation::kPosg);
  EXPECT_EQ(PlanScan({0, 0, 0, 4}).perm, Permutation::kGspo);
  EXPECT_TRUE(Matches({1, 0, 3, 0}, {1, 9, 3, 7}));
  EXPECT_FALSE(Matches({1, 0, 3, 0}, {1, 9, 4, 7}));
}

}  // namespace
}  // namespace bibkg::store
