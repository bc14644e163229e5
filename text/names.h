// Personal names as catalog records write them: "Hill, Rebecca",
// "Rebecca Hill", "Hill, Rebecca [Verfasser]".
#ifndef BIBKG_TEXT_NAMES_H_
#define BIBKG_TEXT_NAMES_H_

#include <optional>
#include <string>
#include <string_view>

namespace bibkg::text {

// A personal name split into its parts ("Hill, Rebecca" or "Rebecca Hill").
struct PersonName {
  std::string family;
  std::string given;
  std::string Display() const;  // "Rebecca Hill"
};
// The parts of `text`; a trailing role in brackets or parentheses and
// trailing punctuation are dropped. nullopt when no family name is left.
std::optional<PersonName> ParsePersonName(std::string_view text);

}  // namespace bibkg::text

#endif  // BIBKG_TEXT_NAMES_H_
