#include "indexer/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "indexer/topic_index.h"
#include "indexer/vocab.h"

namespace bibkg::indexer {
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

TEST(TopicIndex, DocumentIsTheWorkWithTitleSubjectsAndText) {
  using store::Term;
  auto iri = [](const char* s) { return Term::Iri(s); };
  std::vector<store::Triple> triples = {
      {iri("ex:work"), iri(vocab::kTitle),
       Term::LangLiteral("Digital leaders", "en")},
      {iri("ex:work"), iri(vocab::kAbstract),
       Term::LangLiteral("Leaders in councils.", "en")},
      {iri("ex:work"), iri(vocab::kSubject), iri("ex:concept")},
      {iri("ex:concept"), iri(vocab::kPrefLabel),
       Term::LangLiteral("E-government", "en")},
      {iri("ex:journal"), iri(vocab::kRdfType), iri(vocab::kJournal)},
      {iri("ex:journal"), iri(vocab::kTitle),
       Term::Literal("A journal with a much longer title than the work has, to "
                     "be ignored")},
  };
  auto doc = BuildTopicDoc(triples);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->work, "ex:work");
  EXPECT_EQ(doc->tf["leader"], 3u + 1u);  // title weight 3, abstract 1
  EXPECT_EQ(doc->tf["digit"], 3u);
  EXPECT_EQ(doc->tf["council"], 1u);
  EXPECT_EQ(doc->tf["govern"], 2u);  // subject label weight 2
  EXPECT_EQ(doc->tf.count("journal"), 0u);
  auto entries = TopicEntries(*doc);
  EXPECT_EQ(entries.back().key, "d");
  auto info = ParseDocEntry(entries.back().value);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->work, "ex:work");
  EXPECT_EQ(info->length, doc->length);
  EXPECT_FALSE(BuildTopicDoc({}).has_value());
}

}  // namespace
}  // namespace bibkg::indexer
