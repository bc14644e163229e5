#include "tools/bench/bench_graph.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include "store/topic_postings.h"
#include "text/vocab.h"
#include "tools/bench/bench_figures.h"
#include "topic/document.h"

namespace bibkg::bench {

using store::Term;
using store::Triple;
namespace fs = std::filesystem;

Zipf::Zipf(size_t n) : cdf_(n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / (i + 1));
  for (double& c : cdf_) c /= sum;
}

size_t Zipf::operator()(std::mt19937_64& rng) const {
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  return std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin();
}

std::vector<std::string> Vocabulary(size_t n) {
  const char* syl[] = {"ka",  "lo",  "mi",  "ren", "tor", "sa", "vel",
                       "qui", "dan", "bor", "li",  "mek", "nu", "pra",
                       "sto", "fe",  "gal", "hin", "jo",  "wex"};
  std::vector<std::string> out;
  for (size_t i = 0; out.size() < n; ++i) {
    std::string w;
    size_t x = i;
    do {
      w += syl[x % 20];
      x /= 20;
    } while (x > 0);
    w += syl[(i * 7) % 20];
    out.push_back(w);
  }
  return out;
}

std::string Corpus::Words(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += words[word_zipf(rng)];
  }
  return out;
}

std::string Corpus::WorkIri(uint64_t w) {
  return "https://doi.org/10.5555/bench." + std::to_string(w);
}

std::vector<Triple> Corpus::NextWork() {
  uint64_t w = works++;
  std::string work = WorkIri(w);
  auto iri = [](std::string s) { return Term::Iri(std::move(s)); };
  std::vector<Triple> t;
  t.push_back({iri(work), iri(vocab::kRdfType), iri(vocab::kJournalArticle)});
  t.push_back(
      {iri(work), iri(vocab::kTitle), Term::LangLiteral(Words(8), "en")});
  t.push_back(
      {iri(work), iri(vocab::kAbstract), Term::LangLiteral(Words(60), "en")});
  t.push_back({iri(work), iri(vocab::kIssued),
               Term::Typed(std::to_string(1960 + w * 64 / 1000000 % 65),
                           "http://www.w3.org/2001/XMLSchema#gYear")});
  t.push_back({iri(work), iri(vocab::kDoi),
               Term::Literal("10.5555/bench." + std::to_string(w))});
  std::string journal =
      "urn:bench:journal/" + std::to_string(journal_zipf(rng));
  t.push_back({iri(work), iri(vocab::kIsPartOf), iri(journal)});
  t.push_back({iri(journal), iri(vocab::kRdfType), iri(vocab::kJournal)});
  t.push_back({iri(journal), iri(vocab::kTitle),
               Term::Literal("Journal " + journal.substr(18))});
  for (int i = 0, n = 1 + static_cast<int>(rng() % 5); i < n; ++i) {
    std::string person = "urn:bench:person/" + std::to_string(author_zipf(rng));
    t.push_back({iri(work), iri(vocab::kCreator), iri(person)});
    t.push_back({iri(person), iri(vocab::kName),
                 Term::Literal("Person " + person.substr(17))});
  }
  for (int i = 0, n = 1 + static_cast<int>(rng() % 5); i < n; ++i) {
    size_t s = subject_zipf(rng);
    std::string subject = "urn:bench:subject/" + std::to_string(s);
    t.push_back({iri(work), iri(vocab::kSubject), iri(subject)});
    t.push_back({iri(subject), iri(vocab::kPrefLabel),
                 Term::LangLiteral(
                     words[s % 30000] + " " + words[(s * 31) % 30000], "en")});
  }
  int refs = w < 10 ? 0 : static_cast<int>(rng() % 21);
  for (int i = 0; i < refs; ++i) {
    uint64_t target =
        (!cited.empty() && rng() % 2) ? cited[rng() % cited.size()] : rng() % w;
    cited.push_back(target);
    t.push_back({iri(work), iri(vocab::kCites), iri(WorkIri(target))});
  }
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

void Grow(store::Store* store, Corpus* corpus, uint64_t total) {
  double start = Now();
  uint64_t from = corpus->works;
  auto loader = store->NewBulkLoader();
  if (!loader.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(loader.status().message()).c_str());
    std::exit(2);
  }
  while (corpus->works < total) {
    Term graph = Term::Iri("urn:bench:record/" + std::to_string(corpus->works));
    std::vector<Triple> t = corpus->NextWork();
    std::vector<store::AuxEntry> aux;
    if (auto doc = topic::BuildTopicDoc(t)) {
      aux = store::TopicEntries(*doc);
      (*loader)->AddToCounter(store::kTopicDocsCounter, 1);
      (*loader)->AddToCounter(store::kTopicLengthCounter,
                              static_cast<int64_t>(doc->length));
    }
    absl::Status s = (*loader)->AddNewGraph(graph, t, aux);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      std::exit(2);
    }
  }
  absl::Status finished = (*loader)->Finish();
  if (!finished.ok()) {
    std::fprintf(stderr, "%s\n", std::string(finished.message()).c_str());
    std::exit(2);
  }
  double loaded = Now();
  // Measure the settled state a long-running server reaches, not the
  // moment after a burst of writes.
  absl::Status s = store->CompactAll();
  if (!s.ok()) std::exit(2);
  std::printf(
      "  loaded works %llu..%llu in %.1f s (%.0f works/s, bulk loader), "
      "compacted in %.1f s\n",
      static_cast<unsigned long long>(from),
      static_cast<unsigned long long>(total), loaded - start,
      (total - from) / (loaded - start), Now() - loaded);
}

uint64_t PrimePageCache(const std::string& dir) {
  uint64_t bytes = 0;
  std::vector<char> buffer(1 << 20);
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)
      bytes += static_cast<uint64_t>(in.gcount());
  }
  return bytes;
}

absl::StatusOr<std::unique_ptr<store::Store>> OpenGraph(const std::string& dir,
                                                        size_t block_cache_mb) {
  store::StoreOptions store_options;
  store_options.block_cache_bytes = block_cache_mb << 20;
  auto store = store::Store::Open(dir, store_options);
  if (!store.ok()) {
    std::fprintf(stderr, "query_bench: %s\n",
                 std::string(store.status().message()).c_str());
  }
  return store;
}

Requests::Requests(const Corpus& corpus, uint64_t works,
                   std::string fixed_query)
    : corpus_(corpus), works_(works), fixed_query_(std::move(fixed_query)) {}

std::string Requests::Query(std::mt19937_64& rng) const {
  if (!fixed_query_.empty()) return fixed_query_;
  return corpus_.words[50 + rng() % 4950] + " " +
         corpus_.words[50 + rng() % 4950];
}

}  // namespace bibkg::bench
