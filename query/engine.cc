// The engine's reads for one request: identifiers resolved, nodes loaded,
// terms and labels kept for the rest of the request (and, for nodes that
// many works name, in the view's cache).
#include "query/engine.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "query/engine_internal.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::query {

using store::Term;
using store::TermId;
namespace vocab = ::bibkg::vocab;

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

}  // namespace bibkg::query
