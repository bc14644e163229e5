// The one project description every funder's reader fills (ProjectInfo) and
// its mapping to triples (MapProject). The project node is named by its
// funder and grant number (ProjectIri in indexer/mapping/bib_item.h), the
// node a publication's funding note links to, whichever is imported first.
#ifndef BIBKG_INDEXER_READERS_PROJECTS_PROJECT_H_
#define BIBKG_INDEXER_READERS_PROJECTS_PROJECT_H_

#include <optional>
#include <string>
#include <vector>

#include "indexer/mapping/record.h"
#include "text/grammars.h"
#include "text/names.h"

namespace bibkg::indexer {

// A text and its language (ISO 639-1). An empty language is guessed from the
// text (libexttextcat) when the text is long enough to tell.
struct LangText {
  std::string text;
  std::string lang;
};

struct ProjectOrg {
  std::string name;
  std::string short_name;
  std::string ror;  // ROR id ("00k4n6c32"), when given
  bool coordinator = false;
};

struct ProjectInfo {
  // The funder: its Crossref Funder Registry IRI (https://doi.org/10.13039/…)
  // and names; its ROR id when known.
  std::string funder_iri;
  std::vector<LangText> funder_names;
  std::string funder_ror;
  // Other funders named (a UKRI project's lead council), as names.
  std::vector<std::string> other_funders;
  // The grant number as the funder writes it, normalized. Required unless
  // `iri` is set (a page that shows no number).
  std::string grant;
  std::string grant_field;       // the input field, for messages
  std::string iri;               // overrides ProjectIri(funder_iri, grant)
  std::vector<LangText> titles;  // the first is the title
  std::vector<LangText> alt_titles;
  std::string acronym;
  std::string grant_doi;  // normalized, "10.3030/101017168"
  // The programme (a funding scheme node named by funder + code).
  std::string programme_code;
  LangText programme_label;
  std::vector<std::string> calls;  // call / topic identifiers
  std::string type;                // "ERC-STG", "Research Grant"
  // The awarded amount as written, currency included ("kr 1,6 mill.",
  // "EUR 203149.44"), and the field it came from.
  std::string amount;
  std::string amount_field;
  std::optional<text::Date> start, end;
  std::vector<ProjectOrg> orgs;
  std::vector<text::PersonName> investigators;
  std::vector<LangText> descriptions;
  std::vector<LangText> keywords;
  // Languages a guess is picked from (empty: the detector's own list).
  std::vector<std::string> language_candidates;
};

// Adds the project's triples to `rec` (sets rec->work_iri/match_key so title
// references find it). Fails the record when it has neither a grant number
// nor an IRI, or no title.
void MapProject(const ProjectInfo& p, Record* rec);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PROJECTS_PROJECT_H_
