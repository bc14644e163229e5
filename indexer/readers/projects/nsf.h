// National Science Foundation award XML (one <Award> per file or a
// <rootTag> of them, as nsf.gov's award search exports them).
#ifndef BIBKG_INDEXER_READERS_PROJECTS_NSF_H_
#define BIBKG_INDEXER_READERS_PROJECTS_NSF_H_

#include <libxml/tree.h>

#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// One NSF <Award> element; graph `<file>#<AwardID>`. Fails the record when
// the AwardID is missing or not a seven-digit NSF award number.
Record MapNsfAward(const xmlNode* award, const Source& source);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PROJECTS_NSF_H_
