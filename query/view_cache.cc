// ViewCache: the maps every request of one view may share, each with its
// lock.
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "query/engine.h"
#include "query/scoring.h"

namespace bibkg::query {
namespace {

using store::TermId;

constexpr size_t kMaxEntries = 1 << 20;

// A map asked by every request: in shards, each with its lock, at most
// `max_entries` in all (what comes later is not kept).
template <typename Key>
class ShardedMap {
 public:
  explicit ShardedMap(size_t max_entries = kMaxEntries)
      : max_per_shard_(max_entries / kShards) {}

  bool Find(const Key& key, std::string* value) const {
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.map.find(key);
    if (it == shard.map.end()) return false;
    *value = it->second;
    return true;
  }

  void Add(const Key& key, const std::string& value) {
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    if (shard.map.size() < max_per_shard_) shard.map.emplace(key, value);
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    absl::flat_hash_map<Key, std::string> map;
  };
  Shard& ShardOf(const Key& key) const {
    return shards_[absl::Hash<Key>()(key) % kShards];
  }
  const size_t max_per_shard_;
  mutable Shard shards_[kShards];
};

}  // namespace

struct ViewCache::State {
  ShardedMap<std::string> labels;
  ShardedMap<TermId> iris;
  ShardedMap<TermId> doc_entries{kMaxDocEntries};
  mutable std::mutex mu;  // the sets below
  std::set<std::string, std::less<>> common_words;
  absl::flat_hash_set<std::pair<TermId, TermId>> common_values;
  absl::flat_hash_map<std::string, TermId> predicates;
  absl::flat_hash_map<std::string, std::vector<std::string>> issns;
  absl::flat_hash_map<std::string, std::shared_ptr<const scoring::TermLists>>
      postings;
  size_t cached_postings = 0;
};

ViewCache::ViewCache() : state_(std::make_unique<State>()) {}

ViewCache::~ViewCache() = default;

bool ViewCache::FindLabel(const std::string& iri, std::string* label) const {
  return state_->labels.Find(iri, label);
}

void ViewCache::AddLabel(const std::string& iri, const std::string& label) {
  state_->labels.Add(iri, label);
}

bool ViewCache::FindIri(TermId id, std::string* iri) const {
  return state_->iris.Find(id, iri);
}

void ViewCache::AddIri(TermId id, const std::string& iri) {
  state_->iris.Add(id, iri);
}

bool ViewCache::FindDocEntry(TermId graph, std::string* entry) const {
  return state_->doc_entries.Find(graph, entry);
}

void ViewCache::AddDocEntry(TermId graph, const std::string& entry) {
  state_->doc_entries.Add(graph, entry);
}

bool ViewCache::IsCommonWord(const std::string& word) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->common_words.contains(word);
}

void ViewCache::AddCommonWord(const std::string& word) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->common_words.size() < kMaxEntries)
    state_->common_words.insert(word);
}

bool ViewCache::IsCommonValue(TermId predicate, TermId value) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->common_values.contains({predicate, value});
}

void ViewCache::AddCommonValue(TermId predicate, TermId value) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->common_values.size() < kMaxEntries)
    state_->common_values.insert({predicate, value});
}

bool ViewCache::FindPredicate(const std::string& iri, TermId* id) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->predicates.find(iri);
  if (it == state_->predicates.end()) return false;
  *id = it->second;
  return true;
}

void ViewCache::AddPredicate(const std::string& iri, TermId id) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->predicates.size() < kMaxEntries)
    state_->predicates.emplace(iri, id);
}

bool ViewCache::FindIssns(const std::string& venue,
                          std::vector<std::string>* issns) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->issns.find(venue);
  if (it == state_->issns.end()) return false;
  *issns = it->second;
  return true;
}

void ViewCache::AddIssns(const std::string& venue,
                         const std::vector<std::string>& issns) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->issns.size() < kMaxEntries) state_->issns.emplace(venue, issns);
}

std::shared_ptr<const scoring::TermLists> ViewCache::FindPostings(
    const std::string& key) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->postings.find(key);
  return it == state_->postings.end() ? nullptr : it->second;
}

void ViewCache::AddPostings(
    const std::string& key,
    std::shared_ptr<const scoring::TermLists> postings) {
  size_t n = 0;
  for (const scoring::ScoreList& l : *postings) n += l.size();
  if (n < kMinCachedPostings) return;
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->cached_postings + n > kMaxCachedPostings) return;
  if (state_->postings.emplace(key, std::move(postings)).second)
    state_->cached_postings += n;
}

size_t ViewCache::CachedPostings() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->cached_postings;
}

}  // namespace bibkg::query
