// Renders works as BibTeX, RIS, CSL-JSON or Markdown, for reading lists.
#ifndef BIBKG_QUERY_FORMATS_H_
#define BIBKG_QUERY_FORMATS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "query/engine.h"

namespace bibkg::query {

enum class CitationFormat { kBibtex, kRis, kCslJson, kMarkdown };

// "bibtex", "ris", "csljson" (or "csl-json"), "markdown" (or "md").
absl::StatusOr<CitationFormat> ParseCitationFormat(std::string_view name);

std::string Render(const std::vector<Work>& works, CitationFormat format);

}  // namespace bibkg::query

#endif  // BIBKG_QUERY_FORMATS_H_
