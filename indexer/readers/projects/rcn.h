// The Research Council of Norway's project page, copied as text: programme
// line "CODE-Name", title, "Alternativ tittel:"/"Alternative title:",
// "Tildelt:"/"Awarded:", the popular-science description,
// "Aktivitet:"/"Activity:". One project record per page, named by the RCN
// project number (the node publications citing "NFR 184951" link to), or
// by programme code and title on a page that shows no number.
#ifndef BIBKG_INDEXER_READERS_PROJECTS_RCN_H_
#define BIBKG_INDEXER_READERS_PROJECTS_RCN_H_

#include <string_view>

#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// A research-council project page.
Record ParseProjectPage(std::string_view text, const Source& source);

// True when `text` looks like a project page.
bool LooksLikeProjectPage(std::string_view text);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PROJECTS_RCN_H_
