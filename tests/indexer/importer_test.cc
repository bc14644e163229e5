#include "indexer/importer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/readers/rdf_io.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using store::Store;
using store::Term;
using testing::DataPath;
using testing::SortedQuads;
using testing::TempDir;

const std::vector<std::string>& kSamples = testing::SampleNames();

std::unique_ptr<Store> ImportSamples(const std::string& db,
                                     std::vector<std::string> order) {
  auto store = Store::Open(db);
  EXPECT_TRUE(store.ok()) << store.status();
  testing::ImportSamples(store->get(), std::move(order));
  return *std::move(store);
}

// The objects of (s, p) over all graphs.
std::vector<std::string> Objects(const Store& store, const std::string& s,
                                 const char* p) {
  std::vector<std::string> out;
  auto view = store.NewReadView();
  EXPECT_OK(view->Scan({Term::Iri(s), Term::Iri(p), std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         out.push_back(q.o.ToNTriples());
                         return true;
                       }));
  return out;
}

std::string WorkWithTitle(const Store& store, const std::string& title) {
  std::string found;
  auto view = store.NewReadView();
  EXPECT_OK(view->Scan(
      {std::nullopt, Term::Iri(vocab::kTitle), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        if (q.o.value == title &&
            q.s.value.find("/stub/") == std::string::npos) {
          found = q.s.value;
        }
        return true;
      }));
  EXPECT_FALSE(found.empty()) << title;
  return found;
}

TEST(Importer, SamplesImportCleanly) {
  TempDir dir;
  auto store = ImportSamples(dir.Sub("db"), kSamples);
  EXPECT_EQ(*store->NewReadView()->CountGraphs(), 5u);
}

TEST(Importer, RelatedContentLinksToTheWorkWhicheverComesFirst) {
  TempDir dir;
  std::vector<std::string> reversed(kSamples.rbegin(), kSamples.rend());
  auto forward = ImportSamples(dir.Sub("forward"), kSamples);
  auto backward = ImportSamples(dir.Sub("backward"), reversed);
  for (const Store* s : {forward.get(), backward.get()}) {
    std::string leaders = WorkWithTitle(
        *s, "Digital transformation needs leaders not managers, says Socitm");
    std::string structures =
        WorkWithTitle(*s,
                      "Socitm: Traditional management structures "
                      "‘unsustainable’ in digital age");
    EXPECT_THAT(Objects(*s, leaders, vocab::kRelation),
                ::testing::Contains("<" + structures + ">"));
    // No stub for that title is left behind.
    auto view = s->NewReadView();
    int stubs_for_structures = 0;
    EXPECT_OK(
        view->Scan({std::nullopt, Term::Iri(vocab::kMatchKey),
                    Term::Literal("socitm traditional management structures "
                                  "unsustainable in digital age"),
                    std::nullopt},
                   [&](const store::Quad& q) {
                     if (q.s.value.find("/stub/") != std::string::npos)
                       ++stubs_for_structures;
                     return true;
                   }));
    EXPECT_EQ(stubs_for_structures, 0);
  }
  // Import order does not change the final graph.
  EXPECT_EQ(SortedQuads(*forward), SortedQuads(*backward));
}

TEST(Importer, ImportingTwiceChangesNothing) {
  TempDir dir;
  auto store = ImportSamples(dir.Sub("db"), kSamples);
  auto before = SortedQuads(*store);
  uint64_t count = store->NewReadView()->quad_count();
  Importer again(store.get(), {});
  for (const auto& name : kSamples)
    ASSERT_OK(again.ImportFile(DataPath("samples/" + name)));
  EXPECT_EQ(again.stats().quads_inserted, 0u);
  EXPECT_EQ(again.stats().quads_deleted, 0u);
  EXPECT_EQ(store->NewReadView()->quad_count(), count);
  EXPECT_EQ(SortedQuads(*store), before);
}

TEST(Importer, BadRecordsAreReportedAndTheRestImports) {
  TempDir dir;
  std::string bad_utf8 = dir.Sub("bad-utf8.txt");
  testing::WriteFile(bad_utf8,
                     "A title\n\nSome text \xFF\xFE with broken bytes.\n");
  std::string nq = dir.Sub("mixed.nq");
  testing::WriteFile(
      nq,
      "<http://ex.org/a> <http://ex.org/p> \"one\" <http://ex.org/g1> .\n"
      "<http://ex.org/b> <http://ex.org/p> \"unterminated <http://ex.org/g1> "
      ".\n"
      "<http://ex.org/c> <http://ex.org/p> \"three\" <http://ex.org/g2> .\n");
  auto store = *Store::Open(dir.Sub("db"));
  std::vector<ImportError> seen;
  ImporterOptions options;
  options.on_error = [&](const ImportError& e) { seen.push_back(e); };
  Importer importer(store.get(), options);
  ASSERT_OK(importer.ImportFile(bad_utf8));
  ASSERT_OK(importer.ImportFile(nq));
  ASSERT_OK(importer.ImportFile(
      DataPath("samples/catalog-record-journal-article.txt")));
  ASSERT_OK(importer.Finish());
  ASSERT_EQ(importer.errors().size(), 2u);
  EXPECT_EQ(seen.size(), 2u);
  const ImportError& utf8 = importer.errors()[0];
  EXPECT_EQ(utf8.file, bad_utf8);
  EXPECT_TRUE(utf8.fatal);
  EXPECT_THAT(utf8.message, ::testing::HasSubstr("invalid UTF-8 at byte 19"));
  const ImportError& syntax = importer.errors()[1];
  EXPECT_EQ(syntax.file, nq);
  EXPECT_EQ(syntax.record, "line 2");
  EXPECT_EQ(importer.stats().records_failed, 2u);
  // The good lines and the good file are in.
  auto quads = SortedQuads(*store);
  EXPECT_THAT(
      quads,
      ::testing::Contains(
          "<http://ex.org/a> <http://ex.org/p> \"one\" <http://ex.org/g1> ."));
  EXPECT_THAT(quads, ::testing::Contains("<http://ex.org/c> <http://ex.org/p> "
                                         "\"three\" <http://ex.org/g2> ."));
  EXPECT_FALSE(Objects(*store, "https://doi.org/10.1080/15309576.2024.2302059",
                       vocab::kTitle)
                   .empty());
  EXPECT_THAT(utf8.ToString(),
              ::testing::HasSubstr("bad-utf8.txt: record 1: invalid UTF-8"));
}

TEST(Importer, NQuadsFileReplacesTheGraphsItNames) {
  TempDir dir;
  auto store = testing::MakeTestStore(
      dir.Sub("db"),
      "http://ex.org/a http://ex.org/p \"old\" http://ex.org/g1\n"
      "http://ex.org/a http://ex.org/p \"kept\" http://ex.org/g3\n");
  std::string nq = dir.Sub("in.nq");
  // g1 appears in two separate runs of lines: both runs belong to it.
  testing::WriteFile(
      nq,
      "<http://ex.org/a> <http://ex.org/p> \"new\" <http://ex.org/g1> .\n"
      "<http://ex.org/b> <http://ex.org/p> \"x\" <http://ex.org/g2> .\n"
      "<http://ex.org/a> <http://ex.org/q> \"also\" <http://ex.org/g1> .\n");
  for (bool bulk : {false, true}) {
    ImporterOptions options;
    options.bulk = bulk;
    Importer importer(store.get(), options);
    ASSERT_OK(importer.ImportFile(nq));
    ASSERT_OK(importer.Finish());
    EXPECT_THAT(
        SortedQuads(*store),
        ::testing::ElementsAre(
            "<http://ex.org/a> <http://ex.org/p> \"kept\" <http://ex.org/g3> .",
            "<http://ex.org/a> <http://ex.org/p> \"new\" <http://ex.org/g1> .",
            "<http://ex.org/a> <http://ex.org/q> \"also\" <http://ex.org/g1> .",
            "<http://ex.org/b> <http://ex.org/p> \"x\" <http://ex.org/g2> ."))
        << "bulk=" << bulk;
    EXPECT_EQ(store->NewReadView()->quad_count(), 4u);
  }
}

// The topic-index entries of a store, by graph IRI.
std::vector<std::string> TopicEntries(const Store& store) {
  std::vector<std::string> out;
  auto view = store.NewReadView();
  EXPECT_OK(view->ScanAux(
      "", [&](std::string_view key, store::TermId g, std::string_view value) {
        out.push_back(std::string(key) + "|" + view->Resolve(g)->value + "|" +
                      testing::ReadableAux(*view, key, value));
        return true;
      }));
  EXPECT_OK(view->ScanList(
      "", [&](std::string_view key, store::TermId g, std::string_view value) {
        out.push_back("list " + std::string(key) + "|" +
                      view->Resolve(g)->value + "|" + std::string(value));
        return true;
      }));
  std::sort(out.begin(), out.end());
  out.push_back("docs=" + std::to_string(view->Counter("topic.docs")));
  out.push_back("length=" + std::to_string(view->Counter("topic.length")));
  return out;
}

TEST(Importer, BulkLoadedRdfIsIndexedForSearch) {
  TempDir dir;
  auto original = ImportSamples(dir.Sub("original"), kSamples);
  std::string dump = dir.Sub("dump.nq");
  {
    std::FILE* f = std::fopen(dump.c_str(), "w");
    ASSERT_OK(WriteRdf(*original->NewReadView(), RdfFormat::kNQuads, f));
    std::fclose(f);
  }
  auto bulk = *Store::Open(dir.Sub("bulk"));
  ImporterOptions options;
  options.bulk = true;
  Importer importer(bulk.get(), options);
  ASSERT_OK(importer.ImportFile(dump));
  ASSERT_OK(importer.Finish());
  EXPECT_EQ(SortedQuads(*bulk), SortedQuads(*original));
  std::vector<std::string> want = TopicEntries(*original);
  EXPECT_EQ(TopicEntries(*bulk), want);
  EXPECT_EQ(want[want.size() - 2], "docs=5");
  // A full reindex changes nothing.
  ASSERT_OK(ReindexTopics(bulk.get(), {}));
  EXPECT_EQ(TopicEntries(*bulk), want);
}

TEST(Importer, UnrecognizedBinaryFileIsReported) {
  TempDir dir;
  std::string bin = dir.Sub("x.bin");
  testing::WriteFile(bin, std::string("\x00\x01\x02\x03", 4));
  auto store = *Store::Open(dir.Sub("db"));
  Importer importer(store.get(), {});
  ASSERT_OK(importer.ImportFile(bin));
  ASSERT_EQ(importer.errors().size(), 1u);
  EXPECT_THAT(importer.errors()[0].message,
              ::testing::HasSubstr("unrecognized format"));
  EXPECT_TRUE(absl::IsNotFound(importer.ImportFile(dir.Sub("missing.txt"))));
}

}  // namespace
}  // namespace bibkg::indexer
