#include "query/engine_internal.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status_macros.h"

namespace bibkg::query {

using store::Term;
using store::TermId;

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
                                          size_t limit) {
  return Distinct(view, Term::Iri(s), p, std::nullopt, 2, limit);
}

absl::StatusOr<std::vector<std::string>> SubjectsOf(const store::ReadView& view,
                                                    const char* p,
                                                    const Term& o,
                                                    size_t limit) {
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

}  // namespace bibkg::query
