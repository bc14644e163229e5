// Test helpers: Status assertions, a temporary directory per test, a tiny
// real store from inline N-Quads-like text, and running the bibkg binary.
#ifndef BIBKG_TESTS_TESTING_TESTING_H_
#define BIBKG_TESTS_TESTING_TESTING_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "store/store.h"

#define ASSERT_OK(expr)                                               \
  do {                                                                \
    const ::absl::Status bibkg_s_ = ::bibkg::testing::ToStatus(expr); \
    ASSERT_TRUE(bibkg_s_.ok()) << bibkg_s_;                           \
  } while (0)
#define EXPECT_OK(expr)                                               \
  do {                                                                \
    const ::absl::Status bibkg_s_ = ::bibkg::testing::ToStatus(expr); \
    EXPECT_TRUE(bibkg_s_.ok()) << bibkg_s_;                           \
  } while (0)

namespace bibkg::testing {

inline absl::Status ToStatus(const absl::Status& s) { return s; }
template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// A fresh, empty directory named after the running test, removed when the
// object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The path of a file under tests/data.
std::string DataPath(const std::string& relative);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// Opens a real RocksDB store in `dir` holding the given quads, written one
// graph per line group: "s p o g" with IRIs as bare words ("ex:a") and
// literals in double quotes.
std::unique_ptr<store::Store> MakeTestStore(const std::string& dir,
                                            const std::string& quads);

// Every quad of the store as sorted N-Quads lines.
std::vector<std::string> SortedQuads(const store::Store& s);
// The objects of `subject predicate ?o` in any graph, sorted and distinct:
// IRIs and literal texts, language-tagged literals as "text@lang".
std::vector<std::string> Objects(const store::Store& s,
                                 const std::string& subject,
                                 const std::string& predicate);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a shell command, capturing standard output and error.
CommandResult RunCommand(const std::string& command);
// The bibkg binary under test.
std::string Cli();

}  // namespace bibkg::testing

#endif  // BIBKG_TESTS_TESTING_TESTING_H_
