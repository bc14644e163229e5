#include "tools/warning_summary.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bibkg::tools {

std::string ProblemKind(const indexer::ImportError& e) {
  std::string kind = e.fatal ? "error" : "warning";
  if (!e.field.empty()) absl::StrAppend(&kind, ": field ", e.field);
  kind += ": ";
  const std::string& m = e.message;
  for (size_t i = 0; i < m.size();) {
    char c = m[i];
    if (c == '"' || c == '\'' || c == '<') {
      // Quoted text or an IRI: one placeholder.
      char close = c == '<' ? '>' : c;
      size_t end = m.find(close, i + 1);
      if (end == std::string::npos) end = m.size() - 1;
      kind += "\"…\"";
      i = end + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      // A number, or an identifier with digits in it (a DOI, an ISSN).
      auto digit = [&](size_t j) {
        return j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]));
      };
      while (i < m.size() && !std::isspace(static_cast<unsigned char>(m[i])) &&
             ((m[i] != ',' && m[i] != ';') || digit(i + 1)) && m[i] != ')')
        ++i;
      kind += '#';
    } else {
      kind += c;
      ++i;
    }
  }
  return kind;
}

void WarningSummary::Add(const indexer::ImportError& e) {
  ++count_;
  Kind& k = kinds_[ProblemKind(e)];
  ++k.count;
  k.fatal = e.fatal;
  if (k.examples.size() < examples_per_kind_)
    k.examples.push_back(e.ToString());
}

std::string WarningSummary::ToString() const {
  if (count_ == 0) return "";
  std::vector<std::pair<std::string, const Kind*>> order;
  for (const auto& [name, k] : kinds_) order.emplace_back(name, &k);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) {
                     return a.second->count > b.second->count;
                   });
  std::string out =
      absl::StrCat(count_, count_ == 1 ? " problem" : " problems", " of ",
                   kinds_.size(), kinds_.size() == 1 ? " kind" : " kinds",
                   " (the error report lists each):\n");
  for (const auto& [name, k] : order) {
    absl::StrAppend(&out, "  ", k->count, " × ", name, "\n");
    for (const std::string& ex : k->examples)
      absl::StrAppend(&out, "      e.g. ", ex, "\n");
  }
  return out;
}

}  // namespace bibkg::tools
