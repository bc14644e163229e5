// String helpers over std::string_view. Debian's abseil is built with its own
// absl::string_view (not an alias of std::string_view), so absl's string
// functions do not take std::string_view; these small ones do.
#ifndef BIBKG_BASE_STRINGS_H_
#define BIBKG_BASE_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace bibkg::base {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool ContainsIgnoreCase(std::string_view s, std::string_view needle);
// Removes ASCII white space at both ends.
std::string_view StripWhitespace(std::string_view s);
// Removes `prefix` from `*s` when it starts with it; says whether it did.
bool ConsumePrefix(std::string_view* s, std::string_view prefix);
// Splits at every character in `delimiters`; empty pieces are kept unless
// `skip_empty`.
std::vector<std::string_view> Split(std::string_view s,
                                    std::string_view delimiters,
                                    bool skip_empty = false);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string AsciiLower(std::string_view s);

}  // namespace bibkg::base

#endif  // BIBKG_BASE_STRINGS_H_
