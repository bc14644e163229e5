// Scoring a query's postings: every matching document, or only the best k
// (MaxScore). Apart from the engine so that the two can be compared on any
// postings.
#ifndef BIBKG_QUERY_SCORING_H_
#define BIBKG_QUERY_SCORING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "store/store.h"

namespace bibkg::query::scoring {

// A term's posting as read from the index: a document (graph id), the term's
// frequency in it (its weight applied) and the document's length.
struct Posting {
  store::TermId g = 0;
  float tf = 0;
  float dl = 0;
};
// One posting per document, by document id.
using Postings = std::vector<Posting>;
using PostingsView = absl::Span<const Posting>;

// A term's postings as scoring reads them, in two arrays: the documents (the
// low 32 bits of their ids, under one high part) and each document's BM25
// term factor tf / (tf + k1 (1 - b + b dl / avgdl)), which a query scales by
// the term's weight. A walk over documents reads 4 bytes a posting, not the
// 16 of a Posting, and a kept list takes half the memory.
struct ScoreList {
  uint64_t high = 0;           // a document's id: high | docs[i]
  std::vector<uint32_t> docs;  // ascending
  std::vector<float> factors;  // of docs[i]
  float best = 0;              // the highest factor: the list's bound
  size_t size() const { return docs.size(); }
  store::TermId Doc(size_t i) const { return high | docs[i]; }
};
// A term's postings: a ScoreList per 2^32 range of ids its documents fall in
// (one, until a store holds four billion terms).
using TermLists = std::vector<ScoreList>;
// The lists of a query, each of one term (a term may have several).
using Lists = std::vector<const ScoreList*>;

// The BM25 term factor of a posting; `norm0` is k1 (1 - b) and `norm1`
// k1 b / avgdl.
inline float Factor(const Posting& p, double norm0, double norm1) {
  return static_cast<float>(p.tf / (p.tf + norm0 + norm1 * p.dl));
}

// `list` (in document order) as scoring reads it.
inline TermLists ToScoreLists(PostingsView list, double norm0, double norm1) {
  TermLists out;
  for (const Posting& p : list) {
    const uint64_t high = p.g & ~uint64_t{0xffffffff};
    if (out.empty() || out.back().high != high) {
      out.emplace_back();
      out.back().high = high;
    }
    ScoreList& l = out.back();
    if (l.docs.empty()) {
      // Most terms have a single range: the rest of the list is its size.
      l.docs.reserve(list.size());
      l.factors.reserve(list.size());
    }
    l.docs.push_back(static_cast<uint32_t>(p.g));
    l.factors.push_back(Factor(p, norm0, norm1));
    l.best = std::max(l.best, l.factors.back());
  }
  for (ScoreList& l : out) {
    l.docs.shrink_to_fit();
    l.factors.shrink_to_fit();
  }
  return out;
}

// (score, document) pairs.
using Ranked = std::vector<std::pair<double, store::TermId>>;

// The ranking order: higher score first, then lower document id. An object,
// not a function, so that the heaps and sorts that take it inline it.
struct BetterOrder {
  bool operator()(const std::pair<double, store::TermId>& a,
                  const std::pair<double, store::TermId>& b) const {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  }
};
inline constexpr BetterOrder Better;

// The first of [from, end) not below `x`: a galloping search (steps of 1, 2,
// 4... then a binary search within the last step), so that a target a few
// documents ahead costs a few comparisons, not a binary search over the rest
// of a long list.
inline const uint32_t* Seek(const uint32_t* from, const uint32_t* end,
                            uint32_t x) {
  size_t step = 1;
  const uint32_t* lo = from;
  while (lo < end) {
    const uint32_t* probe =
        end - lo > static_cast<ptrdiff_t>(step) ? lo + step : end;
    if (probe == end || *probe >= x) return std::lower_bound(lo, probe, x);
    lo = probe + 1;
    step *= 2;
  }
  return end;
}

// The position of the first document of `l` at or after `from` whose id is
// not below `g`.
inline size_t SeekDoc(const ScoreList& l, size_t from, store::TermId g) {
  if (g < l.high) return from;
  if (g - l.high > 0xffffffff) return l.size();
  const uint32_t* docs = l.docs.data();
  return Seek(docs + from, docs + l.size(), static_cast<uint32_t>(g - l.high)) -
         docs;
}

// The position of document `g` in `l`, or l.size() when it has none.
inline size_t FindDoc(const ScoreList& l, store::TermId g) {
  const size_t at = SeekDoc(l, 0, g);
  return at < l.size() && l.Doc(at) == g ? at : l.size();
}

// The number of documents two ascending arrays share. Arrays of like length
// are merged without a branch on which is ahead (a merge of two common words'
// lists mispredicts one step in two); a short one's documents are looked up
// in the long one.
inline size_t SharedCount(const uint32_t* a, size_t na, const uint32_t* b,
                          size_t nb) {
  if (na > nb) {
    std::swap(a, b);
    std::swap(na, nb);
  }
  size_t shared = 0;
  if (nb / 32 > na) {
    const uint32_t* at = b;
    const uint32_t* end = b + nb;
    for (size_t i = 0; i < na && at < end; ++i) {
      at = Seek(at, end, a[i]);
      shared += at < end && *at == a[i];
    }
    return shared;
  }
  size_t i = 0, j = 0;
  while (i < na && j < nb) {
    const uint32_t x = a[i], y = b[j];
    shared += x == y;
    i += x <= y;
    j += y <= x;
  }
  return shared;
}

// The number of distinct documents in `lists`: those of the longest list,
// plus those of the others that it lacks (looked up, not walked).
inline size_t UnionSize(const Lists& lists) {
  if (lists.empty()) return 0;
  size_t longest = 0;
  for (size_t i = 1; i < lists.size(); ++i) {
    if (lists[i]->size() > lists[longest]->size()) longest = i;
  }
  const ScoreList& big = *lists[longest];
  size_t n = big.size();
  size_t at = 0;
  std::vector<size_t> pos(lists.size(), 0);
  constexpr store::TermId kNone = std::numeric_limits<store::TermId>::max();
  while (true) {
    store::TermId g = kNone;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (i != longest && pos[i] < lists[i]->size())
        g = std::min(g, lists[i]->Doc(pos[i]));
    }
    if (g == kNone) return n;
    at = SeekDoc(big, at, g);
    if (at == big.size() || big.Doc(at) != g) ++n;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (i != longest && pos[i] < lists[i]->size() &&
          lists[i]->Doc(pos[i]) == g)
        ++pos[i];
    }
  }
}

// (score, document) of every document in `lists`; a document's score is
// the sum of weight[i] * factor over the lists i that hold it, in list order.
inline Ranked ScoreAll(const Lists& lists, const std::vector<double>& weight) {
  Ranked ranked;
  std::vector<size_t> pos(lists.size(), 0);
  constexpr store::TermId kNone = std::numeric_limits<store::TermId>::max();
  while (true) {
    store::TermId g = kNone;
    for (size_t i = 0; i < lists.size(); ++i) {
      if (pos[i] < lists[i]->size()) g = std::min(g, lists[i]->Doc(pos[i]));
    }
    if (g == kNone) break;
    double score = 0;
    for (size_t i = 0; i < lists.size(); ++i) {
      const ScoreList& l = *lists[i];
      if (pos[i] < l.size() && l.Doc(pos[i]) == g)
        score += weight[i] * l.factors[pos[i]++];
    }
    ranked.emplace_back(score, g);
  }
  return ranked;
}

// The best `keep` of ScoreAll (by score, then document id), with the
// same scores, found without scoring every document (MaxScore, Turtle &
// Flood 1995): each list's highest factor bounds what a document can gain
// from it. Lists whose bounds together cannot lift a document above the
// current `keep`-th best are not walked, only probed for the documents the
// other lists bring; a document is dropped as soon as its bound falls below
// that score. `*matched`, where given, receives the number of documents in
// `lists` (UnionSize).
inline Ranked ScoreBestOfTwo(const ScoreList& a, const ScoreList& b, double wa,
                             double wb, size_t keep, size_t* matched);

inline Ranked ScoreBest(const Lists& lists, const std::vector<double>& weight,
                        size_t keep, size_t* matched = nullptr) {
  if (lists.size() == 2 && lists[0]->high == lists[1]->high && keep > 0) {
    size_t count = 0;
    Ranked best = ScoreBestOfTwo(*lists[0], *lists[1], weight[0], weight[1],
                                 keep, &count);
    if (matched) *matched = count;
    return best;
  }
  if (matched) *matched = UnionSize(lists);
  const size_t n = lists.size();
  std::vector<double> bound(n, 0);
  for (size_t i = 0; i < n; ++i)
    if (lists[i]->size() > 0) bound[i] = weight[i] * lists[i]->best;
  std::vector<uint32_t> order(n);  // by bound, lowest first
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return bound[a] < bound[b]; });
  std::vector<double> below(n + 1, 0);  // below[k]: bounds of order[0..k)
  for (size_t k = 0; k < n; ++k) below[k + 1] = below[k] + bound[order[k]];
  // Rounding may put a sum of parts a hair above the sum of their bounds.
  constexpr double kSlack = 1 + 1e-9;
  constexpr store::TermId kNone = std::numeric_limits<store::TermId>::max();
  Ranked heap;            // worst on top (Better as the heap's order)
  double threshold = -1;  // the keep-th best score, once there are keep
  size_t probed = 0;      // order[0..probed) are only probed
  std::vector<size_t> pos(n, 0);
  std::vector<double> parts(n);
  while (true) {
    store::TermId g = kNone;
    for (size_t k = probed; k < n; ++k) {
      const ScoreList& l = *lists[order[k]];
      if (pos[order[k]] < l.size()) g = std::min(g, l.Doc(pos[order[k]]));
    }
    if (g == kNone) break;
    std::fill(parts.begin(), parts.end(), 0.0);
    double sum = 0;
    for (size_t k = probed; k < n; ++k) {
      const uint32_t i = order[k];
      const ScoreList& l = *lists[i];
      if (pos[i] < l.size() && l.Doc(pos[i]) == g)
        sum += parts[i] = weight[i] * l.factors[pos[i]++];
    }
    bool dropped = false;
    for (size_t k = probed; k-- > 0;) {
      if ((sum + below[k + 1]) * kSlack <= threshold) {
        dropped = true;
        break;
      }
      const uint32_t i = order[k];
      const ScoreList& l = *lists[i];
      pos[i] = SeekDoc(l, pos[i], g);
      if (pos[i] < l.size() && l.Doc(pos[i]) == g)
        sum += parts[i] = weight[i] * l.factors[pos[i]];
    }
    if (dropped || sum * kSlack <= threshold) continue;
    double score = 0;  // in list order, as ScoreAll adds them
    for (size_t i = 0; i < n; ++i) score += parts[i];
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

// ScoreBest of two lists of one id range (a two-word search), in loops of
// their own, counting the documents that match on the way. The lists are
// merged without a branch on which is ahead until nothing more can enter,
// or until MaxScore leaves only the higher-bound list to walk and that list
// is much the shorter: then its documents are looked up in the other.
inline Ranked ScoreBestOfTwo(const ScoreList& a, const ScoreList& b, double wa,
                             double wb, size_t keep, size_t* matched) {
  constexpr double kSlack = 1 + 1e-9;
  const double bound_a = a.size() ? wa * a.best : 0;
  const double bound_b = b.size() ? wb * b.best : 0;
  const double low = std::min(bound_a, bound_b);
  const double both = bound_a + bound_b;
  // The best so far, and those offered since: when 2 keep are held, the
  // best keep are kept (a selection, not a heap update per document: the
  // first thousands of a merge are most of them offered).
  Ranked best;
  best.reserve(2 * keep);
  double threshold = -1;  // the keep-th best score at the last selection
  auto select = [&] {
    if (best.size() <= keep) return;
    std::nth_element(best.begin(), best.begin() + (keep - 1), best.end(),
                     Better);
    best.resize(keep);
    threshold = best.back().first;
  };
  // Offers a document; true when the threshold rose.
  auto offer = [&](double score, uint32_t doc) {
    best.emplace_back(score, a.high | doc);
    if (best.size() < 2 * keep) return false;
    select();
    return true;
  };
  const uint32_t* da = a.docs.data();
  const uint32_t* db = b.docs.data();
  const float* fa = a.factors.data();
  const float* fb = b.factors.data();
  const size_t na = a.size(), nb = b.size();
  // Whether walking the higher-bound list and looking its documents up in
  // the other beats merging the rest of both.
  const bool a_walks = bound_a >= bound_b;
  auto lookups_pay = [&](size_t i, size_t j) {
    const size_t walk = a_walks ? na - i : nb - j;
    const size_t other = a_walks ? nb - j : na - i;
    return walk * 8 < other;
  };
  size_t i = 0, j = 0, merged = 0;
  bool stopped = false;  // before the end of both lists
  while (i < na && j < nb) {
    const uint32_t x = da[i], y = db[j];
    const bool in_a = x <= y, in_b = y <= x;
    // Each part times 1 or 0, not chosen by a branch; in list order, as
    // ScoreAll adds them (x + 0 and 0 + y are exact).
    const double score = wa * fa[i] * in_a + wb * fb[j] * in_b;
    const uint32_t doc = std::min(x, y);
    i += in_a;
    j += in_b;
    ++merged;
    if (score * kSlack > threshold && offer(score, doc) &&
        (both * kSlack <= threshold ||
         (low * kSlack <= threshold && lookups_pay(i, j)))) {
      stopped = true;
      break;
    }
  }
  if (!stopped) {
    // One list is done: the other's documents hold that term alone.
    const bool rest_a = i < na;
    const uint32_t* d = rest_a ? da : db;
    const float* f = rest_a ? fa : fb;
    const double w = rest_a ? wa : wb;
    const size_t n = rest_a ? na : nb;
    size_t k = rest_a ? i : j;
    merged += n - k;
    if ((rest_a ? bound_a : bound_b) * kSlack > threshold) {
      for (; k < n; ++k) {
        const double score = w * f[k];
        if (score * kSlack > threshold) offer(score, d[k]);
      }
    }
    *matched = merged;
    select();
    return best;
  }
  // The rest's matched count: its documents less those both lists hold.
  *matched = merged + (na - i) + (nb - j) -
             SharedCount(da + i, na - i, db + j, nb - j);
  if (both * kSlack <= threshold) {
    select();
    return best;
  }
  // The higher-bound list walked, the other only probed for its documents.
  const uint32_t* dw = a_walks ? da : db;
  const float* fw = a_walks ? fa : fb;
  const uint32_t* dp = a_walks ? db : da;
  const float* fp = a_walks ? fb : fa;
  const size_t nw = a_walks ? na : nb, np = a_walks ? nb : na;
  const double ww = a_walks ? wa : wb, wp = a_walks ? wb : wa;
  const double bound_p = a_walks ? bound_b : bound_a;
  size_t w = a_walks ? i : j, p = a_walks ? j : i;
  for (; w < nw; ++w) {
    const double own = ww * fw[w];
    if ((own + bound_p) * kSlack <= threshold) continue;
    const uint32_t doc = dw[w];
    p = Seek(dp + p, dp + np, doc) - dp;
    double score = own;
    if (p < np && dp[p] == doc) {
      // In list order, as ScoreAll adds them.
      score = a_walks ? own + wp * fp[p] : wp * fp[p] + own;
    }
    if (score * kSlack > threshold && offer(score, doc) &&
        both * kSlack <= threshold)
      break;
  }
  select();
  return best;
}

}  // namespace bibkg::query::scoring

#endif  // BIBKG_QUERY_SCORING_H_
