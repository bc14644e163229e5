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

TEST(Analysis, TokensAfterMultiByteTextAndBadBytesKeepTheirBoundaries) {
  // ASCII words after multi-byte ones and inside number and word rules.
  EXPECT_THAT(
      Tokenize("Ærøy – Café ﬁle: U.S. 3.14 don't Øst"),
      ElementsAre("ærøy", "café", "file", "u.s", "3.14", "don't", "øst"));
  // A byte that is not UTF-8 reads as U+FFFD, which is not a word.
  EXPECT_THAT(Tokenize("Bad \xff\xfe byte Ünder"),
              ElementsAre("bad", "byte", "ünder"));
  EXPECT_THAT(Tokenize(""), ElementsAre());
}

TEST(Analysis, StemsAreTheSameWhenRepeated) {
  // The second call of each word is answered from the thread's memo.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Stem("councils", "en"), "council");
    EXPECT_EQ(Stem("kommunene", "nb"), Stem("kommune", "nb"));
    EXPECT_EQ(Stem("councils", ""), "councils");
  }
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
