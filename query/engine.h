// Answers over the store: works and their links, topic search (BM25 over the
// topic index), related work with reasons, reading lists. Everything reads
// one store::ReadView, so an answer never sees half an import. Knows nothing
// of gRPC; service/ translates.
#ifndef BIBKG_QUERY_ENGINE_H_
#define BIBKG_QUERY_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/store.h"

namespace bibkg::query {

namespace scoring {
struct ScoreList;
// A search word's postings as scoring reads them (query/scoring.h).
using TermLists = std::vector<ScoreList>;
}  // namespace scoring

struct Text {
  std::string value;
  std::string lang;  // BCP 47, empty when unknown
};

struct NamedNode {
  std::string iri;
  std::string label;
};

// A short description of a work (or project), enough for a list.
struct WorkSummary {
  std::string iri;
  std::string title;
  std::string type;    // class IRI, e.g. fabio:JournalArticle
  std::string issued;  // as stored: 2016-07-05, 2024-07, 2024
  std::vector<std::string> creators;
  std::string venue;
  std::string doi;
};

struct Work {
  WorkSummary summary;
  std::vector<std::string> types;
  std::vector<Text> titles;
  std::vector<Text> alternative_titles;
  std::vector<NamedNode> creators;
  std::optional<NamedNode> venue;
  std::vector<std::string> issns;  // the venue's
  std::string volume, issue, page_start, page_end;
  std::vector<NamedNode> subjects;
  std::vector<Text> abstracts;
  std::vector<Text> descriptions;
  std::vector<std::string> languages;
  std::vector<NamedNode> funders;
  std::optional<NamedNode> programme;
  std::string amount, currency;
  uint64_t reference_count = 0;      // cito:cites and dcterms:relation out
  uint64_t citation_count = 0;       // cito:cites and dcterms:relation in
  std::vector<std::string> sources;  // provenance: the graphs that describe it
};

struct Link {
  WorkSummary work;
  std::string relation;  // "cites" or "related"
  std::string source;    // the graph that states the link
};

struct SearchOptions {
  std::string query;
  // Filters (empty / 0: none).
  std::vector<std::string> types;  // class IRIs
  int year_from = 0, year_to = 0;
  std::string language;  // restricts stemming and results to this language
  std::string funder;    // IRI: only works funded (frapo:isFundedBy) by it
  size_t offset = 0, limit = 10;
};

struct SearchHit {
  WorkSummary work;
  double score = 0;
  std::vector<std::string> matched_terms;
};

struct Facet {
  std::string value;
  uint64_t count = 0;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  uint64_t total = 0;  // hits before paging
  std::vector<Facet> by_type, by_year, by_subject;
};

struct RelatedHit {
  WorkSummary work;
  double score = 0;
  std::vector<std::string> reasons;  // one sentence per signal
};

struct ProjectFilter {
  std::string funder;     // IRI
  std::string programme;  // code (skos:notation) or IRI
  std::string topic;
};

struct ProjectInfo {
  WorkSummary project;
  std::vector<NamedNode> funders;
  std::optional<NamedNode> programme;
  std::string amount, currency;
  std::vector<WorkSummary> outputs;
};

struct ReadingListOptions {
  std::vector<std::string> seeds;  // work IRIs, DOIs
  std::string topic;
  size_t size = 10;
};

// What engines on the same view can share: node labels, which every work
// summary asks for (people, journals, subjects). Thread-safe. Valid for one
// database state: make a new one for a new view.
class ViewCache {
 public:
  ViewCache();
  ~ViewCache();
  ViewCache(const ViewCache&) = delete;
  ViewCache& operator=(const ViewCache&) = delete;

  bool FindLabel(const std::string& iri, std::string* label) const;
  void AddLabel(const std::string& iri, const std::string& label);
  // Words RelatedWorks found too common to score (in more than its limit of
  // documents besides a seed's).
  bool IsCommonWord(const std::string& word) const;
  void AddCommonWord(const std::string& word);
  // Values (subjects, people, journals...) RelatedWorks found shared by too
  // many works to mean anything, by (predicate id, value id).
  bool IsCommonValue(store::TermId predicate, store::TermId value) const;
  void AddCommonValue(store::TermId predicate, store::TermId value);
  // Predicates' term ids (0: not in the view), asked for by every request.
  bool FindPredicate(const std::string& iri, store::TermId* id) const;
  void AddPredicate(const std::string& iri, store::TermId id);
  // A venue's ISSNs, shown with every work in it.
  bool FindIssns(const std::string& venue,
                 std::vector<std::string>* issns) const;
  void AddIssns(const std::string& venue,
                const std::vector<std::string>& issns);
  // The IRIs of nodes that many works name (classes, people, journals,
  // subjects, funders, languages), by term id: the dictionary read an answer
  // would make for each of them.
  bool FindIri(store::TermId id, std::string* iri) const;
  void AddIri(store::TermId id, const std::string& iri);
  // A search word's postings, read and merged over its variants, by `key`
  // (the word's index terms), as scoring reads them: a common word's list is
  // long (at 1M works, a posting in every tenth document) and most searches
  // hold one. Only lists of at least kMinCachedPostings are kept,
  // kMaxCachedPostings in all (8 bytes each, 512 MiB; what comes later is not
  // kept: at 1M works 30 s of the benchmark's searches kept 24 million).
  static constexpr size_t kMinCachedPostings = 4096;
  static constexpr size_t kMaxCachedPostings = size_t{1} << 26;
  std::shared_ptr<const scoring::TermLists> FindPostings(
      const std::string& key) const;
  void AddPostings(const std::string& key,
                   std::shared_ptr<const scoring::TermLists> postings);
  // Postings kept so far, over all words.
  size_t CachedPostings() const;
  // A search document's stored entry (its statistics and facts), by the
  // document's graph id: every search reads those of its best ~200 hits,
  // each a point read in a table as large as the collection.
  static constexpr size_t kMaxDocEntries = size_t{1} << 21;
  bool FindDocEntry(store::TermId graph, std::string* entry) const;
  void AddDocEntry(store::TermId graph, const std::string& entry);

 private:
  struct State;  // query/view_cache.cc
  const std::unique_ptr<State> state_;
};

// A view and its cache, handed to each request.
struct SharedView {
  std::shared_ptr<const store::ReadView> view;
  std::shared_ptr<ViewCache> cache;
};

// Answers for one request over one view. Not thread-safe: an engine keeps
// the terms, ids and labels it read for the rest of its request; requests
// running at once each use an engine of their own, and may share the view's
// ViewCache.
class Engine {
 public:
  // `view` (and `cache`, when given) must outlive the engine.
  explicit Engine(const store::ReadView* view, ViewCache* cache = nullptr)
      : view_(view), cache_(cache) {}
  explicit Engine(const SharedView& shared)
      : view_(shared.view.get()), cache_(shared.cache.get()) {}

  // The node IRI for an identifier: a DOI (any spelling), "issn:NNNN-NNNN",
  // "isbn:…", or an IRI. NotFound when the store knows nothing about it;
  // InvalidArgument when the identifier is malformed. With `check_known`
  // false the store is not asked, for a caller whose next read of the node
  // tells (GetWork with `require_known`): one seek fewer.
  absl::StatusOr<std::string> Resolve(const std::string& id,
                                      bool check_known = true) const;

  // The work's statements, described. A node with no statements gives an
  // empty work, or with `require_known` NotFound.
  absl::StatusOr<Work> GetWork(const std::string& iri,
                               bool require_known = false) const;
  absl::StatusOr<WorkSummary> Summarize(const std::string& iri) const;
  // Outgoing (references) or incoming (cited by) links: links out of (or into)
  // `iri`, in index order: the `limit` from `offset` on, each described;
  // `*total` receives the number of all.
  absl::StatusOr<std::vector<Link>> Links(const std::string& iri, bool incoming,
                                          size_t offset = 0,
                                          size_t limit = SIZE_MAX,
                                          size_t* total = nullptr) const;
  absl::StatusOr<std::vector<WorkSummary>> WorksByCreator(
      const std::string& person) const;
  absl::StatusOr<SearchResult> Search(const SearchOptions& options) const;
  // Reads the search documents' entries into the view's cache (as many as
  // it keeps, ViewCache::kMaxDocEntries), so that a large graph's first
  // searches do not read them a hit at a time; stops early once `*stop` is
  // true. Returns the number read (0 without a cache).
  absl::StatusOr<size_t> WarmSearchEntries(
      const std::atomic<bool>* stop = nullptr) const;
  // Projects matching every given part of the filter, best topic match first
  // (by IRI without a topic).
  absl::StatusOr<std::vector<std::string>> FindProjects(
      const ProjectFilter& filter) const;
  absl::StatusOr<ProjectInfo> DescribeProject(const std::string& iri) const;
  absl::StatusOr<std::vector<RelatedHit>> Related(
      const std::vector<std::string>& seeds, size_t limit) const;
  absl::StatusOr<std::vector<Work>> ReadingList(
      const ReadingListOptions& options) const;

 private:
  // A node's statements (query/engine_internal.h).
  struct Node;
  // The steps of Search past the scoring: filters, facets and the page
  // (query/search.cc).
  class SearchPage;
  // The steps of Related: the signals of each seed (query/related.cc).
  class RelatedWorks;
  // The quads of `iri` as (predicate, object) ids plus its graphs, from one
  // scan (at most `cap` quads).
  absl::StatusOr<Node> LoadNode(const std::string& iri) const;
  // Id of an IRI, remembered for the rest of the request (a call resolves,
  // loads and counts the same work): NotFound when the store never saw it.
  absl::StatusOr<store::TermId> IdOf(const std::string& iri) const;
  // Id of a vocabulary IRI (0 when the store never saw it), cached.
  store::TermId PredId(const char* iri) const;
  // Term of an id, cached for the request; with `shared`, the id of a node
  // that many works name: an IRI is then also kept in the view's cache.
  absl::StatusOr<const store::Term*> TermOf(store::TermId id,
                                            bool shared = false) const;
  // Keeps `t`, the term of `id`, for the rest of the request (and an IRI's
  // id for IdOf); returns where it is kept.
  const store::Term* Keep(store::TermId id, store::Term t) const;
  // Reads the terms of `ids` the request has not read yet in one batch (see
  // ReadView::ResolveMany), for TermOf to find.
  absl::Status ReadTerms(std::vector<store::TermId> ids) const;
  // Reads the terms of a work's own literals and its records' names in one
  // batch (ReadTerms), for GetWork.
  absl::Status ReadOwnTerms(const Node& node) const;
  // Counts the work's links, out (from `node`) and in, into `*w`.
  absl::Status CountLinks(const std::string& iri, const Node& node,
                          Work* w) const;
  absl::StatusOr<WorkSummary> SummarizeNode(const std::string& iri,
                                            const Node& node) const;
  // The label of a node (its title, else name, else preferred label), from
  // one scan of its quads; cached.
  absl::StatusOr<std::string> LabelOf(const std::string& iri) const;

  const store::ReadView* view_;
  ViewCache* cache_;
  mutable std::map<std::string, store::TermId, std::less<>> pred_ids_;
  mutable std::map<store::TermId, store::Term> terms_;
  mutable std::map<std::string, store::TermId, std::less<>> ids_;  // 0: none
  mutable std::map<std::string, std::string, std::less<>> labels_;
};

}  // namespace bibkg::query

#endif  // BIBKG_QUERY_ENGINE_H_
