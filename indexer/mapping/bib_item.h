// A bibliographic description in one neutral shape, filled by every catalog
// format (MARC 21, MARCXML, Dublin Core, RIS, BibTeX) and mapped to triples in
// one place, so that the same work from two formats becomes the same node
// with the same predicates.
#ifndef BIBKG_INDEXER_MAPPING_BIB_ITEM_H_
#define BIBKG_INDEXER_MAPPING_BIB_ITEM_H_

#include <optional>
#include <string>
#include <vector>

#include "indexer/mapping/funding.h"
#include "indexer/mapping/mapping.h"
#include "indexer/mapping/record.h"
#include "text/grammars.h"

namespace bibkg::indexer {

// A person or corporate body named in a record.
struct Agent {
  std::string name;        // as written ("Pevsner, Nikolaus")
  bool corporate = false;  // an organization (MARC 110/710, RIS A* org)
  bool creator = true;     // dcterms:creator (else dcterms:contributor)
  std::vector<std::string> relators;  // MARC relator codes ("aut", "edt")
  std::string orcid;                  // as written; checked when mapped
  std::string authority;  // authority record id ("(DE-588)118540238")
  std::string field;      // input field, for messages ("100")
};

// A subject heading or keyword.
struct SubjectTerm {
  std::string label;      // "Art -- History"
  std::string scheme;     // source vocabulary ("lcsh", "gnd"); empty: none
  std::string authority;  // authority record id, when given
  bool place = false;     // a geographic name (dcterms:spatial too)
};

// What one catalog record says about one work, as its format gives it:
// values as written, checked and normalized only by MapBibItem.
struct BibItem {
  const char* type = nullptr;  // a FaBiO class IRI; nullptr: fabio:Expression
  std::string title;           // required
  std::string title_field = "title";
  std::vector<std::string> alt_titles;
  std::string lang;  // ISO 639-1, when known
  std::vector<Agent> agents;
  std::optional<text::Date> date;
  std::string doi;  // as written
  std::string doi_field = "DOI";
  std::vector<std::string> isbns;  // as written
  std::string isbn_field = "ISBN";
  std::vector<std::string> issns;  // the work's own (a serial) or its host's
  std::string issn_field = "ISSN";
  // The host (journal) an article is part of.
  std::string host_title;
  const char* host_type = nullptr;  // nullptr: fabio:Journal
  std::vector<std::string> host_issns;
  text::Enumeration enumeration;
  std::string publisher, place, edition, extent;
  std::vector<std::string> series;
  std::string abstract;
  std::vector<std::string> notes;
  std::vector<SubjectTerm> subjects;
  std::vector<std::string> urls;
  std::vector<FundingNote> funding;
  std::vector<std::string> identifiers;  // other ids: "(OCoLC)123", LCCN
};

// Adds the item's triples to `rec` and sets rec->work_iri / match_key. The
// work's IRI is its DOI, else its ISBN-13 (urn:isbn:), else minted from
// title + year + first creator's family name. Invalid identifiers are kept
// as bibkg:invalid* literals with a warning naming the field, never used for
// linking. The funding notes are linked as AddFundingNotes says. Fails the
// record (and adds nothing) when it has no title.
void MapBibItem(const BibItem& item, Record* rec);

// A `cito:cites` link from `work` to a stub that holds a reference nothing
// identifies (no DOI, no title): what the reference said, as written.
// Nothing when `said` has no letters or digits.
void AddCitationStub(Record* rec, const std::string& work,
                     const std::string& said);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_MAPPING_BIB_ITEM_H_
