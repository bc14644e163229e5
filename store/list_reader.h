// Reading an encoded item list (the "lists" column family's values; layout in
// store/lists.h): inline, because Search walks every item of a word's list.
#ifndef BIBKG_STORE_LIST_READER_H_
#define BIBKG_STORE_LIST_READER_H_

#include <cstdint>
#include <string_view>

#include "base/varint.h"

namespace bibkg::store {

inline constexpr unsigned char kListRemoveTag = 255;

// Walks an encoded list. Next returns false at the end or on corrupt bytes
// (then corrupt() is true).
class ListReader {
 public:
  explicit ListReader(std::string_view data) : data_(data) {}

  // The next item: its graph id, whether it is a removal, and its value.
  bool Next(uint64_t* graph, bool* removed, std::string_view* value) {
    if (data_.empty() || corrupt_) return false;
    uint64_t delta;
    const auto first = static_cast<unsigned char>(data_[0]);
    if (first < 0x80) {  // most deltas take one byte
      delta = first;
      data_.remove_prefix(1);
    } else if (!ReadVarint(&data_, &delta)) {
      return Corrupt();
    }
    if (data_.empty() || (delta == 0 && prev_ != 0)) return Corrupt();
    const auto tag = static_cast<unsigned char>(data_[0]);
    const size_t len = tag == kListRemoveTag ? 0 : tag;
    if (data_.size() - 1 < len) return Corrupt();
    prev_ += delta;
    *graph = prev_;
    *removed = tag == kListRemoveTag;
    *value = data_.substr(1, len);
    data_.remove_prefix(1 + len);
    return true;
  }
  bool corrupt() const { return corrupt_; }

 private:
  bool Corrupt() {
    corrupt_ = true;
    return false;
  }

  std::string_view data_;
  uint64_t prev_ = 0;
  bool corrupt_ = false;
};

enum class ListWalk { kDone, kStopped, kCorrupt };

// Calls `fn(graph, value)` for each item of encoded list `items` that is not
// a removal, until it returns false (kStopped); kCorrupt on corrupt bytes.
template <typename Fn>
ListWalk WalkListItems(std::string_view items, Fn&& fn) {
  ListReader r(items);
  uint64_t graph;
  bool removed;
  std::string_view value;
  while (r.Next(&graph, &removed, &value)) {
    if (!removed && !fn(graph, value)) return ListWalk::kStopped;
  }
  return r.corrupt() ? ListWalk::kCorrupt : ListWalk::kDone;
}

}  // namespace bibkg::store

#endif  // BIBKG_STORE_LIST_READER_H_
