// Store: commits, reads of what they wrote, snapshots, reopening, refusals
// and the in-degree counts every write path keeps.
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/testing/testing.h"

namespace bibkg::store {
namespace {

using testing::MakeTestStore;
using testing::SortedQuads;
using testing::TempDir;

Term I(const std::string& s) { return Term::Iri("http://ex.org/" + s); }

std::vector<Quad> ScanAll(const ReadView& view, const QuadPattern& p) {
  std::vector<Quad> out;
  absl::Status s = view.Scan(p, [&](const Quad& q) {
    out.push_back(q);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::string Key(const Quad& q) {
  return q.s.ToNTriples() + q.p.ToNTriples() + q.o.ToNTriples() +
         q.g.ToNTriples();
}

std::vector<std::string> Keys(const std::vector<Quad>& qs) {
  std::vector<std::string> out;
  for (const Quad& q : qs) out.push_back(Key(q));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(StoreTest, EveryPatternMatchesBruteForce) {
  TempDir dir;
  auto store = *Store::Open(dir.path());
  std::mt19937 rng(7);
  std::vector<Quad> all;
  WriteSet ws;
  for (int g = 0; g < 6; ++g) {
    std::vector<Triple> triples;
    for (int i = 0; i < 40; ++i) {
      Triple t{I("s" + std::to_string(rng() % 8)),
               I("p" + std::to_string(rng() % 4)),
               (rng() % 2)
                   ? I("s" + std::to_string(rng() % 8))
                   : Term::LangLiteral("v" + std::to_string(rng() % 5), "en")};
      triples.push_back(t);
    }
    std::sort(triples.begin(), triples.end());
    triples.erase(std::unique(triples.begin(), triples.end()), triples.end());
    for (const Triple& t : triples)
      all.push_back({t.s, t.p, t.o, I("g" + std::to_string(g))});
    ws.ReplaceGraph(I("g" + std::to_string(g)), triples);
  }
  ASSERT_OK(store->Commit(ws));
  auto view = store->NewReadView();
  EXPECT_EQ(view->quad_count(), all.size());
  // Bind positions from several real quads, in every combination.
  for (int probe = 0; probe < 5; ++probe) {
    const Quad& q = all[rng() % all.size()];
    for (int mask = 0; mask < 16; ++mask) {
      QuadPattern p;
      if (mask & 1) p.s = q.s;
      if (mask & 2) p.p = q.p;
      if (mask & 4) p.o = q.o;
      if (mask & 8) p.g = q.g;
      std::vector<Quad> expected;
      for (const Quad& a : all) {
        if ((!p.s || a.s == *p.s) && (!p.p || a.p == *p.p) &&
            (!p.o || a.o == *p.o) && (!p.g || a.g == *p.g)) {
          expected.push_back(a);
        }
      }
      EXPECT_EQ(Keys(ScanAll(*view, p)), Keys(expected)) << "mask " << mask;
    }
  }
  // A term the store never saw matches nothing.
  EXPECT_TRUE(
      ScanAll(*view, {I("nobody"), std::nullopt, std::nullopt, std::nullopt})
          .empty());
}

TEST(StoreTest, ReplaceIsIdempotentAndWritesOnlyTheDifference) {
  TempDir dir;
  auto store = *Store::Open(dir.path());
  std::vector<Triple> v1 = {{I("w"), I("title"), Term::Literal("A")},
                            {I("w"), I("year"), Term::Literal("2016")}};
  CommitStats first;
  WriteSet ws;
  ws.ReplaceGraph(I("g"), v1);
  ASSERT_OK(store->Commit(ws, &first));
  EXPECT_EQ(first.quads_inserted, 2u);
  CommitStats again;
  ASSERT_OK(store->Commit(ws, &again));
  EXPECT_EQ(again.quads_inserted, 0u);
  EXPECT_EQ(again.quads_deleted, 0u);
  EXPECT_EQ(again.terms_created, 0u);
  std::vector<Triple> v2 = {{I("w"), I("title"), Term::Literal("B")},
                            {I("w"), I("year"), Term::Literal("2016")}};
  WriteSet ws2;
  ws2.ReplaceGraph(I("g"), v2);
  CommitStats changed;
  ASSERT_OK(store->Commit(ws2, &changed));
  EXPECT_EQ(changed.quads_inserted, 1u);
  EXPECT_EQ(changed.quads_deleted, 1u);
  EXPECT_EQ(store->NewReadView()->quad_count(), 2u);
  EXPECT_EQ(SortedQuads(*store).size(), 2u);
}

TEST(StoreTest, DropGraphRemovesExactlyItsQuads) {
  TempDir dir;
  auto store = MakeTestStore(dir.path(),
                             "ex:a ex:p ex:b ex:g1\n"
                             "ex:a ex:p ex:c ex:g1\n"
                             "ex:a ex:p ex:b ex:g2\n");
  ASSERT_OK(store->DropGraph(Term::Iri("ex:g1")));
  EXPECT_EQ(SortedQuads(*store),
            std::vector<std::string>{"<ex:a> <ex:p> <ex:b> <ex:g2> ."});
  EXPECT_EQ(store->NewReadView()->quad_count(), 1u);
  // Dropping a graph never seen is not an error and creates no term.
  uint64_t terms = store->NewReadView()->term_count();
  ASSERT_OK(store->DropGraph(Term::Iri("ex:never")));
  EXPECT_EQ(store->NewReadView()->term_count(), terms);
}

TEST(StoreTest, ReadViewIsASnapshot) {
  TempDir dir;
  auto store = MakeTestStore(dir.path(), "ex:a ex:p ex:b ex:g1\n");
  auto before = store->NewReadView();
  ASSERT_OK(store->ReplaceGraph(
      Term::Iri("ex:g2"),
      {{Term::Iri("ex:x"), Term::Iri("ex:p"), Term::Literal("new")}}));
  ASSERT_OK(store->DropGraph(Term::Iri("ex:g1")));
  EXPECT_EQ(before->quad_count(), 1u);
  EXPECT_EQ(ScanAll(*before, {}).size(), 1u);
  EXPECT_TRUE(absl::IsNotFound(before->Lookup(Term::Literal("new")).status()));
  auto after = store->NewReadView();
  EXPECT_EQ(after->quad_count(), 1u);
  EXPECT_EQ(ScanAll(*after, {})[0].o, Term::Literal("new"));
}

TEST(StoreTest, ReopenKeepsQuadsCountersAndIds) {
  TempDir dir;
  TermId id;
  {
    auto store = MakeTestStore(dir.path(),
                               "ex:a ex:p \"x\" ex:g1\nex:b ex:p ex:a ex:g2\n");
    id = *store->NewReadView()->Lookup(Term::Iri("ex:a"));
  }
  auto store = *Store::Open(dir.path());
  auto view = store->NewReadView();
  EXPECT_EQ(view->quad_count(), 2u);
  EXPECT_EQ(*view->Lookup(Term::Iri("ex:a")), id);
  EXPECT_EQ(*view->Resolve(id), Term::Iri("ex:a"));
  EXPECT_EQ(*view->CountGraphs(), 2u);
  // New terms continue after the old ones.
  ASSERT_OK(store->ReplaceGraph(
      Term::Iri("ex:g3"),
      {{Term::Iri("ex:n"), Term::Iri("ex:p"), Term::Literal("y")}}));
  EXPECT_GT(*store->NewReadView()->Lookup(Term::Iri("ex:n")), id);
}

TEST(StoreTest, MalformedTermsAreRefusedAndNothingIsWritten) {
  TempDir dir;
  auto store = *Store::Open(dir.path());
  WriteSet ws;
  ws.ReplaceGraph(Term::Iri("ex:g"), {{Term::Iri("ex:a"), Term::Iri("ex:p"),
                                       Term::Literal("ok")}});
  ws.ReplaceGraph(Term::Iri("ex:g2"),
                  {{Term::Iri("ex:a"), Term::Literal("not a predicate"),
                    Term::Literal("x")}});
  absl::Status s = store->Commit(ws);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_EQ(store->NewReadView()->quad_count(), 0u);
  EXPECT_TRUE(SortedQuads(*store).empty());
  EXPECT_TRUE(
      absl::IsInvalidArgument(store->ReplaceGraph(Term::Literal("g"), {})));
}

TEST(StoreTest, InDegreeCountsDistinctSubjectsThroughEveryWritePath) {
  const Term cites = Term::Iri("http://purl.org/spar/cito/cites");
  auto link = [&](const std::string& from, const std::string& to) {
    return Triple{I(from), cites, I(to)};
  };
  TempDir dir;
  auto s = *Store::Open(dir.Sub("commit"));
  auto degree = [&](Store& st, const std::string& o) {
    return st.NewReadView()->InDegree(cites, I(o));
  };
  EXPECT_EQ(degree(*s, "o"), 0);
  ASSERT_OK(s->ReplaceGraph(I("gA"), {link("s1", "o"), link("s1", "p")}));
  ASSERT_OK(s->ReplaceGraph(I("gB"), {link("s1", "o")}));  // same link again
  EXPECT_EQ(degree(*s, "o"), 1);
  ASSERT_OK(s->ReplaceGraph(I("gC"), {link("s2", "o")}));
  EXPECT_EQ(degree(*s, "o"), 2);
  EXPECT_EQ(degree(*s, "p"), 1);
  ASSERT_OK(s->ReplaceGraph(I("gA"), {}));  // s1 -> o still held by gB
  EXPECT_EQ(degree(*s, "o"), 2);
  EXPECT_EQ(degree(*s, "p"), 0);
  ASSERT_OK(s->Commit([&] {
    WriteSet ws;
    ws.DropGraph(I("gB"));
    ws.DropGraph(I("gC"));
    return ws;
  }()));
  EXPECT_EQ(degree(*s, "o"), 0);

  // The bulk path gives the counts the commits give, across runs.
  auto a = *Store::Open(dir.Sub("a"));
  auto b = *Store::Open(dir.Sub("b"));
  {
    BulkOptions opts;
    opts.run_quads = 7;
    auto loader = *b->NewBulkLoader(opts);
    for (int g = 0; g < 30; ++g) {
      std::vector<Triple> t = {
          link("s" + std::to_string(g % 7), "w" + std::to_string(g % 5)),
          link("s" + std::to_string(g % 3), "w0")};
      ASSERT_OK(a->ReplaceGraph(I("g" + std::to_string(g)), t));
      ASSERT_OK(loader->AddGraph(I("g" + std::to_string(g)), t));
    }
    ASSERT_OK(loader->Finish());
    EXPECT_GT(loader->runs(), 3u);
  }
  for (int w = 0; w < 5; ++w) {
    std::string o = "w" + std::to_string(w);
    EXPECT_EQ(degree(*a, o), degree(*b, o)) << o;
    EXPECT_GT(degree(*a, o), 0) << o;
  }
  EXPECT_EQ(degree(*a, "w0"), 7);  // s0..s6 via g%7==g%5==0 rows, s0..s2
}

}  // namespace
}  // namespace bibkg::store
