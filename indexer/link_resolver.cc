#include "indexer/link_resolver.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/importer.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// The family names of a work's creators, from `triples` or else the store.
absl::StatusOr<std::vector<std::string>> CreatorFamilies(
    const store::ReadView& view, const std::vector<store::Triple>* triples,
    const std::string& work) {
  std::vector<std::string> out;
  if (triples) {
    std::vector<std::string> people;
    for (const store::Triple& t : *triples) {
      if (t.s.value == work && t.p.value == vocab::kCreator)
        people.push_back(t.o.value);
    }
    for (const store::Triple& t : *triples) {
      if (t.p.value == vocab::kFamilyName &&
          std::find(people.begin(), people.end(), t.s.value) != people.end())
        out.push_back(text::MatchKey(t.o.value));
    }
    if (!people.empty()) return out;
  }
  std::vector<store::Term> people;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({store::Term::Iri(work), store::Term::Iri(vocab::kCreator),
                 std::nullopt, std::nullopt},
                [&](const store::Quad& q) {
                  people.push_back(q.o);
                  return people.size() < 100;
                }));
  for (const store::Term& p : people) {
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {p, store::Term::Iri(vocab::kFamilyName), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          out.push_back(text::MatchKey(q.o.value));
          return true;
        }));
  }
  return out;
}

// The work (not a stub, not `self`) with match key `key` that fits `ref`,
// or "". Of several, the least IRI.
absl::StatusOr<std::string> FindTitleTarget(const store::ReadView& view,
                                            const TitleRef& ref,
                                            const std::string& key,
                                            const std::string& self) {
  std::vector<std::string> candidates;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                 store::Term::Literal(key), std::nullopt},
                [&](const store::Quad& q) {
                  if (q.s.is_iri() && !IsStub(q.s) && q.s.value != self)
                    candidates.push_back(q.s.value);
                  return true;
                }));
  std::sort(candidates.begin(), candidates.end());
  for (const std::string& c : candidates) {
    BIBKG_ASSIGN_OR_RETURN(bool fits, FitsReference(view, nullptr, c, ref.year,
                                                    ref.author_family));
    if (fits) return c;
  }
  return std::string();
}

// Describes in `rec` the stub of a title reference nothing in the store
// fits, and returns its IRI. A stub per title, year and author family name,
// everything FitsReference checks: a stub's references all fit the same
// works, so a work arriving later takes over exactly those that would have
// resolved to it had it been stored first.
std::string AddTitleStub(const TitleRef& ref, const std::string& key,
                         Record* rec) {
  std::string family = text::MatchKey(ref.author_family);
  std::string year = ref.year ? absl::StrCat(ref.year) : "";
  std::string stub = text::MintIri(
      "stub", !family.empty() ? absl::StrCat(key, "|", year, "|", family)
              : ref.year      ? absl::StrCat(key, "|", year)
                              : key);
  rec->AddIri(stub, vocab::kRdfType, vocab::kUnresolved);
  rec->AddLiteral(stub, vocab::kTitle, ref.title);
  rec->AddLiteral(stub, vocab::kMatchKey, key);
  if (ref.year) rec->AddLiteral(stub, vocab::kRefYear, absl::StrCat(ref.year));
  rec->AddLiteral(stub, vocab::kRefAuthor, ref.author_family);
  return stub;
}

}  // namespace

std::string LocatorKey(const std::string& issn, const std::string& volume,
                       const std::string& page) {
  return absl::StrCat("ivp|", issn, "|", text::MatchKey(volume), "|",
                      text::MatchKey(page));
}

std::string IsbnKey(const std::string& isbn13) {
  return absl::StrCat("isbn|", isbn13);
}

std::vector<std::string> WorkLocatorKeys(const Record& rec) {
  std::vector<std::string> issns, volumes, pages, out;
  for (const store::Triple& t : rec.triples) {
    if (t.s.value != rec.work_iri) continue;
    if (t.p.value == vocab::kIsPartOf && t.o.value.starts_with("urn:issn:"))
      issns.push_back(t.o.value.substr(9));
    if (t.p.value == vocab::kVolume) volumes.push_back(t.o.value);
    if (t.p.value == vocab::kPageStart) pages.push_back(t.o.value);
    if (t.p.value == vocab::kIsbn13) out.push_back(IsbnKey(t.o.value));
  }
  // The journal's other ISSNs (print and electronic) name it too.
  for (const store::Triple& t : rec.triples) {
    if (t.p.value == vocab::kIssn && !issns.empty() &&
        t.s.value == "urn:issn:" + issns.front() &&
        std::find(issns.begin(), issns.end(), t.o.value) == issns.end()) {
      issns.push_back(t.o.value);
    }
  }
  for (const std::string& i : issns)
    for (const std::string& v : volumes)
      for (const std::string& p : pages) out.push_back(LocatorKey(i, v, p));
  return out;
}

absl::StatusOr<std::string> FindByLocator(const store::ReadView& view,
                                          const std::string& key) {
  std::vector<std::string> parts;
  for (std::string_view p : base::Split(key, "|")) parts.emplace_back(p);
  std::string target;
  auto consider = [&](const std::string& candidate) {
    if (target.empty() || candidate < target) target = candidate;
  };
  if (parts.size() == 2 && parts[0] == "isbn") {
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, store::Term::Iri(vocab::kIsbn13),
                   store::Term::Literal(parts[1]), std::nullopt},
                  [&](const store::Quad& q) {
                    if (q.s.is_iri() && !IsStub(q.s)) consider(q.s.value);
                    return true;
                  }));
    return target;
  }
  if (parts.size() != 4 || parts[0] != "ivp") return target;
  // Works with that first page (one index lookup; the key holds the page
  // folded to lower case, so the upper-case spelling is tried too), then
  // their volume and journal.
  std::vector<store::Term> candidates;
  std::vector<std::string> spellings = {parts[3]};
  std::string upper = absl::AsciiStrToUpper(parts[3]);
  if (upper != parts[3]) spellings.push_back(upper);
  for (const std::string& page : spellings) {
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, store::Term::Iri(vocab::kPageStart),
                   store::Term::Literal(page), std::nullopt},
                  [&](const store::Quad& q) {
                    if (q.s.is_iri() && !IsStub(q.s)) candidates.push_back(q.s);
                    return true;
                  }));
  }
  for (const store::Term& c : candidates) {
    bool volume = false, journal = false;
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {c, store::Term::Iri(vocab::kVolume), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          volume |= text::MatchKey(q.o.value) == parts[2];
          return !volume;
        }));
    if (!volume) continue;
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {c, store::Term::Iri(vocab::kIsPartOf), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          journal |= q.o.value == "urn:issn:" + parts[1];
          return !journal;
        }));
    if (journal) consider(c.value);
  }
  return target;
}

absl::StatusOr<int> IssuedYear(const store::ReadView& view,
                               const std::vector<store::Triple>& triples,
                               const std::string& node) {
  auto year_of = [](const std::string& lexical) {
    return lexical.size() >= 4 ? std::atoi(lexical.substr(0, 4).c_str()) : 0;
  };
  for (const store::Triple& t : triples) {
    if (t.s.value == node && t.p.value == vocab::kIssued)
      return year_of(t.o.value);
  }
  int year = 0;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({store::Term::Iri(node), store::Term::Iri(vocab::kIssued),
                 std::nullopt, std::nullopt},
                [&](const store::Quad& q) {
                  year = year_of(q.o.value);
                  return false;
                }));
  return year;
}

absl::StatusOr<bool> FitsReference(const store::ReadView& view,
                                   const std::vector<store::Triple>* triples,
                                   const std::string& work, int year,
                                   const std::string& family) {
  static const std::vector<store::Triple> kNone;
  if (year > 0) {
    BIBKG_ASSIGN_OR_RETURN(int y,
                           IssuedYear(view, triples ? *triples : kNone, work));
    if (y > 0 && std::abs(y - year) > 1) return false;
  }
  std::string f = text::MatchKey(family);
  if (!f.empty()) {
    BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> families,
                           CreatorFamilies(view, triples, work));
    if (!families.empty() &&
        std::find(families.begin(), families.end(), f) == families.end())
      return false;
  }
  return true;
}

absl::Status StubReference(const store::ReadView& view, const store::Term& stub,
                           int* year, std::string* family) {
  *year = 0;
  family->clear();
  BIBKG_RETURN_IF_ERROR(view.Scan(
      {stub, store::Term::Iri(vocab::kRefYear), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        *year = std::atoi(q.o.value.c_str());
        return false;
      }));
  return view.Scan(
      {stub, store::Term::Iri(vocab::kRefAuthor), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        *family = q.o.value;
        return false;
      });
}

absl::Status ResolveLocatorLinks(const store::ReadView& view, Record* rec) {
  for (const LocatorRef& ref : rec->locator_refs) {
    std::string key = ref.isbn13.empty()
                          ? LocatorKey(ref.issn, ref.volume, ref.first_page)
                          : IsbnKey(ref.isbn13);
    BIBKG_ASSIGN_OR_RETURN(std::string target, FindByLocator(view, key));
    if (target.empty()) {
      target = text::MintIri("stub", key);
      rec->AddIri(target, vocab::kRdfType, vocab::kUnresolved);
      rec->AddLiteral(target, vocab::kLocatorKey, key);
      rec->AddLiteral(target, vocab::kBibliographicCitation, ref.said);
    }
    rec->AddIri(ref.subject, ref.predicate.c_str(), target);
  }
  return absl::OkStatus();
}

absl::Status StageStubTakeover(const store::ReadView& view, const Record& rec,
                               store::WriteSet* ws) {
  if (rec.match_key.empty()) return absl::OkStatus();
  absl::flat_hash_map<std::string, std::string> stubs;
  // Title stubs that this work fits.
  std::vector<store::Term> titled;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                 store::Term::Literal(rec.match_key), std::nullopt},
                [&](const store::Quad& q) {
                  if (IsStub(q.s)) titled.push_back(q.s);
                  return true;
                }));
  for (const store::Term& stub : titled) {
    int year;
    std::string family;
    BIBKG_RETURN_IF_ERROR(StubReference(view, stub, &year, &family));
    BIBKG_ASSIGN_OR_RETURN(
        bool fits,
        FitsReference(view, &rec.triples, rec.work_iri, year, family));
    if (fits) stubs[stub.value] = rec.work_iri;
  }
  for (const std::string& key : WorkLocatorKeys(rec))
    stubs[text::MintIri("stub", key)] = rec.work_iri;
  return StageStubRewrites(view, stubs, rec.graph, ws);
}

absl::Status StageStubRewrites(
    const store::ReadView& view,
    const absl::flat_hash_map<std::string, std::string>& stub_to_work,
    const store::Term& except, store::WriteSet* ws) {
  // Every graph that mentions one of the stubs is rewritten once, with all
  // of its stubs replaced (two rewrites of one graph would undo each other).
  absl::flat_hash_set<std::string> graphs;
  auto collect = [&](const store::Quad& q) {
    if (!(q.g == except)) graphs.insert(q.g.value);
    return true;
  };
  for (const auto& [stub, work] : stub_to_work) {
    store::Term t = store::Term::Iri(stub);
    BIBKG_RETURN_IF_ERROR(
        view.Scan({t, std::nullopt, std::nullopt, std::nullopt}, collect));
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, std::nullopt, t, std::nullopt}, collect));
  }
  std::vector<std::string> ordered(graphs.begin(), graphs.end());
  std::sort(ordered.begin(), ordered.end());
  for (const std::string& g : ordered) {
    std::vector<store::Triple> rewritten;
    store::Term graph = store::Term::Iri(g);
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {std::nullopt, std::nullopt, std::nullopt, graph},
        [&](const store::Quad& q) {
          if (q.s.is_iri() && stub_to_work.contains(q.s.value))
            return true;  // the stub's own description goes
          store::Term o = q.o;
          if (o.is_iri()) {
            if (auto it = stub_to_work.find(o.value); it != stub_to_work.end())
              o = store::Term::Iri(it->second);
          }
          rewritten.push_back({q.s, q.p, std::move(o)});
          return true;
        }));
    ws->ReplaceGraph(graph, std::move(rewritten));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<store::Term>> FindStubsToResolve(
    const store::ReadView& view, std::vector<std::string>* bulk_keys,
    bool keys_overflow) {
  // Few stubs exist at any time (one per title nobody has imported yet):
  // look at every stub when there are fewer stubs than keys to look up.
  std::vector<store::Term> stubs;
  bool all_stubs = true;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kRdfType),
                 store::Term::Iri(vocab::kUnresolved), std::nullopt},
                [&](const store::Quad& q) {
                  if (IsStub(q.s) && (stubs.empty() || !(stubs.back() == q.s)))
                    stubs.push_back(q.s);
                  if (!keys_overflow && stubs.size() > bulk_keys->size()) {
                    all_stubs = false;
                    return false;
                  }
                  return true;
                }));
  if (all_stubs) return stubs;
  stubs.clear();
  // The stubs the loaded works could take over, found by their keys.
  std::sort(bulk_keys->begin(), bulk_keys->end());
  bulk_keys->erase(std::unique(bulk_keys->begin(), bulk_keys->end()),
                   bulk_keys->end());
  absl::flat_hash_set<std::string> seen;
  for (const std::string& k : *bulk_keys) {
    std::string_view key = std::string_view(k).substr(2);
    if (k[0] == 't') {
      BIBKG_RETURN_IF_ERROR(
          view.Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                     store::Term::Literal(std::string(key)), std::nullopt},
                    [&](const store::Quad& q) {
                      if (IsStub(q.s) && seen.insert(q.s.value).second)
                        stubs.push_back(q.s);
                      return true;
                    }));
    } else {
      store::Term stub = store::Term::Iri(text::MintIri("stub", key));
      BIBKG_RETURN_IF_ERROR(view.Scan(
          {stub, store::Term::Iri(vocab::kRdfType), std::nullopt, std::nullopt},
          [&](const store::Quad&) {
            if (seen.insert(stub.value).second) stubs.push_back(stub);
            return false;
          }));
    }
  }
  return stubs;
}

absl::StatusOr<std::string> FindStubTarget(const store::ReadView& view,
                                           const store::Term& stub) {
  std::string key;
  BIBKG_RETURN_IF_ERROR(view.Scan(
      {stub, store::Term::Iri(vocab::kMatchKey), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        key = q.o.value;
        return false;
      }));
  if (key.empty()) {
    // A stub for a reference by ISSN + volume + page or by ISBN.
    std::string locator;
    BIBKG_RETURN_IF_ERROR(view.Scan({stub, store::Term::Iri(vocab::kLocatorKey),
                                     std::nullopt, std::nullopt},
                                    [&](const store::Quad& q) {
                                      locator = q.o.value;
                                      return false;
                                    }));
    if (locator.empty()) return std::string();
    return FindByLocator(view, locator);
  }
  std::vector<std::string> candidates;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                 store::Term::Literal(key), std::nullopt},
                [&](const store::Quad& q) {
                  if (q.s.is_iri() && !IsStub(q.s))
                    candidates.push_back(q.s.value);
                  return true;
                }));
  std::sort(candidates.begin(), candidates.end());
  int year;
  std::string family;
  BIBKG_RETURN_IF_ERROR(StubReference(view, stub, &year, &family));
  for (const std::string& c : candidates) {
    BIBKG_ASSIGN_OR_RETURN(bool fits,
                           FitsReference(view, nullptr, c, year, family));
    if (fits) return c;
  }
  return std::string();
}

absl::Status Importer::ResolveTitleLinks(const store::ReadView& view,
                                         Record& rec) {
  // Title links: to the work with that match key, else to a stub that the
  // work takes over when it is imported.
  for (const TitleRef& ref : rec.title_refs) {
    std::string key = text::MatchKey(ref.title);
    if (key.empty()) continue;
    BIBKG_ASSIGN_OR_RETURN(std::string target,
                           FindTitleTarget(view, ref, key, rec.work_iri));
    if (target.empty()) {
      target = AddTitleStub(ref, key, &rec);
    } else if (ref.predicate == vocab::kCites &&
               view.InDegree(store::Term::Iri(vocab::kCites),
                             store::Term::Iri(target)) >= kOvermatchCitations) {
      // A title that many citing works resolve to: often a generic title
      // ("Introduction") matched too eagerly.
      ++stats_.overmatched_references;
      Report({current_source_, rec.id, "reference",
              absl::StrCat("the title \"", ref.title, "\" resolves to <",
                           target, ">, which ", kOvermatchCitations,
                           " or more works already cite; check the match"),
              false});
    }
    rec.AddIri(ref.subject, ref.predicate.c_str(), target);
  }
  return absl::OkStatus();
}

std::vector<store::Triple> CitationsOfWorks(const Record& rec) {
  std::vector<store::Triple> cites;
  for (const store::Triple& t : rec.triples) {
    if (t.p.value == vocab::kCites && t.o.is_iri() && !IsStub(t.o))
      cites.push_back(t);
  }
  return cites;
}

absl::Status Importer::CheckCitationDates(const store::ReadView& view,
                                          const Record& rec) {
  std::vector<store::Triple> cites = CitationsOfWorks(rec);
  // Works of the current bulk load that cite this one are checked when the
  // load ends.
  if (loader_) bulk_committed_graphs_[rec.graph.value] = bulk_seq_++;
  return CheckCitationDates(
      view, {rec.id, rec.graph, rec.work_iri, cites}, rec.triples,
      [&](const std::string& g) { return bulk_citing_graphs_.contains(g); });
}

absl::Status Importer::CheckCitationDates(
    const store::ReadView& view, const DateCheck& check,
    const std::vector<store::Triple>& local,
    const std::function<bool(const std::string&)>& skip_citer) {
  auto report = [&](int citing_year, const std::string& cited, int year) {
    ++stats_.citations_of_later_works;
    Report({current_source_, check.id, "cites",
            absl::StrCat("<", cited, "> (", year, ") is cited by a work of ",
                         citing_year,
                         ", more than a year before it appeared; check the "
                         "reference or the dates"),
            false});
  };
  // This record's citations of works the store already dates.
  for (const store::Triple& t : check.cites) {
    BIBKG_ASSIGN_OR_RETURN(int citing, IssuedYear(view, local, t.s.value));
    if (citing == 0) continue;
    BIBKG_ASSIGN_OR_RETURN(int cited, IssuedYear(view, local, t.o.value));
    if (cited > citing + 1) report(citing, t.o.value, cited);
  }
  // Works already in the store that cite this record's work.
  if (check.work.empty()) return absl::OkStatus();
  BIBKG_ASSIGN_OR_RETURN(int year, IssuedYear(view, local, check.work));
  if (year == 0) return absl::OkStatus();
  std::vector<std::string> citers;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kCites),
                 store::Term::Iri(check.work), std::nullopt},
                [&](const store::Quad& q) {
                  if (!(q.g == check.graph) && !skip_citer(q.g.value))
                    citers.push_back(q.s.value);
                  return citers.size() < 10000;
                }));
  std::sort(citers.begin(), citers.end());
  citers.erase(std::unique(citers.begin(), citers.end()), citers.end());
  for (const std::string& c : citers) {
    BIBKG_ASSIGN_OR_RETURN(int citing, IssuedYear(view, {}, c));
    if (citing != 0 && year > citing + 1) report(citing, check.work, year);
  }
  return absl::OkStatus();
}

absl::Status Importer::ResolveStubs() {
  std::unique_ptr<store::ReadView> view = store_->NewReadView();
  BIBKG_ASSIGN_OR_RETURN(
      std::vector<store::Term> stubs,
      FindStubsToResolve(*view, &bulk_keys_, bulk_keys_overflow_));
  absl::flat_hash_map<std::string, std::string> resolved;  // stub -> work
  for (const store::Term& stub : stubs) {
    BIBKG_ASSIGN_OR_RETURN(std::string work, FindStubTarget(*view, stub));
    if (!work.empty()) resolved[stub.value] = std::move(work);
  }
  if (resolved.empty()) return absl::OkStatus();
  store::WriteSet ws;
  BIBKG_RETURN_IF_ERROR(
      StageStubRewrites(*view, resolved, store::Term::Iri(""), &ws));
  return Commit(ws);
}

}  // namespace bibkg::indexer
