// Engine::Search: the query's words scored (query/bm25.cc), then the best
// hits filtered, counted into facets and the page's described.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/status_macros.h"
#include "query/engine.h"
#include "query/engine_internal.h"
#include "store/topic_postings.h"
#include "text/analysis.h"
#include "text/grammars.h"
#include "text/vocab.h"

namespace bibkg::query {
namespace {

using store::Term;
using store::TermId;
namespace vocab = ::bibkg::vocab;

// Hits looked at for facets.
constexpr size_t kFacetWindow = 200;
// Subjects named in a search's facets, the most frequent.
constexpr size_t kMaxSubjectFacets = 50;

// What filters and facets read of a hit's record.
struct Facts {
  int year = 0;
  std::vector<TermId> types, subjects, funders;
  std::vector<std::string> languages;
};

// Facet values by count, most frequent first (ties in key order).
std::vector<Facet> FacetOf(const std::map<std::string, uint64_t>& m) {
  std::vector<Facet> out;
  for (const auto& [k, n] : m) out.push_back({k, n});
  std::stable_sort(out.begin(), out.end(), [](const Facet& a, const Facet& b) {
    return a.count > b.count;
  });
  return out;
}

}  // namespace

// Filters and facets read what the hit's document entry keeps of its record
// (types, year, subjects, languages, funders), by term id; only the hits on
// the page are read in full. An entry that names them by IRI has them looked
// up; one that keeps no facts has them read from the work's statements.
class Engine::SearchPage {
 public:
  SearchPage(const Engine& engine, const SearchOptions& options, bool filtered)
      : engine_(engine), options_(options), filtered_(filtered) {}

  // The filters' IRIs as ids: one the store never saw matches nothing.
  absl::Status ReadFilters() {
    BIBKG_RETURN_IF_ERROR(IdsOf(options_.types, &type_filter_));
    if (!options_.funder.empty()) {
      BIBKG_RETURN_IF_ERROR(IdsOf({options_.funder}, &funder_filter_));
    }
    return absl::OkStatus();
  }

  // The options' page of the `ranked` works (best first) that pass the
  // filters, and the facets of the first kFacetWindow that do; `matched`
  // documents matched the query.
  absl::StatusOr<SearchResult> Collect(const std::vector<DocScore>& ranked,
                                       size_t matched) const;

 private:
  // The ids of `iris` the store knows, added to `*out`.
  absl::Status IdsOf(const std::vector<std::string>& iris,
                     std::vector<TermId>* out) const;
  absl::StatusOr<Facts> FactsOfNode(const Node& node) const;
  // The facts of a hit; `*node` receives the work's node when it was read.
  absl::Status FactsOf(const DocScore& d, Facts* facts,
                       std::optional<Node>* node) const;
  bool Passes(const Facts& f) const;
  // The work's IRI: as its entry names it, else from its id.
  absl::StatusOr<std::string> IriOf(const DocScore& d) const;
  // Names the counted types and subjects (each once) and fills the facets.
  absl::Status NameFacets(
      const absl::flat_hash_map<TermId, uint64_t>& type_ids,
      const std::map<std::string, uint64_t>& years,
      const absl::flat_hash_map<TermId, uint64_t>& subject_ids,
      SearchResult* result) const;

  const Engine& engine_;
  const SearchOptions& options_;
  const bool filtered_;
  std::vector<TermId> type_filter_, funder_filter_;
};

absl::Status Engine::SearchPage::IdsOf(const std::vector<std::string>& iris,
                                       std::vector<TermId>* out) const {
  for (const std::string& iri : iris) {
    absl::StatusOr<TermId> id = engine_.IdOf(iri);
    if (id.ok()) {
      out->push_back(*id);
    } else if (!absl::IsNotFound(id.status())) {
      return id.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Facts> Engine::SearchPage::FactsOfNode(const Node& node) const {
  Facts f;
  auto iris = [&](const char* p, std::vector<TermId>* out) -> absl::Status {
    for (TermId id : node.Objects(engine_.PredId(p))) {
      BIBKG_ASSIGN_OR_RETURN(const Term* t,
                             engine_.TermOf(id, /*shared=*/true));
      if (t->is_iri()) out->push_back(id);
    }
    return absl::OkStatus();
  };
  std::vector<TermId> issued = node.Objects(engine_.PredId(vocab::kIssued));
  if (!issued.empty()) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(issued[0]));
    f.year = text::YearOf(t->value);
  }
  BIBKG_RETURN_IF_ERROR(iris(vocab::kRdfType, &f.types));
  BIBKG_RETURN_IF_ERROR(iris(vocab::kSubject, &f.subjects));
  BIBKG_RETURN_IF_ERROR(iris(vocab::kIsFundedBy, &f.funders));
  for (TermId id : node.Objects(engine_.PredId(vocab::kTitle))) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(id));
    if (t->kind == Term::Kind::kLangLiteral) f.languages.push_back(t->extra);
  }
  for (TermId id : node.Objects(engine_.PredId(vocab::kLanguage))) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(id, /*shared=*/true));
    f.languages.push_back(t->value.substr(t->value.rfind('/') + 1));
  }
  return f;
}

absl::Status Engine::SearchPage::FactsOf(const DocScore& d, Facts* facts,
                                         std::optional<Node>* node) const {
  if (d.entry.work_id != 0 && d.entry.facts) {
    facts->year = d.entry.facts->year;
    facts->languages = d.entry.facts->languages;
    facts->types = d.entry.type_ids;
    facts->subjects = d.entry.subject_ids;
    facts->funders = d.entry.funder_ids;
  } else if (d.entry.facts) {
    const store::DocFacts& f = *d.entry.facts;
    facts->year = f.year;
    facts->languages = f.languages;
    BIBKG_RETURN_IF_ERROR(IdsOf(f.types, &facts->types));
    BIBKG_RETURN_IF_ERROR(IdsOf(f.subjects, &facts->subjects));
    BIBKG_RETURN_IF_ERROR(IdsOf(f.funders, &facts->funders));
  } else {
    BIBKG_ASSIGN_OR_RETURN(std::string iri, IriOf(d));
    BIBKG_ASSIGN_OR_RETURN(*node, engine_.LoadNode(iri));
    BIBKG_ASSIGN_OR_RETURN(*facts, FactsOfNode(**node));
  }
  return absl::OkStatus();
}

bool Engine::SearchPage::Passes(const Facts& f) const {
  auto has = [](const auto& values, const auto& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  if (!options_.types.empty() &&
      std::none_of(f.types.begin(), f.types.end(),
                   [&](TermId t) { return has(type_filter_, t); }))
    return false;
  if (options_.year_from && (f.year == 0 || f.year < options_.year_from))
    return false;
  if (options_.year_to && (f.year == 0 || f.year > options_.year_to))
    return false;
  if (!options_.funder.empty() &&
      (funder_filter_.empty() || !has(f.funders, funder_filter_[0])))
    return false;
  if (!options_.language.empty() && !has(f.languages, options_.language))
    return false;
  return true;
}

absl::StatusOr<std::string> Engine::SearchPage::IriOf(const DocScore& d) const {
  if (!d.entry.work.empty()) return d.entry.work;
  BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(d.work));
  return t->value;
}

absl::StatusOr<SearchResult> Engine::SearchPage::Collect(
    const std::vector<DocScore>& ranked, size_t matched) const {
  SearchResult result;
  std::map<std::string, uint64_t> years;
  // Types and subjects are counted by id and named once each at the end:
  // the window's hits share most of them.
  absl::flat_hash_map<TermId, uint64_t> type_ids, subject_ids;
  size_t passing = 0, faceted = 0;
  for (const DocScore& d : ranked) {
    bool in_page =
        passing >= options_.offset && result.hits.size() < options_.limit;
    bool want_facets = faceted < kFacetWindow;
    if (!filtered_ && !in_page && !want_facets) break;
    std::optional<Node> node;
    Facts facts;
    BIBKG_RETURN_IF_ERROR(FactsOf(d, &facts, &node));
    if (!Passes(facts)) continue;
    if (want_facets) {
      ++faceted;
      if (!facts.types.empty()) ++type_ids[facts.types[0]];
      if (facts.year) ++years[std::to_string(facts.year)];
      for (TermId subject : facts.subjects) ++subject_ids[subject];
    }
    if (in_page) {
      BIBKG_ASSIGN_OR_RETURN(std::string iri, IriOf(d));
      if (!node) {
        BIBKG_ASSIGN_OR_RETURN(node, engine_.LoadNode(iri));
      }
      BIBKG_ASSIGN_OR_RETURN(WorkSummary w, engine_.SummarizeNode(iri, *node));
      result.hits.push_back(
          {std::move(w), d.score, TopTerms(d.contributions, 5)});
    }
    ++passing;
  }
  // Unfiltered, the total counts matching documents (a work described by two
  // records counts twice); filtered, the hits among the best kFilterWindow.
  result.total = filtered_ ? passing : std::max(passing, matched);
  BIBKG_RETURN_IF_ERROR(NameFacets(type_ids, years, subject_ids, &result));
  return result;
}

absl::Status Engine::SearchPage::NameFacets(
    const absl::flat_hash_map<TermId, uint64_t>& type_ids,
    const std::map<std::string, uint64_t>& years,
    const absl::flat_hash_map<TermId, uint64_t>& subject_ids,
    SearchResult* result) const {
  std::map<std::string, uint64_t> types, subjects;
  for (const auto& [id, n] : type_ids) {
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(id, /*shared=*/true));
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
    BIBKG_ASSIGN_OR_RETURN(const Term* t, engine_.TermOf(id, /*shared=*/true));
    BIBKG_ASSIGN_OR_RETURN(std::string label, engine_.LabelOf(t->value));
    subjects[label] += n;
  }
  result->by_type = FacetOf(types);
  result->by_year = FacetOf(years);
  result->by_subject = FacetOf(subjects);
  return absl::OkStatus();
}

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
  SearchPage page(*this, options, filtered);
  BIBKG_RETURN_IF_ERROR(page.ReadFilters());
  return page.Collect(ranked, matched);
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

}  // namespace bibkg::query
