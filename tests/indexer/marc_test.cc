// MARC 21 (ISO 2709, MARC-8 and UTF-8), MARCXML and OAI-PMH over real files
// (tests/data/fixtures, see its README) and over records built here to carry
// one defect each.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/importer.h"
#include "tests/indexer/catalog_test_fixture.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using ::bibkg::testing::RunCommand;
using ::bibkg::testing::SortedQuads;
using ::bibkg::testing::TempDir;
using ::bibkg::testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// ---------------------------------------------------------------------------
// Real files: record counts against yaz-marcdump.

int YazCount(const std::string& path, bool xml) {
  ::bibkg::testing::CommandResult r =
      RunCommand(absl::StrCat("yaz-marcdump ", xml ? "-i marcxml " : "",
                              "-o marcxml '", path, "' | grep -c '<record'"));
  return std::atoi(r.out.c_str());
}

TEST_F(CatalogTest, RecordCountsEqualYazMarcdumpOnRealFiles) {
  struct Case {
    const char* file;
    bool xml;
  };
  for (const Case& c : {Case{"traject/test_data.utf8.mrc", false},
                        Case{"traject/test_data.utf8.marc.xml", true},
                        Case{"marc-perl/makrbrkr.mrc", false},
                        Case{"marc-file-mij/test.mrc", false},
                        Case{"marc-record/camel.usmarc", false},
                        Case{"marc-record/filler.usmarc", false},
                        Case{"yaz/marccol1.u8.marc", false},
                        Case{"yaz/marccol5.u8.marc", false},
                        Case{"marc-file-xml/batch.xml", true},
                        Case{"marc-file-xml/batch-ns.xml", true}}) {
    SCOPED_TRACE(c.file);
    int yaz = YazCount(Fixture(c.file), c.xml);
    ASSERT_GT(yaz, 0) << "yaz-marcdump read nothing (is yaz installed?)";
    TempDir d;
    auto s = store::Store::Open(d.Sub("db"), {});
    ASSERT_OK(s);
    Importer importer(s->get(), {});
    ASSERT_OK(importer.ImportFile(Fixture(c.file)));
    ASSERT_OK(importer.Finish());
    const ImportStats& st = importer.stats();
    EXPECT_EQ(st.records_failed, 0u);
    EXPECT_EQ(st.records_imported + st.records_deleted + st.records_skipped,
              static_cast<uint64_t>(yaz));
  }
}

TEST_F(CatalogTest, Utf8MarcRecordFieldByField) {
  ImportStats st = Import({Fixture("traject/test_data.utf8.mrc")});
  EXPECT_EQ(st.records_imported, 29u);
  EXPECT_EQ(st.records_deleted, 1u);  // leader/05 'd' in record 4
  // 001 00282214: 100 Ayaz, Shaikh; 245 "Fikr-i Ayāz /"; 260 Karācī :
  // Dāniyāl, [1998]; 008 language urd; 520 abstract.
  std::string w = WorkTitled("Fikr-i Ayāz");
  EXPECT_EQ(One(w, vocab::kIssued), "1998");
  EXPECT_EQ(One(w, vocab::kLanguage),
            "http://id.loc.gov/vocabulary/iso639-1/ur");
  EXPECT_EQ(One(w, vocab::kPublisher), "Dāniyāl");
  EXPECT_EQ(One(w, vocab::kHasPlaceOfPublication), "Karācī");
  EXPECT_EQ(One(w, vocab::kExtent), "375 p. ; 23 cm");
  EXPECT_THAT(One(w, vocab::kAbstract), HasSubstr("renowned Sindhi poet"));
  std::vector<std::string> creators = Objects(w, vocab::kCreator);
  ASSERT_EQ(creators.size(), 3u);  // 100 and two 700 without relators
  std::vector<std::string> names;
  for (const std::string& c : creators) names.push_back(One(c, vocab::kName));
  EXPECT_THAT(names, UnorderedElementsAre("Shaikh Ayaz", "Āṣif Farruk̲h̲ī",
                                          "Shāh Muḥammad Pīrzādah"));
  EXPECT_EQ(One(w, vocab::kIdentifier), "LCCN 00282214");
  // The graph is named by 003 + 001, whichever file the record came from.
  EXPECT_THAT(GraphsOf(w), Contains("urn:bibkg:marc:DLC#00282214"));
}

TEST_F(CatalogTest, Marc8IsConvertedToUtf8) {
  ImportStats st = Import({Fixture("marc-perl/makrbrkr.mrc")});
  EXPECT_EQ(st.records_imported, 8u);
  EXPECT_EQ(st.warnings, 0u);
  std::string w = WorkTitled("New test record number 1 with ordinary data");
  std::vector<std::string> notes;
  for (const std::string& title : SubjectsWith(vocab::kTitle, "")) (void)title;
  auto view = store_->NewReadView();
  ASSERT_OK(view->Scan({std::nullopt, store::Term::Iri(vocab::kNote),
                        std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         notes.push_back(q.o.value);
                         return true;
                       }));
  std::string all;
  for (const std::string& n : notes) all += n + "\n";
  // MARC-8 diacritics precede their letter; YAZ moves them after, NFC
  // composes: the same code points as typed text.
  EXPECT_THAT(all, HasSubstr("Łódź"));
  EXPECT_THAT(all, HasSubstr("København"));
  EXPECT_THAT(all, HasSubstr("Löwenbräu"));
  EXPECT_THAT(all, HasSubstr("mañana"));
  EXPECT_THAT(all, HasSubstr("¿Que pasó?"));
  // 700 with $e ed. is an editor, not a creator.
  std::vector<std::string> editors =
      Objects(w, (std::string(vocab::kRelators) + "edt").c_str());
  ASSERT_EQ(editors.size(), 1u);
  EXPECT_EQ(One(editors[0], vocab::kName), "Patty O'Furniture");
  EXPECT_THAT(Objects(w, vocab::kContributor), Contains(editors[0]));
}

TEST_F(CatalogTest, MarcXmlTwinGivesTheSameQuadsAsIso2709) {
  Import({Fixture("traject/test_data.utf8.mrc")});
  std::vector<std::string> from_iso = SortedQuads(*store_);
  TempDir other;
  auto s = store::Store::Open(other.Sub("db"), {});
  ASSERT_OK(s);
  Importer importer(s->get(), {});
  ASSERT_OK(importer.ImportFile(Fixture("traject/test_data.utf8.marc.xml")));
  ASSERT_OK(importer.Finish());
  EXPECT_EQ(importer.stats().records_failed, 0u);
  std::vector<std::string> from_xml = SortedQuads(**s);
  EXPECT_GT(from_iso.size(), 500u);
  EXPECT_EQ(from_iso, from_xml);
}

TEST_F(CatalogTest, SerialIssnFromRealRecord) {
  Import({Fixture("traject/nature.marc")});
  std::vector<std::string> w = SubjectsWith(vocab::kIssn, "0028-0836");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(One(w[0], vocab::kRdfType), vocab::kPeriodical);
  EXPECT_THAT(One(w[0], vocab::kTitle), HasSubstr("Nature"));
}

TEST_F(CatalogTest, MarcIdentifiersHostItemFundingAndRelators) {
  // A journal article as a catalog describes it (built here: no fixture has
  // 024 DOI, 773 and 536 together).
  std::string rec = BuildMarc(
      {{"001", "art-1"},
       {"003", "NO-OsNB"},
       {"008", "240701s2024    xx            000 0 eng d"},
       {"020", "  $a0-19-852663-6 (pbk.)"},
       {"020", "  $a0-19-852663-7"},
       {"024", "7 $a10.1080/15309576.2024.2345678$2doi"},
       {"100",
        "1 $aHill, Rebecca,$eauthor.$1https://orcid.org/0000-0002-1825-0097"},
       {"700", "1 $aSmith, Ann,$eeditor."},
       {"245", "10$aDigital leadership :$ba review /$cRebecca Hill."},
       {"520", "  $aA review of digital leadership in the public sector."},
       {"536", "  $aNorges forskningsråd$cproject no. 184951"},
       {"650", " 7$aDigital transformation$2gnd$0(DE-588)4125560-3"},
       {"651", " 0$aNorway."},
       {"773",
        "0 $tPublic performance & management review$x1530-9576"
        "$gVol. 47, no. 4 (2024), p. 927-958"},
       {"856", "40$uhttps://doi.org/10.1080/15309576.2024.2345678"}},
      'n', 'a', 'b');
  ImportStats st = ImportBytes("article.mrc", rec);
  EXPECT_EQ(st.records_imported, 1u) << ::testing::PrintToString(Messages());
  const std::string w = "https://doi.org/10.1080/15309576.2024.2345678";
  EXPECT_EQ(One(w, vocab::kTitle), "Digital leadership: a review");
  EXPECT_EQ(One(w, vocab::kRdfType), vocab::kJournalArticle);
  EXPECT_EQ(One(w, vocab::kIsbn13), "9780198526636");
  EXPECT_EQ(One(w, vocab::kInvalidIsbn), "0198526637");
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("field 020: ISBN 0198526637 has a wrong check "
                                 "digit")));
  EXPECT_EQ(One(w, vocab::kCreator), "https://orcid.org/0000-0002-1825-0097");
  EXPECT_EQ(One(w, (std::string(vocab::kRelators) + "aut").c_str()),
            "https://orcid.org/0000-0002-1825-0097");
  std::string editor = One(w, (std::string(vocab::kRelators) + "edt").c_str());
  EXPECT_EQ(One(editor, vocab::kName), "Ann Smith");
  // 773: the journal by its ISSN, the enumeration parsed.
  EXPECT_EQ(One(w, vocab::kIsPartOf), "urn:issn:1530-9576");
  EXPECT_EQ(One("urn:issn:1530-9576", vocab::kTitle),
            "Public performance & management review");
  EXPECT_EQ(One(w, vocab::kVolume), "47");
  EXPECT_EQ(One(w, vocab::kIssue), "4");
  EXPECT_EQ(One(w, vocab::kPageStart), "927");
  EXPECT_EQ(One(w, vocab::kPageEnd), "958");
  EXPECT_EQ(One(w, vocab::kIssued), "2024");
  // 650 $2 gnd: a SKOS concept in its scheme, with its authority id.
  std::vector<std::string> subjects = Objects(w, vocab::kSubject);
  ASSERT_EQ(subjects.size(), 2u);
  std::string gnd =
      SubjectsWith(vocab::kPrefLabel, "Digital transformation")[0];
  EXPECT_EQ(One(gnd, vocab::kAuthorityId), "(DE-588)4125560-3");
  EXPECT_EQ(One(One(gnd, vocab::kInScheme), vocab::kNotation), "gnd");
  EXPECT_EQ(One(w, vocab::kSpatial),
            SubjectsWith(vocab::kPrefLabel, "Norway")[0]);
  // 536: a link to the project named by funder + grant number.
  std::string project = One(w, vocab::kIsFundedBy);
  EXPECT_EQ(One(project, vocab::kHasGrantNumber), "184951");
  EXPECT_EQ(One(project, vocab::kIsFundedBy),
            "https://doi.org/10.13039/501100005416");
}

TEST_F(CatalogTest, AuthorityRecordsNameTheNodesHeadingsLinkTo) {
  std::string authority = BuildMarc({{"001", "n79021164"},
                                     {"003", "DLC"},
                                     {"100", "1 $aHansen, Kari"},
                                     {"400", "1 $aHansen, K."}},
                                    'n', 'z', ' ', ' ');
  std::string holdings = BuildMarc(
      {{"001", "h1"}, {"004", "b1"}, {"852", "  $aOslo"}}, 'n', 'x', ' ');
  ImportStats st = ImportBytes(
      "mixed.mrc", authority + BuildMarc(Book("b1", "Catalogues")) + holdings);
  EXPECT_EQ(st.records_imported, 2u);
  EXPECT_EQ(st.records_skipped, 1u);
  std::string work = WorkTitled("Catalogues");
  std::string person = One(work, vocab::kCreator);
  EXPECT_EQ(One(person, vocab::kAuthorityId), "(DLC)n79021164");
  EXPECT_EQ(One(person, vocab::kAltLabel), "Hansen, K.");
  EXPECT_EQ(GraphsOf(person).size(), 2u);  // the authority and the book
}

TEST_F(CatalogTest, DeleteAndReimportLeaveExactlyTheExpectedQuads) {
  std::string r1 = BuildMarc(Book("b1", "First book"));
  std::string r2 = BuildMarc(Book("b2", "Second book"));
  std::string r3 = BuildMarc(Book("b3", "Third book"));
  // Expected: a store that only ever saw records 1 and 3.
  std::vector<std::string> only_1_3;
  {
    TempDir d;
    auto s = store::Store::Open(d.Sub("db"), {});
    ASSERT_OK(s);
    WriteFile(d.Sub("a.mrc"), r1 + r3);
    Importer importer(s->get(), {});
    ASSERT_OK(importer.ImportFile(d.Sub("a.mrc")));
    ASSERT_OK(importer.Finish());
    only_1_3 = SortedQuads(**s);
  }
  ImportBytes("full.mrc", r1 + r2 + r3);
  std::vector<std::string> full = SortedQuads(*store_);
  // A deletion file: record b2 with leader/05 'd'.
  ImportStats st =
      ImportBytes("deletions.mrc", BuildMarc(Book("b2", "Second book"), 'd'));
  EXPECT_EQ(st.records_deleted, 1u);
  EXPECT_EQ(SortedQuads(*store_), only_1_3);
  ImportBytes("again.mrc", r2);
  EXPECT_EQ(SortedQuads(*store_), full);
}

TEST_F(CatalogTest, OaiPmhDublinCore) {
  ImportStats st = Import({Fixture("traject/sample-oai-pmh.xml"),
                           Fixture("sickle/ListRecords.xml")});
  EXPECT_EQ(st.records_failed, 0u);
  EXPECT_EQ(st.records_imported + st.records_deleted,
            10u + static_cast<uint64_t>(std::atoi(
                      RunCommand("grep -c '<record>' '" +
                                 Fixture("sickle/ListRecords.xml") + "'")
                          .out.c_str())));
  // The namespace-less copy of the same response gives the same graph.
  std::vector<std::string> before = SortedQuads(*store_);
  Import({Fixture("traject/sample-oai-no-namespace.xml")});
  EXPECT_EQ(SortedQuads(*store_), before);
}

TEST_F(CatalogTest, OaiDeletedHeaderRemovesTheRecord) {
  auto response = [](const std::string& record) {
    return "<?xml version=\"1.0\"?><OAI-PMH "
           "xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>" +
           record + "</ListRecords></OAI-PMH>";
  };
  std::string live = response(
      "<record><header><identifier>oai:repo.example:42</identifier>"
      "<datestamp>2024-01-01</datestamp></header><metadata>"
      "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:title xml:lang=\"nb\">Digital forvaltning i kommunene</dc:title>"
      "<dc:creator>Nordmann, Ola</dc:creator>"
      "<dc:subject>digitalisering; kommuner</dc:subject>"
      "<dc:date>2023-05-17</dc:date><dc:type>info:eu-repo/semantics/article</"
      "dc:type>"
      "<dc:identifier>https://doi.org/10.5555/ABC.123</dc:identifier>"
      "</oai_dc:dc></metadata></record>");
  ImportBytes("page1.xml", live);
  const std::string w = "https://doi.org/10.5555/abc.123";
  EXPECT_EQ(One(w, vocab::kTitle), "Digital forvaltning i kommunene");
  EXPECT_EQ(One(w, vocab::kIssued), "2023-05-17");
  EXPECT_EQ(One(w, vocab::kRdfType), vocab::kJournalArticle);
  EXPECT_EQ(Objects(w, vocab::kSubject).size(), 2u);
  EXPECT_THAT(GraphsOf(w), UnorderedElementsAre("oai:repo.example:42"));
  ImportStats st = ImportBytes(
      "page2.xml",
      response("<record><header status=\"deleted\"><identifier>"
               "oai:repo.example:42</identifier><datestamp>2024-02-01"
               "</datestamp></header></record>"));
  EXPECT_EQ(st.records_deleted, 1u);
  EXPECT_TRUE(SortedQuads(*store_).empty());
}

// ---------------------------------------------------------------------------
// Bad input: each defect is reported with file, record and field, and the
// records around it are imported.

class BadMarcTest : public CatalogTest {
 protected:
  // Imports good + bad + good; checks that both good records are present.
  ImportStats Sandwich(const std::string& bad) {
    ImportStats st =
        ImportBytes("dirty.mrc", BuildMarc(Book("g1", "Good before")) + bad +
                                     BuildMarc(Book("g2", "Good after")));
    EXPECT_EQ(SubjectsWith(vocab::kTitle, "Good before").size(), 1u);
    EXPECT_EQ(SubjectsWith(vocab::kTitle, "Good after").size(), 1u);
    return st;
  }
};

TEST_F(BadMarcTest, LeaderLengthDisagreesWithTerminator) {
  std::string bad = BuildMarc(Book("b", "Wrong length"));
  bad.replace(0, 5, "00042");
  ImportStats st = Sandwich(bad);
  EXPECT_EQ(st.records_imported, 3u);  // recovered from the terminator
  EXPECT_THAT(Messages(), Contains(HasSubstr("dirty.mrc: record 2 (byte ")));
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("field leader: leader says 42 bytes but the "
                                 "record terminator ends it at")));
}

TEST_F(BadMarcTest, RecordOverIso2709Limit) {
  std::vector<Field> f = Book("big", "A very long record");
  for (int i = 0; i < 14; ++i)
    f.push_back({"500", "  $a" + std::string(9000, 'a' + i)});
  ImportStats st = Sandwich(BuildMarc(f));
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("bytes is longer than ISO "
                                             "2709's 99,999")));
  std::string w = WorkTitled("A very long record");
  std::vector<std::string> notes = Objects(w, vocab::kNote);
  ASSERT_EQ(notes.size(), 14u);
  EXPECT_EQ(notes.back(), std::string(9000, 'n'));
}

TEST_F(BadMarcTest, DirectoryEntryPastTheEnd) {
  std::string bad = BuildMarc(Book("b", "Past the end"));
  // The sixth entry (650): start position 99999.
  size_t entry = 24 + 5 * 12;
  bad.replace(entry + 7, 5, "99999");
  ImportStats st = Sandwich(bad);
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("field 650: directory entry 6 points past "
                                 "the end of the record; read from the field "
                                 "terminators")));
  EXPECT_EQ(SubjectsWith(vocab::kPrefLabel, "Digital libraries").size(), 1u);
}

TEST_F(BadMarcTest, FieldWithoutTerminator) {
  std::string bad = BuildMarc(Book("b", "No terminator"));
  // Replace the 245's field terminator by a space.
  size_t t245 = bad.find("Kari Hansen.\x1E");
  bad[t245 + 12] = ' ';
  ImportStats st = Sandwich(bad);
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("field 245: field has no field terminator")));
}

TEST_F(BadMarcTest, NonNumericDirectoryEntryIsReadFromTheTerminators) {
  std::string bad = BuildMarc(Book("b", "Broken directory"));
  bad.replace(24 + 3, 4, "00x1");
  ImportStats st = Sandwich(bad);
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_EQ(st.records_failed, 0u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("dirty.mrc: record 2 (byte ")));
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("directory entry 1 is not numeric; read from "
                                 "the field terminators")));
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "Broken directory").empty());
}

TEST_F(BadMarcTest, DirectoryNotAMultipleOf12IsCutToWholeEntries) {
  // An extra byte at the end of the directory.
  std::string bad = BuildMarc(Book("b", "Long directory"));
  size_t end = bad.find('\x1E');
  bad.insert(end, "7");
  std::string base = absl::StrCat(std::stoi(bad.substr(12, 5)) + 1);
  bad.replace(12, 5, std::string(5 - base.size(), '0') + base);
  ImportStats st = Sandwich(bad);
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("directory length ")));
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "Long directory").empty());
}

TEST_F(BadMarcTest, InvalidUtf8IsSkipped) {
  ImportStats st = Sandwich(BuildMarc(Book("b", "Bad \xC3\x28 bytes")));
  EXPECT_EQ(st.records_failed, 1u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("field 245 $a: invalid UTF-8 at byte 4")));
}

TEST_F(BadMarcTest, MissingTitleIsTakenFromOtherTitleFields) {
  std::vector<Field> f = Book("b", "x");
  f[4] = {"246", "1 $aVarying form of title"};
  std::vector<Field> uniform = Book("c", "x");
  uniform[4] = {"130", "0 $aBible.$pPsalms."};
  std::vector<Field> none = Book("d", "x");
  none.erase(none.begin() + 4);
  ImportStats st =
      Sandwich(BuildMarc(f) + BuildMarc(uniform) + BuildMarc(none));
  EXPECT_EQ(st.records_imported, 4u);
  EXPECT_EQ(st.records_failed, 1u);
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "Varying form of title").empty());
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "Bible. Psalms").empty());
  EXPECT_THAT(Messages(), Contains(HasSubstr("no field 245 (title statement); "
                                             "title taken from 246")));
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("no title in 246, 240, 130 or 740")));
}

TEST_F(BadMarcTest, NonBibliographicRecordsAreSkippedWithTheirType) {
  std::string classification =
      BuildMarc({{"001", "c1"}, {"153", "  $a025.4$hClassification"}}, 'n',
                'w', ' ');
  std::string community =
      BuildMarc({{"001", "q1"}, {"110", "2 $aLibrary"}}, 'n', 'q', ' ');
  ImportStats st = Sandwich(classification + community);
  EXPECT_EQ(st.records_imported, 2u);
  EXPECT_EQ(st.records_skipped, 2u);
  EXPECT_THAT(Messages(), Contains(HasSubstr(
                              "classification record (leader/06 'w'): "
                              "counted and skipped")));
  EXPECT_THAT(Messages(), Contains(HasSubstr("community information record")));
}

TEST_F(BadMarcTest, TruncatedFileKeepsEveryCompleteRecord) {
  std::string all = BuildMarc(Book("g1", "Good before")) +
                    BuildMarc(Book("g2", "Good after")) +
                    BuildMarc(Book("cut", "Cut off"));
  ImportStats st = ImportBytes("cut.mrc", all.substr(0, all.size() - 40));
  EXPECT_EQ(st.records_imported, 2u);
  EXPECT_EQ(st.records_failed, 1u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("cut.mrc: record 3 (byte ")));
  EXPECT_THAT(Messages(), Contains(HasSubstr("truncated record")));
}

TEST_F(BadMarcTest, RealBrokenFilesImportWhatCanBeRead) {
  // badmarc.dat: 4 records; the third has lost its 245 (and its directory
  // its offsets; its fields are read from the terminators).
  ImportStats st = Import({Fixture("marc-perl/badmarc.dat")});
  EXPECT_EQ(st.records_imported, 3u);
  EXPECT_EQ(st.records_failed, 1u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("read from the field "
                                             "terminators")));
  // baddir.usmarc: the directory's terminator is damaged; the base address
  // tells where the directory ends, as yaz reads it.
  st = Import({Fixture("marc-record/baddir.usmarc")});
  EXPECT_EQ(st.records_failed, 0u);
  EXPECT_EQ(st.records_imported, 1u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("directory read up to there")));
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "Green Eggs and Ham").empty());
  // marc-all.marc (yaz's test records): record 5 has 5 bytes before its
  // leader, so its directory is not a multiple of 12 where it seems to be.
  st = Import({Fixture("yaz/marc-all.marc")});
  EXPECT_THAT(Messages(), Contains(HasSubstr("skipped 5 byte(s) before its "
                                             "leader")));
  EXPECT_FALSE(
      SubjectsWith(vocab::kTitle, "Byfornyelse ved Ibsen-Ringen").empty());
}

TEST_F(CatalogTest, UnbalancedXmlKeepsTheRecordsBeforeTheBreak) {
  std::string xml =
      ::bibkg::testing::ReadFile(Fixture("marc-file-xml/batch.xml"));
  // Cut inside the third record.
  size_t third = 0;
  for (int i = 0; i < 3; ++i) third = xml.find("<record", third + 1);
  ImportStats st = ImportBytes("cut.xml", xml.substr(0, third + 300));
  EXPECT_EQ(st.records_imported, 2u);
  EXPECT_EQ(st.records_failed, 1u);
  EXPECT_THAT(Messages(), Contains(HasSubstr("cut.xml: record line ")));
  EXPECT_THAT(Messages(), Contains(HasSubstr("XML is not well-formed")));
  EXPECT_THAT(Messages(), Contains(HasSubstr("the 2 record(s) before it are "
                                             "kept")));
}

TEST_F(CatalogTest, ContentAfterTheRootElementIsAWarning) {
  // one-trailing.xml: ruby-marc's one.xml twice in one file, as
  // concatenated exports come; the second document follows the root.
  ImportStats st =
      Import({::bibkg::testing::DataPath("damaged/one-trailing.xml")});
  EXPECT_EQ(st.records_imported, 1u);
  EXPECT_EQ(st.records_failed, 0u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("one-trailing.xml: record after record 1: "
                                 "content after the end of the root element "
                                 "is ignored (warning)")));
  EXPECT_FALSE(SubjectsWith(vocab::kTitle, "The Texas ranger").empty());
}

TEST_F(CatalogTest, XmlExternalEntitiesAndEntityBombsAreRefused) {
  std::string secret = dir_.Sub("secret.txt");
  WriteFile(secret, "TOP SECRET");
  ImportStats st = ImportBytes(
      "xxe.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE collection [<!ENTITY x SYSTEM "
      "\"file://" +
          secret +
          "\">]>\n<collection xmlns=\"http://www.loc.gov/"
          "MARC21/slim\"><record><leader>00000nam a2200000 a 4500</leader>"
          "<datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield "
          "code=\"a\">&x;"
          "</subfield></datafield></record></collection>");
  EXPECT_EQ(st.records_imported, 0u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("DOCTYPE declares entities or other markup "
                                 "are refused")));
  std::string lol =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol "
      "\"lol\">";
  for (int i = 1; i < 10; ++i) {
    lol += absl::StrCat("<!ENTITY lol", i, " \"");
    for (int j = 0; j < 10; ++j)
      lol += i == 1 ? "&lol;" : absl::StrCat("&lol", i - 1, ";");
    lol += "\">";
  }
  lol +=
      "]><collection><record><leader>00000nam a2200000 a 4500</leader>"
      "<datafield tag=\"245\" ind1=\"0\" ind2=\"0\"><subfield code=\"a\">"
      "&lol9;</subfield></datafield></record></collection>";
  st = ImportBytes("lol.xml", lol);
  EXPECT_EQ(st.records_imported, 0u);
  for (const std::string& q : SortedQuads(*store_))
    EXPECT_THAT(q, ::testing::Not(HasSubstr("SECRET")));
}

TEST_F(CatalogTest, OaiErrorResponseAndNonXmlAreReported) {
  ImportStats st = Import({Fixture("sickle/badArgument.xml"),
                           Fixture("sickle/ListRecordsBroken.xml")},
                          InputFormat::kMarcXml);
  EXPECT_EQ(st.records_failed, 2u);
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("the OAI-PMH response is an error: "
                                 "badArgument")));
  EXPECT_THAT(Messages(),
              Contains(HasSubstr("ListRecordsBroken.xml: record "
                                 "line 1: XML is not well-formed")));
}

}  // namespace
}  // namespace bibkg::indexer
