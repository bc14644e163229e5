// Engine::Related: candidates gathered from each seed's signals (direct
// links, co-citation, bibliographic coupling, shared values, similar text),
// each with its reasons, and the best described.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "query/engine_internal.h"
#include "text/analysis.h"
#include "text/vocab.h"
#include "topic/document.h"

namespace bibkg::query {
namespace {

using store::Term;
using store::TermId;
namespace vocab = ::bibkg::vocab;

// A subject, author, journal or reference shared with more works than this
// is too common to say anything about relatedness.
constexpr size_t kMaxShared = 2000;
// Citing works of a seed whose references are read for co-citation.
constexpr size_t kMaxCoCiting = 300;
// A seed's words that make its text-similarity query, the most distinctive.
constexpr size_t kMaxSimilarTerms = 25;

bool IsStub(const std::string& iri) {
  return iri.find("/id/stub/") != std::string::npos;
}

}  // namespace

// Candidates and their reasons are kept by term id; only the winners are
// resolved to IRIs and described.
class Engine::RelatedWorks {
 public:
  RelatedWorks(const Engine& engine, const std::vector<std::string>& seeds);

  // Adds the candidates of one seed, by each signal; a seed the store never
  // saw adds none.
  absl::Status AddSeed(const std::string& seed, size_t limit);

  // The best `limit` candidates, described, each with its reasons.
  absl::StatusOr<std::vector<RelatedHit>> Best(size_t limit);

 private:
  struct Candidate {
    double score = 0;
    std::vector<std::pair<double, uint32_t>> reasons;  // (score, reason)
  };

  // The index of a reason's text.
  uint32_t Reason(std::string text);
  // Adds `score` to a candidate (not a seed) for reason `why`.
  void Add(TermId id, double score, uint32_t why);
  // Distinct ids at `position` of (s, p, o), at most `limit`.
  absl::StatusOr<std::vector<TermId>> Ids(TermId s, const char* p, TermId o,
                                          int position, size_t limit) const;

  // Direct links, both ways. `*cited` and `*citing` receive the works the
  // seed cites and those citing it, distinct, in id order.
  absl::Status AddLinks(TermId seed, std::vector<TermId>* cited,
                        std::vector<TermId>* citing);
  // Co-citation: works cited together with the seed by `citing`.
  absl::Status AddCoCited(TermId seed, std::vector<TermId> citing);
  // Bibliographic coupling: works citing what the seed cites (`cited`).
  absl::Status AddCoupled(TermId seed, const std::vector<TermId>& cited);
  // Shared subjects, authors, venue, funders.
  absl::Status AddSharedValues(TermId seed);
  // Text similarity: the seed's most distinctive words as a query.
  absl::Status AddSimilarText(const std::string& seed, TermId seed_id,
                              size_t limit);
  // The seed's words, weighted by the fields they appear in; `*seed_docs`
  // receives the seed's documents (graphs).
  absl::StatusOr<std::map<std::string, double>> SeedWords(
      const std::string& seed, TermId seed_id,
      absl::flat_hash_set<TermId>* seed_docs) const;
  // The seed's most distinctive `words`, each with its postings outside
  // `seed_docs`, boosted relative to the best.
  absl::Status DistinctiveTerms(const Bm25& bm25,
                                const std::map<std::string, double>& words,
                                const absl::flat_hash_set<TermId>& seed_docs,
                                std::vector<QueryTerm>* terms,
                                std::vector<Bm25::Postings>* postings) const;

  const Engine& engine_;
  const store::ReadView& view_;
  absl::flat_hash_map<TermId, Candidate> cands_;
  std::vector<std::string> reason_texts_;
  absl::flat_hash_map<std::string, uint32_t> reason_index_;
  absl::flat_hash_set<TermId> seed_ids_;
  uint64_t n_docs_ = 1;
  TermId cites_ = 0, relation_ = 0;
};

Engine::RelatedWorks::RelatedWorks(const Engine& engine,
                                   const std::vector<std::string>& seeds)
    : engine_(engine), view_(*engine.view_) {
  for (const std::string& seed : seeds) {
    absl::StatusOr<TermId> id = engine_.IdOf(seed);
    if (id.ok()) seed_ids_.insert(*id);
  }
  n_docs_ = std::max<int64_t>(view_.Counter(store::kTopicDocsCounter), 1);
  cites_ = engine_.PredId(vocab::kCites);
  relation_ = engine_.PredId(vocab::kRelation);
}

uint32_t Engine::RelatedWorks::Reason(std::string text) {
  auto [it, inserted] = reason_index_.emplace(text, reason_texts_.size());
  if (inserted) reason_texts_.push_back(std::move(text));
  return it->second;
}

void Engine::RelatedWorks::Add(TermId id, double score, uint32_t why) {
  if (id == 0 || seed_ids_.contains(id)) return;
  Candidate& c = cands_[id];
  c.score += score;
  c.reasons.emplace_back(score, why);
}

absl::StatusOr<std::vector<TermId>> Engine::RelatedWorks::Ids(
    TermId s, const char* p, TermId o, int position, size_t limit) const {
  std::vector<TermId> out;
  TermId pid = engine_.PredId(p);
  if (pid == 0) return out;
  BIBKG_RETURN_IF_ERROR(
      view_.ScanDistinct({s, pid, o, 0}, position, [&](TermId id) {
        out.push_back(id);
        return out.size() < limit;
      }));
  return out;
}

absl::Status Engine::RelatedWorks::AddSeed(const std::string& seed,
                                           size_t limit) {
  absl::StatusOr<TermId> seed_id = engine_.IdOf(seed);
  if (absl::IsNotFound(seed_id.status())) return absl::OkStatus();
  BIBKG_RETURN_IF_ERROR(seed_id.status());
  std::vector<TermId> cited, citing;
  BIBKG_RETURN_IF_ERROR(AddLinks(*seed_id, &cited, &citing));
  BIBKG_RETURN_IF_ERROR(AddCoCited(*seed_id, std::move(citing)));
  BIBKG_RETURN_IF_ERROR(AddCoupled(*seed_id, cited));
  BIBKG_RETURN_IF_ERROR(AddSharedValues(*seed_id));
  return AddSimilarText(seed, *seed_id, limit);
}

absl::Status Engine::RelatedWorks::AddLinks(TermId seed,
                                            std::vector<TermId>* cited,
                                            std::vector<TermId>* citing) {
  const uint32_t cited_by_seed = Reason("cited by the seed");
  const uint32_t related_of_seed =
      Reason("listed under related content of the seed");
  const uint32_t cites_seed = Reason("cites the seed");
  const uint32_t lists_seed = Reason("lists the seed under related content");
  BIBKG_RETURN_IF_ERROR(
      view_.ScanIds({seed, 0, 0, 0}, [&](const store::IdQuad& q) {
        if (q.p == cites_ && cites_ != 0) {
          Add(q.o, 2.0, cited_by_seed);
          cited->push_back(q.o);
        } else if (q.p == relation_ && relation_ != 0) {
          Add(q.o, 3.0, related_of_seed);
        }
        return true;
      }));
  BIBKG_RETURN_IF_ERROR(
      view_.ScanIds({0, 0, seed, 0}, [&](const store::IdQuad& q) {
        if (q.p == cites_ && cites_ != 0) {
          Add(q.s, 2.0, cites_seed);
          citing->push_back(q.s);
        } else if (q.p == relation_ && relation_ != 0) {
          Add(q.s, 3.0, lists_seed);
        }
        return true;
      }));
  std::sort(cited->begin(), cited->end());
  cited->erase(std::unique(cited->begin(), cited->end()), cited->end());
  std::sort(citing->begin(), citing->end());
  citing->erase(std::unique(citing->begin(), citing->end()), citing->end());
  return absl::OkStatus();
}

absl::Status Engine::RelatedWorks::AddCoCited(TermId seed,
                                              std::vector<TermId> citing) {
  absl::flat_hash_map<TermId, int> co_cited;
  // A classic's thousands of citing works: the first ones are enough (each
  // is one more read of a work's references).
  if (citing.size() > kMaxCoCiting) citing.resize(kMaxCoCiting);
  for (TermId c : citing) {
    BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> refs,
                           Ids(c, vocab::kCites, 0, 2, SIZE_MAX));
    for (TermId r : refs) {
      if (r != seed) ++co_cited[r];
    }
  }
  for (const auto& [w, n] : co_cited) {
    Add(w, 1.0 * n,
        Reason(absl::StrCat("cited together with the seed by ", n,
                            n == 1 ? " work" : " works")));
  }
  return absl::OkStatus();
}

absl::Status Engine::RelatedWorks::AddCoupled(
    TermId seed, const std::vector<TermId>& cited) {
  absl::flat_hash_map<TermId, int> coupled;
  for (TermId r : cited) {
    // The store counts each work's citing works: a classic everyone cites
    // is known without reading them.
    if (view_.InDegree(cites_, r) > static_cast<int64_t>(kMaxShared)) continue;
    BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> others,
                           Ids(0, vocab::kCites, r, 0, kMaxShared + 1));
    if (others.size() > kMaxShared)
      continue;  // a classic everyone cites says little
    for (TermId c : others) {
      if (c != seed) ++coupled[c];
    }
  }
  for (const auto& [w, n] : coupled) {
    Add(w, 0.5 * n,
        Reason(absl::StrCat(
            n, n == 1 ? " shared reference" : " shared references")));
  }
  return absl::OkStatus();
}

absl::Status Engine::RelatedWorks::AddSharedValues(TermId seed) {
  struct Shared {
    const char* predicate;
    const char* what;
    bool idf;
    double weight;
  };
  ViewCache* cache = engine_.cache_;
  for (const Shared& sh :
       {Shared{vocab::kSubject, "subject", true, 1.0},
        Shared{vocab::kCreator, "author", false, 2.0},
        Shared{vocab::kIsPartOf, "journal", false, 1.0},
        Shared{vocab::kIsFundedBy, "funder", false, 1.0},
        Shared{vocab::kSchemaIsPartOf, "programme", false, 1.0}}) {
    BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> values,
                           Ids(seed, sh.predicate, 0, 2, SIZE_MAX));
    const TermId pid = engine_.PredId(sh.predicate);
    for (TermId value : values) {
      // Which values are too common is remembered for the database state.
      if (cache && cache->IsCommonValue(pid, value)) continue;
      BIBKG_ASSIGN_OR_RETURN(const Term* value_term,
                             engine_.TermOf(value, /*shared=*/true));
      if (!value_term->is_iri()) continue;
      BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> others,
                             Ids(0, sh.predicate, value, 0, kMaxShared + 1));
      if (others.size() > kMaxShared) {
        if (cache) cache->AddCommonValue(pid, value);
        continue;  // too common to mean anything
      }
      double weight = sh.weight;
      if (sh.idf)
        weight *= std::log(1.0 + static_cast<double>(n_docs_) / others.size());
      BIBKG_ASSIGN_OR_RETURN(std::string label,
                             engine_.LabelOf(value_term->value));
      uint32_t why = Reason(absl::StrCat("shares ", sh.what, " '", label, "'"));
      for (TermId o : others) Add(o, weight, why);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, double>> Engine::RelatedWorks::SeedWords(
    const std::string& seed, TermId seed_id,
    absl::flat_hash_set<TermId>* seed_docs) const {
  // Only the seed's texts and subjects are resolved (not, say, its
  // references).
  std::vector<store::Triple> triples;
  absl::flat_hash_set<TermId> text_predicates;
  for (const char* p : topic::TextPredicates()) {
    if (TermId id = engine_.PredId(p)) text_predicates.insert(id);
  }
  const TermId subject = engine_.PredId(vocab::kSubject);
  std::vector<std::pair<TermId, TermId>> texts;  // (predicate, object)
  BIBKG_RETURN_IF_ERROR(
      view_.ScanIds({seed_id, 0, 0, 0}, [&](const store::IdQuad& q) {
        seed_docs->insert(q.g);
        if (q.p == subject || text_predicates.contains(q.p))
          texts.emplace_back(q.p, q.o);
        return true;
      }));
  std::sort(texts.begin(), texts.end());
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
  const Term seed_term = Term::Iri(seed);
  for (const auto& [p, o] : texts) {
    BIBKG_ASSIGN_OR_RETURN(const Term* pt, engine_.TermOf(p));
    BIBKG_ASSIGN_OR_RETURN(const Term* ot, engine_.TermOf(o));
    triples.push_back({seed_term, *pt, *ot});
    if (p == subject && ot->is_iri()) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> labels,
                             Objects(view_, ot->value, vocab::kPrefLabel));
      for (const Term& l : labels)
        triples.push_back({*ot, Term::Iri(vocab::kPrefLabel), l});
    }
  }
  std::map<std::string, double> words;
  for (const topic::FieldText& f : topic::NodeTexts(triples, seed)) {
    for (const std::string& token : text::Tokenize(f.text)) {
      if (text::IsStopWord(token) || token.size() < 3) continue;
      words[token] += f.weight;
    }
  }
  return words;
}

absl::Status Engine::RelatedWorks::DistinctiveTerms(
    const Bm25& bm25, const std::map<std::string, double>& words,
    const absl::flat_hash_set<TermId>& seed_docs, std::vector<QueryTerm>* terms,
    std::vector<Bm25::Postings>* postings) const {
  ViewCache* cache = engine_.cache_;
  std::vector<QueryTerm> query;
  std::vector<Bm25::Postings> found;  // of each query term, read once
  for (const auto& [token, weight] : words) {
    // Words found in no other document say nothing about relatedness, nor
    // do words found in very many (and those would be costly to score).
    // Which words are common is remembered for the database state.
    if (cache && cache->IsCommonWord(token)) continue;
    QueryTerm t{token, Variants(token, ""), 1.0, /*shorter_forms=*/false};
    bool common = false;
    BIBKG_ASSIGN_OR_RETURN(
        Bm25::Postings others,
        bm25.Find(t, seed_docs, std::max<size_t>(1000, n_docs_ / 1000),
                  &common));
    if (common && cache) cache->AddCommonWord(token);
    if (others.empty() || common) continue;
    t.boost = weight * bm25.Idf(others.size() + 1);
    query.push_back(std::move(t));
    found.push_back(std::move(others));
  }
  std::vector<size_t> order(query.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return query[a].boost != query[b].boost
               ? query[a].boost > query[b].boost
               : query[a].display < query[b].display;
  });
  if (order.size() > kMaxSimilarTerms) order.resize(kMaxSimilarTerms);
  for (size_t i : order) {
    terms->push_back(std::move(query[i]));
    postings->push_back(std::move(found[i]));
  }
  double top = terms->empty() ? 1.0 : terms->front().boost;
  for (QueryTerm& t : *terms) t.boost /= top;
  return absl::OkStatus();
}

absl::Status Engine::RelatedWorks::AddSimilarText(const std::string& seed,
                                                  TermId seed_id,
                                                  size_t limit) {
  absl::flat_hash_set<TermId> seed_docs;
  using Words = std::map<std::string, double>;
  BIBKG_ASSIGN_OR_RETURN(Words words, SeedWords(seed, seed_id, &seed_docs));
  Bm25 bm25(view_);
  std::vector<QueryTerm> best_terms;
  std::vector<Bm25::Postings> best_postings;
  BIBKG_RETURN_IF_ERROR(
      DistinctiveTerms(bm25, words, seed_docs, &best_terms, &best_postings));
  BIBKG_ASSIGN_OR_RETURN(std::vector<DocScore> similar,
                         bm25.Score(best_terms, limit * 3 + 10, nullptr,
                                    seed_docs, std::move(best_postings)));
  double best = similar.empty() ? 0 : similar.front().score;
  for (const DocScore& d : similar) {
    if (d.work == seed_id || best <= 0) continue;
    std::string terms;
    for (const std::string& t : TopTerms(d.contributions, 4)) {
      absl::StrAppend(&terms, terms.empty() ? "" : ", ", "'", t, "'");
    }
    Add(d.work, 2.0 * d.score / best, Reason("similar text: " + terms));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RelatedHit>> Engine::RelatedWorks::Best(
    size_t limit) {
  // Rank on scores alone; equal scores in the order the database first knew
  // the works (term id), so that a tie among thousands (one shared journal)
  // resolves nothing but the winners.
  std::vector<std::pair<double, TermId>> by_score;
  by_score.reserve(cands_.size());
  for (const auto& [id, c] : cands_) by_score.emplace_back(c.score, id);
  std::sort(by_score.begin(), by_score.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<RelatedHit> hits;
  for (size_t i = 0; i < by_score.size() && hits.size() < limit; ++i) {
    const auto& [score, id] = by_score[i];
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(id));
    if (!t->is_iri() || IsStub(t->value)) continue;
    RelatedHit h;
    BIBKG_ASSIGN_OR_RETURN(h.work, engine_.Summarize(t->value));
    if (h.work.title.empty() || h.work.type == vocab::kJournal) continue;
    h.score = score;
    Candidate& c = cands_[id];
    std::stable_sort(
        c.reasons.begin(), c.reasons.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [part, r] : c.reasons) {
      const std::string& text = reason_texts_[r];
      if (std::find(h.reasons.begin(), h.reasons.end(), text) ==
          h.reasons.end()) {
        h.reasons.push_back(text);
      }
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

absl::StatusOr<std::vector<RelatedHit>> Engine::Related(
    const std::vector<std::string>& seeds, size_t limit) const {
  RelatedWorks related(*this, seeds);
  for (const std::string& seed : seeds) {
    BIBKG_RETURN_IF_ERROR(related.AddSeed(seed, limit));
  }
  return related.Best(limit);
}

}  // namespace bibkg::query
