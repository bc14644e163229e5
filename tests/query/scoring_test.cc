// MaxScore (ScoreBest) against scoring every document (ScoreAll): the same
// best documents with the same scores, on random postings with many ties.
#include "query/scoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <set>

namespace bibkg::query::scoring {
namespace {

// Views of `lists`, as the scoring functions take them.
std::vector<PostingsView> Views(const std::vector<Postings>& lists) {
  return std::vector<PostingsView>(lists.begin(), lists.end());
}

// Random postings for `terms` terms over `docs` documents; frequencies and
// lengths from small sets, so that many documents tie.
std::vector<Postings> RandomLists(std::mt19937_64& rng, size_t terms,
                                  size_t docs) {
  std::vector<Postings> lists(terms);
  for (Postings& list : lists) {
    // From a handful of documents (a rare word) to most of them.
    double density = std::pow(10.0, -3.0 * (rng() % 1000) / 1000.0);
    for (store::TermId g = 1; g <= docs; ++g) {
      if (std::uniform_real_distribution<double>(0, 1)(rng) >= density)
        continue;
      list.push_back({g, static_cast<float>(1 + rng() % 4),
                      static_cast<float>(40 + 20 * (rng() % 4))});
    }
  }
  return lists;
}

// BM25 parts as the engine computes them, with weights per term.
auto Bm25Part(const std::vector<Postings>& lists, size_t docs,
              std::vector<double> boost) {
  std::vector<double> idf;
  for (const Postings& l : lists) {
    double df = static_cast<double>(l.size());
    idf.push_back(std::log(1.0 + (docs - df + 0.5) / (df + 0.5)));
  }
  return [idf, boost](uint32_t ti, const Posting& p) {
    return boost[ti] * idf[ti] * (p.tf * 2.2) /
           (p.tf + 1.2 * (0.25 + 0.75 * p.dl / 70.0));
  };
}

TEST(ScoringTest, BestKeepIsTheTopOfScoringEveryDocument) {
  std::mt19937_64 rng(20261201);
  size_t pruned_runs = 0;
  for (int run = 0; run < 300; ++run) {
    size_t terms = 1 + rng() % 5;
    size_t docs = 50 + rng() % 5000;
    std::vector<Postings> lists = RandomLists(rng, terms, docs);
    std::vector<double> boost;
    for (size_t t = 0; t < terms; ++t) boost.push_back(rng() % 2 ? 1.0 : 0.5);
    auto part = Bm25Part(lists, docs, boost);
    size_t keep = 1 + rng() % 60;

    Ranked all = ScoreAll(Views(lists), part);
    std::sort(all.begin(), all.end(), Better);
    Ranked best = ScoreBest(Views(lists), part, keep);
    std::sort(best.begin(), best.end(), Better);

    ASSERT_EQ(best.size(), std::min(keep, all.size())) << "run " << run;
    for (size_t i = 0; i < best.size(); ++i) {
      ASSERT_EQ(best[i].second, all[i].second)
          << "run " << run << " rank " << i;
      ASSERT_EQ(best[i].first, all[i].first) << "run " << run << " rank " << i;
    }
    if (all.size() > keep) ++pruned_runs;
    // The same with the lists' extremes given (found when a list was kept),
    // some of them.
    std::vector<std::optional<Posting>> extremes(terms);
    for (size_t t = 0; t < terms; ++t)
      if (rng() % 2) extremes[t] = Best(lists[t]);
    Ranked given = ScoreBest(Views(lists), part, keep, extremes);
    std::sort(given.begin(), given.end(), Better);
    ASSERT_EQ(given, best) << "run " << run;

    std::set<store::TermId> ids;
    for (const Postings& l : lists)
      for (const Posting& p : l) ids.insert(p.g);
    EXPECT_EQ(UnionSize(Views(lists)), ids.size()) << "run " << run;
    EXPECT_EQ(all.size(), ids.size()) << "run " << run;
  }
  // Most runs had more matching documents than were kept.
  EXPECT_GT(pruned_runs, 200u);
}

TEST(ScoringTest, EmptyAndSingleLists) {
  auto part = [](uint32_t, const Posting& p) { return double{p.tf}; };
  EXPECT_TRUE(ScoreBest({}, part, 10).empty());
  EXPECT_TRUE(ScoreBest({{}, {}}, part, 10).empty());
  EXPECT_EQ(UnionSize({}), 0u);
  EXPECT_EQ(UnionSize({{}, {}}), 0u);
  std::vector<Postings> one = {{{3, 1, 10}, {5, 4, 10}, {9, 2, 10}}};
  Ranked best = ScoreBest(Views(one), part, 2);
  std::sort(best.begin(), best.end(), Better);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0], (std::pair<double, store::TermId>{4, 5}));
  EXPECT_EQ(best[1], (std::pair<double, store::TermId>{2, 9}));
}

// The bound's posting: the highest frequency and the shortest document,
// wherever in the list they are (the four running extremes and the tail).
TEST(ScoringTest, BestFindsTheExtremesAnywhere) {
  EXPECT_EQ(Best({}).tf, 0);
  for (size_t n = 1; n <= 9; ++n) {
    for (size_t at = 0; at < n; ++at) {
      Postings list;
      for (size_t i = 0; i < n; ++i)
        list.push_back({i + 1, 2.0f + static_cast<float>(i % 3),
                        50.0f + static_cast<float>(i % 2)});
      list[at].tf = 9;
      list[n - 1 - at].dl = 7;
      Posting b = Best(list);
      EXPECT_EQ(b.tf, 9) << n << " " << at;
      EXPECT_EQ(b.dl, 7) << n << " " << at;
    }
  }
}

}  // namespace
}  // namespace bibkg::query::scoring
