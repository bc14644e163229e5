// Compressed and archived input (indexer/readers/input.h): real Crossref
// files as Crossref ships them, gzipped, as JSON lines, in a tar archive and
// in directories.
#include "indexer/readers/input.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "indexer/importer.h"
#include "tests/testing/testing.h"

namespace bibkg::indexer {
namespace {

using ::testing::HasSubstr;
using testing::DataPath;
using testing::TempDir;

std::string Dump(const std::string& name) {
  return DataPath("crossref-dump/" + name);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Names and contents of the streams ForEachInput finds in `path`.
std::vector<std::pair<std::string, std::string>> Streams(
    const std::string& path, std::vector<std::string>* errors = nullptr) {
  std::vector<std::pair<std::string, std::string>> out;
  absl::Status s = ForEachInput(
      path,
      [&](InputStream& in) {
        std::string text;
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, in.in)) > 0)
          text.append(buf, n);
        EXPECT_EQ(static_cast<size_t>(std::ftell(in.in)), text.size());
        EXPECT_TRUE(std::string_view(text).starts_with(in.head));
        out.emplace_back(in.name, text);
        return absl::OkStatus();
      },
      [&](const std::string& name, const std::string& message) {
        if (errors) errors->push_back(name + ": " + message);
      });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

struct Imported {
  ImportStats stats;
  std::vector<ImportError> errors;
};

Imported Import(const std::string& path) {
  TempDir dir;
  auto store = *store::Store::Open(dir.Sub("db"));
  Importer importer(store.get(), {});
  EXPECT_OK(importer.ImportFile(path));
  EXPECT_OK(importer.Finish());
  return {importer.stats(), importer.errors()};
}

TEST(Input, GzipIsReadFromTheContentNotTheName) {
  TempDir dir;
  std::filesystem::copy_file(Dump("crossref-list.json.gz"), dir.Sub("list"));
  auto streams = Streams(dir.Sub("list"));
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].first, dir.Sub("list"));
  EXPECT_EQ(streams[0].second,
            ReadAll(DataPath("fixtures/commonmeta-py/crossref-list.json")));
}

TEST(Input, TarMembersAreNamedArchiveBangMember) {
  auto streams = Streams(Dump("crossref-dump.tar"));
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].first, Dump("crossref-dump.tar") + "!crossref/0.json.gz");
  EXPECT_EQ(streams[1].first,
            Dump("crossref-dump.tar") + "!crossref/2024/1.json.gz");
  // The gzipped members are unpacked too.
  EXPECT_EQ(streams[1].second,
            ReadAll(DataPath("fixtures/opencitations-index/crossref_dump.json")));
}

TEST(Input, PlainFilesPassThrough) {
  std::string path = DataPath("fixtures/traject/nature.marc");
  auto streams = Streams(path);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].second, ReadAll(path));
}

TEST(Input, GzippedCrossrefDumpImports) {
  Imported r = Import(Dump("crossref-list.json.gz"));
  EXPECT_EQ(r.stats.records_imported, 20u);
  EXPECT_EQ(r.stats.records_failed, 0u);
  Imported lines = Import(Dump("crossref-works.jsonl.gz"));
  EXPECT_EQ(lines.stats.records_imported, 5u);
  EXPECT_EQ(lines.stats.records_failed, 0u);
}

TEST(Input, TarredCrossrefDumpImports) {
  Imported r = Import(Dump("crossref-dump.tar"));
  EXPECT_EQ(r.stats.files, 2u);
  EXPECT_EQ(r.stats.records_imported, 25u);
  EXPECT_EQ(r.stats.records_failed, 0u);
}

TEST(Input, DirectoriesAreWalkedRecursively) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("dump/2024"));
  std::filesystem::copy_file(Dump("crossref-list.json.gz"),
                             dir.Sub("dump/0.json.gz"));
  std::filesystem::copy_file(Dump("crossref-dump.tar"),
                             dir.Sub("dump/2024/1.tar"));
  auto streams = Streams(dir.Sub("dump"));
  ASSERT_EQ(streams.size(), 3u);
  EXPECT_EQ(streams[0].first, dir.Sub("dump/0.json.gz"));
  EXPECT_EQ(streams[2].first,
            dir.Sub("dump/2024/1.tar") + "!crossref/2024/1.json.gz");
  Imported r = Import(dir.Sub("dump"));
  EXPECT_EQ(r.stats.records_imported, 45u);
}

TEST(Input, DamagedCompressedFileIsReportedByName) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("dump"));
  std::filesystem::copy_file(Dump("crossref-works-cut.jsonl.gz"),
                             dir.Sub("dump/a.jsonl.gz"));
  std::filesystem::copy_file(Dump("crossref-list.json.gz"),
                             dir.Sub("dump/b.json.gz"));
  Imported r = Import(dir.Sub("dump"));
  // The damaged file is reported; the next one still imports.
  EXPECT_EQ(r.stats.records_imported, 20u);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].file, dir.Sub("dump/a.jsonl.gz"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("gzip"));
  EXPECT_TRUE(r.errors[0].fatal);
}

TEST(Input, MagicNumbers) {
  EXPECT_TRUE(LooksPacked("\x1F\x8B\x08"));
  EXPECT_TRUE(LooksPacked("BZh91AY"));
  EXPECT_TRUE(LooksPacked(std::string("\xFD" "7zXZ\0", 6)));
  EXPECT_TRUE(LooksPacked("\x28\xB5\x2F\xFD"));
  EXPECT_TRUE(LooksPacked("PK\x03\x04"));
  EXPECT_FALSE(LooksPacked("{\"items\": []}"));
  EXPECT_FALSE(LooksPacked("00714cam  2200205 a 4500"));
}

}  // namespace
}  // namespace bibkg::indexer
