// The five bundled sample documents, for tests that need a real little graph.
#ifndef BIBKG_TESTS_TESTING_SAMPLES_H_
#define BIBKG_TESTS_TESTING_SAMPLES_H_

#include <string>
#include <vector>

#include "store/store.h"

namespace bibkg::testing {

// File names under tests/data/samples/, in alphabetical order.
const std::vector<std::string>& SampleNames();

// Imports the samples (in `order`, by default alphabetical) into `store` with
// the ordinary importer; fails the test on any error or bad record.
void ImportSamples(store::Store* store, std::vector<std::string> order = {});

}  // namespace bibkg::testing

#endif  // BIBKG_TESTS_TESTING_SAMPLES_H_
