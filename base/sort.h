// In-memory sorts of the bulk loader's keys, with Boost's pattern-defeating
// quicksort (branchless partitioning for integer keys): faster than
// std::sort on large arrays of plain keys.
#ifndef BIBKG_BASE_SORT_H_
#define BIBKG_BASE_SORT_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace bibkg::base {

using u128 = unsigned __int128;

// Ascending numeric order.
void SortKeys(std::vector<u128>* keys);

// Ascending by the string (bytewise), then by the number.
void SortKeys(std::vector<std::pair<std::string_view, uint64_t>>* keys);

}  // namespace bibkg::base

#endif  // BIBKG_BASE_SORT_H_
