// The benchmark's graph: generated works (titles, abstracts, journals,
// authors, subjects and citations, each field drawn from a Zipf
// distribution), loaded through the bulk loader, opened, and the random
// requests asked of it.
#ifndef BIBKG_TOOLS_BENCH_BENCH_GRAPH_H_
#define BIBKG_TOOLS_BENCH_BENCH_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/store.h"

namespace bibkg::bench {

// Zipf(s = 1) over [0, n) by inverse transform on the harmonic numbers.
class Zipf {
 public:
  explicit Zipf(size_t n);
  size_t operator()(std::mt19937_64& rng) const;

 private:
  std::vector<double> cdf_;
};

// Pseudo-words from syllables: a vocabulary of `n` distinct words.
std::vector<std::string> Vocabulary(size_t n);

// The works of the graph, generated one at a time from a fixed seed: the
// same works, in the same order, in every run.
struct Corpus {
  std::vector<std::string> words = Vocabulary(30000);
  Zipf word_zipf{30000};
  Zipf subject_zipf{5000};
  Zipf journal_zipf{20000};
  Zipf author_zipf{300000};
  std::vector<uint64_t>
      cited;  // every citation target so far (preferential attachment)
  std::mt19937_64 rng{42};
  uint64_t works = 0;  // the works generated so far

  // `n` words drawn from the vocabulary.
  std::string Words(size_t n);

  // The IRI of work number `w`.
  static std::string WorkIri(uint64_t w);

  // One record: the work and the nodes it names, as one graph.
  std::vector<store::Triple> NextWork();
};

// Adds works up to `total` through the bulk loader (as `bibkg import --bulk`
// does), topic index included, then compacts; prints the time each took.
// Exits the program if the store fails.
void Grow(store::Store* store, Corpus* corpus, uint64_t total);

// Reads every file of the database once, so that the operating system's
// page cache holds them, as it does on a server that has been answering for
// a while: the figures are then of the engine and the block cache, not of
// the disk. Returns the bytes read.
uint64_t PrimePageCache(const std::string& dir);

// Opens the graph with a block cache of `block_cache_mb` MiB; says why on
// standard error when it cannot.
absl::StatusOr<std::unique_ptr<store::Store>> OpenGraph(const std::string& dir,
                                                        size_t block_cache_mb);

// The random choices of the requests asked of a graph of `works` works.
class Requests {
 public:
  // `fixed_query`, when not empty, is every search's text.
  Requests(const Corpus& corpus, uint64_t works, std::string fixed_query);

  uint64_t works() const { return works_; }

  // A work of the graph, uniformly.
  std::string RandomWork(std::mt19937_64& rng) const {
    return Corpus::WorkIri(rng() % works_);
  }

  // A search text: two words of middling frequency (ranks 50..5000).
  std::string Query(std::mt19937_64& rng) const;

 private:
  const Corpus& corpus_;
  uint64_t works_;
  std::string fixed_query_;
};

}  // namespace bibkg::bench

#endif  // BIBKG_TOOLS_BENCH_BENCH_GRAPH_H_
