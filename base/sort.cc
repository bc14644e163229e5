#include "base/sort.h"

#include <boost/sort/pdqsort/pdqsort.hpp>

namespace bibkg::base {

void SortKeys(std::vector<u128>* keys) {
  boost::sort::pdqsort_branchless(keys->begin(), keys->end());
}

void SortKeys(std::vector<std::pair<std::string_view, uint64_t>>* keys) {
  boost::sort::pdqsort(keys->begin(), keys->end());
}

}  // namespace bibkg::base
