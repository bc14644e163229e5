// Funding: the notes a record gives (MARC 536, RIS/BibTeX funding fields,
// Crossref funders, acknowledgements) and the links they make from a work to
// the project a funder funded under a grant number (docs/schema.md, "Funding
// links").
#ifndef BIBKG_INDEXER_MAPPING_FUNDING_H_
#define BIBKG_INDEXER_MAPPING_FUNDING_H_

#include <string>
#include <string_view>
#include <vector>

#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// A funding statement (MARC 536, RIS/BibTeX funding fields).
struct FundingNote {
  std::string text;        // the whole note
  std::string funder;      // the funder as written
  std::string funder_iri;  // its Funder Registry IRI, when the record says
  std::string grant;       // contract or grant number
  std::string project;     // project number
  std::string field;       // input field, for messages
  // Free text (an acknowledgement): only grant numbers read from it by the
  // councils' grammars link, and the text itself is not kept as a note.
  bool free_text = false;
};

// A funding statement that is only text: a field's value ("funding") or
// prose (`free_text`: an acknowledgement, a note).
FundingNote FundingText(std::string text, std::string field, bool free_text);

// Adds the notes of `funding` (those not `free_text`) to `work` as
// bibkg:fundingNote, and a funding link (AddFundingLink) for each funder and
// grant number they name, once per pair at the highest confidence found.
// Grant numbers are read with each council's grammar (text::FindGrantNumbers);
// a bare number is linked only when the record names a funder whose numbers
// have its shape, never when the funder named disagrees. A number that cannot
// be linked is reported as a warning naming the note's field.
void AddFundingNotes(const std::vector<FundingNote>& funding,
                     const std::string& work, Record* rec);

// The node of a funded project, named by its funder and grant number so that
// the same project from two sources is one node.
std::string ProjectIri(std::string_view funder_key, std::string_view grant);
// Links `work` to `project` (funded by `funder`, grant `number`):
// `work frapo:isFundedBy project`, the project's grant number and funder,
// and a bibkg:FundingLink node holding the confidence and the evidence.
void AddFundingLink(Record* rec, const std::string& work,
                    const std::string& funder, const std::string& number,
                    double confidence, std::string_view evidence);
// A well-known funder named in free text ("Norges forskningsråd",
// "National Science Foundation"): its Crossref Funder Registry IRI, or empty.
std::string KnownFunderIri(std::string_view text);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_MAPPING_FUNDING_H_
