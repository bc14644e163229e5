#include "query/engine.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "indexer/analysis.h"
#include "indexer/grammars.h"
#include "indexer/text.h"
#include "indexer/topic_index.h"
#include "indexer/vocab.h"

namespace bibkg::query {
namespace {

using store::Quad;
using store::Term;
namespace vocab = ::bibkg::vocab;

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

bool IsStub(const std::string& iri) { return iri.find("/id/stub/") != std::string::npos; }

}  // namespace

// ---------------------------------------------------------------------------
// Small graph helpers over the view.

namespace {

absl::StatusOr<std::vector<Quad>> Match(const store::ReadView& view, std::optional<Term> s,
                                        std::optional<Term> p, std::optional<Term> o) {
  std::vector<Quad> out;
  BIBKG_RETURN_IF_ERROR(view.Scan({std::move(s), std::move(p), std::move(o), std::nullopt},
                                  [&](const Quad& q) {
                                    out.push_back(q);
                                    return true;
                                  }));
  return out;
}

absl::StatusOr<std::vector<Term>> Objects(const store::ReadView& view, const std::string& s,
                                          const char* p) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Quad> qs, Match(view, Term::Iri(s), Term::Iri(p), std::nullopt));
  std::vector<Term> out;
  for (Quad& q : qs) {
    if (std::find(out.begin(), out.end(), q.o) == out.end()) out.push_back(std::move(q.o));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> SubjectsOf(const store::ReadView& view, const char* p,
                                                    const Term& o) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Quad> qs, Match(view, std::nullopt, Term::Iri(p), o));
  std::vector<std::string> out;
  for (const Quad& q : qs) {
    if (q.s.is_iri() && std::find(out.begin(), out.end(), q.s.value) == out.end()) {
      out.push_back(q.s.value);
    }
  }
  return out;
}

absl::StatusOr<std::string> FirstValue(const store::ReadView& view, const std::string& s,
                                       const char* p) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> os, Objects(view, s, p));
  return os.empty() ? std::string() : os[0].value;
}

std::vector<Text> Texts(const std::vector<Term>& terms) {
  std::vector<Text> out;
  for (const Term& t : terms) {
    if (t.is_literal()) out.push_back({t.value, t.kind == Term::Kind::kLangLiteral ? t.extra : ""});
  }
  return out;
}

// The label of a node: title, name or preferred label.
absl::StatusOr<std::string> Label(const store::ReadView& view, const std::string& iri) {
  for (const char* p : {vocab::kTitle, vocab::kName, vocab::kPrefLabel}) {
    BIBKG_ASSIGN_OR_RETURN(std::string v, FirstValue(view, iri, p));
    if (!v.empty()) return v;
  }
  return std::string();
}

absl::StatusOr<std::vector<NamedNode>> Named(const store::ReadView& view, const std::string& s,
                                             const char* p) {
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> os, Objects(view, s, p));
  std::vector<NamedNode> out;
  for (const Term& o : os) {
    if (!o.is_iri()) continue;
    BIBKG_ASSIGN_OR_RETURN(std::string label, Label(view, o.value));
    out.push_back({o.value, label});
  }
  return out;
}

int YearOf(const std::string& issued) {
  if (issued.size() < 4) return 0;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (issued[i] < '0' || issued[i] > '9') return 0;
    y = y * 10 + (issued[i] - '0');
  }
  return y;
}

}  // namespace

absl::StatusOr<std::string> Engine::Resolve(const std::string& raw_id) const {
  std::string id(indexer::CollapseSpace(raw_id));
  if (id.empty()) return absl::InvalidArgumentError("empty work identifier");
  std::string iri;
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower.rfind("issn:", 0) == 0 || lower.rfind("urn:issn:", 0) == 0) {
    absl::StatusOr<indexer::Issn> issn = indexer::ParseIssn(id.substr(id.find(':', 3) + 1));
    if (!issn.ok()) return issn.status();
    iri = "urn:issn:" + issn->normalized;
  } else if (lower.rfind("isbn:", 0) == 0) {
    std::string digits;
    for (char c : id.substr(5)) {
      if (std::isdigit(static_cast<unsigned char>(c)) || c == 'X' || c == 'x') digits.push_back(c);
    }
    BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> works,
                           SubjectsOf(*view_, vocab::kIsbn13, Term::Literal(digits)));
    if (works.empty()) return absl::NotFoundError("no work with ISBN " + digits);
    return works[0];
  } else if (absl::StatusOr<std::string> doi = indexer::NormalizeDoi(id); doi.ok()) {
    iri = "https://doi.org/" + *doi;
  } else if (id.find("://") != std::string::npos || id.rfind("urn:", 0) == 0) {
    iri = id;
  } else {
    return absl::InvalidArgumentError(
        "\"" + id + "\" is neither a DOI, an issn:/isbn: identifier nor an IRI");
  }
  bool found = false;
  BIBKG_RETURN_IF_ERROR(view_->Scan({Term::Iri(iri), std::nullopt, std::nullopt, std::nullopt},
                                    [&](const Quad&) {
                                      found = true;
                                      return false;
                                    }));
  if (!found) return absl::NotFoundError("nothing is known about " + iri);
  return iri;
}

absl::StatusOr<WorkSummary> Engine::Summarize(const std::string& iri) const {
  WorkSummary w;
  w.iri = iri;
  BIBKG_ASSIGN_OR_RETURN(w.title, Label(*view_, iri));
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> types, Objects(*view_, iri, vocab::kRdfType));
  for (const Term& t : types) {
    if (w.type.empty() || w.type == vocab::kUnresolved) w.type = t.value;
  }
  BIBKG_ASSIGN_OR_RETURN(w.issued, FirstValue(*view_, iri, vocab::kIssued));
  BIBKG_ASSIGN_OR_RETURN(w.doi, FirstValue(*view_, iri, vocab::kDoi));
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> creators, Named(*view_, iri, vocab::kCreator));
  for (const NamedNode& c : creators) w.creators.push_back(c.label);
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> venues, Named(*view_, iri, vocab::kIsPartOf));
  if (!venues.empty()) w.venue = venues[0].label;
  return w;
}

absl::StatusOr<Work> Engine::GetWork(const std::string& iri) const {
  Work w;
  BIBKG_ASSIGN_OR_RETURN(w.summary, Summarize(iri));
  const store::ReadView& v = *view_;
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> types, Objects(v, iri, vocab::kRdfType));
  for (const Term& t : types) w.types.push_back(t.value);
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> titles, Objects(v, iri, vocab::kTitle));
  w.titles = Texts(titles);
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> alt, Objects(v, iri, vocab::kAlternative));
  w.alternative_titles = Texts(alt);
  BIBKG_ASSIGN_OR_RETURN(w.creators, Named(v, iri, vocab::kCreator));
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> venues, Named(v, iri, vocab::kIsPartOf));
  if (!venues.empty()) {
    w.venue = venues[0];
    BIBKG_ASSIGN_OR_RETURN(std::vector<Term> issns, Objects(v, venues[0].iri, vocab::kIssn));
    for (const Term& t : issns) w.issns.push_back(t.value);
  }
  BIBKG_ASSIGN_OR_RETURN(w.volume, FirstValue(v, iri, vocab::kVolume));
  BIBKG_ASSIGN_OR_RETURN(w.issue, FirstValue(v, iri, vocab::kIssue));
  BIBKG_ASSIGN_OR_RETURN(w.page_start, FirstValue(v, iri, vocab::kPageStart));
  BIBKG_ASSIGN_OR_RETURN(w.page_end, FirstValue(v, iri, vocab::kPageEnd));
  BIBKG_ASSIGN_OR_RETURN(w.subjects, Named(v, iri, vocab::kSubject));
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> abstracts, Objects(v, iri, vocab::kAbstract));
  w.abstracts = Texts(abstracts);
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> descriptions, Objects(v, iri, vocab::kDescription));
  w.descriptions = Texts(descriptions);
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> langs, Objects(v, iri, vocab::kLanguage));
  for (const Term& t : langs) w.languages.push_back(t.value.substr(t.value.rfind('/') + 1));
  BIBKG_ASSIGN_OR_RETURN(w.funders, Named(v, iri, vocab::kIsFundedBy));
  BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> programmes, Named(v, iri, vocab::kSchemaIsPartOf));
  if (!programmes.empty()) w.programme = programmes[0];
  BIBKG_ASSIGN_OR_RETURN(std::vector<Term> amounts, Objects(v, iri, vocab::kAmount));
  if (!amounts.empty()) {
    BIBKG_ASSIGN_OR_RETURN(w.amount, FirstValue(v, amounts[0].value, vocab::kValue));
    BIBKG_ASSIGN_OR_RETURN(w.currency, FirstValue(v, amounts[0].value, vocab::kCurrency));
  }
  BIBKG_ASSIGN_OR_RETURN(std::vector<Link> out, Links(iri, false));
  BIBKG_ASSIGN_OR_RETURN(std::vector<Link> in, Links(iri, true));
  w.reference_count = out.size();
  w.citation_count = in.size();
  std::set<std::string> sources;
  BIBKG_RETURN_IF_ERROR(v.Scan({Term::Iri(iri), std::nullopt, std::nullopt, std::nullopt},
                               [&](const Quad& q) {
                                 sources.insert(q.g.value);
                                 return true;
                               }));
  w.sources.assign(sources.begin(), sources.end());
  return w;
}

absl::StatusOr<std::vector<Link>> Engine::Links(const std::string& iri, bool incoming) const {
  std::vector<Link> out;
  for (const char* p : {vocab::kCites, vocab::kRelation}) {
    std::optional<Term> s, o;
    (incoming ? o : s) = Term::Iri(iri);
    BIBKG_ASSIGN_OR_RETURN(std::vector<Quad> qs, Match(*view_, s, Term::Iri(p), o));
    for (const Quad& q : qs) {
      const Term& other = incoming ? q.s : q.o;
      if (!other.is_iri()) continue;
      Link link;
      BIBKG_ASSIGN_OR_RETURN(link.work, Summarize(other.value));
      link.relation = p == vocab::kCites ? "cites" : "related";
      link.source = q.g.value;
      out.push_back(std::move(link));
    }
  }
  return out;
}

absl::StatusOr<std::vector<WorkSummary>> Engine::WorksByCreator(const std::string& person) const {
  BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> works,
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
};

std::vector<std::string> Variants(const std::string& token, const std::string& lang) {
  std::vector<std::string> out = {token};
  std::vector<std::string> langs = lang.empty() ? indexer::QueryLanguages()
                                                : std::vector<std::string>{lang};
  for (const std::string& l : langs) out.push_back(indexer::Stem(token, l));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct DocScore {
  std::string work;
  double score = 0;
  std::vector<std::pair<double, std::string>> contributions;  // (score, display)
};

class Bm25 {
 public:
  explicit Bm25(const store::ReadView& view) : view_(view) {
    docs_ = std::max<int64_t>(view.Counter(indexer::kTopicDocsCounter), 0);
    int64_t length = view.Counter(indexer::kTopicLengthCounter);
    avgdl_ = docs_ > 0 ? static_cast<double>(length) / docs_ : 1.0;
  }

  // The documents holding a term, with its frequency: the union over its
  // variants (max frequency), plus, at half weight, index terms that are a
  // shorter form of a variant ("leader" for "leadership"; at least five
  // letters, at most four shorter). Documents of `exclude_work` are left out.
  absl::StatusOr<absl::flat_hash_map<store::TermId, double>> Postings(
      const QueryTerm& t, const std::string& exclude_work = "") {
    absl::flat_hash_map<store::TermId, double> tf;
    absl::Status inner;
    auto scan = [&](const std::string& term, double factor) -> absl::Status {
      return view_.ScanAux(indexer::PostingPrefix(term),
                           [&](std::string_view, store::TermId g, std::string_view val) {
                             if (!exclude_work.empty()) {
                               absl::StatusOr<const indexer::DocInfo*> d = Doc(g);
                               if (!d.ok()) {
                                 inner = d.status();
                                 return false;
                               }
                               if (*d != nullptr && (*d)->work == exclude_work) return true;
                             }
                             double n = factor * std::strtod(std::string(val).c_str(), nullptr);
                             double& slot = tf[g];
                             slot = std::max(slot, n);
                             return true;
                           });
    };
    std::set<std::string> shorter;
    for (const std::string& v : t.variants) {
      BIBKG_RETURN_IF_ERROR(scan(v, 1.0));
      for (size_t len = std::max<size_t>(5, v.size() > 4 ? v.size() - 4 : 0); len < v.size(); ++len) {
        // Whole UTF-8 characters only.
        if ((static_cast<unsigned char>(v[len]) & 0xC0) == 0x80) continue;
        shorter.insert(v.substr(0, len));
      }
    }
    for (const std::string& v : t.variants) shorter.erase(v);
    for (const std::string& s : shorter) BIBKG_RETURN_IF_ERROR(scan(s, 0.5));
    BIBKG_RETURN_IF_ERROR(inner);
    return tf;
  }

  double Idf(uint64_t df) const {
    double n = static_cast<double>(docs_);
    return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  // Scores every document holding a query term; one entry per work (the best
  // of its documents).
  absl::StatusOr<std::map<std::string, DocScore>> Score(const std::vector<QueryTerm>& terms) {
    absl::flat_hash_map<store::TermId, DocScore> by_doc;
    for (const QueryTerm& t : terms) {
      BIBKG_ASSIGN_OR_RETURN(auto postings, Postings(t));
      if (postings.empty()) continue;
      double idf = Idf(postings.size());
      for (const auto& [g, tf] : postings) {
        BIBKG_ASSIGN_OR_RETURN(const indexer::DocInfo* info, Doc(g));
        if (info == nullptr) continue;
        double dl = static_cast<double>(info->length);
        double s = t.boost * idf * (tf * (kK1 + 1)) / (tf + kK1 * (1 - kB + kB * dl / avgdl_));
        DocScore& d = by_doc[g];
        d.work = info->work;
        d.score += s;
        d.contributions.emplace_back(s, t.display);
      }
    }
    std::map<std::string, DocScore> by_work;
    for (auto& [g, d] : by_doc) {
      auto it = by_work.find(d.work);
      if (it == by_work.end() || it->second.score < d.score) by_work[d.work] = std::move(d);
    }
    return by_work;
  }

  uint64_t docs() const { return docs_; }

 private:
  absl::StatusOr<const indexer::DocInfo*> Doc(store::TermId g) {
    auto it = docs_cache_.find(g);
    if (it != docs_cache_.end()) return it->second ? &*it->second : nullptr;
    absl::StatusOr<std::string> v = view_.GetAux(indexer::kDocKey, g);
    std::optional<indexer::DocInfo> info;
    if (v.ok()) {
      info = indexer::ParseDocEntry(*v);
    } else if (!absl::IsNotFound(v.status())) {
      return v.status();
    }
    auto& slot = docs_cache_[g];
    slot = std::move(info);
    return slot ? &*slot : nullptr;
  }

  const store::ReadView& view_;
  uint64_t docs_ = 0;
  double avgdl_ = 1.0;
  absl::flat_hash_map<store::TermId, std::optional<indexer::DocInfo>> docs_cache_;
};

std::vector<std::string> TopTerms(std::vector<std::pair<double, std::string>> contributions,
                                  size_t n) {
  std::sort(contributions.begin(), contributions.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (const auto& [s, term] : contributions) {
    if (std::find(out.begin(), out.end(), term) == out.end()) out.push_back(term);
    if (out.size() == n) break;
  }
  return out;
}

}  // namespace

absl::StatusOr<SearchResult> Engine::Search(const SearchOptions& options) const {
  std::vector<QueryTerm> terms;
  for (const std::string& token : indexer::Tokenize(options.query)) {
    if (indexer::IsStopWord(token)) continue;
    terms.push_back({token, Variants(token, options.language), 1.0});
  }
  if (terms.empty()) {
    return absl::InvalidArgumentError("the query \"" + options.query +
                                      "\" has no searchable words");
  }
  Bm25 bm25(*view_);
  BIBKG_ASSIGN_OR_RETURN(auto by_work, bm25.Score(terms));
  SearchResult result;
  std::vector<SearchHit> hits;
  std::map<std::string, uint64_t> types, years, subjects;
  for (auto& [iri, d] : by_work) {
    BIBKG_ASSIGN_OR_RETURN(WorkSummary w, Summarize(iri));
    if (!options.types.empty() &&
        std::find(options.types.begin(), options.types.end(), w.type) == options.types.end()) {
      continue;
    }
    int year = YearOf(w.issued);
    if ((options.year_from && (year == 0 || year < options.year_from)) ||
        (options.year_to && (year == 0 || year > options.year_to))) {
      continue;
    }
    if (!options.language.empty()) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> titles, Objects(*view_, iri, vocab::kTitle));
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> langs, Objects(*view_, iri, vocab::kLanguage));
      bool match = false;
      for (const Term& t : titles) match |= t.extra == options.language;
      for (const Term& t : langs) match |= t.value.ends_with("/" + options.language);
      if (!match) continue;
    }
    ++types[w.type];
    if (year) ++years[std::to_string(year)];
    BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> subj, Named(*view_, iri, vocab::kSubject));
    for (const NamedNode& s : subj) ++subjects[s.label];
    hits.push_back({std::move(w), d.score, TopTerms(d.contributions, 5)});
  }
  std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.work.iri < b.work.iri;
  });
  result.total = hits.size();
  for (size_t i = options.offset; i < hits.size() && result.hits.size() < options.limit; ++i) {
    result.hits.push_back(std::move(hits[i]));
  }
  auto facet = [](const std::map<std::string, uint64_t>& m) {
    std::vector<Facet> out;
    for (const auto& [k, n] : m) out.push_back({k, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const Facet& a, const Facet& b) { return a.count > b.count; });
    return out;
  };
  result.by_type = facet(types);
  result.by_year = facet(years);
  result.by_subject = facet(subjects);
  return result;
}

// ---------------------------------------------------------------------------
// Related work

absl::StatusOr<std::vector<RelatedHit>> Engine::Related(const std::vector<std::string>& seeds,
                                                        size_t limit) const {
  const store::ReadView& v = *view_;
  struct Candidate {
    double score = 0;
    std::vector<std::pair<double, std::string>> reasons;
  };
  std::map<std::string, Candidate> cands;
  std::set<std::string> seed_set(seeds.begin(), seeds.end());
  auto add = [&](const std::string& iri, double score, std::string reason) {
    if (seed_set.contains(iri) || IsStub(iri)) return;
    Candidate& c = cands[iri];
    c.score += score;
    c.reasons.emplace_back(score, std::move(reason));
  };
  uint64_t n_docs = std::max<int64_t>(v.Counter(indexer::kTopicDocsCounter), 1);

  for (const std::string& seed : seeds) {
    BIBKG_ASSIGN_OR_RETURN(std::string seed_title, Label(v, seed));
    // Direct links, both ways.
    BIBKG_ASSIGN_OR_RETURN(std::vector<Link> out, Links(seed, false));
    for (const Link& l : out) {
      add(l.work.iri, l.relation == "cites" ? 2.0 : 3.0,
          l.relation == "cites" ? "cited by the seed" : "listed under related content of the seed");
    }
    BIBKG_ASSIGN_OR_RETURN(std::vector<Link> in, Links(seed, true));
    for (const Link& l : in) {
      add(l.work.iri, l.relation == "cites" ? 2.0 : 3.0,
          l.relation == "cites" ? "cites the seed" : "lists the seed under related content");
    }
    // Co-citation: works cited together with the seed.
    std::map<std::string, int> co_cited;
    for (const Link& l : in) {
      if (l.relation != "cites") continue;
      BIBKG_ASSIGN_OR_RETURN(std::vector<Term> refs, Objects(v, l.work.iri, vocab::kCites));
      for (const Term& r : refs) {
        if (r.is_iri() && r.value != seed) ++co_cited[r.value];
      }
    }
    for (const auto& [w, n] : co_cited) {
      add(w, 1.0 * n, absl::StrCat("cited together with the seed by ", n, n == 1 ? " work" : " works"));
    }
    // Bibliographic coupling: works citing what the seed cites.
    std::map<std::string, int> coupled;
    for (const Link& l : out) {
      if (l.relation != "cites") continue;
      BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> citing,
                             SubjectsOf(v, vocab::kCites, Term::Iri(l.work.iri)));
      for (const std::string& c : citing) {
        if (c != seed) ++coupled[c];
      }
    }
    for (const auto& [w, n] : coupled) {
      add(w, 0.5 * n, absl::StrCat(n, n == 1 ? " shared reference" : " shared references"));
    }
    // Shared subjects, authors, venue, funders.
    struct Shared {
      const char* predicate;
      const char* what;
      bool idf;
      double weight;
    };
    for (const Shared& sh : {Shared{vocab::kSubject, "subject", true, 1.0},
                             Shared{vocab::kCreator, "author", false, 2.0},
                             Shared{vocab::kIsPartOf, "journal", false, 1.0},
                             Shared{vocab::kIsFundedBy, "funder", false, 1.0},
                             Shared{vocab::kSchemaIsPartOf, "programme", false, 1.0}}) {
      BIBKG_ASSIGN_OR_RETURN(std::vector<NamedNode> values, Named(v, seed, sh.predicate));
      for (const NamedNode& value : values) {
        BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> others,
                               SubjectsOf(v, sh.predicate, Term::Iri(value.iri)));
        if (others.size() > 10000) continue;  // too common to mean anything
        double weight = sh.weight;
        if (sh.idf) weight *= std::log(1.0 + static_cast<double>(n_docs) / others.size());
        for (const std::string& o : others) {
          add(o, weight, absl::StrCat("shares ", sh.what, " '", value.label, "'"));
        }
      }
    }
    // Text similarity: the seed's most distinctive words as a query.
    std::vector<store::Triple> triples;
    BIBKG_RETURN_IF_ERROR(v.Scan({Term::Iri(seed), std::nullopt, std::nullopt, std::nullopt},
                                 [&](const Quad& q) {
                                   triples.push_back({q.s, q.p, q.o});
                                   return true;
                                 }));
    std::map<std::string, std::pair<double, std::string>> words;  // token -> (weight, lang)
    for (const indexer::FieldText& f : indexer::NodeTexts(triples, seed)) {
      for (const std::string& token : indexer::Tokenize(f.text)) {
        if (indexer::IsStopWord(token) || token.size() < 3) continue;
        auto& [w, lang] = words[token];
        w += f.weight;
        if (lang.empty()) lang = f.lang;
      }
    }
    Bm25 bm25(v);
    std::vector<QueryTerm> query;
    for (const auto& [token, wl] : words) {
      QueryTerm t{token, Variants(token, ""), 1.0};
      // Words found in no other document say nothing about relatedness.
      BIBKG_ASSIGN_OR_RETURN(auto others, bm25.Postings(t, seed));
      if (others.empty()) continue;
      t.boost = wl.first * bm25.Idf(others.size() + 1);
      query.push_back(std::move(t));
    }
    std::sort(query.begin(), query.end(), [](const QueryTerm& a, const QueryTerm& b) {
      return a.boost != b.boost ? a.boost > b.boost : a.display < b.display;
    });
    if (query.size() > 25) query.resize(25);
    double top = query.empty() ? 1.0 : query.front().boost;
    for (QueryTerm& t : query) t.boost /= top;
    BIBKG_ASSIGN_OR_RETURN(auto by_work, bm25.Score(query));
    double best = 0;
    for (const auto& [w, d] : by_work) {
      if (w != seed) best = std::max(best, d.score);
    }
    for (const auto& [w, d] : by_work) {
      if (w == seed || best <= 0) continue;
      double s = 2.0 * d.score / best;
      std::string terms;
      for (const std::string& t : TopTerms(d.contributions, 4)) {
        absl::StrAppend(&terms, terms.empty() ? "" : ", ", "'", t, "'");
      }
      add(w, s, "similar text: " + terms);
    }
  }
  std::vector<RelatedHit> hits;
  for (auto& [iri, c] : cands) {
    RelatedHit h;
    BIBKG_ASSIGN_OR_RETURN(h.work, Summarize(iri));
    if (h.work.title.empty() || h.work.type == vocab::kJournal) continue;
    h.score = c.score;
    std::sort(c.reasons.begin(), c.reasons.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [s, r] : c.reasons) {
      if (std::find(h.reasons.begin(), h.reasons.end(), r) == h.reasons.end()) {
        h.reasons.push_back(std::move(r));
      }
    }
    hits.push_back(std::move(h));
  }
  std::sort(hits.begin(), hits.end(), [](const RelatedHit& a, const RelatedHit& b) {
    return a.score != b.score ? a.score > b.score : a.work.iri < b.work.iri;
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

// ---------------------------------------------------------------------------
// Reading lists

absl::StatusOr<std::vector<Work>> Engine::ReadingList(const ReadingListOptions& options) const {
  if (options.seeds.empty() && options.topic.empty()) {
    return absl::InvalidArgumentError("a reading list needs seed works or a topic");
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
    BIBKG_ASSIGN_OR_RETURN(std::vector<RelatedHit> related, Related(seeds, want));
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
  std::vector<Entry> entries;
  std::set<std::string> title_keys;
  for (const std::string& iri : pool) {
    BIBKG_ASSIGN_OR_RETURN(Work w, GetWork(iri));
    std::string key = indexer::MatchKey(w.summary.title);
    if (!key.empty() && !title_keys.insert(key).second) continue;
    int in_pool = 0;
    BIBKG_ASSIGN_OR_RETURN(std::vector<Link> in, Links(iri, true));
    for (const Link& l : in) in_pool += seen.contains(l.work.iri) ? 1 : 0;
    int year = YearOf(w.summary.issued);
    entries.push_back({std::move(w), in_pool + 0.1 * static_cast<double>(in.size()), year});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
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
