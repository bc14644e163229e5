// Reference-manager exports: RIS and BibTeX / BibLaTeX. Both are read record
// by record from a stream (an entry over 1 MiB is reported and skipped), so
// memory stays bounded on any file size.
#ifndef BIBKG_INDEXER_READERS_TEXT_FORMATS_H_
#define BIBKG_INDEXER_READERS_TEXT_FORMATS_H_

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "indexer/mapping/record.h"

namespace bibkg::indexer {

// Largest RIS record or BibTeX entry read (bytes).
inline constexpr size_t kMaxTextRecordBytes = 1u << 20;

bool LooksLikeRis(std::string_view head);
bool LooksLikeBibtex(std::string_view head);

// RIS ("TY  - JOUR" ... "ER  -"). Records are named `<file>#<n>` (n counts
// from 1). A record without TY, or cut off by the end of the file before its
// ER, is reported and skipped.
absl::Status ReadRis(const Source& source, std::FILE* in,
                     const std::function<absl::Status(Record&)>& on_record);

// BibTeX and BibLaTeX: @string macros, # concatenation, LaTeX accents and
// special letters to Unicode (NFC), braces removed. Records are named
// `<file>#<citation key>`.
absl::Status ReadBibtex(const Source& source, std::FILE* in,
                        const std::function<absl::Status(Record&)>& on_record);

// LaTeX text ("G{\"o}del, Kurt", "\v{S}koda", "{\ss}") to Unicode, NFC.
std::string LatexToUnicode(std::string_view latex);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_READERS_TEXT_FORMATS_H_
