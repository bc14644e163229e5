// Mapping helpers shared by every format: node IRIs for works, people,
// journals and concepts, and the triples that describe them. The identity
// rules are the ones in DESIGN.md: a DOI names a work, an ISSN a journal, an
// ORCID a person; otherwise a minted IRI from a normalized key.
#ifndef BIBKG_INDEXER_MAPPING_MAPPING_H_
#define BIBKG_INDEXER_MAPPING_MAPPING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/mapping/record.h"
#include "text/grammars.h"
#include "text/names.h"

namespace bibkg::indexer {

// https://doi.org/<doi> when `doi` (normalized) is given; otherwise a minted
// IRI from the title's match key, the year and the first author's family
// name, so that the same work from two sources is one node.
std::string WorkIri(const std::string& doi, std::string_view title,
                    std::optional<int> year, std::string_view first_family);

// Adds the person node (foaf:Person, name parts) to `rec`; returns its IRI.
std::string AddPerson(Record* rec, const text::PersonName& name);
// Adds a skos:Concept with `label` to `rec`; returns its IRI.
std::string AddConcept(Record* rec, std::string_view label,
                       std::string_view lang);
// The Library of Congress IRI of an ISO 639-1 code.
std::string LanguageIri(std::string_view iso639_1);

// The node of a journal (or other host): `urn:issn:` of its first ISSN with
// a valid check digit, else minted under `kind` from the title's match key.
std::string JournalIri(const std::vector<text::Issn>& issns,
                       std::string_view title,
                       std::string_view kind = "journal");

// Adds `project schema:amount [ a schema:MonetaryAmount; schema:value;
// schema:currency ]` from an amount as written ("kr 1,6 mill.", "USD 210000"),
// or a warning naming `field` when it does not parse.
void AddAwardedAmount(Record* rec, const std::string& project,
                      std::string_view text, const std::string& field);

// Adds the title, its match key, and sets rec->work_iri / rec->match_key.
void AddWorkTitle(Record* rec, const std::string& work, std::string_view title,
                  std::string_view lang);
// Adds an ISSN to `node`: bibo:issn when the check digit holds, otherwise
// bibkg:invalidIssn and a warning naming `field`.
void AddIssn(Record* rec, const std::string& node, const text::Issn& issn,
             const std::string& field);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_MAPPING_MAPPING_H_
