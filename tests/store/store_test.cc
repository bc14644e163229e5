#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "base/varint.h"
#include "store/list_reader.h"
#include "store/lists.h"
#include "store/store_internal.h"
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

std::vector<std::pair<Term, std::vector<Triple>>> SomeGraphs(int n,
                                                             int per_graph) {
  std::vector<std::pair<Term, std::vector<Triple>>> out;
  for (int g = 0; g < n; ++g) {
    std::vector<Triple> t;
    for (int i = 0; i < per_graph; ++i) {
      t.push_back({I("work" + std::to_string(g)),
                   I("p" + std::to_string(i % 5)),
                   Term::Literal("value " + std::to_string(g * 7 + i))});
    }
    out.emplace_back(I("rec" + std::to_string(g)), t);
  }
  return out;
}

TEST(StoreTest, BulkLoadEqualsCommitsAcrossSeveralRuns) {
  TempDir dir;
  auto graphs = SomeGraphs(300, 9);
  auto a = *Store::Open(dir.Sub("commit"));
  for (auto& [g, t] : graphs) ASSERT_OK(a->ReplaceGraph(g, t));
  auto b = *Store::Open(dir.Sub("bulk"));
  {
    BulkOptions opts;
    opts.run_quads = 500;  // several runs
    auto loader = *b->NewBulkLoader(opts);
    for (auto& [g, t] : graphs) ASSERT_OK(loader->AddGraph(g, t));
    ASSERT_OK(loader->Finish());
    EXPECT_GT(loader->runs(), 3u);
    EXPECT_EQ(loader->quads_loaded(), 300u * 9u);
  }
  EXPECT_EQ(SortedQuads(*a), SortedQuads(*b));
  EXPECT_EQ(a->NewReadView()->quad_count(), b->NewReadView()->quad_count());
  EXPECT_EQ(a->NewReadView()->term_count(), b->NewReadView()->term_count());
  // Ordinary commits after a bulk load see its terms.
  ASSERT_OK(b->ReplaceGraph(I("rec0"), {}));
  EXPECT_EQ(b->NewReadView()->quad_count(), 299u * 9u);
}

TEST(StoreTest, BulkLoadRefusesAnOversizeListEntryAndStagesNothingOfItsGraph) {
  TempDir dir;
  auto store = *Store::Open(dir.path());
  {
    auto loader = *store->NewBulkLoader();
    ASSERT_OK(loader->AddNewGraph(I("rec1"),
                                  {{I("w1"), I("p"), Term::Literal("kept")}},
                                  {{"w", "one", true}}));
    absl::Status s = loader->AddNewGraph(
        I("rec2"), {{I("w2"), I("p"), Term::Literal("refused")}},
        {{"w", "two", true},
         {"w", std::string(internal::kMaxListValue + 1, 'x'), true}});
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
    EXPECT_NE(s.message().find("254"), std::string_view::npos) << s;
    // The loader goes on with the next graph.
    ASSERT_OK(loader->AddNewGraph(I("rec3"),
                                  {{I("w3"), I("p"), Term::Literal("kept")}},
                                  {{"w", "three", true}}));
    ASSERT_OK(loader->Finish());
  }
  EXPECT_EQ(
      SortedQuads(*store),
      (std::vector<std::string>{
          "<http://ex.org/w1> <http://ex.org/p> \"kept\" <http://ex.org/rec1> "
          ".",
          "<http://ex.org/w3> <http://ex.org/p> \"kept\" <http://ex.org/rec3> "
          "."}));
  auto view = store->NewReadView();
  std::vector<std::string> listed;
  ASSERT_OK(
      view->ScanList("w", [&](std::string_view, TermId, std::string_view v) {
        listed.emplace_back(v);
        return true;
      }));
  EXPECT_EQ(listed, (std::vector<std::string>{"one", "three"}));
}

TEST(StoreTest, AuxEntryTermIdsAreAppendedAsVarintsByCommitAndBulkLoad) {
  TempDir dir;
  auto check = [](Store& store, const char* graph) {
    auto view = store.NewReadView();
    const TermId g = *view->Lookup(I(graph));
    absl::StatusOr<std::string> value = view->GetAux("d", g);
    ASSERT_OK(value.status());
    std::string want = "v";
    AppendVarint(&want, *view->Lookup(I("w")));
    AppendVarint(&want, *view->Lookup(I("only-named-here")));
    EXPECT_EQ(*value, want);
  };
  const std::vector<AuxEntry> aux = {
      {"d", "v", false, {I("w"), I("only-named-here")}}};
  auto committed = *Store::Open(dir.Sub("commit"));
  WriteSet ws;
  ws.ReplaceGraph(I("rec"), {{I("w"), I("p"), Term::Literal("x")}});
  ws.SetAux(I("rec"), aux);
  ASSERT_OK(committed->Commit(ws));
  check(*committed, "rec");
  auto bulk = *Store::Open(dir.Sub("bulk"));
  {
    auto loader = *bulk->NewBulkLoader();
    ASSERT_OK(loader->AddNewGraph(I("rec"),
                                  {{I("w"), I("p"), Term::Literal("x")}}, aux));
    ASSERT_OK(loader->Finish());
  }
  check(*bulk, "rec");
  // Not for list entries.
  WriteSet bad;
  bad.SetAux(I("rec"), {{"l", "v", true, {I("w")}}});
  EXPECT_TRUE(absl::IsInvalidArgument(committed->Commit(bad)));
}

TEST(StoreTest, BulkLoadReplacesGraphsThatExistOrRepeat) {
  TempDir dir;
  auto store =
      MakeTestStore(dir.path(), "ex:old ex:p \"gone\" http://ex.org/rec1\n");
  {
    auto loader = *store->NewBulkLoader();
    ASSERT_OK(
        loader->AddGraph(I("rec1"), {{I("w1"), I("p"), Term::Literal("new")}}));
    ASSERT_OK(loader->AddGraph(I("rec2"),
                               {{I("w2"), I("p"), Term::Literal("first")}}));
    ASSERT_OK(loader->AddGraph(I("rec2"),
                               {{I("w2"), I("p"), Term::Literal("second")}}));
    ASSERT_OK(loader->AddGraph(I("rec2"),
                               {{I("w2"), I("q"), Term::Literal("added")}},
                               /*replace=*/false));
    ASSERT_OK(loader->Finish());
  }
  EXPECT_EQ(
      SortedQuads(*store),
      (std::vector<std::string>{
          "<http://ex.org/w1> <http://ex.org/p> \"new\" <http://ex.org/rec1> .",
          "<http://ex.org/w2> <http://ex.org/p> \"second\" "
          "<http://ex.org/rec2> .",
          "<http://ex.org/w2> <http://ex.org/q> \"added\" <http://ex.org/rec2> "
          "."}));
  EXPECT_EQ(store->NewReadView()->quad_count(), 3u);
}

TEST(StoreTest, BulkAppendsToOneGraphAcrossRunsCountRepeatsOnce) {
  // An RDF dump read in chunks: one graph, added to many times, with some
  // quads repeated across chunks and runs.
  TempDir dir;
  auto chunk = [](int c) {
    std::vector<Triple> t;
    for (int i = 0; i < 100; ++i) {
      int n = c * 90 + i;  // 10 quads overlap the next chunk
      t.push_back({I("s" + std::to_string(n)), I("p"),
                   Term::Literal(std::to_string(n))});
    }
    return t;
  };
  auto a = *Store::Open(dir.Sub("commit"));
  auto b = *Store::Open(dir.Sub("bulk"));
  {
    BulkOptions opts;
    opts.run_quads = 250;
    auto loader = *b->NewBulkLoader(opts);
    for (int c = 0; c < 20; ++c) {
      ASSERT_OK(a->Commit([&] {
        WriteSet ws;
        if (c == 0) {
          ws.ReplaceGraph(I("dump"), chunk(c));
        } else {
          ws.AddToGraph(I("dump"), chunk(c));
        }
        return ws;
      }()));
      ASSERT_OK(loader->AddGraph(I("dump"), chunk(c), /*replace=*/c == 0));
    }
    ASSERT_OK(loader->Finish());
    EXPECT_GT(loader->runs(), 3u);
    EXPECT_EQ(loader->quads_loaded(), 19u * 90u + 100u);
  }
  EXPECT_EQ(SortedQuads(*a), SortedQuads(*b));
  EXPECT_EQ(b->NewReadView()->quad_count(), 19u * 90u + 100u);
  EXPECT_EQ(a->NewReadView()->quad_count(), b->NewReadView()->quad_count());
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

TEST(StoreTest, AbandonedBulkRunLeavesNothingBehind) {
  TempDir dir;
  auto store = *Store::Open(dir.path());
  {
    auto loader = *store->NewBulkLoader();
    ASSERT_OK(
        loader->AddGraph(I("rec1"), {{I("w1"), I("p"), Term::Literal("x")}}));
    // No Finish: the run is dropped whole.
  }
  EXPECT_EQ(store->NewReadView()->quad_count(), 0u);
  EXPECT_TRUE(SortedQuads(*store).empty());
  ASSERT_OK(
      store->ReplaceGraph(I("rec1"), {{I("w1"), I("p"), Term::Literal("y")}}));
  EXPECT_EQ(SortedQuads(*store).size(), 1u);
}

}  // namespace
}  // namespace bibkg::store

namespace bibkg::store {
namespace {

std::vector<std::string> AuxDump(const ReadView& view,
                                 std::string_view prefix) {
  std::vector<std::string> out;
  EXPECT_OK(view.ScanAux(
      prefix, [&](std::string_view k, TermId g, std::string_view v) {
        out.push_back(std::string(k) + "@" + std::to_string(g) + "=" +
                      std::string(v));
        return true;
      }));
  return out;
}

TEST(StoreTest, AuxEntriesAndCountersFollowTheirGraph) {
  testing::TempDir dir;
  auto store = *Store::Open(dir.path());
  WriteSet ws;
  ws.ReplaceGraph(Term::Iri("ex:g1"),
                  {{Term::Iri("ex:a"), Term::Iri("ex:p"), Term::Literal("x")}});
  ws.SetAux(Term::Iri("ex:g1"), {{"t:digital", "2"}, {"t:leader", "1"}});
  ws.ReplaceGraph(Term::Iri("ex:g2"),
                  {{Term::Iri("ex:b"), Term::Iri("ex:p"), Term::Literal("y")}});
  ws.SetAux(Term::Iri("ex:g2"), {{"t:digital", "5"}});
  ws.AddToCounter("docs", 2);
  ASSERT_OK(store->Commit(ws));
  auto view = store->NewReadView();
  TermId g1 = *view->Lookup(Term::Iri("ex:g1"));
  TermId g2 = *view->Lookup(Term::Iri("ex:g2"));
  EXPECT_THAT(AuxDump(*view, "t:digital"),
              ::testing::ElementsAre("t:digital@" + std::to_string(g1) + "=2",
                                     "t:digital@" + std::to_string(g2) + "=5"));
  EXPECT_EQ(*view->GetAux("t:leader", g1), "1");
  EXPECT_EQ(view->Counter("docs"), 2);

  WriteSet replace;
  replace.SetAux(Term::Iri("ex:g1"), {{"t:strategy", "3"}});
  replace.AddToCounter("docs", -1);
  ASSERT_OK(store->Commit(replace));
  ASSERT_OK(store->DropGraph(Term::Iri("ex:g2")));
  auto after = store->NewReadView();
  EXPECT_THAT(
      AuxDump(*after, "t:"),
      ::testing::ElementsAre("t:strategy@" + std::to_string(g1) + "=3"));
  EXPECT_TRUE(absl::IsNotFound(after->GetAux("t:leader", g1).status()));
  EXPECT_EQ(after->Counter("docs"), 1);
  EXPECT_EQ(after->Counter("never"), 0);
  // The old view still sees what it saw.
  EXPECT_EQ(AuxDump(*view, "t:").size(), 3u);
}

}  // namespace
}  // namespace bibkg::store

namespace bibkg::store {
namespace {

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

namespace bibkg::store {
namespace {

// Every list entry of `key`, as "graph=value", in the order ScanList gives.
std::vector<std::string> ListDump(const ReadView& view, std::string_view key) {
  std::vector<std::string> out;
  EXPECT_OK(
      view.ScanList(key, [&](std::string_view k, TermId g, std::string_view v) {
        EXPECT_EQ(k, key);
        out.push_back(view.Resolve(g)->value + "=" + std::string(v));
        return true;
      }));
  return out;
}

// A word's postings kept as a list: added, replaced, removed with their
// graph through commits and bulk runs, across chunks of graph ids, the same
// before and after compaction merges the operands.
TEST(StoreTest, ListEntriesFollowTheirGraphThroughEveryWritePath) {
  testing::TempDir dir;
  auto store = *Store::Open(dir.path());
  std::map<std::string, std::string> want;  // graph IRI -> value, for "w"
  auto graph = [](int i) { return "ex:g" + std::to_string(100000 + i); };
  {
    // 70,000 graphs, in runs of 40,000 quads: list keys of several chunks
    // (65,536 ids each) written by two ingestions.
    BulkOptions options;
    options.run_quads = 40000;
    auto loader = *store->NewBulkLoader(options);
    for (int i = 0; i < 70000; ++i) {
      std::vector<AuxEntry> aux = {{"w", std::to_string(i), true},
                                   {"doc", "d" + std::to_string(i)}};
      if (i % 7 == 0) aux.push_back({"rare", "r", true});
      ASSERT_OK(loader->AddNewGraph(Term::Iri(graph(i)),
                                    {{Term::Iri("ex:w" + std::to_string(i)),
                                      Term::Iri("ex:p"), Term::Literal("x")}},
                                    aux));
      want[graph(i)] = std::to_string(i);
    }
    ASSERT_OK(loader->Finish());
  }
  // Commits: one graph's entry replaced, one graph dropped, one graph's
  // entries set to others, a new graph.
  WriteSet ws;
  ws.SetAux(Term::Iri(graph(5)), {{"w", "five", true}});
  ws.DropGraph(Term::Iri(graph(6)));
  ws.SetAux(Term::Iri(graph(7)), {{"other", "o", true}});
  ws.ReplaceGraph(Term::Iri("ex:new"),
                  {{Term::Iri("ex:n"), Term::Iri("ex:p"), Term::Literal("y")}});
  ws.SetAux(Term::Iri("ex:new"), {{"w", "new", true}});
  ASSERT_OK(store->Commit(ws));
  want[graph(5)] = "five";
  want.erase(graph(6));
  want.erase(graph(7));
  want["ex:new"] = "new";
  EXPECT_TRUE(absl::IsInvalidArgument(store->Commit([] {
    WriteSet bad;
    bad.SetAux(Term::Iri("ex:bad"), {{"w", std::string(255, 'x'), true}});
    return bad;
  }())));

  auto check = [&](const char* when) {
    SCOPED_TRACE(when);
    auto view = store->NewReadView();
    std::vector<std::string> got;
    TermId last = 0;
    ASSERT_OK(view->ScanList(
        "w", [&](std::string_view k, TermId g, std::string_view v) {
          EXPECT_EQ(k, "w");
          EXPECT_GT(g, last) << "graph order";
          last = g;
          got.push_back(view->Resolve(g)->value + "=" + std::string(v));
          return true;
        }));
    std::vector<std::string> expected;
    for (const auto& [g, v] : want) expected.push_back(g + "=" + v);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(ListDump(*view, "rare").size(), 10000u - 1);  // graph 7 left
    EXPECT_THAT(ListDump(*view, "other"),
                ::testing::ElementsAre(graph(7) + "=o"));
    // Plain aux entries stay apart from lists.
    EXPECT_EQ(*view->GetAux("doc", *view->Lookup(Term::Iri(graph(9)))), "d9");
    EXPECT_TRUE(absl::IsNotFound(
        view->GetAux("w", *view->Lookup(Term::Iri(graph(9)))).status()));
    // A scan stops when told.
    int n = 0;
    ASSERT_OK(view->ScanList("w", [&](std::string_view, TermId,
                                      std::string_view) { return ++n < 3; }));
    EXPECT_EQ(n, 3);
    // The stored values, read with ListReader, hold the same items, in
    // graph order, one value per chunk of graph ids, and no removals.
    std::vector<std::string> by_value;
    size_t values = 0;
    last = 0;
    ASSERT_OK(view->ScanListValues(
        "w", [&](std::string_view k, std::string_view items) {
          EXPECT_EQ(k, "w");
          ++values;
          ListReader r(items);
          TermId g;
          bool removed;
          std::string_view v;
          while (r.Next(&g, &removed, &v)) {
            EXPECT_FALSE(removed);
            EXPECT_GT(g, last) << "graph order";
            last = g;
            by_value.push_back(view->Resolve(g)->value + "=" + std::string(v));
          }
          EXPECT_FALSE(r.corrupt());
          return true;
        }));
    std::sort(by_value.begin(), by_value.end());
    EXPECT_EQ(by_value, expected);
    EXPECT_GE(values, 2u);
    values = 0;
    ASSERT_OK(view->ScanListValues(
        "w", [&](std::string_view, std::string_view) { return ++values < 1; }));
    EXPECT_EQ(values, 1u) << "a scan of values stops when told";
  };
  check("merge operands unmerged");
  ASSERT_OK(store->CompactAll());
  check("after compaction");
  // Reopened: the merge operator is registered again.
  store.reset();
  store = *Store::Open(dir.path());
  check("reopened");
  // Dropping a graph after compaction removes its items.
  ASSERT_OK(store->DropGraph(Term::Iri(graph(8))));
  want.erase(graph(8));
  check("after a drop of a compacted item");
}

}  // namespace
}  // namespace bibkg::store

namespace bibkg::store {
namespace {

// The inline reader: one-byte and longer deltas, removals, and corrupt
// bytes (a truncated value, a repeated graph, a missing length byte).
TEST(ListReaderTest, ReadsItemsAndRefusesCorruptBytes) {
  std::string list;
  list += '\x05';  // graph 5
  list += '\x02';
  list += "ab";
  list += "\x80\x01";  // + 128: graph 133
  list += '\xff';      // a removal
  list += '\x01';      // graph 134, empty value
  list += '\x00';
  ListReader r(list);
  uint64_t g;
  bool removed;
  std::string_view v;
  ASSERT_TRUE(r.Next(&g, &removed, &v));
  EXPECT_EQ(g, 5u);
  EXPECT_FALSE(removed);
  EXPECT_EQ(v, "ab");
  ASSERT_TRUE(r.Next(&g, &removed, &v));
  EXPECT_EQ(g, 133u);
  EXPECT_TRUE(removed);
  ASSERT_TRUE(r.Next(&g, &removed, &v));
  EXPECT_EQ(g, 134u);
  EXPECT_EQ(v, "");
  EXPECT_FALSE(r.Next(&g, &removed, &v));
  EXPECT_FALSE(r.corrupt());

  for (std::string bad : {std::string("\x05\x03") + "ab",   // value cut short
                          std::string("\x05\x00\x00\x00"),  // graph again
                          std::string("\x05"),              // no length
                          std::string("\x80\x80")}) {       // cut varint
    ListReader b(bad);
    while (b.Next(&g, &removed, &v)) {
    }
    EXPECT_TRUE(b.corrupt()) << ::testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace bibkg::store
