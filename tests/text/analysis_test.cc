#include "text/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace bibkg::text {
namespace {

using ::testing::ElementsAre;

TEST(Analysis, TokenizesAndFoldsCase) {
  EXPECT_THAT(
      Tokenize(
          "Digital Leadership: the ‘unsustainable’ state-of-the-art, 2016!"),
      ElementsAre("digital", "leadership", "the", "unsustainable", "state",
                  "of", "the", "art", "2016"));
  EXPECT_THAT(Tokenize("Forskningsrådet STRAẞE"),
              ElementsAre("forskningsrådet", "strasse"));
}

TEST(Analysis, StemsByLanguageSoThatFormsMeet) {
  EXPECT_EQ(Stem("digitale", "nb"), Stem("digital", "nb"));
  EXPECT_EQ(Stem("kommunene", "nb"), Stem("kommune", "nb"));
  EXPECT_EQ(Stem("leaders", "en"), Stem("leader", "en"));
  EXPECT_EQ(Stem("managers", "en"), "manag");
  EXPECT_EQ(Stem("Verwaltungen", "de"), Stem("Verwaltung", "de"));
  EXPECT_EQ(Stem("word", ""), "word");
  EXPECT_EQ(Stem("word", "x-unknown"), "word");
}

TEST(Analysis, IndexTermsDropStopWords) {
  EXPECT_THAT(IndexTerms("The leaders of the councils", "en"),
              ElementsAre("leader", "council"));
  EXPECT_THAT(IndexTerms("og den digitale transformasjonen", "nb"),
              ElementsAre("digital", "transformasjon"));
}

}  // namespace
}  // namespace bibkg::text
