// Internals of the bulk loader shared by bulk_loader.cc (staging) and
// bulk_run.cc (a run written as table files and ingested). Not part of the
// API.
#ifndef BIBKG_STORE_BULK_LOADER_INTERNAL_H_
#define BIBKG_STORE_BULK_LOADER_INTERNAL_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "store/store.h"
#include "store/store_internal.h"

namespace bibkg::store {
namespace internal {

// Graph order of staged quads, as an inlinable functor.
struct LessGspo {
  bool operator()(const IdQuad& a, const IdQuad& b) const {
    return std::tie(a.g, a.s, a.p, a.o) < std::tie(b.g, b.s, b.p, b.o);
  }
};

// The table files of one run and their ingestion (bulk_run.cc).
class RunFiles;

}  // namespace internal

struct BulkLoader::RunState {
  std::vector<IdQuad> quads;
  // Terms created in this run, in id order, and an index over them.
  std::vector<std::pair<std::string, TermId>> new_terms;
  absl::flat_hash_map<std::string, TermId> new_term_index;
  // Graphs staged by this loader (any run): a second AddGraph of one of them
  // goes through Commit so that it replaces rather than adds.
  absl::flat_hash_set<TermId> seen_graphs;
  // Graphs this loader created, with the quads staged for each; and those
  // that were added to more than once (their count is checked at Finish,
  // since a quad repeated across calls is staged twice but stored once).
  absl::flat_hash_map<TermId, uint64_t> new_graphs;
  absl::flat_hash_set<TermId> appended;
  TermId next_id = 1;
  uint64_t quad_count = 0;
  int file_seq = 0;
  // Aux entries of new graphs, in one buffer: "aux key + graph id" then the
  // value, located by AuxRef (sorting refs moves no strings).
  // A list entry's key is ListKey(aux key, graph) + graph id.
  struct AuxRef {
    size_t offset;
    uint32_t key_size;  // including the 8-byte graph id
    uint32_t value_size;
    bool list;
  };
  std::string aux_arena;
  std::vector<AuxRef> aux;
  bool aux_in_graph_order = true;  // graphs staged in ascending id order
  TermId last_aux_graph = 0;
  absl::flat_hash_map<std::string, int64_t> counters;
  // Staged triples with a counted predicate (see StoreOptions).
  std::vector<IdTriple> counted;

  // The steps of BulkLoader::WriteRun: each writes the run's table files of
  // some column families and adds them to `files`.
  // The permutation tables `perms` of the run's quads, one after the other
  // (the quads are read, not changed: two threads write tables at once).
  absl::Status WriteQuadTables(RunFiles& files,
                               std::initializer_list<Permutation> perms);
  absl::Status WriteDictionaryTables(RunFiles& files);
  // aux: key + graph id -> value; gaux: graph id + key -> "" or the list
  // mark; lists: a merge operand per list key.
  absl::Status WriteAuxTables(RunFiles& files);
  // The counters (named ones and in-degrees) and the metadata, written last:
  // they read what earlier runs stored.
  absl::Status WriteMetaTable(Store::Impl& impl, RunFiles& files);

 private:
  absl::Status WriteGraphAuxTable(RunFiles& files);
  absl::Status WritePlainAuxTable(RunFiles& files);
  absl::Status WriteListTable(std::vector<AuxRef> lists, RunFiles& files);
  // In-degrees: a staged triple that no graph holds yet adds one to its
  // object's count (earlier runs are ingested by now).
  absl::Status CountInDegrees(Store::Impl& impl);

  std::string_view KeyOf(const AuxRef& r) const {
    return std::string_view(aux_arena.data() + r.offset, r.key_size);
  }
  std::string_view ValueOf(const AuxRef& r) const {
    return std::string_view(aux_arena.data() + r.offset + r.key_size,
                            r.value_size);
  }
  // The aux key an entry is owned under (a list key without its chunk).
  std::string_view AuxKeyOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(0, k.size() - 8 - (r.list ? 4 : 0));
  }
  // A list entry's key: the list key, with its chunk.
  std::string_view ListKeyOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(0, k.size() - 8);
  }
  std::string_view GraphOf(const AuxRef& r) const {
    std::string_view k = KeyOf(r);
    return k.substr(k.size() - 8);
  }
};

}  // namespace bibkg::store

#endif  // BIBKG_STORE_BULK_LOADER_INTERNAL_H_
