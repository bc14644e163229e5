#include "query/engine.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "query/scoring.h"
#include "store/list_reader.h"
#include "store/topic_postings.h"
#include "text/analysis.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"
#include "topic/document.h"

namespace bibkg::query {
namespace {

using store::Quad;
using store::Term;
using store::TermId;
namespace vocab = ::bibkg::vocab;

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

bool IsStub(const std::string& iri) {
  return iri.find("/id/stub/") != std::string::npos;
}

}  // namespace

// ---------------------------------------------------------------------------
// Small graph helpers over the view.

namespace {

// The distinct terms at position `want` (0 = subject, 2 = object) of the
// quads matching (s, p, o), in index order, at most `limit`. The same fact
// stated by many records (a journal's title in every article's record) is
// resolved once.
absl::StatusOr<std::vector<Term>> Distinct(const store::ReadView& view,
                                           std::optional<Term> s, const char* p,
                                           std::optional<Term> o, int want,
                                           size_t limit) {
  store::IdPattern pat;
  for (auto [term, slot] : {std::pair{&s, &pat.s}, std::pair{&o, &pat.o}}) {
    if (!term->has_value()) continue;
    absl::StatusOr<TermId> id = view.Lookup(**term);
    if (absl::IsNotFound(id.status())) return std::vector<Term>();
    BIBKG_RETURN_IF_ERROR(id.status());
    *slot = *id;
  }
  absl::StatusOr<TermId> pid = view.Lookup(Term::Iri(p));
  if (absl::IsNotFound(pid.status())) return std::vector<Term>();
  BIBKG_RETURN_IF_ERROR(pid.status());
  pat.p = *pid;
  std::vector<TermId> ids;
  BIBKG_RETURN_IF_ERROR(view.ScanDistinct(pat, want, [&](TermId id) {
    ids.push_back(id);
    return ids.size() < limit;
  }));
  std::vector<Term> out;
  out.reserve(ids.size());
  for (TermId id : ids) {
    BIBKG_ASSIGN_OR_RETURN(Term t, view.Resolve(id));
    out.push_back(std::move(t));
  }
  return out;
}

absl::StatusOr<std::vector<Term>> Objects(const store::ReadView& view,
                                          const std::string& s, const char* p,
                                          size_t limit = SIZE_MAX) {
  return Distinct(view, Term::Iri(s), p, std::nullopt, 2, limit);
}

absl::StatusOr<std::vector<std::string>> SubjectsOf(const store::ReadView& view,
                                                    const char* p,
                                                    const Term& o,
                                                    size_t limit = SIZE_MAX) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> subjects,
                         Distinct(view, std::nullopt, p, o, 0, limit));
  std::vector<std::string> out;
  for (Term& t : subjects) {
    if (t.is_iri()) out.push_back(std::move(t.value));
  }
  return out;
}

absl::Status NothingKnown(const std::string& iri) {
  return absl::NotFoundError("nothing is known about " + iri);
}

absl::StatusOr<std::string> FirstValue(const store::ReadView& view,
                                       const std::string& s, const char* p) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> os, Objects(view, s, p, 1));
  return os.empty() ? std::string() : os[0].value;
}

}  // namespace

absl::StatusOr<std::string> Engine::Resolve(const std::string& raw_id,
                                            bool check_known) const {
  std::string id(text::CollapseSpace(raw_id));
  if (id.empty()) return absl::InvalidArgumentError("empty work identifier");
  std::string iri;
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower.rfind("issn:", 0) == 0 || lower.rfind("urn:issn:", 0) == 0) {
    absl::StatusOr<text::Issn> issn =
        text::ParseIssn(id.substr(id.find(':', 3) + 1));
    if (!issn.ok()) return issn.status();
    iri = "urn:issn:" + issn->normalized;
  } else if (lower.rfind("isbn:", 0) == 0) {
    std::string digits;
    for (char c : id.substr(5)) {
      if (std::isdigit(static_cast<unsigned char>(c)) || c == 'X' || c == 'x')
        digits.push_back(c);
    }
    BIBKG_ASSIGN_OR_RETURN(
        std::vector<std::string> works,
        SubjectsOf(*view_, vocab::kIsbn13, Term::Literal(digits)));
    if (works.empty())
      return absl::NotFoundError("no work with ISBN " + digits);
    return works[0];
  } else if (absl::StatusOr<std::string> doi = text::NormalizeDoi(id);
             doi.ok()) {
    iri = text::DoiIri(*doi);
  } else if (id.find("://") != std::string::npos || id.rfind("urn:", 0) == 0) {
    iri = id;
  } else {
    return absl::InvalidArgumentError(
        "\"" + id +
        "\" is neither a DOI, an issn:/isbn: identifier nor an IRI");
  }
  if (!check_known) return iri;
  // Known when some quad has it as subject (ids only: nothing resolved).
  bool found = false;
  absl::StatusOr<TermId> self = IdOf(iri);
  if (!self.ok() && !absl::IsNotFound(self.status())) return self.status();
  if (self.ok()) {
    BIBKG_RETURN_IF_ERROR(
        view_->ScanIds({*self, 0, 0, 0}, [&](const store::IdQuad&) {
          found = true;
          return false;
        }));
  }
  if (!found) return NothingKnown(iri);
  return iri;
}

struct Engine::Node {
  std::vector<std::pair<TermId, TermId>> po;  // (predicate, object), distinct
  std::vector<TermId> graphs;                 // distinct, in index order

  std::vector<TermId> Objects(TermId p) const {
    std::vector<TermId> out;
    if (p == 0) return out;
    for (const auto& [pp, o] : po) {
      if (pp == p) out.push_back(o);
    }
    return out;
  }
};

absl::StatusOr<Engine::Node> Engine::LoadNode(const std::string& iri) const {
  Node node;
  absl::StatusOr<TermId> id = IdOf(iri);
  if (absl::IsNotFound(id.status())) return node;
  BIBKG_RETURN_IF_ERROR(id.status());
  constexpr size_t kCap = 20000;  // a node stated by very many records
  size_t seen = 0;
  absl::flat_hash_set<std::pair<TermId, TermId>> po;
  absl::flat_hash_set<TermId> graphs;
  BIBKG_RETURN_IF_ERROR(
      view_->ScanIds({*id, 0, 0, 0}, [&](const store::IdQuad& q) {
        if (po.insert({q.p, q.o}).second) node.po.emplace_back(q.p, q.o);
        if (graphs.insert(q.g).second) node.graphs.push_back(q.g);
        return ++seen < kCap;
      }));
  return node;
}

absl::StatusOr<TermId> Engine::IdOf(const std::string& iri) const {
  if (auto it = ids_.find(iri); it != ids_.end()) {
    if (it->second == 0) {
      return absl::NotFoundError("unknown term " + Term::Iri(iri).ToNTriples());
    }
    return it->second;
  }
  absl::StatusOr<TermId> id = view_->Lookup(Term::Iri(iri));
  // A failed read is not remembered.
  if (id.ok() || absl::IsNotFound(id.status()))
    ids_.emplace(iri, id.ok() ? *id : 0);
  return id;
}

TermId Engine::PredId(const char* iri) const {
  auto it = pred_ids_.find(iri);
  if (it != pred_ids_.end()) return it->second;
  TermId value = 0;
  if (!cache_ || !cache_->FindPredicate(iri, &value)) {
    absl::StatusOr<TermId> id = view_->Lookup(Term::Iri(iri));
    value = id.ok() ? *id : 0;
    // A failed read is not remembered beyond this request.
    if (cache_ && (id.ok() || absl::IsNotFound(id.status())))
      cache_->AddPredicate(iri, value);
  }
  pred_ids_.emplace(iri, value);
  return value;
}

absl::StatusOr<const Term*> Engine::TermOf(TermId id, bool shared) const {
  auto it = terms_.find(id);
  if (it != terms_.end()) return &it->second;
  std::string iri;
  const bool cached = shared && cache_ && cache_->FindIri(id, &iri);
  Term t;
  if (cached) {
    t = Term::Iri(std::move(iri));
  } else {
    BIBKG_ASSIGN_OR_RETURN(t, view_->Resolve(id));
    if (shared && cache_ && t.is_iri()) cache_->AddIri(id, t.value);
  }
  return Keep(id, std::move(t));
}

const Term* Engine::Keep(TermId id, Term t) const {
  // An IRI's id is known now: a label or node read of it needs no lookup.
  if (t.is_iri()) ids_.emplace(t.value, id);
  return &terms_.emplace(id, std::move(t)).first->second;
}

absl::Status Engine::ReadTerms(std::vector<TermId> ids) const {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ids.erase(std::remove_if(ids.begin(), ids.end(),
                           [&](TermId id) { return terms_.count(id) > 0; }),
            ids.end());
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> got, view_->ResolveMany(ids));
  for (size_t i = 0; i < ids.size(); ++i) Keep(ids[i], std::move(got[i]));
  return absl::OkStatus();
}

template <typename Key>
typename ViewCache::ShardedMap<Key>::Shard& ViewCache::ShardedMap<Key>::ShardOf(
    const Key& key) const {
  return shards_[absl::Hash<Key>()(key) % kShards];
}

template <typename Key>
bool ViewCache::ShardedMap<Key>::Find(const Key& key,
                                      std::string* value) const {
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.map.find(key);
  if (it == shard.map.end()) return false;
  *value = it->second;
  return true;
}

template <typename Key>
void ViewCache::ShardedMap<Key>::Add(const Key& key, const std::string& value) {
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.map.size() < max_per_shard_) shard.map.emplace(key, value);
}

bool ViewCache::FindLabel(const std::string& iri, std::string* label) const {
  return labels_.Find(iri, label);
}

void ViewCache::AddLabel(const std::string& iri, const std::string& label) {
  labels_.Add(iri, label);
}

bool ViewCache::FindIri(TermId id, std::string* iri) const {
  return iris_.Find(id, iri);
}

void ViewCache::AddIri(TermId id, const std::string& iri) {
  iris_.Add(id, iri);
}

bool ViewCache::FindDocEntry(TermId graph, std::string* entry) const {
  return doc_entries_.Find(graph, entry);
}

void ViewCache::AddDocEntry(TermId graph, const std::string& entry) {
  doc_entries_.Add(graph, entry);
}

bool ViewCache::IsCommonWord(const std::string& word) const {
  std::lock_guard<std::mutex> lock(mu_);
  return common_words_.contains(word);
}

void ViewCache::AddCommonWord(const std::string& word) {
  std::lock_guard<std::mutex> lock(mu_);
  if (common_words_.size() < kMaxEntries) common_words_.insert(word);
}

bool ViewCache::IsCommonValue(TermId predicate, TermId value) const {
  std::lock_guard<std::mutex> lock(mu_);
  return common_values_.contains({predicate, value});
}

void ViewCache::AddCommonValue(TermId predicate, TermId value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (common_values_.size() < kMaxEntries)
    common_values_.insert({predicate, value});
}

bool ViewCache::FindPredicate(const std::string& iri, TermId* id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = predicates_.find(iri);
  if (it == predicates_.end()) return false;
  *id = it->second;
  return true;
}

void ViewCache::AddPredicate(const std::string& iri, TermId id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (predicates_.size() < kMaxEntries) predicates_.emplace(iri, id);
}

bool ViewCache::FindIssns(const std::string& venue,
                          std::vector<std::string>* issns) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = issns_.find(venue);
  if (it == issns_.end()) return false;
  *issns = it->second;
  return true;
}

void ViewCache::AddIssns(const std::string& venue,
                         const std::vector<std::string>& issns) {
  std::lock_guard<std::mutex> lock(mu_);
  if (issns_.size() < kMaxEntries) issns_.emplace(venue, issns);
}

std::shared_ptr<const scoring::TermLists> ViewCache::FindPostings(
    const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = postings_.find(key);
  return it == postings_.end() ? nullptr : it->second;
}

void ViewCache::AddPostings(
    const std::string& key,
    std::shared_ptr<const scoring::TermLists> postings) {
  size_t n = 0;
  for (const scoring::ScoreList& l : *postings) n += l.size();
  if (n < kMinCachedPostings) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_postings_ + n > kMaxCachedPostings) return;
  if (postings_.emplace(key, std::move(postings)).second) cached_postings_ += n;
}

size_t ViewCache::CachedPostings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cached_postings_;
}

absl::StatusOr<std::string> Engine::LabelOf(const std::string& iri) const {
  if (auto it = labels_.find(iri); it != labels_.end()) return it->second;
  std::string label;
  if (cache_ && cache_->FindLabel(iri, &label)) {
    labels_.emplace(iri, label);
    return label;
  }
  absl::StatusOr<TermId> id = IdOf(iri);
  if (!id.ok() && !absl::IsNotFound(id.status())) return id.status();
  if (id.ok()) {
    // The label predicates by preference, and the first object of each.
    const TermId pids[3] = {PredId(vocab::kTitle), PredId(vocab::kName),
                            PredId(vocab::kPrefLabel)};
    TermId found[3] = {0, 0, 0};
    const TermId last = std::max({pids[0], pids[1], pids[2]});
    // Most nodes have a few statements: one walk over them, in predicate
    // order, up to the last label predicate. A node stated by many records
    // repeats each statement per graph: past kWalk quads, one seek per label
    // predicate not reached yet.
    constexpr size_t kWalk = 32;
    size_t steps = 0;
    TermId reached = 0;  // the predicate the walk stopped at, when cut short
    BIBKG_RETURN_IF_ERROR(
        view_->ScanIds({*id, 0, 0, 0}, [&](const store::IdQuad& q) {
          if (q.p > last) return false;
          for (int r = 0; r < 3; ++r) {
            if (q.p == pids[r] && found[r] == 0) found[r] = q.o;
          }
          if (found[0] != 0) return false;  // the preferred one
          if (++steps == kWalk) {
            reached = q.p;
            return false;
          }
          return true;
        }));
    if (reached != 0) {
      for (int r = 0; r < 3; ++r) {
        if (pids[r] <= reached || found[r] != 0) continue;
        BIBKG_RETURN_IF_ERROR(
            view_->ScanIds({*id, pids[r], 0, 0}, [&](const store::IdQuad& q) {
              found[r] = q.o;
              return false;
            }));
      }
    }
    TermId best = 0;
    for (int r = 0; r < 3 && best == 0; ++r) best = found[r];
    if (best != 0) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(best));
      label = t->value;
    }
  }
  labels_.emplace(iri, label);
  if (cache_) cache_->AddLabel(iri, label);
  return label;
}

absl::StatusOr<WorkSummary> Engine::SummarizeNode(const std::string& iri,
                                                  const Node& node) const {
  WorkSummary w;
  w.iri = iri;
  auto first = [&](const char* p) -> absl::StatusOr<std::string> {
    std::vector<TermId> os = node.Objects(PredId(p));
    if (os.empty()) return std::string();
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(os[0]));
    return t->value;
  };
  for (const char* p : {vocab::kTitle, vocab::kName, vocab::kPrefLabel}) {
    BIBKG_ASSIGN_OR_RETURN(w.title, first(p));
    if (!w.title.empty()) break;
  }
  for (TermId t : node.Objects(PredId(vocab::kRdfType))) {
    BIBKG_ASSIGN_OR_RETURN(const Term* type, TermOf(t, /*shared=*/true));
    if (w.type.empty() || w.type == vocab::kUnresolved) w.type = type->value;
  }
  BIBKG_ASSIGN_OR_RETURN(w.issued, first(vocab::kIssued));
  BIBKG_ASSIGN_OR_RETURN(w.doi, first(vocab::kDoi));
  for (TermId c : node.Objects(PredId(vocab::kCreator))) {
    BIBKG_ASSIGN_OR_RETURN(const Term* creator, TermOf(c, /*shared=*/true));
    BIBKG_ASSIGN_OR_RETURN(std::string label, LabelOf(creator->value));
    w.creators.push_back(label);
  }
  std::vector<TermId> venues = node.Objects(PredId(vocab::kIsPartOf));
  if (!venues.empty()) {
    BIBKG_ASSIGN_OR_RETURN(const Term* venue,
                           TermOf(venues[0], /*shared=*/true));
    BIBKG_ASSIGN_OR_RETURN(w.venue, LabelOf(venue->value));
  }
  return w;
}

absl::StatusOr<WorkSummary> Engine::Summarize(const std::string& iri) const {
  BIBKG_ASSIGN_OR_RETURN(Node node, LoadNode(iri));
  return SummarizeNode(iri, node);
}

absl::StatusOr<Work> Engine::GetWork(const std::string& iri,
                                     bool require_known) const {
  Work w;
  BIBKG_ASSIGN_OR_RETURN(Node node, LoadNode(iri));
  if (require_known && node.po.empty()) return NothingKnown(iri);
  {
    // The work's own literals and its records' names, read in one batch:
    // written together, they sit side by side in the dictionary. (The nodes
    // it names, shared with other works, come from the view's cache.)
    absl::flat_hash_set<TermId> own;
    for (const char* p :
         {vocab::kTitle, vocab::kAlternative, vocab::kIssued, vocab::kDoi,
          vocab::kVolume, vocab::kIssue, vocab::kPageStart, vocab::kPageEnd,
          vocab::kAbstract, vocab::kDescription}) {
      if (TermId pid = PredId(p)) own.insert(pid);
    }
    std::vector<TermId> ids = node.graphs;
    for (const auto& [p, o] : node.po) {
      if (own.contains(p)) ids.push_back(o);
    }
    BIBKG_RETURN_IF_ERROR(ReadTerms(std::move(ids)));
  }
  BIBKG_ASSIGN_OR_RETURN(w.summary, SummarizeNode(iri, node));
  const store::ReadView& v = *view_;
  // `shared`: the objects are nodes that many works name (see TermOf).
  auto terms = [&](const char* p,
                   bool shared =
                       false) -> absl::StatusOr<std::vector<const Term*>> {
    std::vector<const Term*> out;
    for (TermId id : node.Objects(PredId(p))) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id, shared));
      out.push_back(t);
    }
    return out;
  };
  auto texts = [&](const char* p) -> absl::StatusOr<std::vector<Text>> {
    BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> ts, terms(p));
    std::vector<Text> out;
    for (const Term* t : ts) {
      if (t->is_literal()) {
        out.push_back(
            {t->value, t->kind == Term::Kind::kLangLiteral ? t->extra : ""});
      }
    }
    return out;
  };
  auto named = [&](const char* p) -> absl::StatusOr<std::vector<NamedNode>> {
    BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> ts,
                           terms(p, /*shared=*/true));
    std::vector<NamedNode> out;
    for (const Term* t : ts) {
      if (!t->is_iri()) continue;
      BIBKG_ASSIGN_OR_RETURN(std::string label, LabelOf(t->value));
      out.push_back({t->value, label});
    }
    return out;
  };
  auto first = [&](const char* p) -> absl::StatusOr<std::string> {
    BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> ts, terms(p));
    return ts.empty() ? std::string() : ts[0]->value;
  };
  BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> types,
                         terms(vocab::kRdfType, /*shared=*/true));
  for (const Term* t : types) w.types.push_back(t->value);
  BIBKG_ASSIGN_OR_RETURN(w.titles, texts(vocab::kTitle));
  BIBKG_ASSIGN_OR_RETURN(w.alternative_titles, texts(vocab::kAlternative));
  BIBKG_ASSIGN_OR_RETURN(w.creators, named(vocab::kCreator));
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> venues,
                         named(vocab::kIsPartOf));
  if (!venues.empty()) {
    w.venue = venues[0];
    if (!cache_ || !cache_->FindIssns(w.venue->iri, &w.issns)) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> issns,
                             Objects(v, venues[0].iri, vocab::kIssn, 8));
      for (const Term& t : issns) w.issns.push_back(t.value);
      if (cache_) cache_->AddIssns(w.venue->iri, w.issns);
    }
  }
  BIBKG_ASSIGN_OR_RETURN(w.volume, first(vocab::kVolume));
  BIBKG_ASSIGN_OR_RETURN(w.issue, first(vocab::kIssue));
  BIBKG_ASSIGN_OR_RETURN(w.page_start, first(vocab::kPageStart));
  BIBKG_ASSIGN_OR_RETURN(w.page_end, first(vocab::kPageEnd));
  BIBKG_ASSIGN_OR_RETURN(w.subjects, named(vocab::kSubject));
  BIBKG_ASSIGN_OR_RETURN(w.abstracts, texts(vocab::kAbstract));
  BIBKG_ASSIGN_OR_RETURN(w.descriptions, texts(vocab::kDescription));
  BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> langs,
                         terms(vocab::kLanguage, /*shared=*/true));
  for (const Term* t : langs)
    w.languages.push_back(t->value.substr(t->value.rfind('/') + 1));
  BIBKG_ASSIGN_OR_RETURN(w.funders, named(vocab::kIsFundedBy));
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> programmes,
                         named(vocab::kSchemaIsPartOf));
  if (!programmes.empty()) w.programme = programmes[0];
  BIBKG_ASSIGN_OR_RETURN(std::vector<const Term*> amounts,
                         terms(vocab::kAmount));
  if (!amounts.empty()) {
    BIBKG_ASSIGN_OR_RETURN(w.amount,
                           FirstValue(v, amounts[0]->value, vocab::kValue));
    BIBKG_ASSIGN_OR_RETURN(w.currency,
                           FirstValue(v, amounts[0]->value, vocab::kCurrency));
  }
  // Links are counted, not described: a classic may be cited by thousands.
  absl::StatusOr<TermId> self = IdOf(iri);
  if (!self.ok() && !absl::IsNotFound(self.status())) return self.status();
  for (const char* p : {vocab::kCites, vocab::kRelation}) {
    w.reference_count += node.Objects(PredId(p)).size();
    TermId pid = PredId(p);
    if (pid == 0) continue;
    if (!self.ok()) continue;
    if (p == vocab::kCites) {
      // Kept up to date by the store at every write: one read.
      w.citation_count += v.InDegree(pid, *self);
      continue;
    }
    BIBKG_RETURN_IF_ERROR(v.ScanDistinct({0, pid, *self, 0}, 0, [&](TermId) {
      ++w.citation_count;
      return true;
    }));
  }
  for (TermId g : node.graphs) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(g));
    w.sources.push_back(t->value);
  }
  std::sort(w.sources.begin(), w.sources.end());
  return w;
}

absl::StatusOr<std::vector<Link>> Engine::Links(const std::string& iri,
                                                bool incoming, size_t offset,
                                                size_t limit,
                                                size_t* total) const {
  // The links as ids first (a classic may be cited by thousands); only the
  // page's are described.
  struct Ref {
    TermId other, g;
    const char* relation;
  };
  std::vector<Ref> refs;
  absl::StatusOr<TermId> self = IdOf(iri);
  if (!self.ok() && !absl::IsNotFound(self.status())) return self.status();
  if (self.ok()) {
    for (const char* p : {vocab::kCites, vocab::kRelation}) {
      TermId pid = PredId(p);
      if (pid == 0) continue;
      const char* relation = p == vocab::kCites ? "cites" : "related";
      store::IdPattern pattern = incoming ? store::IdPattern{0, pid, *self, 0}
                                          : store::IdPattern{*self, pid, 0, 0};
      BIBKG_RETURN_IF_ERROR(
          view_->ScanIds(pattern, [&](const store::IdQuad& q) {
            refs.push_back({incoming ? q.s : q.o, q.g, relation});
            return true;
          }));
    }
  }
  std::vector<Link> out;
  size_t n = 0;
  for (const Ref& r : refs) {
    BIBKG_ASSIGN_OR_RETURN(const Term* other, TermOf(r.other));
    if (!other->is_iri()) continue;
    if (n++ < offset || out.size() >= limit) continue;
    Link link;
    BIBKG_ASSIGN_OR_RETURN(link.work, Summarize(other->value));
    link.relation = r.relation;
    BIBKG_ASSIGN_OR_RETURN(const Term* g, TermOf(r.g));
    link.source = g->value;
    out.push_back(std::move(link));
  }
  if (total) *total = n;
  return out;
}

absl::StatusOr<std::vector<WorkSummary>> Engine::WorksByCreator(
    const std::string& person) const {
  BIBKG_ASSIGN_OR_RETURN(
      std::vector<std::string> works,
      SubjectsOf(*view_, vocab::kCreator, Term::Iri(person)));
  std::vector<WorkSummary> out;
  for (const std::string& w : works) {
    BIBKG_ASSIGN_OR_RETURN(WorkSummary s, Summarize(w));
    out.push_back(std::move(s));
  }
  return out;
}

// ---------------------------------------------------------------------------
// BM25 over the topic index.

namespace {

struct QueryTerm {
  std::string display;                // the word as the user (or seed) wrote it
  std::vector<std::string> variants;  // index terms it may appear as
  double boost = 1.0;
  bool shorter_forms = true;  // also match shorter forms at half weight
};

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

// One scored work: the best of its documents.
struct DocScore {
  TermId work = 0;
  double score = 0;
  std::vector<std::pair<double, std::string>>
      contributions;     // (score, display)
  store::DocInfo entry;  // the document entry, as read
};

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
      size_t limit = SIZE_MAX, bool* truncated = nullptr) const {
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
      bool legacy = false;
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
        if (!(legacy ? store::ParseLegacyPosting(val, &tf, &dl)
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
      // A database indexed before postings were kept in lists has them as
      // one aux entry each (`bibkg reindex` moves them): a second run.
      if (s.ok() && !full && !too_many && !corrupt) {
        const size_t legacy_start = out.size();
        legacy = true;
        s = view_.ScanAux(prefix, add);
        if (out.size() > legacy_start && legacy_start > start)
          runs.push_back(legacy_start);
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
    if (corrupt)
      return absl::DataLossError("corrupt posting in the topic index");
    if (truncated) *truncated = full;
    // Each scan comes in document order; several are merged, keeping the
    // highest frequency of a document.
    auto by_doc = [](const Posting& a, const Posting& b) {
      return a.g != b.g ? a.g < b.g : a.tf > b.tf;
    };
    if (runs.size() > 1) {
      for (size_t r = 1; r < runs.size(); ++r) {
        size_t end = r + 1 < runs.size() ? runs[r + 1] : out.size();
        std::inplace_merge(out.begin(), out.begin() + runs[r],
                           out.begin() + end, by_doc);
      }
      out.erase(std::unique(out.begin(), out.end(),
                            [](const Posting& a, const Posting& b) {
                              return a.g == b.g;
                            }),
                out.end());
    }
    return out;
  }

  // The document entries of `graphs` (nullopt where there is none): from
  // the view's cache, the others in one batch from the store, then kept.
  absl::StatusOr<std::vector<std::optional<std::string>>> DocEntries(
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
      std::vector<Postings> known = {}) {
    // Each term's postings, in document order, then one merge over them: no
    // allocation per document.
    std::vector<Postings> read = std::move(known);
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
      size_t batch =
          std::min(ranked.size(), done + (max_works - out.size()) + 8);
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

 private:
  const store::ReadView& view_;
  ViewCache* cache_;
  mutable std::string list_buffer_;  // Find's stored list values, reused
  uint64_t docs_ = 0;
  double avgdl_ = 1.0;
};

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

// A subject, author, journal or reference shared with more works than this
// is too common to say anything about relatedness.
constexpr size_t kMaxShared = 2000;
// Citing works of a seed whose references are read for co-citation.
constexpr size_t kMaxCoCiting = 300;

// Hits looked at for facets, and at most for filtered searches.
constexpr size_t kFacetWindow = 200;
// Subjects named in a search's facets, the most frequent.
constexpr size_t kMaxSubjectFacets = 50;
constexpr size_t kFilterWindow = 5000;

}  // namespace

absl::StatusOr<SearchResult> Engine::Search(
    const SearchOptions& options) const {
  std::vector<QueryTerm> terms;
  for (const std::string& token : text::Tokenize(options.query)) {
    if (text::IsStopWord(token)) continue;
    terms.push_back({token, Variants(token, options.language), 1.0});
  }
  if (terms.empty()) {
    return absl::InvalidArgumentError("the query \"" + options.query +
                                      "\" has no searchable words");
  }
  const bool filtered = !options.types.empty() || options.year_from ||
                        options.year_to || !options.language.empty() ||
                        !options.funder.empty();
  size_t window = filtered
                      ? kFilterWindow
                      : std::max(kFacetWindow, options.offset + options.limit);
  Bm25 bm25(*view_, cache_);
  size_t matched = 0;
  BIBKG_ASSIGN_OR_RETURN(std::vector<DocScore> ranked,
                         bm25.Score(terms, window, &matched));

  // Filters and facets read what the hit's document entry keeps of its
  // record (types, year, subjects, languages, funders), by term id; only the
  // hits on the page are read in full. An entry that names them by IRI has
  // them looked up; one written before they were kept falls back to the
  // work's statements.
  struct Facts {
    int year = 0;
    std::vector<TermId> types, subjects, funders;
    std::vector<std::string> languages;
  };
  auto ids_of = [&](const std::vector<std::string>& iris,
                    std::vector<TermId>* out) -> absl::Status {
    for (const std::string& iri : iris) {
      absl::StatusOr<TermId> id = IdOf(iri);
      if (id.ok()) {
        out->push_back(*id);
      } else if (!absl::IsNotFound(id.status())) {
        return id.status();
      }
    }
    return absl::OkStatus();
  };
  auto facts_of_node = [&](const Node& node) -> absl::StatusOr<Facts> {
    Facts f;
    auto iris = [&](const char* p, std::vector<TermId>* out) -> absl::Status {
      for (TermId id : node.Objects(PredId(p))) {
        BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id, /*shared=*/true));
        if (t->is_iri()) out->push_back(id);
      }
      return absl::OkStatus();
    };
    std::vector<TermId> issued = node.Objects(PredId(vocab::kIssued));
    if (!issued.empty()) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(issued[0]));
      f.year = text::YearOf(t->value);
    }
    BIBKG_RETURN_IF_ERROR(iris(vocab::kRdfType, &f.types));
    BIBKG_RETURN_IF_ERROR(iris(vocab::kSubject, &f.subjects));
    BIBKG_RETURN_IF_ERROR(iris(vocab::kIsFundedBy, &f.funders));
    for (TermId id : node.Objects(PredId(vocab::kTitle))) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id));
      if (t->kind == Term::Kind::kLangLiteral) f.languages.push_back(t->extra);
    }
    for (TermId id : node.Objects(PredId(vocab::kLanguage))) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id, /*shared=*/true));
      f.languages.push_back(t->value.substr(t->value.rfind('/') + 1));
    }
    return f;
  };
  // The filters' IRIs as ids: one the store never saw matches nothing.
  std::vector<TermId> type_filter, funder_filter;
  BIBKG_RETURN_IF_ERROR(ids_of(options.types, &type_filter));
  if (!options.funder.empty()) {
    BIBKG_RETURN_IF_ERROR(ids_of({options.funder}, &funder_filter));
  }
  auto has = [](const auto& values, const auto& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  auto passes = [&](const Facts& f) {
    if (!options.types.empty() &&
        std::none_of(f.types.begin(), f.types.end(),
                     [&](TermId t) { return has(type_filter, t); }))
      return false;
    if (options.year_from && (f.year == 0 || f.year < options.year_from))
      return false;
    if (options.year_to && (f.year == 0 || f.year > options.year_to))
      return false;
    if (!options.funder.empty() &&
        (funder_filter.empty() || !has(f.funders, funder_filter[0])))
      return false;
    if (!options.language.empty() && !has(f.languages, options.language))
      return false;
    return true;
  };
  // The work's IRI: as its entry names it, else from its id.
  auto iri_of = [&](const DocScore& d) -> absl::StatusOr<std::string> {
    if (!d.entry.work.empty()) return d.entry.work;
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(d.work));
    return t->value;
  };

  SearchResult result;
  std::map<std::string, uint64_t> years;
  // Types and subjects are counted by id and named once each at the end:
  // the window's hits share most of them.
  absl::flat_hash_map<TermId, uint64_t> type_ids, subject_ids;
  size_t passing = 0, faceted = 0;
  for (const DocScore& d : ranked) {
    bool in_page =
        passing >= options.offset && result.hits.size() < options.limit;
    bool want_facets = faceted < kFacetWindow;
    if (!filtered && !in_page && !want_facets) break;
    std::optional<Node> node;
    Facts facts;
    if (d.entry.work_id != 0 && d.entry.facts) {
      facts.year = d.entry.facts->year;
      facts.languages = d.entry.facts->languages;
      facts.types = d.entry.type_ids;
      facts.subjects = d.entry.subject_ids;
      facts.funders = d.entry.funder_ids;
    } else if (d.entry.facts) {
      const store::DocFacts& f = *d.entry.facts;
      facts.year = f.year;
      facts.languages = f.languages;
      BIBKG_RETURN_IF_ERROR(ids_of(f.types, &facts.types));
      BIBKG_RETURN_IF_ERROR(ids_of(f.subjects, &facts.subjects));
      BIBKG_RETURN_IF_ERROR(ids_of(f.funders, &facts.funders));
    } else {
      BIBKG_ASSIGN_OR_RETURN(std::string iri, iri_of(d));
      BIBKG_ASSIGN_OR_RETURN(node, LoadNode(iri));
      BIBKG_ASSIGN_OR_RETURN(facts, facts_of_node(*node));
    }
    if (!passes(facts)) continue;
    if (want_facets) {
      ++faceted;
      if (!facts.types.empty()) ++type_ids[facts.types[0]];
      if (facts.year) ++years[std::to_string(facts.year)];
      for (TermId subject : facts.subjects) ++subject_ids[subject];
    }
    if (in_page) {
      BIBKG_ASSIGN_OR_RETURN(std::string iri, iri_of(d));
      if (!node) {
        BIBKG_ASSIGN_OR_RETURN(node, LoadNode(iri));
      }
      BIBKG_ASSIGN_OR_RETURN(WorkSummary w, SummarizeNode(iri, *node));
      result.hits.push_back(
          {std::move(w), d.score, TopTerms(d.contributions, 5)});
    }
    ++passing;
  }
  // Unfiltered, the total counts matching documents (a work described by two
  // records counts twice); filtered, the hits among the best kFilterWindow.
  result.total = filtered ? passing : std::max(passing, matched);
  std::map<std::string, uint64_t> types, subjects;
  for (const auto& [id, n] : type_ids) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id, /*shared=*/true));
    types[t->value] += n;
  }
  // The most frequent subjects only (ties: the first the store saw), each
  // named once: the window's 200 hits can name hundreds.
  std::vector<std::pair<TermId, uint64_t>> top_subjects(subject_ids.begin(),
                                                        subject_ids.end());
  if (top_subjects.size() > kMaxSubjectFacets) {
    std::partial_sort(
        top_subjects.begin(), top_subjects.begin() + kMaxSubjectFacets,
        top_subjects.end(), [](const auto& a, const auto& b) {
          return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
    top_subjects.resize(kMaxSubjectFacets);
  }
  for (const auto& [id, n] : top_subjects) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id, /*shared=*/true));
    BIBKG_ASSIGN_OR_RETURN(std::string label, LabelOf(t->value));
    subjects[label] += n;
  }
  auto facet = [](const std::map<std::string, uint64_t>& m) {
    std::vector<Facet> out;
    for (const auto& [k, n] : m) out.push_back({k, n});
    std::stable_sort(
        out.begin(), out.end(),
        [](const Facet& a, const Facet& b) { return a.count > b.count; });
    return out;
  };
  result.by_type = facet(types);
  result.by_year = facet(years);
  result.by_subject = facet(subjects);
  return result;
}

absl::StatusOr<size_t> Engine::WarmSearchEntries(
    const std::atomic<bool>* stop) const {
  if (!cache_) return 0;
  size_t n = 0;
  BIBKG_RETURN_IF_ERROR(view_->ScanAux(
      store::kDocKey,
      [&](std::string_view key, TermId graph, std::string_view entry) {
        if (key != store::kDocKey) return true;
        cache_->AddDocEntry(graph, std::string(entry));
        return ++n < ViewCache::kMaxDocEntries && !(stop && *stop);
      }));
  return n;
}

// ---------------------------------------------------------------------------
// Projects

absl::StatusOr<std::vector<std::string>> Engine::FindProjects(
    const ProjectFilter& filter) const {
  std::vector<std::string> candidates;
  if (!filter.topic.empty()) {
    SearchOptions o;
    o.query = filter.topic;
    o.types = {vocab::kProject};
    o.limit = kFilterWindow;
    BIBKG_ASSIGN_OR_RETURN(SearchResult r, Search(o));
    for (const SearchHit& h : r.hits) candidates.push_back(h.work.iri);
  } else {
    BIBKG_ASSIGN_OR_RETURN(candidates,
                           SubjectsOf(*view_, vocab::kRdfType,
                                      Term::Iri(vocab::kProject), 100000));
    std::sort(candidates.begin(), candidates.end());
  }
  std::vector<std::string> out;
  for (const std::string& p : candidates) {
    if (!filter.funder.empty()) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> funders,
                             Objects(*view_, p, vocab::kIsFundedBy));
      if (std::none_of(funders.begin(), funders.end(), [&](const Term& t) {
            return t.value == filter.funder;
          })) {
        continue;
      }
    }
    if (!filter.programme.empty()) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> programmes,
                             Objects(*view_, p, vocab::kSchemaIsPartOf));
      bool match = false;
      for (const Term& t : programmes) {
        if (t.value == filter.programme) match = true;
        BIBKG_ASSIGN_OR_RETURN(std::string code,
                               FirstValue(*view_, t.value, vocab::kNotation));
        if (!code.empty() && code == filter.programme) match = true;
      }
      if (!match) continue;
    }
    out.push_back(p);
  }
  return out;
}

absl::StatusOr<ProjectInfo> Engine::DescribeProject(
    const std::string& iri) const {
  BIBKG_ASSIGN_OR_RETURN(Work w, GetWork(iri));
  ProjectInfo info;
  info.project = std::move(w.summary);
  info.funders = std::move(w.funders);
  info.programme = std::move(w.programme);
  info.amount = std::move(w.amount);
  info.currency = std::move(w.currency);
  BIBKG_ASSIGN_OR_RETURN(
      std::vector<std::string> outputs,
      SubjectsOf(*view_, vocab::kIsFundedBy, Term::Iri(iri), 1000));
  for (const std::string& o : outputs) {
    BIBKG_ASSIGN_OR_RETURN(WorkSummary s, Summarize(o));
    info.outputs.push_back(std::move(s));
  }
  return info;
}

// ---------------------------------------------------------------------------
// Related work

absl::StatusOr<std::vector<RelatedHit>> Engine::Related(
    const std::vector<std::string>& seeds, size_t limit) const {
  const store::ReadView& v = *view_;
  // Candidates and their reasons are kept by term id; only the winners are
  // resolved to IRIs and described.
  struct Candidate {
    double score = 0;
    std::vector<std::pair<double, uint32_t>> reasons;  // (score, reason)
  };
  absl::flat_hash_map<TermId, Candidate> cands;
  std::vector<std::string> reason_texts;
  absl::flat_hash_map<std::string, uint32_t> reason_index;
  auto reason = [&](std::string text) {
    auto [it, inserted] = reason_index.emplace(text, reason_texts.size());
    if (inserted) reason_texts.push_back(std::move(text));
    return it->second;
  };
  absl::flat_hash_set<TermId> seed_ids;
  for (const std::string& seed : seeds) {
    absl::StatusOr<TermId> id = IdOf(seed);
    if (id.ok()) seed_ids.insert(*id);
  }
  auto add = [&](TermId id, double score, uint32_t why) {
    if (id == 0 || seed_ids.contains(id)) return;
    Candidate& c = cands[id];
    c.score += score;
    c.reasons.emplace_back(score, why);
  };
  // Distinct ids at `position` of (s, p, o), at most `limit`.
  auto ids = [&](TermId s, const char* p, TermId o, int position,
                 size_t limit) -> absl::StatusOr<std::vector<TermId>> {
    std::vector<TermId> out;
    TermId pid = PredId(p);
    if (pid == 0) return out;
    BIBKG_RETURN_IF_ERROR(
        v.ScanDistinct({s, pid, o, 0}, position, [&](TermId id) {
          out.push_back(id);
          return out.size() < limit;
        }));
    return out;
  };
  uint64_t n_docs = std::max<int64_t>(v.Counter(store::kTopicDocsCounter), 1);
  const TermId cites = PredId(vocab::kCites);
  const TermId relation = PredId(vocab::kRelation);

  for (const std::string& seed : seeds) {
    absl::StatusOr<TermId> seed_id = IdOf(seed);
    if (absl::IsNotFound(seed_id.status())) continue;
    BIBKG_RETURN_IF_ERROR(seed_id.status());
    // Direct links, both ways.
    std::vector<TermId> cited, citing;
    const uint32_t cited_by_seed = reason("cited by the seed");
    const uint32_t related_of_seed =
        reason("listed under related content of the seed");
    const uint32_t cites_seed = reason("cites the seed");
    const uint32_t lists_seed = reason("lists the seed under related content");
    BIBKG_RETURN_IF_ERROR(
        v.ScanIds({*seed_id, 0, 0, 0}, [&](const store::IdQuad& q) {
          if (q.p == cites && cites != 0) {
            add(q.o, 2.0, cited_by_seed);
            cited.push_back(q.o);
          } else if (q.p == relation && relation != 0) {
            add(q.o, 3.0, related_of_seed);
          }
          return true;
        }));
    BIBKG_RETURN_IF_ERROR(
        v.ScanIds({0, 0, *seed_id, 0}, [&](const store::IdQuad& q) {
          if (q.p == cites && cites != 0) {
            add(q.s, 2.0, cites_seed);
            citing.push_back(q.s);
          } else if (q.p == relation && relation != 0) {
            add(q.s, 3.0, lists_seed);
          }
          return true;
        }));
    std::sort(cited.begin(), cited.end());
    cited.erase(std::unique(cited.begin(), cited.end()), cited.end());
    std::sort(citing.begin(), citing.end());
    citing.erase(std::unique(citing.begin(), citing.end()), citing.end());
    // Co-citation: works cited together with the seed.
    absl::flat_hash_map<TermId, int> co_cited;
    // A classic's thousands of citing works: the first ones are enough (each
    // is one more read of a work's references).
    if (citing.size() > kMaxCoCiting) citing.resize(kMaxCoCiting);
    for (TermId c : citing) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> refs,
                             ids(c, vocab::kCites, 0, 2, SIZE_MAX));
      for (TermId r : refs) {
        if (r != *seed_id) ++co_cited[r];
      }
    }
    for (const auto& [w, n] : co_cited) {
      add(w, 1.0 * n,
          reason(absl::StrCat("cited together with the seed by ", n,
                              n == 1 ? " work" : " works")));
    }
    // Bibliographic coupling: works citing what the seed cites.
    absl::flat_hash_map<TermId, int> coupled;
    for (TermId r : cited) {
      // The store counts each work's citing works: a classic everyone cites
      // is known without reading them.
      if (v.InDegree(cites, r) > static_cast<int64_t>(kMaxShared)) continue;
      BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> others,
                             ids(0, vocab::kCites, r, 0, kMaxShared + 1));
      if (others.size() > kMaxShared)
        continue;  // a classic everyone cites says little
      for (TermId c : others) {
        if (c != *seed_id) ++coupled[c];
      }
    }
    for (const auto& [w, n] : coupled) {
      add(w, 0.5 * n,
          reason(absl::StrCat(
              n, n == 1 ? " shared reference" : " shared references")));
    }
    // Shared subjects, authors, venue, funders.
    struct Shared {
      const char* predicate;
      const char* what;
      bool idf;
      double weight;
    };
    for (const Shared& sh :
         {Shared{vocab::kSubject, "subject", true, 1.0},
          Shared{vocab::kCreator, "author", false, 2.0},
          Shared{vocab::kIsPartOf, "journal", false, 1.0},
          Shared{vocab::kIsFundedBy, "funder", false, 1.0},
          Shared{vocab::kSchemaIsPartOf, "programme", false, 1.0}}) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> values,
                             ids(*seed_id, sh.predicate, 0, 2, SIZE_MAX));
      const TermId pid = PredId(sh.predicate);
      for (TermId value : values) {
        // Which values are too common is remembered for the database state.
        if (cache_ && cache_->IsCommonValue(pid, value)) continue;
        BIBKG_ASSIGN_OR_RETURN(const Term* value_term,
                               TermOf(value, /*shared=*/true));
        if (!value_term->is_iri()) continue;
        BIBKG_ASSIGN_OR_RETURN(std::vector<TermId> others,
                               ids(0, sh.predicate, value, 0, kMaxShared + 1));
        if (others.size() > kMaxShared) {
          if (cache_) cache_->AddCommonValue(pid, value);
          continue;  // too common to mean anything
        }
        double weight = sh.weight;
        if (sh.idf)
          weight *= std::log(1.0 + static_cast<double>(n_docs) / others.size());
        BIBKG_ASSIGN_OR_RETURN(std::string label, LabelOf(value_term->value));
        uint32_t why =
            reason(absl::StrCat("shares ", sh.what, " '", label, "'"));
        for (TermId o : others) add(o, weight, why);
      }
    }
    // Text similarity: the seed's most distinctive words as a query. Only
    // its texts and subjects are resolved (not, say, its references).
    std::vector<store::Triple> triples;
    absl::flat_hash_set<store::TermId> seed_docs;
    absl::flat_hash_set<TermId> text_predicates;
    for (const char* p : topic::TextPredicates()) {
      if (TermId id = PredId(p)) text_predicates.insert(id);
    }
    const TermId subject = PredId(vocab::kSubject);
    std::vector<std::pair<TermId, TermId>> texts;  // (predicate, object)
    BIBKG_RETURN_IF_ERROR(
        v.ScanIds({*seed_id, 0, 0, 0}, [&](const store::IdQuad& q) {
          seed_docs.insert(q.g);
          if (q.p == subject || text_predicates.contains(q.p))
            texts.emplace_back(q.p, q.o);
          return true;
        }));
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    const Term seed_term = Term::Iri(seed);
    for (const auto& [p, o] : texts) {
      BIBKG_ASSIGN_OR_RETURN(const Term* pt, TermOf(p));
      BIBKG_ASSIGN_OR_RETURN(const Term* ot, TermOf(o));
      triples.push_back({seed_term, *pt, *ot});
      if (p == subject && ot->is_iri()) {
        BIBKG_ASSIGN_OR_RETURN(std::vector<Term> labels,
                               Objects(v, ot->value, vocab::kPrefLabel));
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
    Bm25 bm25(v);
    std::vector<QueryTerm> query;
    std::vector<Bm25::Postings> postings;  // of each query term, read once
    for (const auto& [token, weight] : words) {
      // Words found in no other document say nothing about relatedness, nor
      // do words found in very many (and those would be costly to score).
      // Which words are common is remembered for the database state.
      if (cache_ && cache_->IsCommonWord(token)) continue;
      QueryTerm t{token, Variants(token, ""), 1.0, /*shorter_forms=*/false};
      bool common = false;
      BIBKG_ASSIGN_OR_RETURN(
          Bm25::Postings others,
          bm25.Find(t, seed_docs, std::max<size_t>(1000, n_docs / 1000),
                    &common));
      if (common && cache_) cache_->AddCommonWord(token);
      if (others.empty() || common) continue;
      t.boost = weight * bm25.Idf(others.size() + 1);
      query.push_back(std::move(t));
      postings.push_back(std::move(others));
    }
    std::vector<size_t> order(query.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return query[a].boost != query[b].boost
                 ? query[a].boost > query[b].boost
                 : query[a].display < query[b].display;
    });
    if (order.size() > 25) order.resize(25);
    std::vector<QueryTerm> best_terms;
    std::vector<Bm25::Postings> best_postings;
    for (size_t i : order) {
      best_terms.push_back(std::move(query[i]));
      best_postings.push_back(std::move(postings[i]));
    }
    double top = best_terms.empty() ? 1.0 : best_terms.front().boost;
    for (QueryTerm& t : best_terms) t.boost /= top;
    BIBKG_ASSIGN_OR_RETURN(std::vector<DocScore> similar,
                           bm25.Score(best_terms, limit * 3 + 10, nullptr,
                                      seed_docs, std::move(best_postings)));
    double best = similar.empty() ? 0 : similar.front().score;
    for (const DocScore& d : similar) {
      if ((seed_id.ok() && d.work == *seed_id) || best <= 0) continue;
      std::string terms;
      for (const std::string& t : TopTerms(d.contributions, 4)) {
        absl::StrAppend(&terms, terms.empty() ? "" : ", ", "'", t, "'");
      }
      add(d.work, 2.0 * d.score / best, reason("similar text: " + terms));
    }
  }
  // Rank on scores alone; equal scores in the order the database first knew
  // the works (term id), so that a tie among thousands (one shared journal)
  // resolves nothing but the winners.
  std::vector<std::pair<double, TermId>> by_score;
  by_score.reserve(cands.size());
  for (const auto& [id, c] : cands) by_score.emplace_back(c.score, id);
  std::sort(by_score.begin(), by_score.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<RelatedHit> hits;
  for (size_t i = 0; i < by_score.size() && hits.size() < limit; ++i) {
    const auto& [score, id] = by_score[i];
    BIBKG_ASSIGN_OR_RETURN(const Term* t, TermOf(id));
    if (!t->is_iri() || IsStub(t->value)) continue;
    RelatedHit h;
    BIBKG_ASSIGN_OR_RETURN(h.work, Summarize(t->value));
    if (h.work.title.empty() || h.work.type == vocab::kJournal) continue;
    h.score = score;
    Candidate& c = cands[id];
    std::stable_sort(
        c.reasons.begin(), c.reasons.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [part, r] : c.reasons) {
      const std::string& text = reason_texts[r];
      if (std::find(h.reasons.begin(), h.reasons.end(), text) ==
          h.reasons.end()) {
        h.reasons.push_back(text);
      }
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

// ---------------------------------------------------------------------------
// Reading lists

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
