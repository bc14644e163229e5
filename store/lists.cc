#include "store/lists.h"

#include <algorithm>
#include <vector>

#include "base/varint.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/slice.h"

namespace bibkg::store::internal {

std::string ListKey(std::string_view aux_key, TermId graph) {
  std::string key(aux_key);
  uint32_t chunk = static_cast<uint32_t>(graph >> kListChunkBits);
  for (int shift = 24; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>((chunk >> shift) & 0xff));
  return key;
}

void AppendListItem(std::string* out, TermId* prev, TermId graph,
                    std::string_view value) {
  AppendVarint(out, graph - *prev);
  out->push_back(static_cast<char>(value.size()));
  out->append(value);
  *prev = graph;
}

void AppendListRemoval(std::string* out, TermId* prev, TermId graph) {
  AppendVarint(out, graph - *prev);
  out->push_back(static_cast<char>(kListRemoveTag));
  *prev = graph;
}

namespace {

struct Item {
  TermId graph;
  uint32_t source;  // later sources win
  bool removed;
  std::string_view value;
};

// Applies `sources` in order; with `keep_removals` (a partial merge, whose
// result is itself an operand) removals stay as items.
bool Combine(const std::vector<std::string_view>& sources, bool keep_removals,
             std::string* out) {
  std::vector<Item> items;
  for (uint32_t s = 0; s < sources.size(); ++s) {
    ListReader r(sources[s]);
    Item it{0, s, false, {}};
    while (r.Next(&it.graph, &it.removed, &it.value)) items.push_back(it);
    if (r.corrupt()) return false;
  }
  if (sources.size() > 1) {
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.graph != b.graph ? a.graph < b.graph : a.source < b.source;
    });
  }
  out->clear();
  TermId prev = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i + 1 < items.size() && items[i + 1].graph == items[i].graph)
      continue;  // a later source says otherwise
    const Item& it = items[i];
    if (it.removed) {
      if (keep_removals) AppendListRemoval(out, &prev, it.graph);
    } else {
      AppendListItem(out, &prev, it.graph, it.value);
    }
  }
  return true;
}

class ListMergeOperator : public rocksdb::MergeOperator {
 public:
  const char* Name() const override { return "bibkg.ListMerge"; }

  bool FullMergeV2(const MergeOperationInput& in,
                   MergeOperationOutput* out) const override {
    std::vector<std::string_view> sources;
    sources.reserve(in.operand_list.size() + 1);
    if (in.existing_value)
      sources.emplace_back(in.existing_value->data(),
                           in.existing_value->size());
    for (const rocksdb::Slice& op : in.operand_list)
      sources.emplace_back(op.data(), op.size());
    return Combine(sources, false, &out->new_value);
  }

  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operands,
                         std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    std::vector<std::string_view> sources;
    sources.reserve(operands.size());
    for (const rocksdb::Slice& op : operands)
      sources.emplace_back(op.data(), op.size());
    return Combine(sources, true, new_value);
  }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewListMergeOperator() {
  return std::make_shared<ListMergeOperator>();
}

}  // namespace bibkg::store::internal
