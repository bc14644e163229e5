#include "base/strings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bibkg::base {
namespace {

using ::testing::ElementsAre;

TEST(Split, OneDelimiterKeepsEmptyPiecesUnlessAsked) {
  EXPECT_THAT(Split("a\x1F"
                    "bc\x1F\x1F"
                    "d\x1F",
                    "\x1F"),
              ElementsAre("a", "bc", "", "d", ""));
  EXPECT_THAT(Split("a\x1F"
                    "bc\x1F\x1F"
                    "d\x1F",
                    "\x1F", true),
              ElementsAre("a", "bc", "d"));
  EXPECT_THAT(Split("", ","), ElementsAre(""));
  EXPECT_THAT(Split("", ",", true), ElementsAre());
  EXPECT_THAT(Split("no delimiter", ","), ElementsAre("no delimiter"));
}

TEST(Split, SeveralDelimitersSplitAtEachOfThem) {
  EXPECT_THAT(Split("a,b;c,,d", ",;"), ElementsAre("a", "b", "c", "", "d"));
  EXPECT_THAT(Split("a,b;c,,d;", ",;", true), ElementsAre("a", "b", "c", "d"));
}

}  // namespace
}  // namespace bibkg::base
