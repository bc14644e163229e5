#include "text/normalize.h"

#include <gtest/gtest.h>

#include "tests/testing/testing.h"

namespace bibkg::text {
namespace {

TEST(MatchKey, AsciiFastPathAgreesWithUnicodePath) {
  // A trailing no-break space sends the text through ICU; it is not
  // alphanumeric, so it must not change the key.
  for (const char* t :
       {"The Gnats and Gnus Document Preparation System", "A-b, C!  d_e",
        "Vol.47 (4), p.927-958", "  --leading and trailing--  ", "x",
        "ISBN 978-3-16-148410-0", "", "UPPER lower 123abc"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(MatchKey(t), MatchKey(std::string(t) + "\u00A0"));
  }
}

TEST(MatchKey, SpellingsOfOneTitleMeet) {
  EXPECT_EQ(
      MatchKey("Socitm: Traditional management structures ‘unsustainable’ in "
               "digital age"),
      "socitm traditional management structures unsustainable in digital age");
  EXPECT_EQ(MatchKey("SOCITM -- traditional  management structures "
                     "\"unsustainable\" in digital age!"),
            MatchKey("Socitm: Traditional management structures "
                     "‘unsustainable’ in digital age"));
  EXPECT_EQ(MatchKey("Café Müller"), MatchKey("cafe muller"));
  EXPECT_EQ(MatchKey("Straße"), "strasse");
  EXPECT_EQ(MatchKey("ﬁnancial"), "financial");  // compatibility ligature
}

TEST(MatchKey, DifferentTitlesStayApart) {
  EXPECT_NE(MatchKey("Digital leadership levels"),
            MatchKey("Digital leadership level"));
  EXPECT_EQ(MatchKey("  ...  "), "");
}

TEST(MintIri, IsStableAndKindScoped) {
  EXPECT_EQ(MintIri("work", "abc"), MintIri("work", "abc"));
  EXPECT_NE(MintIri("work", "abc"), MintIri("work", "abd"));
  EXPECT_EQ(MintIri("work", "abc").rfind("https://w3id.org/bibkg/id/work/", 0),
            0u);
  EXPECT_EQ(MintIri("work", "abc").size(),
            std::string("https://w3id.org/bibkg/id/work/").size() + 32);
}

TEST(Languages, MapsIso639Codes) {
  EXPECT_EQ(ToIso639_1("eng"), "en");
  EXPECT_EQ(ToIso639_1("ger"), "de");
  EXPECT_EQ(ToIso639_1("deu"), "de");
  EXPECT_EQ(ToIso639_1("nob"), "nb");
  EXPECT_EQ(ToIso639_1("nno"), "nn");
  EXPECT_EQ(ToIso639_1("NO"), "no");
  EXPECT_EQ(ToIso639_1("xxx"), "");
}

TEST(Languages, GuessesTheSampleTexts) {
  std::string norwegian = testing::ReadFile(
      testing::DataPath("samples/research-council-project-no.txt"));
  EXPECT_EQ(GuessLanguage(norwegian, {"nb", "nn", "en", "de"}), "nb");
  std::string english = testing::ReadFile(
      testing::DataPath("samples/news-article-socitm-structures.txt"));
  EXPECT_EQ(GuessLanguage(english), "en");
  EXPECT_EQ(
      GuessLanguage(
          "Die Digitalisierung der öffentlichen Verwaltung in den Kommunen "
          "braucht Führung und eine klare Strategie für die Zukunft."),
      "de");
  EXPECT_EQ(GuessLanguage("ok"), "");
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("forskningsråd"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"
                            "cd"),
            2u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3"), 2u);  // truncated sequence
}

TEST(CollapseSpace, FoldsRunsAndNonBreakingSpaces) {
  EXPECT_EQ(CollapseSpace("  a \n\t b\xC2\xA0\xC2\xA0"
                          "c  "),
            "a b c");
}

}  // namespace
}  // namespace bibkg::text
