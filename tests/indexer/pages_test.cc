#include "indexer/readers/pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "indexer/importer.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using store::Term;

Source SampleSource(const std::string& name) {
  return {"samples/" + name, "file:///data/samples/" + name};
}

Record ParseSample(const std::string& name) {
  std::string text = testing::ReadFile(testing::DataPath("samples/" + name));
  EXPECT_FALSE(text.empty()) << name;
  switch (DetectFormat(text)) {
    case InputFormat::kCatalogPage:
      return ParseCatalogPage(text, SampleSource(name));
    case InputFormat::kProjectPage:
      return ParseProjectPage(text, SampleSource(name));
    default:
      return ParseWebArticle(text, SampleSource(name));
  }
}

// The objects of (s, p) in the record, in N-Triples form.
std::vector<std::string> Objects(const Record& rec, const std::string& s,
                                 const char* p) {
  std::vector<std::string> out;
  for (const auto& t : rec.triples) {
    if (t.s.value == s && t.p.value == p) out.push_back(t.o.ToNTriples());
  }
  return out;
}

// The subject of the single (?, rdf:type, type) triple.
std::string SubjectOfType(const Record& rec, const char* type) {
  std::string found;
  for (const auto& t : rec.triples) {
    if (t.p.value == vocab::kRdfType && t.o.value == type) {
      EXPECT_TRUE(found.empty()) << "two nodes of type " << type;
      found = t.s.value;
    }
  }
  EXPECT_FALSE(found.empty()) << "no node of type " << type;
  return found;
}

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

TEST(DetectFormat, RecognizesEverySample) {
  auto detect = [](const std::string& name) {
    return DetectFormat(
        testing::ReadFile(testing::DataPath("samples/" + name)));
  };
  EXPECT_EQ(detect("catalog-record-journal-article.txt"),
            InputFormat::kCatalogPage);
  EXPECT_EQ(detect("research-council-project-no.txt"),
            InputFormat::kProjectPage);
  EXPECT_EQ(detect("news-article-socitm-leaders.txt"),
            InputFormat::kWebArticle);
  EXPECT_EQ(detect("news-article-socitm-structures.txt"),
            InputFormat::kWebArticle);
  EXPECT_EQ(detect("blog-post-digital-leadership-levels.txt"),
            InputFormat::kWebArticle);
  EXPECT_EQ(DetectFormat("<http://a> <http://b> \"c\" .\n"),
            InputFormat::kNQuads);
  EXPECT_EQ(
      DetectFormat("# comment\n_:b0 <http://b> <http://c> <http://g> .\n"),
      InputFormat::kNQuads);
  EXPECT_EQ(DetectFormat(std::string("\x00\x01\x02", 3)), InputFormat::kAuto);
}

TEST(CatalogPage, MapsEveryFieldOfTheSample) {
  Record rec = ParseSample("catalog-record-journal-article.txt");
  EXPECT_TRUE(rec.problems.empty()) << rec.problems[0].message;
  const std::string work = "https://doi.org/10.1080/15309576.2024.2302059";
  EXPECT_EQ(rec.work_iri, work);
  EXPECT_THAT(Objects(rec, work, vocab::kRdfType),
              ElementsAre("<" + std::string(vocab::kJournalArticle) + ">"));
  EXPECT_THAT(
      Objects(rec, work, vocab::kTitle),
      ElementsAre(
          "\"City Managers as Digital Transformation Leaders: Exploratory and "
          "Explanatory Notes\"@en"));
  EXPECT_THAT(Objects(rec, work, vocab::kDoi),
              ElementsAre("\"10.1080/15309576.2024.2302059\""));
  EXPECT_THAT(Objects(rec, work, vocab::kVolume), ElementsAre("\"47\""));
  EXPECT_THAT(Objects(rec, work, vocab::kIssue), ElementsAre("\"4\""));
  EXPECT_THAT(Objects(rec, work, vocab::kPageStart), ElementsAre("\"927\""));
  EXPECT_THAT(Objects(rec, work, vocab::kPageEnd), ElementsAre("\"958\""));
  EXPECT_THAT(
      Objects(rec, work, vocab::kIssued),
      ElementsAre(
          "\"2024-07\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>"));
  EXPECT_THAT(Objects(rec, work, vocab::kLanguage),
              ElementsAre("<http://id.loc.gov/vocabulary/iso639-1/en>"));
  EXPECT_THAT(Objects(rec, work, vocab::kIsPartOf),
              ElementsAre("<urn:issn:1530-9576>"));
  EXPECT_THAT(Objects(rec, "urn:issn:1530-9576", vocab::kIssn),
              UnorderedElementsAre("\"1530-9576\"", "\"1557-9271\""));
  EXPECT_THAT(Objects(rec, "urn:issn:1530-9576", vocab::kTitle),
              ElementsAre("\"Public performance & management review\""));
  auto abstract = Objects(rec, work, vocab::kAbstract);
  ASSERT_EQ(abstract.size(), 1u);
  EXPECT_NE(
      abstract[0].find("forty-seven interviews with Russian city managers"),
      std::string::npos);
  EXPECT_NE(abstract[0].find("social mistrust.\"@en"), std::string::npos);
  // The sample's author and subject cells are empty: no creator, no subject.
  EXPECT_TRUE(Objects(rec, work, vocab::kCreator).empty());
  EXPECT_TRUE(Objects(rec, work, vocab::kSubject).empty());
  EXPECT_EQ(
      rec.graph,
      Term::Iri("file:///data/samples/catalog-record-journal-article.txt#1"));
}

std::string EnglishCatalogPage() {
  return "Open data in municipal government\n"
         "Published in: | Government Information Quarterly 2019-01, Vol.36 "
         "(1), p.1-12 |\n"
         "---|---|\n"
         "Authors: | Hill, Rebecca ; Smith, Eloise |\n"
         "Format: | Article |\n"
         "Language: | ger |\n"
         "Subjects: | Open data ; E-government |\n"
         "Summary: | A study of open data\n  portals in German towns. |\n"
         "ISSN: | 0740-624X 1530-9577 |\n"
         "DOI: | https://doi.org/10.1016/J.GIQ.2018.01.001 |\n";
}

TEST(CatalogPage, ReadsEnglishLabelsAuthorsAndSubjects) {
  std::string text = EnglishCatalogPage();
  ASSERT_EQ(DetectFormat(text), InputFormat::kCatalogPage);
  Record rec = ParseCatalogPage(text, SampleSource("english.txt"));
  const std::string work = "https://doi.org/10.1016/j.giq.2018.01.001";
  EXPECT_EQ(rec.work_iri, work);
  EXPECT_EQ(Objects(rec, work, vocab::kCreator).size(), 2u);
  EXPECT_EQ(Objects(rec, work, vocab::kSubject).size(), 2u);
  EXPECT_THAT(
      Objects(rec, work, vocab::kAbstract),
      ElementsAre("\"A study of open data portals in German towns.\"@de"));
  EXPECT_THAT(Objects(rec, work, vocab::kIsPartOf),
              ElementsAre("<urn:issn:0740-624X>"));
  // The second ISSN has a wrong check digit: flagged, kept, not linked.
  EXPECT_THAT(Objects(rec, "urn:issn:0740-624X", vocab::kInvalidIssn),
              ElementsAre("\"1530-9577\""));
  ASSERT_EQ(rec.problems.size(), 1u);
  EXPECT_EQ(rec.problems[0].field, "ISSN");
  EXPECT_FALSE(rec.problems[0].fatal);
  EXPECT_NE(rec.problems[0].message.find("1530-9577"), std::string::npos);
  std::string person;
  for (const auto& t : rec.triples) {
    if (t.p.value == vocab::kFamilyName && t.o.value == "Hill")
      person = t.s.value;
  }
  ASSERT_FALSE(person.empty());
  EXPECT_THAT(Objects(rec, person, vocab::kName),
              ElementsAre("\"Rebecca Hill\""));
}

TEST(CatalogPage, BadValuesAreReportedByField) {
  Record rec = ParseCatalogPage(
      "A title\nPublished in: | Some journal, no volume here |\nDOI: | "
      "not-a-doi |\n"
      "Language: | eng |\n",
      SampleSource("bad.txt"));
  EXPECT_FALSE(rec.has_fatal());
  ASSERT_EQ(rec.problems.size(), 2u);
  EXPECT_EQ(rec.problems[0].field, "Published in");
  EXPECT_EQ(rec.problems[1].field, "DOI");
  EXPECT_NE(rec.problems[1].message.find("not a DOI"), std::string::npos);
}

TEST(CatalogPage, MissingTitleIsFatal) {
  Record rec = ParseCatalogPage(
      "DOI: | 10.1000/x |\nISSN: | 1530-9576 |\nFormat: | Artikel |\n",
      SampleSource("notitle.txt"));
  EXPECT_TRUE(rec.has_fatal());
  EXPECT_EQ(rec.problems[0].field, "title");
}

TEST(ProjectPage, MapsTheNorwegianSample) {
  Record rec = ParseSample("research-council-project-no.txt");
  EXPECT_TRUE(rec.problems.empty());
  std::string project = SubjectOfType(rec, vocab::kProject);
  EXPECT_THAT(
      Objects(rec, project, vocab::kTitle),
      ElementsAre(
          "\"Enacting intermunicipal strategy - Multi-tranche strategizing in "
          "governance networks\"@en"));
  EXPECT_THAT(Objects(rec, project, vocab::kAlternative),
              ElementsAre("\"Kommunale organisasjoner - Den digitale "
                          "transformasjonsstrategien\"@nb"));
  auto desc = Objects(rec, project, vocab::kDescription);
  ASSERT_EQ(desc.size(), 1u);
  EXPECT_EQ(desc[0].rfind("\"Ett av fokusområdene", 0), 0u);
  EXPECT_EQ(desc[0].substr(desc[0].size() - 4), "\"@nb");
  EXPECT_EQ(desc[0].find("POPULÆRVITENSKAPELIG"), std::string::npos);
  EXPECT_EQ(desc[0].find("Aktivitet"), std::string::npos);
  std::string amount = SubjectOfType(rec, vocab::kMonetaryAmount);
  EXPECT_THAT(
      Objects(rec, amount, vocab::kValue),
      ElementsAre("\"1600000\"^^<http://www.w3.org/2001/XMLSchema#decimal>"));
  EXPECT_THAT(Objects(rec, amount, vocab::kCurrency), ElementsAre("\"NOK\""));
  std::string scheme = SubjectOfType(rec, vocab::kFundingScheme);
  EXPECT_THAT(Objects(rec, scheme, vocab::kNotation),
              ElementsAre("\"OFFPHD\""));
  EXPECT_THAT(Objects(rec, scheme, vocab::kPrefLabel),
              ElementsAre("\"Offentlig sektor-ph.d.\"@nb"));
  EXPECT_THAT(Objects(rec, project, vocab::kIsFundedBy),
              ElementsAre("<https://doi.org/10.13039/501100005416>"));
}

TEST(ProjectPage, ReadsEnglishLabelsAndReportsABadAmount) {
  std::string text =
      "Back to search results\n\nIKTPLUSS-ICT and digital innovation\n\n"
      "Digital twins for municipal water networks\n\n"
      "Alternative title: Digitale tvillingar for kommunale vassnett\n\n"
      "Awarded: a lot of money\n\n"
      "Popular science presentation The project builds digital twins of water "
      "networks "
      "so that municipalities can plan maintenance and find leaks earlier than "
      "today.\n\n"
      "Activity:\n\nIKTPLUSS-ICT and digital innovation\n";
  ASSERT_EQ(DetectFormat(text), InputFormat::kProjectPage);
  Record rec = ParseProjectPage(text, SampleSource("en.txt"));
  EXPECT_FALSE(rec.has_fatal());
  ASSERT_EQ(rec.problems.size(), 1u);
  EXPECT_EQ(rec.problems[0].field, "Awarded");
  std::string project = SubjectOfType(rec, vocab::kProject);
  EXPECT_THAT(Objects(rec, project, vocab::kTitle),
              ElementsAre("\"Digital twins for municipal water networks\"@en"));
  auto desc = Objects(rec, project, vocab::kDescription);
  ASSERT_EQ(desc.size(), 1u);
  EXPECT_EQ(desc[0].substr(desc[0].size() - 4), "\"@en");
  EXPECT_TRUE(Objects(rec, project, vocab::kAmount).empty());
}

TEST(WebArticle, BylineGivesAuthorAndDate) {
  Record rec = ParseSample("news-article-socitm-structures.txt");
  std::string work = rec.work_iri;
  ASSERT_FALSE(work.empty());
  EXPECT_THAT(Objects(rec, work, vocab::kRdfType),
              ElementsAre("<" + std::string(vocab::kNewsItem) + ">"));
  EXPECT_THAT(
      Objects(rec, work, vocab::kIssued),
      ElementsAre("\"2016-07-05\"^^<http://www.w3.org/2001/XMLSchema#date>"));
  std::string person = SubjectOfType(rec, vocab::kPerson);
  EXPECT_THAT(Objects(rec, person, vocab::kName),
              ElementsAre("\"Rebecca Hill\""));
  EXPECT_THAT(Objects(rec, work, vocab::kCreator),
              ElementsAre("<" + person + ">"));
  // Related content is kept; the sponsored list is not.
  std::vector<std::string> titles;
  for (const auto& r : rec.title_refs) titles.push_back(r.title);
  EXPECT_THAT(
      titles,
      ElementsAre("Digital innovation needs local leadership, says Socitm",
                  "Good digital leaders are likely to be young and new to you, "
                  "says PwC"));
  auto body = Objects(rec, work, vocab::kDescription);
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].find("BT Security"), std::string::npos);
  EXPECT_EQ(body[0].find("Photo credit"), std::string::npos);
  EXPECT_EQ(body[0].find("Written by"), std::string::npos);
  EXPECT_NE(body[0].find("digital mindset"), std::string::npos);
}

TEST(WebArticle, RelatedContentListEndsAtTheBlankLine) {
  Record rec = ParseSample("news-article-socitm-leaders.txt");
  ASSERT_EQ(rec.title_refs.size(), 4u);
  EXPECT_EQ(rec.title_refs[2].title,
            "Socitm: Traditional management structures ‘unsustainable’ in "
            "digital age");
  auto body = Objects(rec, rec.work_iri, vocab::kDescription);
  ASSERT_EQ(body.size(), 1u);
  EXPECT_NE(body[0].find("Democratisation of the workforce"),
            std::string::npos);
  EXPECT_EQ(body[0].find("Leave a Reply"), std::string::npos);
  EXPECT_EQ(body[0].find("grasp the nettle"), std::string::npos);
}

TEST(WebArticle, BlogPostWithNameLine) {
  Record rec = ParseSample("blog-post-digital-leadership-levels.txt");
  std::string work = rec.work_iri;
  EXPECT_THAT(Objects(rec, work, vocab::kRdfType),
              ElementsAre("<" + std::string(vocab::kBlogPost) + ">"));
  std::string person = SubjectOfType(rec, vocab::kPerson);
  EXPECT_THAT(Objects(rec, person, vocab::kFamilyName),
              ElementsAre("\"Smith\""));
  EXPECT_THAT(Objects(rec, work, vocab::kTitle),
              ElementsAre("\"Understanding Digital Leadership Levels Within "
                          "the Public Sector\"@en"));
  EXPECT_TRUE(rec.title_refs.empty());
  auto body = Objects(rec, work, vocab::kDescription);
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].find("New call-to-action"), std::string::npos);
}

TEST(WebArticle, EmptyPageIsFatal) {
  Record rec = ParseWebArticle("   \n\n", SampleSource("empty.txt"));
  EXPECT_TRUE(rec.has_fatal());
}

}  // namespace
}  // namespace bibkg::indexer
