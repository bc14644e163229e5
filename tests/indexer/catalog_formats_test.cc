// What holds across the catalog formats: the same work from two formats is
// one node, and a bulk import writes what a record-by-record import writes.
// The tests of each format are in marc_test.cc and ris_bibtex_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/importer.h"
#include "tests/indexer/catalog_test_fixture.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using ::bibkg::testing::DataPath;
using ::bibkg::testing::SortedQuads;
using ::bibkg::testing::TempDir;
using ::bibkg::testing::WriteFile;

TEST_F(CatalogTest, SameWorkFromTwoFormatsIsOneNodeWithTwoGraphs) {
  WriteFile(dir_.Sub("a.bib"),
            "@article{godel31,\n author = {G{\\\"o}del, Kurt},\n"
            " title = {{\\\"U}ber formal unentscheidbare S{\\\"a}tze},\n"
            " journal = {Monatshefte f{\\\"u}r Mathematik und Physik},\n"
            " year = 1931, volume = 38, pages = {173--198}}\n");
  WriteFile(dir_.Sub("b.ris"),
            "TY  - JOUR\nAU  - Gödel, Kurt\n"
            "TI  - Über formal unentscheidbare Sätze\nPY  - 1931\n"
            "JO  - Monatshefte für Mathematik und Physik\nVL  - 38\n"
            "SP  - 173\nEP  - 198\nER  - \n");
  ImportStats st = Import({dir_.Sub("a.bib"), dir_.Sub("b.ris")});
  EXPECT_EQ(st.records_imported, 2u);
  std::string w = WorkTitled("Über formal unentscheidbare Sätze");
  EXPECT_EQ(GraphsOf(w).size(), 2u);
  EXPECT_EQ(One(w, vocab::kPageStart), "173");
  EXPECT_EQ(One(w, vocab::kPageEnd), "198");
}

// Everything a store holds: quads, then aux entries with their graph's name,
// then the topic counters.
std::vector<std::string> Everything(store::Store& s) {
  std::vector<std::string> out = SortedQuads(s);
  auto view = s.NewReadView();
  std::vector<std::string> aux;
  for (bool list : {false, true}) {
    auto add = [&](std::string_view key, store::TermId g,
                   std::string_view value) {
      absl::StatusOr<store::Term> graph = view->Resolve(g);
      aux.push_back(absl::StrCat(list ? "list " : "aux ", std::string(key),
                                 " | ", graph.ok() ? graph->value : "?", " | ",
                                 testing::ReadableAux(*view, key, value)));
      return true;
    };
    EXPECT_OK(list ? view->ScanList("", add) : view->ScanAux("", add));
  }
  std::sort(aux.begin(), aux.end());
  out.insert(out.end(), aux.begin(), aux.end());
  out.push_back(absl::StrCat("docs ", view->Counter("topic.docs"), " length ",
                             view->Counter("topic.length")));
  return out;
}

TEST_F(CatalogTest, BulkImportEqualsRecordByRecordImport) {
  // A news article whose "Related content" titles are not in the store yet
  // (stubs), then catalog files; one MARC record has a related title.
  std::string related = BuildMarc(
      Book("rel1", "Digital innovation needs local leadership, says Socitm"));
  WriteFile(dir_.Sub("related.mrc"), related);
  std::vector<std::string> files = {
      DataPath("samples/news-article-socitm-leaders.txt"),
      Fixture("traject/test_data.utf8.mrc"),
      Fixture("marc-perl/makrbrkr.mrc"),
      Fixture("traject/sample-oai-pmh.xml"),
      Fixture("rispy/example_full.ris"),
      Fixture("bibtool/xampl.bib"),
      dir_.Sub("related.mrc")};
  std::vector<std::vector<std::string>> results;
  for (bool bulk : {false, true}) {
    TempDir d;
    auto s = store::Store::Open(d.Sub("db"), {});
    ASSERT_OK(s);
    ImporterOptions opts;
    opts.bulk = bulk;
    opts.bulk_run_quads = 300;  // many runs
    Importer importer(s->get(), opts);
    for (const std::string& f : files) ASSERT_OK(importer.ImportFile(f));
    ASSERT_OK(importer.Finish());
    results.push_back(Everything(**s));
  }
  EXPECT_GT(results[0].size(), 2000u);
  EXPECT_EQ(results[0], results[1]);
  // The stub was resolved: the news article links to the MARC work.
  bool linked = false;
  for (const std::string& q : results[1]) {
    if (q.find("dc/terms/relation") != std::string::npos &&
        q.find("/id/stub/") == std::string::npos &&
        q.find("socitm-leaders") != std::string::npos) {
      linked = true;
    }
  }
  EXPECT_TRUE(linked);
}

TEST(DoiIri, CharactersAnIriCannotHoldArePercentEncoded) {
  EXPECT_EQ(text::DoiIri(
                "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o"),
            "https://doi.org/10.1002/(sici)1097-4571(199806)49:8%3C693::aid-"
            "asi4%3E3.0.co;2-o");
  EXPECT_EQ(text::DoiIri("10.1080/15309576.2024.2302059"),
            "https://doi.org/10.1080/15309576.2024.2302059");
}

}  // namespace
}  // namespace bibkg::indexer
