// ReadView: resolving terms through the read cache, scans over more terms
// than the caches hold, distinct scans.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "store/store.h"
#include "store/store_internal.h"
#include "tests/testing/testing.h"

namespace bibkg::store {
namespace {

using testing::MakeTestStore;
using testing::TempDir;

Term I(const std::string& s) { return Term::Iri("http://ex.org/" + s); }

TEST(StoreTest, ResolveManyReadsTermsInOrderCachedOrNot) {
  TempDir dir;
  auto store = MakeTestStore(dir.path(),
                             "ex:a ex:p \"x\" ex:g1\nex:b ex:p \"y\" ex:g1\n");
  auto view = store->NewReadView();
  const TermId a = *view->Lookup(Term::Iri("ex:a"));
  const TermId x = *view->Lookup(Term::Literal("x"));
  const TermId y = *view->Lookup(Term::Literal("y"));
  // "ex:a" read once before (so in the read cache), the literals not.
  EXPECT_EQ(*view->Resolve(a), Term::Iri("ex:a"));
  auto terms = view->ResolveMany({y, a, x, y});
  ASSERT_OK(terms.status());
  EXPECT_EQ(*terms,
            (std::vector<Term>{Term::Literal("y"), Term::Iri("ex:a"),
                               Term::Literal("x"), Term::Literal("y")}));
  EXPECT_TRUE(view->ResolveMany({})->empty());
  const TermId never = std::max({a, x, y}) + 1000;
  EXPECT_TRUE(absl::IsNotFound(view->ResolveMany({a, never}).status()));
}

// Bulk-loads `n` records "recN" of one statement each, sN p "oN": three terms
// of its own per record.
void LoadOneStatementRecords(Store* store, int n) {
  auto loader = *store->NewBulkLoader();
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    ASSERT_OK(loader->AddGraph(I("rec" + k),
                               {{I("s" + k), I("p"), Term::Literal("o" + k)}}));
  }
  ASSERT_OK(loader->Finish());
}

TEST(TermReadCacheTest, KeepsTheRecentlyReadWithinItsBytes) {
  // Room for some hundreds of entries; ten thousand are put.
  constexpr size_t kBytes = 64 << 10;
  TermReadCache cache(kBytes);
  const Term kept = Term::Literal("read after every put");
  cache.Put(TermId{1}, kept);
  cache.Put(EncodeTerm(kept), TermId{1});
  size_t found = 0;
  for (TermId id = 2; id < 10000; ++id) {
    cache.Put(id, Term::Literal("title of work " + std::to_string(id)));
    Term t;
    ASSERT_TRUE(cache.Find(TermId{1}, &t));  // read again: recently used
    EXPECT_EQ(t, kept);
    TermId back = 0;
    ASSERT_TRUE(cache.Find(EncodeTerm(kept), &back));
    EXPECT_EQ(back, 1u);
    EXPECT_LE(cache.Usage(), kBytes);
  }
  // The last put are there; the first are gone, one at a time, not all of
  // the cache at once.
  for (TermId id = 2; id < 10000; ++id) {
    Term t;
    if (cache.Find(id, &t)) {
      ++found;
      EXPECT_EQ(t, Term::Literal("title of work " + std::to_string(id)));
    }
  }
  Term t;
  EXPECT_TRUE(cache.Find(TermId{9999}, &t));
  EXPECT_FALSE(cache.Find(TermId{2}, &t));
  EXPECT_GT(found, 100u);
  EXPECT_LT(found, 2000u);
  EXPECT_FALSE(cache.Find(EncodeTerm(Term::Literal("never put")), &found));
}

TEST(StoreTest, ReadsThroughASmallReadCacheGiveEveryTermRight) {
  TempDir dir;
  StoreOptions options;
  options.read_cache_bytes = 16 << 10;  // a few dozen terms
  auto store = *Store::Open(dir.path(), options);
  constexpr int kRecords = 2000;
  LoadOneStatementRecords(store.get(), kRecords);
  auto view = store->NewReadView();
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < kRecords; i += 7) {
      const std::string n = std::to_string(i);
      absl::StatusOr<TermId> id = view->Lookup(Term::Literal("o" + n));
      ASSERT_OK(id.status());
      EXPECT_EQ(*view->Resolve(*id), Term::Literal("o" + n));
    }
  }
}

TEST(StoreTest, ScanOverMoreTermsThanItsCacheHoldsGivesEveryQuadRight) {
  // 60,000 records of one statement, each naming three terms of its own:
  // the scan's term cache (100,000 terms) is emptied twice on the way.
  TempDir dir;
  auto store = *Store::Open(dir.path());
  constexpr int kRecords = 60000;
  LoadOneStatementRecords(store.get(), kRecords);
  int seen = 0, wrong = 0;
  ASSERT_OK(store->NewReadView()->Scan({}, [&](const Quad& q) {
    const std::string n = q.s.value.substr(q.s.value.find("/s") + 2);
    if (q.p != I("p") || q.o != Term::Literal("o" + n) || q.g != I("rec" + n))
      ++wrong;
    ++seen;
    return true;
  }));
  EXPECT_EQ(seen, kRecords);
  EXPECT_EQ(wrong, 0);
}

TEST(StoreTest, ScanDistinctSkipsRepeatsAcrossGraphs) {
  testing::TempDir dir;
  std::string quads;
  for (int g = 0; g < 50; ++g) {
    std::string graph = "ex:rec" + std::to_string(g);
    quads += "ex:journal ex:title \"J\" " + graph + "\n";
    quads +=
        "ex:journal ex:issn \"" + std::to_string(g % 2) + "\" " + graph + "\n";
    quads +=
        "ex:work" + std::to_string(g) + " ex:partOf ex:journal " + graph + "\n";
  }
  auto store = testing::MakeTestStore(dir.path(), quads);
  auto view = store->NewReadView();
  auto id = [&](const char* iri) { return *view->Lookup(Term::Iri(iri)); };
  std::vector<TermId> issns;
  ASSERT_OK(view->ScanDistinct({id("ex:journal"), id("ex:issn"), 0, 0}, 2,
                               [&](TermId t) {
                                 issns.push_back(t);
                                 return true;
                               }));
  EXPECT_EQ(issns.size(), 2u);
  std::vector<TermId> works;
  ASSERT_OK(view->ScanDistinct({0, id("ex:partOf"), id("ex:journal"), 0}, 0,
                               [&](TermId t) {
                                 works.push_back(t);
                                 return works.size() < 10;  // stops when told
                               }));
  EXPECT_EQ(works.size(), 10u);
  // A position that does not follow the prefix still gives distinct ids.
  std::vector<TermId> graphs;
  ASSERT_OK(view->ScanDistinct({id("ex:journal"), 0, 0, 0}, 3, [&](TermId t) {
    graphs.push_back(t);
    return true;
  }));
  EXPECT_EQ(graphs.size(), 50u);
  EXPECT_TRUE(absl::IsInvalidArgument(
      view->ScanDistinct({}, 4, [](TermId) { return true; })));
}

}  // namespace
}  // namespace bibkg::store
