#include "store/term.h"

#include <gtest/gtest.h>

namespace bibkg::store {
namespace {

TEST(Term, EncodeDecodeRoundTripsEveryKind) {
  const Term terms[] = {
      Term::Iri("https://doi.org/10.1080/15309576.2024.2302059"),
      Term::Blank("b0"),
      Term::Literal("Public performance & management review"),
      Term::LangLiteral("Kommunale organisasjoner", "nb"),
      Term::Typed("1600000", "http://www.w3.org/2001/XMLSchema#decimal"),
      Term::Literal(""),
  };
  for (const Term& t : terms) {
    Term back;
    ASSERT_TRUE(DecodeTerm(EncodeTerm(t), &back)) << t.ToNTriples();
    EXPECT_EQ(back, t) << t.ToNTriples();
  }
}

TEST(Term, KindsWithEqualTextAreDifferentKeys) {
  EXPECT_NE(EncodeTerm(Term::Iri("x")), EncodeTerm(Term::Literal("x")));
  EXPECT_NE(EncodeTerm(Term::LangLiteral("x", "en")),
            EncodeTerm(Term::LangLiteral("x", "de")));
}

TEST(Term, XsdStringIsASimpleLiteral) {
  EXPECT_EQ(Term::Typed("a", std::string(kXsdString)), Term::Literal("a"));
}

TEST(Term, LanguageTagsAreLowerCased) {
  EXPECT_EQ(Term::LangLiteral("x", "NB").extra, "nb");
}

TEST(Term, DecodeRejectsMalformedBytes) {
  Term t;
  EXPECT_FALSE(DecodeTerm("", &t));
  EXPECT_FALSE(DecodeTerm(std::string(1, '\x09'), &t));
  EXPECT_FALSE(DecodeTerm(std::string("\x04\x05"
                                      "en",
                                      4),
                          &t));  // tag runs past end
}

TEST(Term, NTriplesEscapes) {
  EXPECT_EQ(Term::Literal("a \"q\"\n\\").ToNTriples(), R"("a \"q\"\n\\")");
  EXPECT_EQ(Term::LangLiteral("Tildelt", "nb").ToNTriples(), "\"Tildelt\"@nb");
  EXPECT_EQ(Term::Typed("2016-07-05", "http://www.w3.org/2001/XMLSchema#date")
                .ToNTriples(),
            "\"2016-07-05\"^^<http://www.w3.org/2001/XMLSchema#date>");
  EXPECT_EQ(Term::Iri("http://x/a b").ToNTriples(), "<http://x/a\\u0020b>");
  EXPECT_EQ(Term::Blank("b1").ToNTriples(), "_:b1");
}

}  // namespace
}  // namespace bibkg::store
