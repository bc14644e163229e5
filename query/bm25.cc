// BM25 over the topic index: a query term's postings read from the index,
// and the documents holding any query term scored (query/scoring.h) and
// resolved to their works.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "query/engine_internal.h"
#include "query/scoring.h"
#include "store/list_reader.h"
#include "store/topic_postings.h"
#include "text/analysis.h"

namespace bibkg::query {
namespace {

using store::Term;
using store::TermId;

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// Merges the runs of `*postings` that start at `runs` (each in document
// order), keeping the highest frequency of a document.
void MergeRuns(const std::vector<size_t>& runs, Bm25::Postings* postings) {
  using Posting = Bm25::Posting;
  Bm25::Postings& out = *postings;
  auto by_doc = [](const Posting& a, const Posting& b) {
    return a.g != b.g ? a.g < b.g : a.tf > b.tf;
  };
  if (runs.size() > 1) {
    for (size_t r = 1; r < runs.size(); ++r) {
      size_t end = r + 1 < runs.size() ? runs[r + 1] : out.size();
      std::inplace_merge(out.begin(), out.begin() + runs[r], out.begin() + end,
                         by_doc);
    }
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Posting& a, const Posting& b) {
                            return a.g == b.g;
                          }),
              out.end());
  }
}

}  // namespace

std::vector<std::string> Variants(const std::string& token,
                                  const std::string& lang) {
  std::vector<std::string> out = {token};
  std::vector<std::string> langs =
      lang.empty() ? text::QueryLanguages() : std::vector<std::string>{lang};
  for (const std::string& l : langs) out.push_back(text::Stem(token, l));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::StatusOr<Bm25::Postings> Bm25::Find(
    const QueryTerm& t, const absl::flat_hash_set<store::TermId>& exclude,
    size_t limit, bool* truncated) const {
  Postings out;
  bool corrupt = false;
  bool full = false;
  std::vector<size_t> runs;  // where each scan's postings start in `out`
  // A shorter form found in more documents than this is a common word in
  // its own right ("part" for "partner"), not a form of the query term: it
  // is left out, which also keeps a rare word's query from reading the
  // postings of a frequent one.
  const size_t shorter_limit =
      std::max<size_t>(1000, static_cast<size_t>(docs_ / 100));
  auto scan = [&](const std::string& term, double factor,
                  size_t term_limit = SIZE_MAX) -> absl::Status {
    if (full) return absl::OkStatus();
    const size_t start = out.size();
    runs.push_back(start);
    bool too_many = false;
    bool aux_entry = false;
    auto add = [&](std::string_view, store::TermId g, std::string_view val)
        __attribute__((always_inline)) {
      if (!exclude.empty() && exclude.contains(g)) return true;
      if (out.size() >= limit) {
        full = true;
        return false;
      }
      if (out.size() - start >= term_limit) {
        too_many = true;
        return false;
      }
      uint64_t tf = 0, dl = 0;
      if (!(aux_entry ? store::ParsePlainPosting(val, &tf, &dl)
                      : store::DecodePosting(val, &tf, &dl))) {
        corrupt = true;
        return false;
      }
      out.push_back(
          {g, static_cast<float>(tf * factor), static_cast<float>(dl)});
      return true;
    };
    const std::string prefix = store::PostingPrefix(term);
    // Decodes one stored list value; false to stop.
    auto decode = [&](std::string_view value) {
      store::ListWalk walk = store::WalkListItems(
          value, [&](store::TermId g, std::string_view val) {
            return add({}, g, val);
          });
      if (walk == store::ListWalk::kCorrupt) corrupt = true;
      return walk == store::ListWalk::kDone;
    };
    absl::Status s;
    if (limit == SIZE_MAX && term_limit == SIZE_MAX) {
      // The whole list is wanted: its stored values are read into one
      // buffer first, so that the postings are allocated once for all of
      // them (a common word has a posting in every tenth document).
      std::string& items = list_buffer_;
      items.clear();
      std::vector<size_t> ends;  // where each stored value ends in `items`
      s = view_.ScanListValues(prefix,
                               [&](std::string_view, std::string_view value) {
                                 items.append(value);
                                 ends.push_back(items.size());
                                 return true;
                               });
      // An item takes at least four bytes (delta, length, two varints).
      if (s.ok()) out.reserve(out.size() + items.size() / 4 + 1);
      for (size_t c = 0, begin = 0; s.ok() && c < ends.size(); ++c) {
        if (!decode(std::string_view(items).substr(begin, ends[c] - begin)))
          break;
        begin = ends[c];
      }
    } else {
      // Enough to know a word is common: read until the limit.
      s = view_.ScanListValues(prefix,
                               [&](std::string_view, std::string_view value) {
                                 return decode(value);
                               });
    }
    // Postings may also be stored one aux entry each, in their text form
    // (store::ParsePlainPosting; `bibkg reindex` moves them into lists): a
    // second run.
    if (s.ok() && !full && !too_many && !corrupt) {
      const size_t aux_start = out.size();
      aux_entry = true;
      s = view_.ScanAux(prefix, add);
      if (out.size() > aux_start && aux_start > start)
        runs.push_back(aux_start);
    }
    if (too_many) {
      out.resize(start);
      runs.resize(std::find(runs.begin(), runs.end(), start) - runs.begin());
    }
    return s;
  };
  std::set<std::string> shorter;
  for (const std::string& v : t.variants) {
    BIBKG_RETURN_IF_ERROR(scan(v, 1.0));
    if (!t.shorter_forms) continue;
    for (size_t len = std::max<size_t>(5, v.size() > 4 ? v.size() - 4 : 0);
         len < v.size(); ++len) {
      if ((static_cast<unsigned char>(v[len]) & 0xC0) == 0x80)
        continue;  // whole characters
      shorter.insert(v.substr(0, len));
    }
  }
  for (const std::string& v : t.variants) shorter.erase(v);
  for (const std::string& v : shorter)
    BIBKG_RETURN_IF_ERROR(scan(v, 0.5, shorter_limit));
  if (corrupt) return absl::DataLossError("corrupt posting in the topic index");
  if (truncated) *truncated = full;
  MergeRuns(runs, &out);
  return out;
}

absl::StatusOr<std::vector<std::optional<std::string>>> Bm25::DocEntries(
    const std::vector<store::TermId>& graphs) const {
  if (!cache_) return view_.MultiGetAux(store::kDocKey, graphs);
  std::vector<std::optional<std::string>> docs(graphs.size());
  std::vector<store::TermId> missing;
  std::vector<size_t> missing_at;
  for (size_t i = 0; i < graphs.size(); ++i) {
    if (!cache_->FindDocEntry(graphs[i], &docs[i].emplace())) {
      docs[i].reset();
      missing.push_back(graphs[i]);
      missing_at.push_back(i);
    }
  }
  if (missing.empty()) return docs;
  BIBKG_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> read,
                         view_.MultiGetAux(store::kDocKey, missing));
  for (size_t k = 0; k < missing.size(); ++k) {
    if (!read[k]) continue;
    cache_->AddDocEntry(missing[k], *read[k]);
    docs[missing_at[k]] = std::move(read[k]);
  }
  return docs;
}

absl::StatusOr<std::vector<std::shared_ptr<const scoring::TermLists>>>
Bm25::TermListsOf(const std::vector<QueryTerm>& terms,
                  const absl::flat_hash_set<store::TermId>& exclude,
                  std::vector<Postings> read) const {
  read.resize(terms.size());
  // BM25's constants folded: a posting's part is its term's weight times
  // its factor, found once per list (scoring::Factor).
  const double norm0 = kK1 * (1 - kB), norm1 = kK1 * kB / avgdl_;
  // Each term's lists: from the view's cache (or given to it), not copied.
  std::vector<std::shared_ptr<const scoring::TermLists>> term_lists(
      terms.size());
  // A list that leaves documents out is this request's alone.
  const bool shareable = cache_ && exclude.empty();
  for (uint32_t ti = 0; ti < terms.size(); ++ti) {
    std::string key;
    if (read[ti].empty() && shareable) {
      key = terms[ti].shorter_forms ? "+" : "=";
      for (const std::string& v : terms[ti].variants) {
        key += v;
        key.push_back('\0');
      }
      term_lists[ti] = cache_->FindPostings(key);
      if (term_lists[ti]) continue;
    }
    if (read[ti].empty()) {
      BIBKG_ASSIGN_OR_RETURN(read[ti], Find(terms[ti], exclude));
    }
    term_lists[ti] = std::make_shared<const scoring::TermLists>(
        scoring::ToScoreLists(read[ti], norm0, norm1));
    // Read here, not given by the caller: kept for later searches.
    if (!key.empty() && read[ti].size() >= ViewCache::kMinCachedPostings)
      cache_->AddPostings(key, term_lists[ti]);
    read[ti] = Postings();
  }
  return term_lists;
}

absl::StatusOr<std::vector<DocScore>> Bm25::Score(
    const std::vector<QueryTerm>& terms, size_t max_works, size_t* matched,
    const absl::flat_hash_set<store::TermId>& exclude,
    std::vector<Postings> known) {
  // Each term's postings, in document order, then one merge over them: no
  // allocation per document.
  BIBKG_ASSIGN_OR_RETURN(
      std::vector<std::shared_ptr<const scoring::TermLists>> term_lists,
      TermListsOf(terms, exclude, std::move(known)));
  // The query's lists, each with its term and the term's weight.
  scoring::Lists lists;
  std::vector<uint32_t> term_of;
  std::vector<double> weight;
  for (uint32_t ti = 0; ti < terms.size(); ++ti) {
    size_t df = 0;
    for (const scoring::ScoreList& l : *term_lists[ti]) df += l.size();
    const double w = terms[ti].boost * Idf(df) * (kK1 + 1);
    for (const scoring::ScoreList& l : *term_lists[ti]) {
      lists.push_back(&l);
      term_of.push_back(ti);
      weight.push_back(w);
    }
  }
  // Every matching document scored, or (with a limit) only those that can
  // still reach the best `keep`; either way, the number that match.
  const size_t keep = max_works == SIZE_MAX ? SIZE_MAX : max_works + 8;
  size_t union_size = 0;
  scoring::Ranked ranked;
  if (keep == SIZE_MAX) {
    ranked = scoring::ScoreAll(lists, weight);
    union_size = ranked.size();
  } else {
    ranked = scoring::ScoreBest(lists, weight, keep, &union_size);
  }
  if (matched) *matched = union_size;
  bool pruned = keep != SIZE_MAX;
  // The parts of a kept document's score, for the reasons given.
  auto parts_of = [&](store::TermId g) {
    std::vector<std::pair<double, uint32_t>> parts;
    for (size_t i = 0; i < lists.size(); ++i) {
      const size_t at = scoring::FindDoc(*lists[i], g);
      if (at < lists[i]->size())
        parts.emplace_back(weight[i] * lists[i]->factors[at], term_of[i]);
    }
    return parts;
  };
  // Only the best documents are looked up, a batch at a time, until
  // `max_works` distinct works are found (a work described by two records
  // has two documents).
  const auto better = scoring::Better;
  std::vector<DocScore> out;
  absl::flat_hash_set<TermId> works;
  size_t done = 0;
  while (out.size() < max_works) {
    if (done == ranked.size()) {
      // The best `keep` documents held fewer distinct works than wanted
      // (works described by several records) and more documents match:
      // score them all.
      if (!pruned || ranked.size() >= union_size) break;
      pruned = false;
      ranked = scoring::ScoreAll(lists, weight);
      out.clear();
      works.clear();
      done = 0;
      continue;
    }
    size_t batch = std::min(ranked.size(), done + (max_works - out.size()) + 8);
    std::partial_sort(ranked.begin() + done, ranked.begin() + batch,
                      ranked.end(), better);
    std::vector<store::TermId> graphs;
    for (size_t i = done; i < batch; ++i) graphs.push_back(ranked[i].second);
    BIBKG_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> docs,
                           DocEntries(graphs));
    for (size_t i = 0; i < graphs.size() && out.size() < max_works; ++i) {
      if (!docs[i]) continue;
      std::optional<store::DocInfo> info = store::ParseDocEntry(*docs[i]);
      if (!info) continue;
      TermId work = info->work_id;
      if (work == 0) {  // an entry that names the work by IRI
        absl::StatusOr<TermId> id = view_.Lookup(Term::Iri(info->work));
        if (absl::IsNotFound(id.status())) continue;
        BIBKG_RETURN_IF_ERROR(id.status());
        work = *id;
      }
      if (!works.insert(work).second) continue;
      DocScore d;
      d.work = work;
      d.score = ranked[done + i].first;
      d.entry = std::move(*info);
      for (const auto& [s, ti] : parts_of(graphs[i]))
        d.contributions.emplace_back(s, terms[ti].display);
      out.push_back(std::move(d));
    }
    done = batch;
  }
  return out;
}

std::vector<std::string> TopTerms(
    std::vector<std::pair<double, std::string>> contributions, size_t n) {
  std::sort(contributions.begin(), contributions.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (const auto& [s, term] : contributions) {
    if (std::find(out.begin(), out.end(), term) == out.end())
      out.push_back(term);
    if (out.size() == n) break;
  }
  return out;
}

}  // namespace bibkg::query
