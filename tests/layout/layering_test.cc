// The architecture as the includes must keep it. Each folder may include
// only the folders below it, and each third-party library is included only
// in the folder that wraps it:
//
//   text → base          store → base          topic → text, store
//   indexer → store, text, topic               query → store, text, topic
//   service → query, store, proto (service/import_service.* also indexer)
//   tools → everything
//
// The test reads every source file under the checkout's code folders, so
// that a wrong #include fails the suite.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace bibkg {
namespace {

namespace fs = std::filesystem;

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// The project folders an #include "..." can name; "bibkg/v1/" is the
// generated protobuf and gRPC code of proto/.
const std::vector<std::string> kProjectFolders = {
    "base/",  "text/",    "store/", "topic/",   "indexer/",
    "query/", "service/", "tools/", "bibkg/v1/"};

// Source path prefix -> the project folders its files may include. The
// longest matching prefix applies.
const std::vector<std::pair<std::string, std::vector<std::string>>> kArrows = {
    {"base/", {"base/"}},
    {"text/", {"base/", "text/"}},
    {"store/", {"base/", "store/"}},
    {"topic/", {"base/", "text/", "store/", "topic/"}},
    {"indexer/", {"base/", "text/", "store/", "topic/", "indexer/"}},
    {"query/", {"base/", "text/", "store/", "topic/", "query/"}},
    {"service/", {"base/", "store/", "query/", "service/", "bibkg/v1/"}},
    {"service/import_service.",
     {"base/", "store/", "query/", "service/", "bibkg/v1/", "indexer/"}},
    {"tools/", kProjectFolders},
};

// Third-party header prefix -> the source path prefixes that may include it.
const std::vector<std::pair<std::string, std::vector<std::string>>> kWrappers =
    {
        {"unicode/", {"text/"}},
        {"libstemmer.h", {"text/"}},
        {"libexttextcat/", {"text/"}},
        {"xxhash.h", {"text/"}},
        {"boost/", {"text/", "indexer/readers/"}},
        {"boost/sort/", {"base/sort.cc"}},
        // store_bench's baseline is RocksDB used directly.
        {"rocksdb/", {"store/", "tools/bench/store_bench.cc"}},
        {"libxml/", {"indexer/readers/"}},
        {"serd/", {"indexer/readers/"}},
        {"yaz/", {"indexer/readers/"}},
        {"archive.h", {"indexer/readers/input.cc"}},
        {"archive_entry.h", {"indexer/readers/input.cc"}},
        {"csv.h", {"indexer/readers/"}},
        {"nlohmann/", {"indexer/readers/"}},
        {"grpcpp/", {"service/", "tools/"}},
        {"grpc/", {"service/", "tools/"}},
        {"google/protobuf/", {"service/", "tools/"}},
        {"gperftools/", {"base/"}},
        {"CLI/", {"tools/"}},
};

template <typename Table>
const typename Table::value_type* LongestPrefix(const Table& table,
                                                const std::string& path) {
  const typename Table::value_type* best = nullptr;
  for (const auto& row : table) {
    if (StartsWith(path, row.first) &&
        (best == nullptr || row.first.size() > best->first.size())) {
      best = &row;
    }
  }
  return best;
}

// The wrong includes of the file at `path` (relative to the checkout) with
// `content`, one message each.
std::vector<std::string> Violations(const std::string& path,
                                    const std::string& content) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<std::string> out;
  const auto* arrows = LongestPrefix(kArrows, path);
  if (arrows == nullptr) {
    out.push_back(path + ": in no folder of the layering rules");
    return out;
  }
  std::istringstream lines(content);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const std::string header = m[2];
    const std::string where = path + ":" + std::to_string(n) + ": ";
    bool project = false;
    for (const std::string& folder : kProjectFolders) {
      if (StartsWith(header, folder)) project = true;
    }
    if (project) {
      bool allowed = false;
      for (const std::string& folder : arrows->second) {
        if (StartsWith(header, folder)) allowed = true;
      }
      if (!allowed) out.push_back(where + "may not include " + header);
      continue;
    }
    if (const auto* wrapper = LongestPrefix(kWrappers, header)) {
      bool allowed = false;
      for (const std::string& source : wrapper->second) {
        if (StartsWith(path, source)) allowed = true;
      }
      if (!allowed) {
        out.push_back(where + header + " belongs in " + wrapper->second[0]);
      }
    }
  }
  return out;
}

TEST(Layering, RulesCatchWrongArrows) {
  EXPECT_TRUE(Violations("query/engine.cc",
                         "#include \"store/store.h\"\n"
                         "#include \"text/analysis.h\"\n")
                  .empty());
  EXPECT_EQ(Violations("query/engine.cc",
                       "#include <vector>\n#include \"indexer/importer.h\"\n"),
            std::vector<std::string>{
                "query/engine.cc:2: may not include indexer/importer.h"});
  EXPECT_EQ(
      Violations("text/grammars.cc", "#include \"store/store.h\"\n").size(),
      1u);
  EXPECT_EQ(
      Violations("store/store.cc", "  # include \"query/engine.h\"\n").size(),
      1u);
  EXPECT_EQ(Violations("service/service.cc", "#include \"indexer/importer.h\"")
                .size(),
            1u);
  EXPECT_TRUE(
      Violations("service/import_service.cc", "#include \"indexer/importer.h\"")
          .empty());
  EXPECT_EQ(
      Violations("query/engine.cc", "#include <unicode/brkiter.h>").size(), 1u);
  EXPECT_EQ(
      Violations("indexer/importer.cc", "#include <libxml/parser.h>").size(),
      1u);
  EXPECT_TRUE(
      Violations("indexer/readers/xml_records.cc", "#include <libxml/parser.h>")
          .empty());
  EXPECT_EQ(Violations("indexer/importer.cc", "#include <archive.h>").size(),
            1u);
  EXPECT_TRUE(
      Violations("indexer/readers/input.cc", "#include <archive_entry.h>")
          .empty());
  EXPECT_EQ(Violations("newfolder/x.cc", "").size(), 1u);
}

TEST(Layering, SourcesKeepTheLayering) {
  const fs::path root = BIBKG_SOURCE_DIR;
  // Folders of the checkout that hold no C++ sources of the build.
  const std::set<std::string> kNotCode = {"tests", "docs", "scripts", "proto",
                                          "node_modules"};
  size_t files = 0;
  std::vector<std::string> violations;
  for (const fs::directory_entry& top : fs::directory_iterator(root)) {
    const std::string name = top.path().filename().string();
    if (!top.is_directory() || name.empty() || name[0] == '.' ||
        kNotCode.contains(name) || name.find("build") != std::string::npos) {
      continue;
    }
    for (const fs::directory_entry& e :
         fs::recursive_directory_iterator(top.path())) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
      std::ifstream in(e.path());
      std::stringstream content;
      content << in.rdbuf();
      const std::string rel = fs::relative(e.path(), root).generic_string();
      for (std::string& v : Violations(rel, content.str()))
        violations.push_back(std::move(v));
      ++files;
    }
  }
  EXPECT_GT(files, 50u) << "sources not found under " << root;
  for (const std::string& v : violations) ADD_FAILURE() << v;
}

}  // namespace
}  // namespace bibkg
