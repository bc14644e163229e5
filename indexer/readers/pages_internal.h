// Helpers the text-page parsers (pages.cc, projects/rcn.cc) share.
#ifndef BIBKG_INDEXER_READERS_PAGES_INTERNAL_H_
#define BIBKG_INDEXER_READERS_PAGES_INTERNAL_H_

#include <string_view>
#include <vector>

#include "base/strings.h"

namespace bibkg::indexer::pages_internal {

// The lines of `text`, each stripped of surrounding white space.
inline std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out = base::Split(text, "\n");
  for (auto& l : out) l = base::StripWhitespace(l);
  return out;
}

}  // namespace bibkg::indexer::pages_internal

#endif  // BIBKG_INDEXER_READERS_PAGES_INTERNAL_H_
