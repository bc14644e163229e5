// BulkLoader: a load equals the commits it stands for, across runs, for
// graphs new, existing, repeated or added to; refused and abandoned graphs
// leave nothing.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "store/lists.h"
#include "store/store.h"
#include "tests/testing/testing.h"

namespace bibkg::store {
namespace {

using testing::MakeTestStore;
using testing::SortedQuads;
using testing::TempDir;

Term I(const std::string& s) { return Term::Iri("http://ex.org/" + s); }

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
