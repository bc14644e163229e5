// Internal to the importer (indexer/*.cc): resolving a record's links
// against the store.
//
// A record names the works it links to (citations, references, funding and
// relation links) by title (TitleRef) or by where they appeared (LocatorRef:
// ISSN + volume + first page, or ISBN). A link resolves to the work in the
// store that fits; when none does, to a stub, a placeholder node typed
// bibkg:Unresolved in the linking record's graph, which says what the link
// said (match key, year and author, or locator key). When the work arrives
// later it takes the stub over: every graph that mentions the stub is
// rewritten to point at the work, and the stub's description goes.
//
// A title reference resolves to a work iff the work fits it (FitsReference),
// whether the work is stored before or after the linking record: a title
// stub is named by all that FitsReference checks (match key, year, author
// family name), so every reference to one stub fits the same works.
#ifndef BIBKG_INDEXER_LINK_RESOLVER_H_
#define BIBKG_INDEXER_LINK_RESOLVER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "indexer/mapping/record.h"
#include "store/store.h"

namespace bibkg::indexer {

// IRIs of stubs start with this.
inline constexpr std::string_view kStubPrefix =
    "https://w3id.org/bibkg/id/stub/";

// A title reference resolving to a work this many works cite is reported.
inline constexpr int64_t kOvermatchCitations = 1000;

inline bool IsStub(const store::Term& t) {
  return t.is_iri() && t.value.starts_with(kStubPrefix);
}

// The record's citations of works (not of stubs): what its date check reads.
std::vector<store::Triple> CitationsOfWorks(const Record& rec);

// Locator keys of works known by where they appeared ("ivp|ISSN|vol|page")
// or by ISBN ("isbn|ISBN-13"). A locator stub's IRI is MintIri("stub", key).
std::string LocatorKey(const std::string& issn, const std::string& volume,
                       const std::string& page);
std::string IsbnKey(const std::string& isbn13);

// The locator keys a record's work can be found under: its journal's
// ISSN(s) with its volume and first page, and its ISBN-13s.
std::vector<std::string> WorkLocatorKeys(const Record& rec);

// The work (not a stub) a locator key names in the store, or "". Of several,
// the least IRI.
absl::StatusOr<std::string> FindByLocator(const store::ReadView& view,
                                          const std::string& key);

// The year of a node's dcterms:issued, from `triples` or else the store; 0
// when neither says.
absl::StatusOr<int> IssuedYear(const store::ReadView& view,
                               const std::vector<store::Triple>& triples,
                               const std::string& node);

// Whether `work` fits what a reference says besides its title: published
// within a year of `year`, with an author of family name `family`; each is
// checked only when both the reference and the work say it. The work's
// description is read from `triples` when given (a record not yet stored),
// else from the store.
absl::StatusOr<bool> FitsReference(const store::ReadView& view,
                                   const std::vector<store::Triple>* triples,
                                   const std::string& work, int year,
                                   const std::string& family);

// What a title stub says besides its title: the reference's year (0 when
// none) and author family name ("" when none). The stub's IRI is minted
// from these and the match key, so every graph describing it agrees.
absl::Status StubReference(const store::ReadView& view, const store::Term& stub,
                           int* year, std::string* family);

// Adds a link to `rec` for each of its locator references: to the work the
// locator names, else to a locator stub described in `rec`.
absl::Status ResolveLocatorLinks(const store::ReadView& view, Record* rec);

// Stages, in `ws`, the takeover of the stubs waiting for the work of `rec`
// (title stubs it fits, and the stubs of its locator keys). Nothing when the
// record has no titled work.
absl::Status StageStubTakeover(const store::ReadView& view, const Record& rec,
                               store::WriteSet* ws);

// Points every graph that refers to one of the stubs at its work (all
// graphs but `except`), one rewrite per graph, and drops the stubs' own
// descriptions.
absl::Status StageStubRewrites(
    const store::ReadView& view,
    const absl::flat_hash_map<std::string, std::string>& stub_to_work,
    const store::Term& except, store::WriteSet* ws);

// The stubs that works just loaded in bulk may take over: every stub when
// there are no more stubs than `bulk_keys`, else those found by the keys
// ("t|<match key>", "l|<locator key>"; sorted and deduplicated in place).
// `keys_overflow` says the keys were not all kept: every stub is looked at.
absl::StatusOr<std::vector<store::Term>> FindStubsToResolve(
    const store::ReadView& view, std::vector<std::string>* bulk_keys,
    bool keys_overflow);

// The work (not a stub) that `stub` resolves to in the store, or "".
absl::StatusOr<std::string> FindStubTarget(const store::ReadView& view,
                                           const store::Term& stub);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_LINK_RESOLVER_H_
