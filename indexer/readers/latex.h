// LaTeX text as BibTeX files write it, to Unicode.
#ifndef BIBKG_INDEXER_READERS_LATEX_H_
#define BIBKG_INDEXER_READERS_LATEX_H_

#include <string>
#include <string_view>

namespace bibkg::indexer {

// LaTeX text ("G{\"o}del, Kurt", "\v{S}koda", "{\ss}") to Unicode, NFC:
// accent commands become combining marks, special letters their letter,
// braces are removed and spaces collapsed.
std::string LatexToUnicode(std::string_view latex);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_LATEX_H_
