// Scoring a query's postings: every matching document, or only the best k
// (MaxScore). Apart from the engine so that the two can be compared on any
// postings.
#ifndef BIBKG_QUERY_SCORING_H_
#define BIBKG_QUERY_SCORING_H_

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "store/store.h"

namespace bibkg::query::scoring {

// A term's posting: a document (graph id), the term's frequency in it (its
// weight applied) and the document's length.
struct Posting {
  store::TermId g = 0;
  float tf = 0;
  float dl = 0;
};
// One posting per document, by document id.
using Postings = std::vector<Posting>;
// Postings read (or kept) elsewhere, as the functions below take them.
using PostingsView = absl::Span<const Posting>;

// (score, document) pairs.
using Ranked = std::vector<std::pair<double, store::TermId>>;

// The ranking order: higher score first, then lower document id.
inline bool Better(const std::pair<double, store::TermId>& a,
                   const std::pair<double, store::TermId>& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

// The first posting at or after `from` in `list` whose document is not before
// `g`: a galloping search (steps of 1, 2, 4... then a binary search within
// the last step), so that a target a few postings ahead costs a few
// comparisons, not a binary search over the rest of a long list.
inline const Posting* Seek(const Posting* from, const Posting* end,
                           store::TermId g) {
  size_t step = 1;
  const Posting* lo = from;
  while (lo < end) {
    const Posting* probe =
        end - lo > static_cast<ptrdiff_t>(step) ? lo + step : end;
    if (probe == end || probe->g >= g) {
      return std::lower_bound(
          lo, probe, g,
          [](const Posting& p, store::TermId x) { return p.g < x; });
    }
    lo = probe + 1;
    step *= 2;
  }
  return end;
}

// The number of distinct documents in `lists` (each in document order):
// those of the longest list, plus those of the others that it lacks
// (looked up, not walked).
inline size_t UnionSize(const std::vector<PostingsView>& lists) {
  if (lists.empty()) return 0;
  size_t longest = 0;
  for (size_t ti = 1; ti < lists.size(); ++ti) {
    if (lists[ti].size() > lists[longest].size()) longest = ti;
  }
  const PostingsView& big = lists[longest];
  size_t n = big.size();
  auto at = big.begin();
  std::vector<size_t> pos(lists.size(), 0);
  while (true) {
    store::TermId g = std::numeric_limits<store::TermId>::max();
    for (size_t ti = 0; ti < lists.size(); ++ti) {
      if (ti != longest && pos[ti] < lists[ti].size())
        g = std::min(g, lists[ti][pos[ti]].g);
    }
    if (g == std::numeric_limits<store::TermId>::max()) return n;
    at = Seek(at, big.end(), g);
    if (at == big.end() || at->g != g) ++n;
    for (size_t ti = 0; ti < lists.size(); ++ti) {
      if (ti != longest && pos[ti] < lists[ti].size() &&
          lists[ti][pos[ti]].g == g)
        ++pos[ti];
    }
  }
}

// The highest frequency and the shortest document of `list` (a posting no
// document beats). Four running extremes, not one: the walk over a common
// word's list is not held up waiting on each comparison.
inline Posting Best(PostingsView list) {
  constexpr float kMax = std::numeric_limits<float>::max();
  float tf[4] = {0, 0, 0, 0};
  float dl[4] = {kMax, kMax, kMax, kMax};
  const size_t n = list.size();
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (size_t k = 0; k < 4; ++k) {
      tf[k] = std::max(tf[k], list[i + k].tf);
      dl[k] = std::min(dl[k], list[i + k].dl);
    }
  }
  for (; i < n; ++i) {
    tf[0] = std::max(tf[0], list[i].tf);
    dl[0] = std::min(dl[0], list[i].dl);
  }
  return {0, std::max(std::max(tf[0], tf[1]), std::max(tf[2], tf[3])),
          std::min(std::min(dl[0], dl[1]), std::min(dl[2], dl[3]))};
}

// (score, document) of every document in `lists`; a document's score is
// the sum of `part(term, posting)` over the terms it holds, in term order.
template <typename Part>
Ranked ScoreAll(const std::vector<PostingsView>& lists, const Part& part) {
  std::vector<std::pair<double, store::TermId>> ranked;
  std::vector<size_t> pos(lists.size(), 0);
  while (true) {
    store::TermId g = std::numeric_limits<store::TermId>::max();
    for (uint32_t ti = 0; ti < lists.size(); ++ti) {
      if (pos[ti] < lists[ti].size()) g = std::min(g, lists[ti][pos[ti]].g);
    }
    if (g == std::numeric_limits<store::TermId>::max()) break;
    double score = 0;
    for (uint32_t ti = 0; ti < lists.size(); ++ti) {
      if (pos[ti] < lists[ti].size() && lists[ti][pos[ti]].g == g)
        score += part(ti, lists[ti][pos[ti]++]);
    }
    ranked.emplace_back(score, g);
  }
  return ranked;
}

// The best `keep` of ScoreAll (by score, then document id), with the
// same scores, found without scoring every document (MaxScore, Turtle &
// Flood 1995): each term's highest possible part bounds what a document
// can gain from it. Terms whose bounds together cannot lift a document
// above the current `keep`-th best are not walked, only probed for the
// documents the other terms bring; a document is dropped as soon as its
// bound falls below that score.
// `best`, where given, holds Best() of a list found before (a list kept
// between searches), so that the list is not walked for it again.
template <typename Part>
Ranked ScoreBest(const std::vector<PostingsView>& lists, const Part& part,
                 size_t keep,
                 const std::vector<std::optional<Posting>>& best = {}) {
  const size_t n = lists.size();
  // A term's bound: its highest frequency with its shortest document
  // (the part grows with the one and shrinks with the other).
  std::vector<double> bound(n, 0);
  for (uint32_t ti = 0; ti < n; ++ti) {
    if (lists[ti].empty()) continue;
    bound[ti] =
        part(ti, ti < best.size() && best[ti] ? *best[ti] : Best(lists[ti]));
  }
  std::vector<uint32_t> order(n);  // by bound, lowest first
  for (uint32_t ti = 0; ti < n; ++ti) order[ti] = ti;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return bound[a] < bound[b]; });
  std::vector<double> below(n + 1, 0);  // below[i]: bounds of order[0..i)
  for (size_t i = 0; i < n; ++i) below[i + 1] = below[i] + bound[order[i]];
  // Rounding may put a sum of parts a hair above the sum of their bounds.
  constexpr double kSlack = 1 + 1e-9;
  Ranked heap;            // worst on top (Better as the heap's order)
  double threshold = -1;  // the keep-th best score, once there are keep
  size_t probed = 0;      // order[0..probed) are only probed
  std::vector<size_t> pos(n, 0);
  std::vector<double> parts(n);
  while (true) {
    store::TermId g = std::numeric_limits<store::TermId>::max();
    for (size_t i = probed; i < n; ++i) {
      uint32_t ti = order[i];
      if (pos[ti] < lists[ti].size()) g = std::min(g, lists[ti][pos[ti]].g);
    }
    if (g == std::numeric_limits<store::TermId>::max()) break;
    std::fill(parts.begin(), parts.end(), 0.0);
    double sum = 0;
    for (size_t i = probed; i < n; ++i) {
      uint32_t ti = order[i];
      if (pos[ti] < lists[ti].size() && lists[ti][pos[ti]].g == g)
        sum += parts[ti] = part(ti, lists[ti][pos[ti]++]);
    }
    bool dropped = false;
    for (size_t i = probed; i-- > 0;) {
      if ((sum + below[i + 1]) * kSlack <= threshold) {
        dropped = true;
        break;
      }
      uint32_t ti = order[i];
      const Posting* it = Seek(lists[ti].begin() + pos[ti], lists[ti].end(), g);
      pos[ti] = it - lists[ti].begin();
      if (it != lists[ti].end() && it->g == g) sum += parts[ti] = part(ti, *it);
    }
    if (dropped || sum * kSlack <= threshold) continue;
    double score = 0;  // in term order, as ScoreAll adds them
    for (uint32_t ti = 0; ti < n; ++ti) score += parts[ti];
    if (heap.size() < keep) {
      heap.emplace_back(score, g);
      std::push_heap(heap.begin(), heap.end(), Better);
      if (heap.size() < keep) continue;
    } else if (score > heap.front().first) {
      std::pop_heap(heap.begin(), heap.end(), Better);
      heap.back() = {score, g};
      std::push_heap(heap.begin(), heap.end(), Better);
    } else {
      continue;
    }
    threshold = heap.front().first;
    while (probed < n && below[probed + 1] * kSlack <= threshold) ++probed;
  }
  return heap;
}

}  // namespace bibkg::query::scoring

#endif  // BIBKG_QUERY_SCORING_H_
