// Projects: found by funder, programme and topic, and described with their
// outputs.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "query/engine.h"
#include "query/engine_internal.h"
#include "text/vocab.h"

namespace bibkg::query {

using store::Term;
namespace vocab = ::bibkg::vocab;

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

}  // namespace bibkg::query
