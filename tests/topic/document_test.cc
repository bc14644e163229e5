#include "topic/document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "base/varint.h"
#include "store/topic_postings.h"
#include "text/grammars.h"
#include "text/vocab.h"

namespace bibkg::topic {
namespace {

using store::DecodePosting;
using store::ParseDocEntry;
using store::ParsePlainPosting;
using store::PostingPrefix;
using store::TopicEntries;
using ::testing::ElementsAre;
using text::YearOf;

// A document entry's value as the store writes it: the ids of its terms
// appended, here 1, 2, 3... in order.
std::string StoredValue(const store::AuxEntry& e) {
  std::string value = e.value;
  for (size_t i = 0; i < e.ids.size(); ++i) AppendVarint(&value, i + 1);
  return value;
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
  // Postings are list entries holding the frequency and the length.
  auto leader = std::find_if(entries.begin(), entries.end(), [](const auto& e) {
    return e.key == PostingPrefix("leader");
  });
  ASSERT_NE(leader, entries.end());
  EXPECT_TRUE(leader->list);
  uint64_t tf = 0, length = 0;
  ASSERT_TRUE(DecodePosting(leader->value, &tf, &length));
  EXPECT_EQ(tf, 4u);
  EXPECT_EQ(length, doc->length);
  EXPECT_FALSE(DecodePosting(leader->value + "\x80", &tf, &length));
  EXPECT_TRUE(ParsePlainPosting("4 17", &tf, &length));
  EXPECT_EQ(length, 17u);
  EXPECT_FALSE(ParsePlainPosting("4", &tf, &length));
  // The document entry names the work by id (the store appends the ids).
  EXPECT_EQ(entries.back().ids.front(), store::Term::Iri("ex:work"));
  auto info = ParseDocEntry(StoredValue(entries.back()));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->work_id, 1u);
  EXPECT_EQ(info->length, doc->length);
  EXPECT_FALSE(BuildTopicDoc({}).has_value());
}

TEST(TopicDoc, EntryKeepsWhatSearchFiltersBy) {
  using store::Term;
  std::vector<store::Triple> triples = {
      {Term::Iri("ex:work"), Term::Iri(vocab::kRdfType),
       Term::Iri(vocab::kJournalArticle)},
      {Term::Iri("ex:work"), Term::Iri(vocab::kTitle),
       Term::LangLiteral("Digital leadership", "en")},
      {Term::Iri("ex:work"), Term::Iri(vocab::kIssued),
       Term::Typed("2024-01-05", "http://www.w3.org/2001/XMLSchema#date")},
      {Term::Iri("ex:work"), Term::Iri(vocab::kSubject),
       Term::Iri("ex:subject/1")},
      {Term::Iri("ex:work"), Term::Iri(vocab::kSubject),
       Term::Iri("ex:subject/2")},
      {Term::Iri("ex:work"), Term::Iri(vocab::kLanguage),
       Term::Iri("http://id.loc.gov/vocabulary/iso639-1/nb")},
      {Term::Iri("ex:work"), Term::Iri(vocab::kIsFundedBy),
       Term::Iri("ex:funder")},
      // Another node's statements are not the work's.
      {Term::Iri("ex:other"), Term::Iri(vocab::kSubject),
       Term::Iri("ex:subject/3")},
  };
  auto doc = BuildTopicDoc(triples);
  ASSERT_TRUE(doc.has_value());
  const store::AuxEntry entry = TopicEntries(*doc).back();
  // The work, then the types, subjects and funders, as the store's ids.
  EXPECT_EQ(entry.ids,
            (std::vector<Term>{
                Term::Iri("ex:work"), Term::Iri(vocab::kJournalArticle),
                Term::Iri("ex:subject/1"), Term::Iri("ex:subject/2"),
                Term::Iri("ex:funder")}));
  const std::string stored = StoredValue(entry);  // ids 1..5
  auto info = ParseDocEntry(stored);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->work_id, 1u);
  EXPECT_TRUE(info->work.empty());
  ASSERT_TRUE(info->facts.has_value());
  EXPECT_EQ(info->facts->year, 2024);
  EXPECT_EQ(info->type_ids, std::vector<store::TermId>{2});
  EXPECT_EQ(info->subject_ids, (std::vector<store::TermId>{3, 4}));
  EXPECT_EQ(info->funder_ids, std::vector<store::TermId>{5});
  EXPECT_EQ(info->facts->languages, (std::vector<std::string>{"en", "nb"}));
  // Cut short, or with bytes after the ids: refused.
  for (size_t n = 1; n < stored.size(); ++n)
    EXPECT_FALSE(ParseDocEntry(stored.substr(0, n)).has_value()) << n;
  EXPECT_FALSE(ParseDocEntry(stored + "\x01").has_value());
  // An entry naming the work and the facts' IRIs as text.
  auto text = ParseDocEntry(
      "12\tex:work\t2024\tex:Article\tex:s/1 ex:s/2\ten nb\tex:funder");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->work, "ex:work");
  EXPECT_EQ(text->work_id, 0u);
  ASSERT_TRUE(text->facts.has_value());
  EXPECT_EQ(text->facts->subjects,
            (std::vector<std::string>{"ex:s/1", "ex:s/2"}));
  EXPECT_EQ(text->facts->funders, std::vector<std::string>{"ex:funder"});
  // A text-form entry of the work alone, without facts, and broken ones.
  auto old = ParseDocEntry("12\tex:work");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->work, "ex:work");
  EXPECT_FALSE(old->facts.has_value());
  EXPECT_FALSE(ParseDocEntry("12\tex:work\t2024").has_value());
  EXPECT_FALSE(ParseDocEntry("12\tex:work\tyear\t\t\t\t").has_value());
  EXPECT_FALSE(ParseDocEntry("x\tex:work").has_value());
  EXPECT_EQ(YearOf("2021-03-04"), 2021);
  EXPECT_EQ(YearOf("202"), 0);
  EXPECT_EQ(YearOf("c. 2021"), 0);
}

}  // namespace
}  // namespace bibkg::topic
