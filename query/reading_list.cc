// Reading lists: the seeds' related works and a topic's hits, foundations
// first.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::query {

using store::TermId;
namespace vocab = ::bibkg::vocab;

absl::StatusOr<std::vector<Work>> Engine::ReadingList(
    const ReadingListOptions& options) const {
  if (options.seeds.empty() && options.topic.empty()) {
    return absl::InvalidArgumentError(
        "a reading list needs seed works or a topic");
  }
  std::vector<std::string> pool;
  std::set<std::string> seen;
  auto take = [&](const std::string& iri) {
    if (seen.insert(iri).second) pool.push_back(iri);
  };
  std::vector<std::string> seeds;
  for (const std::string& s : options.seeds) {
    BIBKG_ASSIGN_OR_RETURN(std::string iri, Resolve(s));
    seeds.push_back(iri);
    take(iri);
  }
  size_t want = options.size * 3;
  if (!seeds.empty()) {
    BIBKG_ASSIGN_OR_RETURN(std::vector<RelatedHit> related,
                           Related(seeds, want));
    for (const RelatedHit& h : related) take(h.work.iri);
  }
  if (!options.topic.empty()) {
    SearchOptions so;
    so.query = options.topic;
    so.limit = want;
    BIBKG_ASSIGN_OR_RETURN(SearchResult r, Search(so));
    for (const SearchHit& h : r.hits) take(h.work.iri);
  }
  // Foundations first: works cited by many in the pool (and in the store),
  // then older before newer. Near-copies (same title key) appear once.
  struct Entry {
    Work work;
    double weight = 0;
    int year = 0;
  };
  // Links among the pool, from each pool work's own references (a few
  // each), not from the citing works of a classic (thousands).
  const TermId cites = PredId(vocab::kCites);
  const TermId relation = PredId(vocab::kRelation);
  absl::flat_hash_map<TermId, int> from_pool;
  for (const std::string& iri : pool) {
    absl::StatusOr<TermId> id = IdOf(iri);
    if (!id.ok()) continue;
    for (TermId p : {cites, relation}) {
      if (p == 0) continue;
      BIBKG_RETURN_IF_ERROR(
          view_->ScanDistinct({*id, p, 0, 0}, 2, [&](TermId o) {
            ++from_pool[o];
            return true;
          }));
    }
  }
  std::vector<Entry> entries;
  std::set<std::string> title_keys;
  for (const std::string& iri : pool) {
    BIBKG_ASSIGN_OR_RETURN(Work w, GetWork(iri));
    std::string key = text::MatchKey(w.summary.title);
    if (!key.empty() && !title_keys.insert(key).second) continue;
    absl::StatusOr<TermId> id = IdOf(iri);
    int in_pool = 0;
    if (id.ok()) {
      auto it = from_pool.find(*id);
      if (it != from_pool.end()) in_pool = it->second;
    }
    int year = text::YearOf(w.summary.issued);
    // GetWork counted the works citing or listing this one.
    double weight = in_pool + 0.1 * static_cast<double>(w.citation_count);
    entries.push_back({std::move(w), weight, year});
  }
  std::stable_sort(
      entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        if (a.weight != b.weight) return a.weight > b.weight;
        int ya = a.year ? a.year : 9999, yb = b.year ? b.year : 9999;
        return ya < yb;
      });
  std::vector<Work> out;
  for (Entry& e : entries) {
    if (out.size() == options.size) break;
    out.push_back(std::move(e.work));
  }
  return out;
}

}  // namespace bibkg::query
