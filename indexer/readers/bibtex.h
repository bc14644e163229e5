// BibTeX and BibLaTeX, read entry by entry from a stream so that memory
// stays bounded on any file size.
#ifndef BIBKG_INDEXER_READERS_BIBTEX_H_
#define BIBKG_INDEXER_READERS_BIBTEX_H_

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"
#include "indexer/readers/latex.h"  // LatexToUnicode, for entries' text

namespace bibkg::indexer {

// Longest BibTeX entry read (bytes). A longer one (unbalanced braces, as a
// rule) is reported and reading resumes at the next line starting with "@".
inline constexpr size_t kMaxBibtexEntryBytes = 1u << 20;

// True when `head` (the first bytes of a file) has an "@type{" or "@type("
// at the start of a line.
bool LooksLikeBibtex(std::string_view head);

// Reads the entries of `in` (not closed) and calls `on_record` for each, in
// file order: @string macros, # concatenation, LaTeX accents and special
// letters to Unicode (NFC), braces removed. Records are named
// `<file>#<citation key>`. Text outside entries is a comment. An entry that
// does not parse, has invalid UTF-8, is over kMaxBibtexEntryBytes or is not
// closed is passed on as a failed record (Record::has_fatal). Returns the
// first error `on_record` returns (reading stops there), Unavailable on a
// read error, else OK.
absl::Status ReadBibtex(const Source& source, std::FILE* in,
                        const std::function<absl::Status(Record&)>& on_record);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_BIBTEX_H_
