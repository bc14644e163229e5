// Works described: summaries, full descriptions, links and a creator's
// works.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "query/engine_internal.h"
#include "text/vocab.h"

namespace bibkg::query {

using store::Term;
using store::TermId;
namespace vocab = ::bibkg::vocab;

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

absl::Status Engine::ReadOwnTerms(const Node& node) const {
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
  return ReadTerms(std::move(ids));
}

absl::Status Engine::CountLinks(const std::string& iri, const Node& node,
                                Work* w) const {
  // Links are counted, not described: a classic may be cited by thousands.
  absl::StatusOr<TermId> self = IdOf(iri);
  if (!self.ok() && !absl::IsNotFound(self.status())) return self.status();
  for (const char* p : {vocab::kCites, vocab::kRelation}) {
    w->reference_count += node.Objects(PredId(p)).size();
    TermId pid = PredId(p);
    if (pid == 0) continue;
    if (!self.ok()) continue;
    if (p == vocab::kCites) {
      // Kept up to date by the store at every write: one read.
      w->citation_count += view_->InDegree(pid, *self);
      continue;
    }
    BIBKG_RETURN_IF_ERROR(
        view_->ScanDistinct({0, pid, *self, 0}, 0, [&](TermId) {
          ++w->citation_count;
          return true;
        }));
  }
  return absl::OkStatus();
}

absl::StatusOr<Work> Engine::GetWork(const std::string& iri,
                                     bool require_known) const {
  Work w;
  BIBKG_ASSIGN_OR_RETURN(Node node, LoadNode(iri));
  if (require_known && node.po.empty()) return NothingKnown(iri);
  BIBKG_RETURN_IF_ERROR(ReadOwnTerms(node));
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
  BIBKG_RETURN_IF_ERROR(CountLinks(iri, node, &w));
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

}  // namespace bibkg::query
