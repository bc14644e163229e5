// Parsers for text pages copied from web catalogs and sites, one record per
// page: a discovery-system catalog record, a Research Council of Norway
// project page (ParseProjectPage, declared in projects/rcn.h), and a web
// article or blog post.
#ifndef BIBKG_INDEXER_READERS_PAGES_H_
#define BIBKG_INDEXER_READERS_PAGES_H_

#include <string_view>

#include "indexer/mapping/record.h"
#include "indexer/readers/projects/rcn.h"

namespace bibkg::indexer {

// A catalog record page with a "Label: | value |" table (German or English
// labels: "Veröffentlicht in"/"Published in", "Schlagworte"/"Subjects",
// "Zusammenfassung"/"Summary", "Sprache"/"Language", ISSN, DOI, ...).
Record ParseCatalogPage(std::string_view text, const Source& source);

// A web article or blog post: title line, optional byline ("Written by
// Rebecca Hill on 5 July 2016 in News", or a name alone on the second line),
// body text, and "Related content" / "Related Articles" lists. Lists headed
// "Sponsored" are advertising, not related work.
Record ParseWebArticle(std::string_view text, const Source& source);

// True when `text` looks like a catalog record page.
bool LooksLikeCatalogPage(std::string_view text);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_PAGES_H_
