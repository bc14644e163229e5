#include "indexer/topic_index.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "indexer/analysis.h"
#include "indexer/vocab.h"

namespace bibkg::indexer {
namespace {

// Field weights: a word in a title says more about the topic than one in the
// body text.
int FieldWeight(const std::string& predicate) {
  if (predicate == vocab::kTitle || predicate == vocab::kAlternative) return 3;
  if (predicate == vocab::kAbstract || predicate == vocab::kDescription)
    return 1;
  return 0;
}

bool IsStubOrJournal(const std::string& node,
                     const absl::flat_hash_set<std::string>& excluded) {
  return node.find("/id/stub/") != std::string::npos || excluded.contains(node);
}

}  // namespace

const std::vector<const char*>& TextPredicates() {
  static const std::vector<const char*> kPredicates = {
      vocab::kTitle, vocab::kAlternative, vocab::kAbstract,
      vocab::kDescription};
  return kPredicates;
}

std::string PostingPrefix(std::string_view term) {
  std::string key = "p";
  key += term;
  key.push_back('\0');
  return key;
}

std::vector<FieldText> NodeTexts(const std::vector<store::Triple>& triples,
                                 const std::string& node) {
  std::vector<FieldText> out;
  absl::flat_hash_set<std::string> subjects;
  for (const auto& t : triples) {
    if (t.s.value != node) continue;
    if (t.p.value == vocab::kSubject && t.o.is_iri())
      subjects.insert(t.o.value);
    int w = FieldWeight(t.p.value);
    if (w > 0 && t.o.is_literal()) out.push_back({t.o.value, t.o.extra, w});
  }
  // Subject labels count for the work that has the subject.
  for (const auto& t : triples) {
    if (t.p.value == vocab::kPrefLabel && subjects.contains(t.s.value) &&
        t.o.is_literal()) {
      out.push_back({t.o.value, t.o.extra, 2});
    }
  }
  for (auto& f : out) {
    if (f.lang.empty() || f.lang.find(':') != std::string::npos) f.lang.clear();
  }
  return out;
}

std::optional<TopicDoc> BuildTopicDoc(
    const std::vector<store::Triple>& triples) {
  absl::flat_hash_set<std::string> journals;
  for (const auto& t : triples) {
    if (t.p.value == vocab::kRdfType && t.o.value == vocab::kJournal)
      journals.insert(t.s.value);
  }
  // The document is the titled node with the most text.
  absl::flat_hash_map<std::string, size_t> text_bytes;
  for (const auto& t : triples) {
    if (!t.s.is_iri() || IsStubOrJournal(t.s.value, journals) ||
        !t.o.is_literal())
      continue;
    if (FieldWeight(t.p.value) > 0)
      text_bytes[t.s.value] += t.o.value.size() + 1;
  }
  std::string best;
  size_t best_bytes = 0;
  for (const auto& [node, bytes] : text_bytes) {
    if (bytes > best_bytes || (bytes == best_bytes && node < best)) {
      best = node;
      best_bytes = bytes;
    }
  }
  if (best.empty()) return std::nullopt;
  TopicDoc doc;
  doc.work = best;
  for (const FieldText& f : NodeTexts(triples, best)) {
    for (const std::string& term : IndexTerms(f.text, f.lang)) {
      doc.tf[term] += f.weight;
      doc.length += f.weight;
    }
  }
  if (doc.tf.empty()) return std::nullopt;
  return doc;
}

std::vector<store::AuxEntry> TopicEntries(const TopicDoc& doc) {
  std::vector<store::AuxEntry> out;
  out.reserve(doc.tf.size() + 1);
  for (const auto& [term, tf] : doc.tf) {
    out.push_back({PostingPrefix(term),
                   std::to_string(tf) + " " + std::to_string(doc.length)});
  }
  out.push_back(
      {std::string(kDocKey), std::to_string(doc.length) + "\t" + doc.work});
  return out;
}

std::optional<DocInfo> ParseDocEntry(std::string_view value) {
  size_t tab = value.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  DocInfo info;
  for (char c : value.substr(0, tab)) {
    if (c < '0' || c > '9') return std::nullopt;
    info.length = info.length * 10 + static_cast<uint64_t>(c - '0');
  }
  info.work = std::string(value.substr(tab + 1));
  return info;
}

}  // namespace bibkg::indexer
