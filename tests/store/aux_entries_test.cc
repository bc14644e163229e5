// Aux entries, list entries and named counters: they follow their graph
// through every write path; the list reader reads the stored items.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "base/varint.h"
#include "store/list_reader.h"
#include "store/store.h"
#include "tests/testing/testing.h"

namespace bibkg::store {
namespace {

using testing::TempDir;

Term I(const std::string& s) { return Term::Iri("http://ex.org/" + s); }

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
