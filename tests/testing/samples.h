// The five bundled sample documents, for tests that need a real little graph.
#ifndef BIBKG_TESTS_TESTING_SAMPLES_H_
#define BIBKG_TESTS_TESTING_SAMPLES_H_

#include <string>
#include <string_view>
#include <vector>

#include "indexer/importer.h"
#include "store/store.h"

namespace bibkg::testing {

// File names under tests/data/samples/, in alphabetical order.
const std::vector<std::string>& SampleNames();

// Imports the samples (in `order`, by default alphabetical) into `store` with
// the ordinary importer; fails the test on any error or bad record.
void ImportSamples(store::Store* store, std::vector<std::string> order = {});

// A store with files imported into it by the ordinary importer, and what
// the importer reported ("file: record R: field F: message").
struct Imported {
  std::unique_ptr<store::Store> store;
  indexer::ImportStats stats;
  std::vector<std::string> messages;
};
// Opens a new store in `dir` and imports `files` in order; fails the test
// on an import error (bad records are reported, not errors).
Imported ImportAll(const std::string& dir,
                   const std::vector<std::string>& files,
                   const indexer::ImporterOptions& options = {});

// An aux entry's value for comparing stores: a document entry with its term
// ids named (two stores give the same terms different ids), any other
// value as it is.
std::string ReadableAux(const store::ReadView& view, std::string_view key,
                        std::string_view value);

}  // namespace bibkg::testing

#endif  // BIBKG_TESTS_TESTING_SAMPLES_H_
