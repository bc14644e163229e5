#include "tools/warning_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace bibkg::tools {
namespace {

using indexer::ImportError;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(WarningSummaryTest, KindTakesTheValuesOut) {
  ImportError a{"f.mrc", "7", "260", "cannot read date \"19uu\" in 1,2", false};
  ImportError b{"f.mrc", "9", "260", "cannot read date \"18--\" in 4", false};
  EXPECT_EQ(ProblemKind(a), ProblemKind(b));
  EXPECT_EQ(ProblemKind(a), "warning: field 260: cannot read date \"…\" in #");
  ImportError other_field{"f.mrc", "9", "264", "cannot read date \"x\" in 4",
                          false};
  EXPECT_NE(ProblemKind(a), ProblemKind(other_field));
  ImportError fatal = a;
  fatal.fatal = true;
  EXPECT_NE(ProblemKind(a), ProblemKind(fatal));
  ImportError doi{"x.ris", "3", "DO", "not a DOI: 10.1234/abc", false};
  EXPECT_EQ(ProblemKind(doi), "warning: field DO: not a DOI: #");
}

TEST(WarningSummaryTest, CountsByKindWithTheFirstExamples) {
  WarningSummary summary(2);
  EXPECT_EQ(summary.ToString(), "");
  for (int i = 0; i < 1000; ++i) {
    summary.Add({"big.mrc", std::to_string(i), "260",
                 "cannot read date \"" + std::to_string(i) + "x\"", false});
  }
  summary.Add({"big.mrc", "5", "022", "invalid ISSN 1234-5678", false});
  EXPECT_EQ(summary.count(), 1001u);
  std::string text = summary.ToString();
  EXPECT_THAT(text, HasSubstr("1001 problems of 2 kinds"));
  EXPECT_THAT(text, HasSubstr("1000 × warning: field 260"));
  EXPECT_THAT(text, HasSubstr("1 × warning: field 022: invalid ISSN #"));
  EXPECT_THAT(text, HasSubstr("big.mrc: record 0: field 260"));
  EXPECT_THAT(text, HasSubstr("big.mrc: record 1: field 260"));
  EXPECT_THAT(text, Not(HasSubstr("big.mrc: record 2: field 260")));
  // Most frequent first.
  EXPECT_LT(text.find("1000 ×"), text.find("1 × warning: field 022"));
  // A line per kind and per example, not per problem.
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 10);
}

}  // namespace
}  // namespace bibkg::tools
