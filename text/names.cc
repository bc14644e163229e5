#include "text/names.h"

#include "absl/strings/str_cat.h"
#include "text/normalize.h"

namespace bibkg::text {

std::string PersonName::Display() const {
  return given.empty() ? family : absl::StrCat(given, " ", family);
}

std::optional<PersonName> ParsePersonName(std::string_view text) {
  std::string t = CollapseSpace(text);
  // Drop a trailing role in brackets: "Hill, Rebecca [Verfasser]".
  if (size_t b = t.find(" ["); b != std::string::npos) t = t.substr(0, b);
  if (size_t b = t.find(" ("); b != std::string::npos) t = t.substr(0, b);
  while (!t.empty() &&
         (t.back() == ',' || t.back() == '.' || t.back() == ';')) {
    t.pop_back();
  }
  if (t.empty()) return std::nullopt;
  PersonName n;
  if (size_t comma = t.find(','); comma != std::string::npos) {
    n.family = CollapseSpace(t.substr(0, comma));
    n.given = CollapseSpace(t.substr(comma + 1));
  } else if (size_t sp = t.rfind(' '); sp != std::string::npos) {
    n.given = t.substr(0, sp);
    n.family = t.substr(sp + 1);
  } else {
    n.family = t;
  }
  if (n.family.empty()) return std::nullopt;
  return n;
}

}  // namespace bibkg::text
