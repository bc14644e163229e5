// RIS and BibTeX over real files (tests/data/fixtures, see its README) and
// over entries written here to carry one defect each.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "indexer/importer.h"
#include "indexer/readers/bibtex.h"
#include "tests/indexer/catalog_test_fixture.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using ::bibkg::testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

TEST_F(CatalogTest, RisRecordsFieldByField) {
  ImportStats st = Import({Fixture("rispy/example_full.ris")});
  EXPECT_EQ(st.records_imported, 2u);
  std::string w = WorkTitled("Title of reference");
  EXPECT_EQ(One(w, vocab::kIssued), "2014");
  EXPECT_EQ(One(w, vocab::kVolume), "9");
  EXPECT_EQ(One(w, vocab::kIssue), "3");
  EXPECT_EQ(One(w, vocab::kPageStart), "e0815");
  EXPECT_EQ(One(w, vocab::kPublisher), "Fun Factory");
  // SN 1932-6208 has a wrong check digit: kept, flagged, not an identity.
  std::string journal = One(w, vocab::kIsPartOf);
  EXPECT_THAT(Objects(journal, vocab::kTitle), Contains("Lorem"));
  EXPECT_THAT(Objects(journal, vocab::kInvalidIssn), Contains("1932-6208"));
  EXPECT_THAT(Messages(), Contains(HasSubstr(
                              "example_full.ris: record 1 (line 2): field SN: "
                              "ISSN 1932-6208 has a wrong check digit")));
  std::vector<std::string> names;
  for (const std::string& c : Objects(w, vocab::kCreator))
    names.push_back(One(c, vocab::kName));
  EXPECT_THAT(names, UnorderedElementsAre("Karl Marx", "Astrid Lindgren"));
  EXPECT_EQ(One(One(w, (std::string(vocab::kRelators) + "edt").c_str()),
                vocab::kName),
            "Daniel Glattauer");
  EXPECT_EQ(Objects(w, vocab::kSubject).size(), 3u);
}

TEST_F(CatalogTest, RisContinuationLinesAndCorruptRecords) {
  ImportStats st = Import({Fixture("rispy/example_multiline.ris"),
                           Fixture("jabref/RisImporterCorrupted.ris")});
  // example_multiline has no titles: each record is reported, none lost
  // silently; the corrupt file has no TY line.
  EXPECT_EQ(st.records_failed, 4u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("RisImporterCorrupted.ris: record 1 (line 2): "
                                 "field TY: record does not start with a TY")));
}

TEST_F(CatalogTest, BibtexFileAndLatexToUnicode) {
  ImportStats st = Import({Fixture("bibtool/xampl.bib")});
  // 36 entries: 33 with a title, 3 (misc-minimal and the like) without.
  EXPECT_EQ(st.records_imported, 33u);
  EXPECT_EQ(st.records_failed, 3u);
  // article-minimal and article-full: same title, author and year, so one
  // work described by two entries (graphs); other entries reuse the title
  // with other authors or years.
  std::string w;
  for (const std::string& c : SubjectsWith(
           vocab::kTitle, "The Gnats and Gnus Document Preparation System")) {
    if (Objects(c, vocab::kVolume) == std::vector<std::string>{"41"}) w = c;
  }
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(GraphsOf(w).size(), 2u);
  EXPECT_THAT(Objects(w, vocab::kRdfType), Contains(vocab::kJournalArticle));
  EXPECT_EQ(One(w, vocab::kVolume), "41");
  EXPECT_EQ(One(One(w, vocab::kIsPartOf), vocab::kTitle), "G-Animal's Journal");

  EXPECT_EQ(LatexToUnicode("{\\\"U}ber formal unentscheidbare S\\\"atze"),
            "Über formal unentscheidbare Sätze");
  EXPECT_EQ(LatexToUnicode("\\v{S}koda and Erd\\H{o}s, {\\ss} \\o{} \\aa"),
            "Škoda and Erdős, ß ø å");
  EXPECT_EQ(LatexToUnicode("Fran\\c{c}ois \\emph{Ga\\l{}uszka} 10\\%~off"),
            "François Gałuszka 10% off");
  EXPECT_EQ(LatexToUnicode("na\\\"{\\i}ve"), "naïve");
}

TEST_F(CatalogTest, RealRisAndBibtexOfOneArticleMeetOnItsDoi) {
  ImportStats st = Import({Fixture("commonmeta-py/crossref.ris"),
                           Fixture("commonmeta-py/crossref.bib")});
  EXPECT_EQ(st.records_imported, 2u);
  const std::string w = "https://doi.org/10.7554/elife.01567";
  EXPECT_EQ(GraphsOf(w).size(), 2u);
  EXPECT_EQ(One(w, vocab::kDoi), "10.7554/elife.01567");
  EXPECT_EQ(One(w, vocab::kTitle),
            "Automated quantitative histology reveals vascular "
            "morphodynamics during Arabidopsis hypocotyl secondary growth");
  EXPECT_EQ(One(w, vocab::kIsPartOf), "urn:issn:2050-084X");
  EXPECT_EQ(One("urn:issn:2050-084X", vocab::kTitle), "eLife");
  // "Sankar, Martial" (RIS) and "Martial Sankar" (BibTeX) are one person.
  std::vector<std::string> creators = Objects(w, vocab::kCreator);
  ASSERT_EQ(creators.size(), 5u);
  std::vector<std::string> names;
  for (const std::string& c : creators) names.push_back(One(c, vocab::kName));
  EXPECT_THAT(names, Contains("Martial Sankar"));
  EXPECT_THAT(names, Contains("Christian S Hardtke"));
  // Each record keeps its own date precision.
  EXPECT_THAT(Objects(w, vocab::kIssued),
              UnorderedElementsAre("2014", "2014-02"));
}

TEST_F(CatalogTest, BibtexUnbalancedBracesAndTruncation) {
  WriteFile(dir_.Sub("bad.bib"),
            "@article{ok1, title = {First}, year = 2020}\n"
            "@article{broken, title = {Unclosed, year = 2020}\n"
            "junk line\n"
            "@article{ok2, title = {Second}, year = 2021}\n"
            "@article{cut, title = {Cut");
  ImportStats st = Import({dir_.Sub("bad.bib")});
  EXPECT_EQ(SubjectsWith(vocab::kTitle, "First").size(), 1u);
  EXPECT_EQ(SubjectsWith(vocab::kTitle, "Second").size(), 1u);
  EXPECT_EQ(st.records_imported, 2u);
  EXPECT_EQ(st.records_failed, 2u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("bad.bib: record line 2: entry is not closed "
                                 "before the next entry")));
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("bad.bib: record line 5: truncated entry")));
}

}  // namespace
}  // namespace bibkg::indexer
