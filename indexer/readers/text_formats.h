// RIS and BibTeX readers
#ifndef BIBKG_INDEXER_READERS_TEXT_FORMATS_H_
#define BIBKG_INDEXER_READERS_TEXT_FORMATS_H_

#include "indexer/readers/bibtex.h"
#include "indexer/readers/ris.h"

#endif  // BIBKG_INDEXER_READERS_TEXT_FORMATS_H_
