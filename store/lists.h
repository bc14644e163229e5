// Lists of (graph, value) items kept under one key, sorted by graph id: aux
// entries that a reader wants all of at once (search postings) rather than
// one RocksDB entry each.
//
// Column family "lists" (persistent layout, see docs/storage.md):
//   aux key + chunk:u32be -> items     chunk = graph id >> kListChunkBits
// An encoded item list is a sequence of
//   varint(graph id - previous graph id in the list; the first: the id)
//   tag byte: the value's length (0..254), or 255 for "remove this graph"
//   the value's bytes
// with graph ids strictly ascending. A stored value holds no removals. Writers
// never read a list: each change is a RocksDB merge operand in the same
// encoding (a commit's one item, a bulk run's many), and ListMergeOperator
// applies operands in order (a later item for a graph replaces an earlier one;
// a removal drops it).
#ifndef BIBKG_STORE_LISTS_H_
#define BIBKG_STORE_LISTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/key_codec.h"
#include "store/list_reader.h"

namespace rocksdb {
class MergeOperator;
}

namespace bibkg::store::internal {

// A chunk holds the items of 65,536 consecutive graph ids: a common word's
// list is read in a few hundred values, a rare word's in one or two.
constexpr int kListChunkBits = 16;
using store::kListRemoveTag;
constexpr size_t kMaxListValue = 254;

std::string ListKey(std::string_view aux_key, TermId graph);

// Appends one item; `graph` must be above the previous item's (`*prev`,
// updated; 0 before the first).
void AppendListItem(std::string* out, TermId* prev, TermId graph,
                    std::string_view value);
void AppendListRemoval(std::string* out, TermId* prev, TermId graph);

using store::ListReader;  // store/list_reader.h

std::shared_ptr<rocksdb::MergeOperator> NewListMergeOperator();

}  // namespace bibkg::store::internal

#endif  // BIBKG_STORE_LISTS_H_
