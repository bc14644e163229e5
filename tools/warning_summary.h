// The terminal's account of an import's problems: warnings (and errors past
// the first few) are grouped by kind, each kind with its count and its first
// examples, instead of a line per problem. The full list goes to the error
// report (`--errors`).
#ifndef BIBKG_TOOLS_WARNING_SUMMARY_H_
#define BIBKG_TOOLS_WARNING_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "indexer/importer.h"

namespace bibkg::tools {

// The kind of a problem: its field and its message with the values taken
// out (numbers, quoted text, identifiers), e.g. "field date: cannot read
// date #", so that one kind gathers every record with the same problem.
std::string ProblemKind(const indexer::ImportError& e);

class WarningSummary {
 public:
  explicit WarningSummary(size_t examples_per_kind = 3)
      : examples_per_kind_(examples_per_kind) {}

  void Add(const indexer::ImportError& e);
  // "N warnings of M kinds:" then each kind, most frequent first, with its
  // count and examples (file: record: field: message). Empty when nothing
  // was added.
  std::string ToString() const;
  uint64_t count() const { return count_; }

 private:
  struct Kind {
    uint64_t count = 0;
    bool fatal = false;
    std::vector<std::string> examples;
  };
  size_t examples_per_kind_;
  uint64_t count_ = 0;
  std::map<std::string, Kind> kinds_;
};

}  // namespace bibkg::tools

#endif  // BIBKG_TOOLS_WARNING_SUMMARY_H_
