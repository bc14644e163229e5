#include "query/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "indexer/importer.h"
#include "query/formats.h"
#include "store/topic_postings.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"
#include "topic/document.h"

namespace bibkg::query {
namespace {

using ::testing::HasSubstr;

SearchOptions Query(std::string q) {
  SearchOptions o;
  o.query = std::move(q);
  return o;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *store::Store::Open(dir_.Sub("db"));
    testing::ImportSamples(store_.get());
    view_ = store_->NewReadView();
    engine_ = std::make_unique<Engine>(view_.get());
  }

  std::string IriOfType(const char* type) {
    std::string found;
    EXPECT_OK(view_->Scan({std::nullopt, store::Term::Iri(vocab::kRdfType),
                           store::Term::Iri(type), std::nullopt},
                          [&](const store::Quad& q) {
                            found = q.s.value;
                            return false;
                          }));
    return found;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::ReadView> view_;
  std::unique_ptr<Engine> engine_;
};

const char* kDoi = "https://doi.org/10.1080/15309576.2024.2302059";

TEST_F(EngineTest, ResolvesIdentifiers) {
  EXPECT_EQ(*engine_->Resolve("10.1080/15309576.2024.2302059"), kDoi);
  EXPECT_EQ(*engine_->Resolve("doi:10.1080/15309576.2024.2302059"), kDoi);
  EXPECT_EQ(*engine_->Resolve(kDoi), kDoi);
  EXPECT_EQ(engine_->Resolve("issn:1530-9576").value(), "urn:issn:1530-9576");
  EXPECT_TRUE(absl::IsNotFound(engine_->Resolve("10.9999/nothing").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(engine_->Resolve("not an id").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(engine_->Resolve("issn:1234").status()));
}

TEST_F(EngineTest, UnknownWorkIsNotFoundWhenResolvedWithoutTheCheck) {
  // The server resolves without asking the store and lets GetWork's read of
  // the work's statements tell: the answer must be the same NotFound.
  absl::StatusOr<std::string> iri =
      engine_->Resolve("10.9999/nothing", /*check_known=*/false);
  ASSERT_OK(iri);
  EXPECT_EQ(*iri, "https://doi.org/10.9999/nothing");
  absl::StatusOr<Work> w = engine_->GetWork(*iri, /*require_known=*/true);
  EXPECT_TRUE(absl::IsNotFound(w.status()));
  EXPECT_EQ(w.status().message(),
            engine_->Resolve("10.9999/nothing").status().message());
  // Without require_known an unknown node is an empty work.
  ASSERT_OK(engine_->GetWork(*iri));
  EXPECT_TRUE(engine_->GetWork(*iri)->summary.title.empty());
  ASSERT_OK(engine_->GetWork(kDoi, /*require_known=*/true));
}

TEST_F(EngineTest, GetWorkGathersTheRecord) {
  auto w = engine_->GetWork(kDoi);
  ASSERT_OK(w);
  EXPECT_EQ(w->summary.title,
            "City Managers as Digital Transformation Leaders: Exploratory and "
            "Explanatory Notes");
  EXPECT_EQ(w->summary.issued, "2024-07");
  ASSERT_TRUE(w->venue.has_value());
  EXPECT_EQ(w->venue->label, "Public performance & management review");
  EXPECT_THAT(w->issns,
              ::testing::UnorderedElementsAre("1530-9576", "1557-9271"));
  EXPECT_EQ(w->volume, "47");
  EXPECT_EQ(w->page_end, "958");
  EXPECT_EQ(w->languages, std::vector<std::string>{"en"});
  EXPECT_EQ(w->sources.size(), 1u);
  auto project = engine_->GetWork(IriOfType(vocab::kProject));
  ASSERT_OK(project);
  EXPECT_EQ(project->amount, "1600000");
  EXPECT_EQ(project->currency, "NOK");
  ASSERT_EQ(project->funders.size(), 1u);
}

// Nodes that many works name (journals, people, subjects, classes) are kept
// by id in the view's cache; a later answer reads them from there and says
// the same.
TEST_F(EngineTest, ViewCacheKeepsNamedNodesByIdAndAnswersAlike) {
  ViewCache cache;
  auto first = Engine(view_.get(), &cache).GetWork(kDoi);
  ASSERT_OK(first);
  ASSERT_TRUE(first->venue.has_value());
  auto venue_id = view_->Lookup(store::Term::Iri(first->venue->iri));
  ASSERT_OK(venue_id);
  std::string iri;
  ASSERT_TRUE(cache.FindIri(*venue_id, &iri));
  EXPECT_EQ(iri, first->venue->iri);
  auto type_id = view_->Lookup(store::Term::Iri(first->types[0]));
  ASSERT_OK(type_id);
  EXPECT_TRUE(cache.FindIri(*type_id, &iri));
  EXPECT_EQ(iri, first->types[0]);
  // The project's funder (the sample catalog record names no people).
  const std::string project = IriOfType(vocab::kProject);
  auto funded = Engine(view_.get(), &cache).GetWork(project);
  ASSERT_OK(funded);
  ASSERT_EQ(funded->funders.size(), 1u);
  auto funder_id = view_->Lookup(store::Term::Iri(funded->funders[0].iri));
  ASSERT_OK(funder_id);
  EXPECT_TRUE(cache.FindIri(*funder_id, &iri));
  EXPECT_EQ(iri, funded->funders[0].iri);
  // A title is the work's own: not kept.
  ASSERT_FALSE(first->titles.empty());
  const Text& title = first->titles[0];
  auto title_id = view_->Lookup(
      title.lang.empty() ? store::Term::Literal(title.value)
                         : store::Term::LangLiteral(title.value, title.lang));
  ASSERT_OK(title_id);
  EXPECT_FALSE(cache.FindIri(*title_id, &iri));

  auto second = Engine(view_.get(), &cache).GetWork(kDoi);
  ASSERT_OK(second);
  EXPECT_EQ(second->types, first->types);
  EXPECT_EQ(second->venue->iri, first->venue->iri);
  EXPECT_EQ(second->venue->label, first->venue->label);
  ASSERT_EQ(second->creators.size(), first->creators.size());
  for (size_t i = 0; i < first->creators.size(); ++i) {
    EXPECT_EQ(second->creators[i].iri, first->creators[i].iri);
    EXPECT_EQ(second->creators[i].label, first->creators[i].label);
  }
  ASSERT_EQ(second->subjects.size(), first->subjects.size());
  for (size_t i = 0; i < first->subjects.size(); ++i)
    EXPECT_EQ(second->subjects[i].label, first->subjects[i].label);
  EXPECT_EQ(second->summary.creators, first->summary.creators);
  EXPECT_EQ(second->summary.venue, first->summary.venue);
  EXPECT_EQ(second->summary.type, first->summary.type);
  auto funded_again = Engine(view_.get(), &cache).GetWork(project);
  ASSERT_OK(funded_again);
  ASSERT_EQ(funded_again->funders.size(), 1u);
  EXPECT_EQ(funded_again->funders[0].iri, funded->funders[0].iri);
  EXPECT_EQ(funded_again->funders[0].label, funded->funders[0].label);
  EXPECT_FALSE(funded_again->funders[0].label.empty());
}

// A common word's postings are kept by the view's cache and read from it by
// later searches, with the same answers as without it.
TEST_F(EngineTest, ViewCacheKeepsCommonWordsPostingsAndAnswersAlike) {
  using store::Term;
  const size_t n = ViewCache::kMinCachedPostings + 100;
  store::WriteSet ws;
  for (size_t i = 0; i < n; ++i) {
    Term work =
        Term::Iri("https://example.org/work/common/" + std::to_string(i));
    std::vector<store::Triple> t = {
        {work, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kJournalArticle)},
        {work, Term::Iri(vocab::kTitle),
         Term::LangLiteral("Archives " +
                               std::string(i % 7 == 0 ? "and archives " : "") +
                               "of municipality " + std::to_string(i) +
                               " quorvex" + std::to_string(i % 50),
                           "en")},
    };
    auto doc = topic::BuildTopicDoc(t);
    ASSERT_TRUE(doc);
    Term g =
        Term::Iri("https://example.org/record/common/" + std::to_string(i));
    ws.ReplaceGraph(g, t);
    ws.SetAux(g, store::TopicEntries(*doc));
  }
  ASSERT_OK(store_->Commit(ws));
  view_ = store_->NewReadView();
  auto answers = [](const absl::StatusOr<SearchResult>& r) {
    std::vector<std::string> out;
    if (!r.ok()) return out;
    out.push_back(std::to_string(r->total));
    for (const SearchHit& h : r->hits)
      out.push_back(h.work.iri + " " + std::to_string(h.score));
    for (const Facet& f : r->by_year) out.push_back(f.value);
    return out;
  };
  ViewCache cache;
  // A rare word's postings are not kept.
  auto rare = Engine(view_.get(), &cache).Search(Query("quorvex7"));
  ASSERT_OK(rare);
  EXPECT_EQ(rare->total, (n - 7 + 49) / 50);  // i % 50 == 7
  EXPECT_EQ(cache.CachedPostings(), 0u);

  SearchOptions o = Query("municipality archives");
  o.limit = 30;
  auto plain = Engine(view_.get()).Search(o);
  ASSERT_OK(plain);
  EXPECT_EQ(plain->total, n);
  auto first = Engine(view_.get(), &cache).Search(o);
  ASSERT_OK(first);
  // Both words are in every record's document.
  EXPECT_GE(cache.CachedPostings(), 2 * n);
  const size_t kept = cache.CachedPostings();
  auto second = Engine(view_.get(), &cache).Search(o);
  ASSERT_OK(second);
  EXPECT_EQ(cache.CachedPostings(), kept);  // read from the cache
  ASSERT_EQ(plain->hits.size(), 30u);
  EXPECT_EQ(answers(first), answers(plain));
  EXPECT_EQ(answers(second), answers(plain));
  // Titles that say "archives" twice rank first.
  EXPECT_THAT(plain->hits[0].work.iri,
              ::testing::StartsWith("https://example.org/work/common/"));
  auto work_no = [](const std::string& iri) {
    return std::stoul(iri.substr(iri.rfind('/') + 1));
  };
  EXPECT_EQ(work_no(plain->hits[0].work.iri) % 7, 0u);
}

// The document entries a search reads are kept by the view's cache, as
// stored, and later searches read them from there.
// Every search document's stored entry, by graph.
std::map<store::TermId, std::string> StoredDocEntries(
    const store::ReadView& view) {
  std::map<store::TermId, std::string> stored;
  EXPECT_OK(view.ScanAux(
      store::kDocKey,
      [&](std::string_view key, store::TermId g, std::string_view value) {
        if (key == store::kDocKey) stored.emplace(g, std::string(value));
        return true;
      }));
  return stored;
}

TEST_F(EngineTest, ViewCacheKeepsSearchDocumentEntries) {
  const std::map<store::TermId, std::string> stored = StoredDocEntries(*view_);
  ASSERT_GE(stored.size(), 5u);  // the five samples

  const SearchOptions o = Query("digital leadership");
  auto plain = Engine(view_.get()).Search(o);
  ASSERT_OK(plain);
  ASSERT_GE(plain->hits.size(), 3u);
  ViewCache cache;
  auto first = Engine(view_.get(), &cache).Search(o);
  ASSERT_OK(first);
  size_t kept = 0;
  std::string entry;
  for (const auto& [g, value] : stored) {
    if (!cache.FindDocEntry(g, &entry)) continue;
    ++kept;
    EXPECT_EQ(entry, value) << "graph " << g;
  }
  EXPECT_GE(kept, plain->hits.size());
  auto second = Engine(view_.get(), &cache).Search(o);
  ASSERT_OK(second);
  for (const auto* r : {&*first, &*second}) {
    ASSERT_EQ(r->hits.size(), plain->hits.size());
    for (size_t i = 0; i < r->hits.size(); ++i) {
      EXPECT_EQ(r->hits[i].work.iri, plain->hits[i].work.iri);
      EXPECT_EQ(r->hits[i].score, plain->hits[i].score);
    }
    ASSERT_EQ(r->by_year.size(), plain->by_year.size());
    for (size_t i = 0; i < r->by_year.size(); ++i) {
      EXPECT_EQ(r->by_year[i].value, plain->by_year[i].value);
      EXPECT_EQ(r->by_year[i].count, plain->by_year[i].count);
    }
  }

  // What the cache holds is what a search reads: entries it cannot parse
  // leave no hits.
  ViewCache unreadable;
  for (const auto& [g, value] : stored) unreadable.AddDocEntry(g, "");
  auto none = Engine(view_.get(), &unreadable).Search(o);
  ASSERT_OK(none);
  EXPECT_TRUE(none->hits.empty());
}

// Warming reads every search document's entry into the view's cache, as
// stored; searches on the warmed cache answer as without it.
TEST_F(EngineTest, WarmSearchEntriesKeepsEveryDocumentEntry) {
  const std::map<store::TermId, std::string> stored = StoredDocEntries(*view_);
  ASSERT_GE(stored.size(), 5u);
  EXPECT_EQ(*Engine(view_.get()).WarmSearchEntries(), 0u);  // no cache
  ViewCache cache;
  auto warmed = Engine(view_.get(), &cache).WarmSearchEntries();
  ASSERT_OK(warmed);
  EXPECT_EQ(*warmed, stored.size());
  std::string entry;
  for (const auto& [g, value] : stored) {
    ASSERT_TRUE(cache.FindDocEntry(g, &entry)) << "graph " << g;
    EXPECT_EQ(entry, value) << "graph " << g;
  }
  const SearchOptions o = Query("digitalisering kommune");
  auto plain = Engine(view_.get()).Search(o);
  auto cached = Engine(view_.get(), &cache).Search(o);
  ASSERT_OK(plain);
  ASSERT_OK(cached);
  ASSERT_FALSE(plain->hits.empty());
  ASSERT_EQ(cached->hits.size(), plain->hits.size());
  for (size_t i = 0; i < plain->hits.size(); ++i)
    EXPECT_EQ(cached->hits[i].work.iri, plain->hits[i].work.iri);
  EXPECT_EQ(cached->total, plain->total);
  // Asked to stop, it stops after the first.
  ViewCache stopped;
  std::atomic<bool> stop{true};
  EXPECT_EQ(*Engine(view_.get(), &stopped).WarmSearchEntries(&stop), 1u);
}

// A search names at most the 50 most frequent subjects of its window.
TEST_F(EngineTest, SubjectFacetsTheMostFrequent) {
  using store::Term;
  const Term common = Term::Iri("https://example.org/subject/common");
  const Term shared = Term::Iri("https://example.org/subject/shared");
  store::WriteSet ws;
  for (int i = 0; i < 80; ++i) {
    const std::string n = std::to_string(i);
    Term work = Term::Iri("https://example.org/work/faceted/" + n);
    Term own = Term::Iri("https://example.org/subject/own/" + n);
    std::vector<store::Triple> t = {
        {work, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kJournalArticle)},
        {work, Term::Iri(vocab::kTitle),
         Term::LangLiteral("Zentravel survey number " + n, "en")},
        {work, Term::Iri(vocab::kSubject), common},
        {common, Term::Iri(vocab::kPrefLabel), Term::Literal("Common")},
        {work, Term::Iri(vocab::kSubject), own},
        {own, Term::Iri(vocab::kPrefLabel), Term::Literal("Own " + n)},
    };
    if (i < 10) {
      t.push_back({work, Term::Iri(vocab::kSubject), shared});
      t.push_back(
          {shared, Term::Iri(vocab::kPrefLabel), Term::Literal("Shared")});
    }
    auto doc = topic::BuildTopicDoc(t);
    ASSERT_TRUE(doc);
    Term g = Term::Iri("https://example.org/record/faceted/" + n);
    ws.ReplaceGraph(g, t);
    ws.SetAux(g, store::TopicEntries(*doc));
  }
  ASSERT_OK(store_->Commit(ws));
  view_ = store_->NewReadView();
  auto r = Engine(view_.get()).Search(Query("zentravel"));
  ASSERT_OK(r);
  EXPECT_EQ(r->total, 80u);
  ASSERT_EQ(r->by_subject.size(), 50u);  // of 82 in the window
  EXPECT_EQ(r->by_subject[0].value, "Common");
  EXPECT_EQ(r->by_subject[0].count, 80u);
  EXPECT_EQ(r->by_subject[1].value, "Shared");
  EXPECT_EQ(r->by_subject[1].count, 10u);
  std::set<std::string> named;
  for (size_t i = 2; i < r->by_subject.size(); ++i) {
    EXPECT_EQ(r->by_subject[i].count, 1u);
    EXPECT_THAT(r->by_subject[i].value, ::testing::StartsWith("Own "));
    named.insert(r->by_subject[i].value);
  }
  EXPECT_EQ(named.size(), 48u);
}

// A node's label: its title, else its name, else its preferred label,
// whether it has a few statements or is restated by many records.
TEST_F(EngineTest, LabelsByPreferenceWhateverTheRecordsRestating) {
  using store::Term;
  const Term person = Term::Iri("https://example.org/person/ada");
  const Term subject = Term::Iri("https://example.org/subject/archives");
  const Term journal = Term::Iri("https://example.org/journal/j");
  store::WriteSet ws;
  for (int i = 0; i < 40; ++i) {
    Term work = Term::Iri("https://example.org/work/ada/" + std::to_string(i));
    std::vector<store::Triple> t = {
        {work, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kJournalArticle)},
        {work, Term::Iri(vocab::kTitle),
         Term::Literal("Notes " + std::to_string(i))},
        {work, Term::Iri(vocab::kCreator), person},
        {work, Term::Iri(vocab::kSubject), subject},
        {work, Term::Iri(vocab::kIsPartOf), journal},
        // Every record restates the person and the journal (their classes
        // first: more statements than a walk over them takes).
        {person, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kPerson)},
        {journal, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kJournal)},
        {person, Term::Iri(vocab::kPrefLabel), Term::Literal("Lovelace, A.")},
        {person, Term::Iri(vocab::kName), Term::Literal("Ada Lovelace")},
        {journal, Term::Iri(vocab::kName), Term::Literal("J. Notes")},
        {journal, Term::Iri(vocab::kPrefLabel), Term::Literal("JN")},
        {journal, Term::Iri(vocab::kTitle), Term::Literal("Journal of Notes")},
    };
    // One record says what the subject is called.
    if (i == 7)
      t.push_back({subject, Term::Iri(vocab::kPrefLabel),
                   Term::LangLiteral("Archives", "en")});
    ws.ReplaceGraph(
        Term::Iri("https://example.org/record/ada/" + std::to_string(i)), t);
  }
  ASSERT_OK(store_->Commit(ws));
  view_ = store_->NewReadView();
  for (ViewCache* cache : {static_cast<ViewCache*>(nullptr), new ViewCache}) {
    std::unique_ptr<ViewCache> owned(cache);
    auto w =
        Engine(view_.get(), cache).GetWork("https://example.org/work/ada/3");
    ASSERT_OK(w);
    ASSERT_EQ(w->creators.size(), 1u);
    EXPECT_EQ(w->creators[0].label, "Ada Lovelace");
    ASSERT_EQ(w->subjects.size(), 1u);
    EXPECT_EQ(w->subjects[0].label, "Archives");
    ASSERT_TRUE(w->venue.has_value());
    EXPECT_EQ(w->venue->label, "Journal of Notes");
    EXPECT_EQ(w->summary.creators, std::vector<std::string>{"Ada Lovelace"});
    EXPECT_EQ(w->summary.venue, "Journal of Notes");
  }
}

TEST_F(EngineTest, LinksBothWays) {
  std::string structures;
  auto hits = engine_->Search(Query("traditional management structures"));
  ASSERT_OK(hits);
  structures = hits->hits.at(0).work.iri;
  auto in = engine_->Links(structures, true);
  ASSERT_OK(in);
  ASSERT_EQ(in->size(), 1u);
  EXPECT_EQ((*in)[0].relation, "related");
  EXPECT_THAT((*in)[0].work.title, HasSubstr("needs leaders not managers"));
  auto out = engine_->Links(structures, false);
  ASSERT_OK(out);
  EXPECT_EQ(out->size(), 2u);  // two stubs
  EXPECT_EQ(engine_->GetWork(structures)->citation_count, 1u);
  // One at a time: the same links in the same order, the total each time.
  std::vector<std::string> paged;
  for (size_t offset = 0; offset < 4; ++offset) {
    size_t total = 0;
    auto page = engine_->Links(structures, false, offset, 1, &total);
    ASSERT_OK(page);
    EXPECT_EQ(total, 2u);
    EXPECT_EQ(page->size(), offset < 2 ? 1u : 0u);
    for (const Link& l : *page) paged.push_back(l.work.iri + " " + l.source);
  }
  std::vector<std::string> all;
  for (const Link& l : *out) all.push_back(l.work.iri + " " + l.source);
  EXPECT_EQ(paged, all);
  size_t none = 7;
  EXPECT_TRUE(engine_->Links("https://example.org/unknown", true, 0, 10, &none)
                  ->empty());
  EXPECT_EQ(none, 0u);
}

TEST_F(EngineTest, SearchDigitalLeadershipRanksWebTextsAboveTheArticle) {
  auto r = engine_->Search(Query("digital leadership"));
  ASSERT_OK(r);
  std::vector<std::string> order;
  for (const auto& h : r->hits) order.push_back(h.work.type);
  auto pos = [&](const char* type) {
    return std::find(order.begin(), order.end(), type) - order.begin();
  };
  ASSERT_LT(pos(vocab::kJournalArticle), static_cast<long>(order.size()));
  EXPECT_LT(pos(vocab::kBlogPost), pos(vocab::kJournalArticle));
  for (const auto& h : r->hits) {
    if (h.work.type == vocab::kNewsItem) {
      EXPECT_LT(&h - &r->hits[0], pos(vocab::kJournalArticle)) << h.work.title;
    }
  }
  EXPECT_THAT(r->hits[0].matched_terms, ::testing::Contains("leadership"));
}

TEST_F(EngineTest, SearchAcrossNorwegianForms) {
  auto r = engine_->Search(Query("digitalisering kommune"));
  ASSERT_OK(r);
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].work.type, vocab::kProject);
  // "digitale" in a query meets "digital" and "digitale" in Norwegian text.
  auto forms = engine_->Search(Query("digitale transformasjonen"));
  ASSERT_OK(forms);
  ASSERT_FALSE(forms->hits.empty());
  EXPECT_EQ(forms->hits[0].work.type, vocab::kProject);
}

TEST_F(EngineTest, SearchFiltersFacetsAndPages) {
  SearchOptions o = Query("digital");
  auto all = engine_->Search(o);
  ASSERT_OK(all);
  EXPECT_EQ(all->total, 5u);
  o.types = {vocab::kNewsItem};
  auto news = engine_->Search(o);
  EXPECT_EQ(news->total, 2u);
  o.types.clear();
  o.year_from = 2020;
  auto recent = engine_->Search(o);
  ASSERT_EQ(recent->total, 1u);
  EXPECT_EQ(recent->hits[0].work.iri, kDoi);
  SearchOptions paged = Query("digital");
  paged.limit = 2;
  paged.offset = 4;
  auto last = engine_->Search(paged);
  EXPECT_EQ(last->hits.size(), 1u);
  EXPECT_EQ(last->total, 5u);
  EXPECT_FALSE(all->by_type.empty());
  EXPECT_TRUE(
      absl::IsInvalidArgument(engine_->Search(Query("the of and")).status()));
}

// Facets and filters come from each document's entry; an entry in the short
// form (length and work only) makes Search read the work instead, with the
// same answers. The short form: document entries without the facts, and
// postings as one plain aux entry each, not lists.
TEST_F(EngineTest, FacetsAndFiltersAlikeFromOldIndexEntries) {
  struct Answers {
    std::vector<std::pair<std::string, uint64_t>> types, years, subjects;
    std::vector<uint64_t> totals;
    std::vector<std::string> ranked;  // leadership search: work and score
  };
  auto ask = [](const Engine& engine) {
    Answers a;
    auto all = engine.Search(Query("digital"));
    EXPECT_OK(all);
    auto ranked = engine.Search(Query("digital leadership"));
    EXPECT_OK(ranked);
    for (const auto& h : ranked->hits)
      a.ranked.push_back(h.work.iri + " " + std::to_string(h.score));
    for (const Facet& f : all->by_type) a.types.emplace_back(f.value, f.count);
    for (const Facet& f : all->by_year) a.years.emplace_back(f.value, f.count);
    for (const Facet& f : all->by_subject)
      a.subjects.emplace_back(f.value, f.count);
    SearchOptions o = Query("digital");
    o.types = {vocab::kNewsItem};
    a.totals.push_back(engine.Search(o)->total);
    o = Query("digital");
    o.year_from = 2020;
    a.totals.push_back(engine.Search(o)->total);
    o = Query("digital");
    o.language = "en";
    a.totals.push_back(engine.Search(o)->total);
    o.language = "de";
    a.totals.push_back(engine.Search(o)->total);
    return a;
  };
  // A record with subjects (the samples have none).
  {
    using store::Term;
    Term work = Term::Iri("https://example.org/work/subjects");
    std::vector<store::Triple> t = {
        {work, Term::Iri(vocab::kRdfType), Term::Iri(vocab::kJournalArticle)},
        {work, Term::Iri(vocab::kTitle),
         Term::LangLiteral("Digital archives in small municipalities", "en")},
        {work, Term::Iri(vocab::kSubject),
         Term::Iri("https://example.org/s/1")},
        {Term::Iri("https://example.org/s/1"), Term::Iri(vocab::kPrefLabel),
         Term::LangLiteral("Archives", "en")},
    };
    store::WriteSet ws;
    Term g = Term::Iri("https://example.org/record/subjects");
    ws.ReplaceGraph(g, t);
    ws.SetAux(g, store::TopicEntries(*topic::BuildTopicDoc(t)));
    ASSERT_OK(store_->Commit(ws));
  }
  view_ = store_->NewReadView();
  engine_ = std::make_unique<Engine>(view_.get());
  Answers fresh = ask(*engine_);
  EXPECT_THAT(fresh.types, ::testing::Contains(::testing::Pair(
                               std::string(vocab::kNewsItem), 2u)));
  EXPECT_THAT(fresh.years,
              ::testing::Contains(::testing::Pair(std::string("2024"), 1u)));
  EXPECT_EQ(fresh.subjects,
            (std::vector<std::pair<std::string, uint64_t>>{{"Archives", 1}}));
  EXPECT_EQ(fresh.totals, (std::vector<uint64_t>{2, 1, 6, 0}));

  // Rewrite every document entry in its text form: the work and
  // the facts' IRIs as text; then the work alone, with postings as plain
  // entries.
  for (bool with_facts : {true, false}) {
    SCOPED_TRACE(with_facts ? "IRIs and facts as text" : "no facts");
    std::map<std::string, std::vector<store::Triple>> graphs;
    ASSERT_OK(view_->Scan({}, [&](const store::Quad& q) {
      graphs[q.g.value].push_back({q.s, q.p, q.o});
      return true;
    }));
    store::WriteSet old;
    size_t rewritten = 0;
    for (const auto& [g, triples] : graphs) {
      auto doc = topic::BuildTopicDoc(triples);
      if (!doc) continue;
      std::vector<store::AuxEntry> entries = store::TopicEntries(*doc);
      store::AuxEntry& entry = entries.back();
      ASSERT_EQ(entry.key, "d");
      entry.ids.clear();
      if (with_facts) {
        const store::DocFacts& f = doc->facts;
        entry.value = absl::StrCat(doc->length, "\t", doc->work, "\t", f.year,
                                   "\t", absl::StrJoin(f.types, " "), "\t",
                                   absl::StrJoin(f.subjects, " "), "\t",
                                   absl::StrJoin(f.languages, " "), "\t",
                                   absl::StrJoin(f.funders, " "));
        ASSERT_TRUE(store::ParseDocEntry(entry.value)->facts);
      } else {
        entry.value = std::to_string(doc->length) + "\t" + doc->work;
        ASSERT_FALSE(store::ParseDocEntry(entry.value)->facts);
        for (store::AuxEntry& e : entries) {
          if (!e.list) continue;
          uint64_t tf = 0, dl = 0;
          ASSERT_TRUE(store::DecodePosting(e.value, &tf, &dl));
          e.value = std::to_string(tf) + " " + std::to_string(dl);
          e.list = false;
        }
      }
      old.SetAux(store::Term::Iri(g), entries);
      ++rewritten;
    }
    EXPECT_EQ(rewritten, 6u);
    ASSERT_OK(store_->Commit(old));
    auto view = store_->NewReadView();
    size_t listed = 0;
    ASSERT_OK(
        view->ScanList("", [&](std::string_view, store::TermId,
                               std::string_view) { return ++listed, true; }));
    EXPECT_EQ(listed == 0, !with_facts);
    Engine engine(view.get());
    Answers before = ask(engine);
    EXPECT_GE(fresh.ranked.size(), 3u);
    EXPECT_EQ(before.ranked, fresh.ranked);
    EXPECT_EQ(before.types, fresh.types);
    EXPECT_EQ(before.years, fresh.years);
    EXPECT_EQ(before.subjects, fresh.subjects);
    EXPECT_EQ(before.totals, fresh.totals);
  }
}

TEST_F(EngineTest, RelatedWorksOfTheCatalogRecordWithReasons) {
  auto r = engine_->Related({kDoi}, 10);
  ASSERT_OK(r);
  std::set<std::string> types;
  for (const auto& h : *r) {
    types.insert(h.work.type);
    EXPECT_FALSE(h.reasons.empty()) << h.work.title;
    EXPECT_GT(h.score, 0);
    EXPECT_NE(h.work.iri, kDoi);
  }
  EXPECT_TRUE(types.contains(vocab::kNewsItem));
  EXPECT_TRUE(types.contains(vocab::kBlogPost));
  EXPECT_TRUE(types.contains(vocab::kProject));
  EXPECT_EQ(r->size(), 4u);
  EXPECT_THAT(r->at(0).reasons[0], HasSubstr("similar text"));
}

TEST_F(EngineTest, ReadingListRendersInEveryFormat) {
  ReadingListOptions o;
  o.seeds = {"10.1080/15309576.2024.2302059"};
  o.topic = "digital leadership";
  o.size = 4;
  auto list = engine_->ReadingList(o);
  ASSERT_OK(list);
  EXPECT_EQ(list->size(), 4u);
  std::set<std::string> iris;
  for (const Work& w : *list) EXPECT_TRUE(iris.insert(w.summary.iri).second);
  std::string bib = Render(*list, CitationFormat::kBibtex);
  EXPECT_THAT(bib, HasSubstr("@article{"));
  EXPECT_THAT(bib, HasSubstr("pages = {927--958}"));
  EXPECT_THAT(
      bib, HasSubstr("journal = {Public performance \\& management review}"));
  EXPECT_THAT(Render(*list, CitationFormat::kRis), HasSubstr("TY  - JOUR\r\n"));
  EXPECT_THAT(Render(*list, CitationFormat::kCslJson),
              HasSubstr("\"DOI\": \"10.1080/15309576.2024.2302059\""));
  EXPECT_THAT(Render(*list, CitationFormat::kMarkdown), HasSubstr("1. "));
  EXPECT_TRUE(absl::IsInvalidArgument(engine_->ReadingList({}).status()));
}

}  // namespace
}  // namespace bibkg::query
