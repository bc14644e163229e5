// JATS (NLM) journal articles: the article's metadata and its reference list,
// read by the XML record reader (xml_records.h) from an <article> root.
#ifndef BIBKG_INDEXER_READERS_JATS_H_
#define BIBKG_INDEXER_READERS_JATS_H_

#include <libxml/tree.h>

#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// The article and its references: `cito:cites` to the DOI's work node, to
// `https://identifiers.org/pubmed:N` for a PMID, to a title stub, or to a
// stub holding the citation text. Graph `<file>#<DOI>` (else the PMID, else
// "1").
Record MapJatsArticle(const xmlNode* article, const Source& source);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_JATS_H_
