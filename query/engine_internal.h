// What the engine's files share and callers need not see: graph reads over a
// view, a node's statements, and BM25 over the topic index (query/bm25.cc).
#ifndef BIBKG_QUERY_ENGINE_INTERNAL_H_
#define BIBKG_QUERY_ENGINE_INTERNAL_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "query/engine.h"
#include "query/scoring.h"
#include "store/store.h"
#include "store/topic_postings.h"

namespace bibkg::query {

// Hits looked at at most for a filtered search.
inline constexpr size_t kFilterWindow = 5000;

// ---------------------------------------------------------------------------
// Graph reads over a view (query/engine_internal.cc).

// The distinct terms at position `want` (0 = subject, 2 = object) of the
// quads matching (s, p, o), in index order, at most `limit`. The same fact
// stated by many records (a journal's title in every article's record) is
// resolved once.
absl::StatusOr<std::vector<store::Term>> Distinct(const store::ReadView& view,
                                                  std::optional<store::Term> s,
                                                  const char* p,
                                                  std::optional<store::Term> o,
                                                  int want, size_t limit);

// The objects of (s, p), at most `limit`.
absl::StatusOr<std::vector<store::Term>> Objects(const store::ReadView& view,
                                                 const std::string& s,
                                                 const char* p,
                                                 size_t limit = SIZE_MAX);

// The IRIs of the subjects of (p, o), at most `limit`.
absl::StatusOr<std::vector<std::string>> SubjectsOf(const store::ReadView& view,
                                                    const char* p,
                                                    const store::Term& o,
                                                    size_t limit = SIZE_MAX);

// The value of the first object of (s, p), empty when there is none.
absl::StatusOr<std::string> FirstValue(const store::ReadView& view,
                                       const std::string& s, const char* p);

// NotFound for a node the store knows nothing about.
absl::Status NothingKnown(const std::string& iri);

// ---------------------------------------------------------------------------
// A node's statements.

struct Engine::Node {
  // (predicate, object), distinct
  std::vector<std::pair<store::TermId, store::TermId>> po;
  std::vector<store::TermId> graphs;  // distinct, in index order

  std::vector<store::TermId> Objects(store::TermId p) const {
    std::vector<store::TermId> out;
    if (p == 0) return out;
    for (const auto& [pp, o] : po) {
      if (pp == p) out.push_back(o);
    }
    return out;
  }
};

// ---------------------------------------------------------------------------
// BM25 over the topic index (query/bm25.cc).

struct QueryTerm {
  std::string display;                // the word as the user (or seed) wrote it
  std::vector<std::string> variants;  // index terms it may appear as
  double boost = 1.0;
  bool shorter_forms = true;  // also match shorter forms at half weight
};

// The index terms `token` may appear as: itself and its stems in `lang`
// (every query language when empty).
std::vector<std::string> Variants(const std::string& token,
                                  const std::string& lang);

// One scored work: the best of its documents.
struct DocScore {
  store::TermId work = 0;
  double score = 0;
  std::vector<std::pair<double, std::string>>
      contributions;     // (score, display)
  store::DocInfo entry;  // the document entry, as read
};

// The `n` terms that contributed most, each once, best first.
std::vector<std::string> TopTerms(
    std::vector<std::pair<double, std::string>> contributions, size_t n);

class Bm25 {
 public:
  // `cache`, when given, keeps common words' postings for later searches.
  explicit Bm25(const store::ReadView& view, ViewCache* cache = nullptr)
      : view_(view), cache_(cache) {
    docs_ = std::max<int64_t>(view.Counter(store::kTopicDocsCounter), 0);
    int64_t length = view.Counter(store::kTopicLengthCounter);
    avgdl_ = docs_ > 0 ? static_cast<double>(length) / docs_ : 1.0;
  }

  using Posting = scoring::Posting;
  using Postings = scoring::Postings;

  // The documents holding a term: the union over its variants (max
  // frequency), plus, at half weight, index terms that are a shorter form of
  // a variant ("leader" for "leadership"; at least five letters, at most four
  // shorter). Documents in `exclude` are left out.
  // With `limit`, stops once that many postings are read and sets
  // `*truncated`: enough to know a term is common.
  absl::StatusOr<Postings> Find(
      const QueryTerm& t,
      const absl::flat_hash_set<store::TermId>& exclude = {},
      size_t limit = SIZE_MAX, bool* truncated = nullptr) const;

  // The document entries of `graphs` (nullopt where there is none): from
  // the view's cache, the others in one batch from the store, then kept.
  absl::StatusOr<std::vector<std::optional<std::string>>> DocEntries(
      const std::vector<store::TermId>& graphs) const;

  double Idf(uint64_t df) const {
    double n = static_cast<double>(std::max<uint64_t>(docs_, df));
    return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  // Scores the documents holding any query term and returns the best
  // `max_works` works (a work's score is that of its best document), best
  // first. `*matched` receives the number of documents that matched.
  // `known` holds postings already read for some terms (by term index).
  absl::StatusOr<std::vector<DocScore>> Score(
      const std::vector<QueryTerm>& terms, size_t max_works,
      size_t* matched = nullptr,
      const absl::flat_hash_set<store::TermId>& exclude = {},
      std::vector<Postings> known = {});

 private:
  // Each term's lists: from the view's cache, else from `read` (postings
  // given, or read here and then offered to the cache).
  absl::StatusOr<std::vector<std::shared_ptr<const scoring::TermLists>>>
  TermListsOf(const std::vector<QueryTerm>& terms,
              const absl::flat_hash_set<store::TermId>& exclude,
              std::vector<Postings> read) const;

  const store::ReadView& view_;
  ViewCache* cache_;
  mutable std::string list_buffer_;  // Find's stored list values, reused
  uint64_t docs_ = 0;
  double avgdl_ = 1.0;
};

}  // namespace bibkg::query

#endif  // BIBKG_QUERY_ENGINE_INTERNAL_H_
