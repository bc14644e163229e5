// Research-council project records. NSF award XML for now (the
// <rootTag><Award> documents of nsf.gov's award search): the project node is
// named by its funder and award number, the node a publication's funding
// note or Crossref award links to, whichever is imported first.
#ifndef BIBKG_INDEXER_PROJECTS_H_
#define BIBKG_INDEXER_PROJECTS_H_

#include <libxml/tree.h>

#include "indexer/record.h"

namespace bibkg::indexer {

// One <Award> element; graph `<file>#<AwardID>`.
Record MapNsfAward(const xmlNode* award, const Source& source);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_PROJECTS_H_
