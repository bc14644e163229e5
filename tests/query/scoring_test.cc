// MaxScore (ScoreBest) against scoring every document (ScoreAll): the same
// best documents with the same scores, on random postings with many ties.
#include "query/scoring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <random>
#include <set>

namespace bibkg::query::scoring {
namespace {

constexpr double kNorm0 = 1.2 * 0.25, kNorm1 = 1.2 * 0.75 / 70.0;

// Random postings for `terms` terms over `docs` documents, numbered from
// `first`; frequencies and lengths from small sets, so that many documents
// tie.
std::vector<Postings> RandomPostings(std::mt19937_64& rng, size_t terms,
                                     size_t docs, store::TermId first) {
  std::vector<Postings> lists(terms);
  for (Postings& list : lists) {
    // From a handful of documents (a rare word) to most of them.
    double density = std::pow(10.0, -3.0 * (rng() % 1000) / 1000.0);
    for (store::TermId g = first; g < first + docs; ++g) {
      if (std::uniform_real_distribution<double>(0, 1)(rng) >= density)
        continue;
      list.push_back({g, static_cast<float>(1 + rng() % 4),
                      static_cast<float>(40 + 20 * (rng() % 4))});
    }
  }
  return lists;
}

// A query over `postings`: each term's lists, their terms' weights.
struct Query {
  std::vector<TermLists> terms;
  Lists lists;
  std::vector<double> weight;
};
Query MakeQuery(const std::vector<Postings>& postings,
                const std::vector<double>& term_weight) {
  Query q;
  for (const Postings& p : postings)
    q.terms.push_back(ToScoreLists(p, kNorm0, kNorm1));
  for (size_t t = 0; t < q.terms.size(); ++t) {
    for (const ScoreList& l : q.terms[t]) {
      q.lists.push_back(&l);
      q.weight.push_back(term_weight[t]);
    }
  }
  return q;
}

// Every document's score from the postings directly, as BM25 adds a term's
// parts: weight * tf / (tf + k1 (1 - b + b dl / avgdl)).
std::map<store::TermId, double> BruteForce(
    const std::vector<Postings>& postings,
    const std::vector<double>& term_weight) {
  std::map<store::TermId, double> score;
  for (size_t t = 0; t < postings.size(); ++t) {
    for (const Posting& p : postings[t])
      score[p.g] += term_weight[t] * Factor(p, kNorm0, kNorm1);
  }
  return score;
}

// `terms` 0: one to five terms a run.
void CheckBestIsTopOfAll(uint64_t seed, store::TermId first,
                         size_t* pruned_runs, size_t fixed_terms = 0) {
  std::mt19937_64 rng(seed);
  for (int run = 0; run < 150; ++run) {
    size_t terms = fixed_terms ? fixed_terms : 1 + rng() % 5;
    size_t docs = 50 + rng() % 5000;
    std::vector<Postings> postings = RandomPostings(rng, terms, docs, first);
    std::vector<double> term_weight;
    for (size_t t = 0; t < terms; ++t)
      term_weight.push_back((rng() % 2 ? 1.0 : 0.5) * (1 + rng() % 5));
    Query q = MakeQuery(postings, term_weight);
    size_t keep = 1 + rng() % 60;

    Ranked all = ScoreAll(q.lists, q.weight);
    std::sort(all.begin(), all.end(), Better);
    size_t matched = 0;
    Ranked best = ScoreBest(q.lists, q.weight, keep, &matched);
    std::sort(best.begin(), best.end(), Better);

    ASSERT_EQ(best.size(), std::min(keep, all.size())) << "run " << run;
    for (size_t i = 0; i < best.size(); ++i) {
      ASSERT_EQ(best[i].second, all[i].second)
          << "run " << run << " rank " << i;
      ASSERT_EQ(best[i].first, all[i].first) << "run " << run << " rank " << i;
    }
    if (all.size() > keep) ++*pruned_runs;

    const std::map<store::TermId, double> expected =
        BruteForce(postings, term_weight);
    ASSERT_EQ(all.size(), expected.size()) << "run " << run;
    for (const auto& [score, g] : all) {
      ASSERT_TRUE(expected.count(g)) << "run " << run;
      EXPECT_NEAR(score, expected.at(g), 1e-9 * expected.at(g))
          << "run " << run;
    }
    EXPECT_EQ(UnionSize(q.lists), expected.size()) << "run " << run;
    EXPECT_EQ(matched, expected.size()) << "run " << run;
  }
}

TEST(ScoringTest, BestKeepIsTheTopOfScoringEveryDocument) {
  size_t pruned_runs = 0;
  CheckBestIsTopOfAll(20261201, 1, &pruned_runs);
  // Most runs had more matching documents than were kept.
  EXPECT_GT(pruned_runs, 100u);
}

// Two words (the common search), scored in loops of their own.
TEST(ScoringTest, BestOfTwoListsIsTheTopOfScoringEveryDocument) {
  size_t pruned_runs = 0;
  CheckBestIsTopOfAll(5, 1, &pruned_runs, 2);
  CheckBestIsTopOfAll(6, 1000, &pruned_runs, 2);
  EXPECT_GT(pruned_runs, 200u);
}

TEST(ScoringTest, SharedCountMergesOrLooksUp) {
  std::mt19937_64 rng(11);
  for (int run = 0; run < 200; ++run) {
    std::vector<uint32_t> lists[2];
    // Like lengths (merged) and one far shorter (looked up).
    const double density[2] = {0.5, run % 2 ? 0.3 : 0.005};
    for (int k = 0; k < 2; ++k) {
      for (uint32_t d = 1; d < 20000; ++d)
        if (std::uniform_real_distribution<double>(0, 1)(rng) < density[k])
          lists[k].push_back(d);
    }
    std::vector<uint32_t> shared;
    std::set_intersection(lists[0].begin(), lists[0].end(), lists[1].begin(),
                          lists[1].end(), std::back_inserter(shared));
    EXPECT_EQ(SharedCount(lists[0].data(), lists[0].size(), lists[1].data(),
                          lists[1].size()),
              shared.size());
    EXPECT_EQ(SharedCount(lists[1].data(), lists[1].size(), lists[0].data(),
                          lists[0].size()),
              shared.size());
  }
  EXPECT_EQ(SharedCount(nullptr, 0, nullptr, 0), 0u);
}

// Ids that cross 2^32 put a term's documents in two lists (two high parts):
// the scores, the best and the matched count are the same as ever.
TEST(ScoringTest, DocumentsAcrossTwoIdRangesScoreAsOne) {
  std::mt19937_64 rng(3);
  std::vector<Postings> one = RandomPostings(rng, 1, 4000, (1ull << 32) - 2000);
  TermLists split = ToScoreLists(one[0], kNorm0, kNorm1);
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split[0].high, 0u);
  EXPECT_EQ(split[1].high, 1ull << 32);
  EXPECT_EQ(split[0].size() + split[1].size(), one[0].size());
  size_t i = 0;
  for (const ScoreList& l : split) {
    for (size_t k = 0; k < l.size(); ++k, ++i) {
      EXPECT_EQ(l.Doc(k), one[0][i].g);
      EXPECT_EQ(FindDoc(l, one[0][i].g), k);
    }
  }
  EXPECT_EQ(FindDoc(split[1], 5), split[1].size());
  EXPECT_EQ(FindDoc(split[0], 1ull << 40), split[0].size());

  size_t pruned_runs = 0;
  CheckBestIsTopOfAll(77, (1ull << 32) - 2500, &pruned_runs);
  EXPECT_GT(pruned_runs, 50u);
}

TEST(ScoringTest, EmptyAndSingleLists) {
  EXPECT_TRUE(ScoreBest({}, {}, 10).empty());
  ScoreList none;
  EXPECT_TRUE(ScoreBest({&none, &none}, {1.0, 1.0}, 10).empty());
  EXPECT_EQ(UnionSize({}), 0u);
  EXPECT_EQ(UnionSize({&none, &none}), 0u);
  TermLists one = ToScoreLists(
      std::vector<Posting>{{3, 1, 10}, {5, 4, 10}, {9, 2, 10}}, 0, 0.1);
  ASSERT_EQ(one.size(), 1u);
  // tf / (tf + 0.1 dl): 0.5, 0.8, 2/3.
  EXPECT_FLOAT_EQ(one[0].best, 0.8f);
  Ranked best = ScoreBest({&one[0]}, {3.0}, 2);
  std::sort(best.begin(), best.end(), Better);
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].second, 5u);
  EXPECT_NEAR(best[0].first, 2.4, 1e-6);
  EXPECT_EQ(best[1].second, 9u);
  EXPECT_NEAR(best[1].first, 2.0, 1e-6);
}

// The list's bound is its highest factor, wherever it is.
TEST(ScoringTest, ListBoundIsTheHighestFactorAnywhere) {
  for (size_t n = 1; n <= 9; ++n) {
    for (size_t at = 0; at < n; ++at) {
      Postings list;
      for (size_t i = 0; i < n; ++i)
        list.push_back({i + 1, 2.0f + static_cast<float>(i % 3),
                        50.0f + static_cast<float>(i % 2)});
      list[at].tf = 9;
      list[at].dl = 7;
      TermLists l = ToScoreLists(list, kNorm0, kNorm1);
      ASSERT_EQ(l.size(), 1u);
      EXPECT_EQ(l[0].best, Factor(list[at], kNorm0, kNorm1)) << n << " " << at;
    }
  }
}

}  // namespace
}  // namespace bibkg::query::scoring
