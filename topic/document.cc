#include "topic/document.h"

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "text/analysis.h"
#include "text/grammars.h"
#include "text/vocab.h"

namespace bibkg::topic {

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

std::optional<store::TopicDoc> BuildTopicDoc(
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
  store::TopicDoc doc;
  doc.work = best;
  for (const FieldText& f : NodeTexts(triples, best)) {
    for (const std::string& term : text::IndexTerms(f.text, f.lang)) {
      doc.tf[term] += f.weight;
      doc.length += f.weight;
    }
  }
  if (doc.tf.empty()) return std::nullopt;
  // A value with a space or tab could not be told apart in the entry.
  auto add = [](std::vector<std::string>* to, std::string value) {
    if (value.empty() || value.find_first_of(" \t") != std::string::npos)
      return;
    if (std::find(to->begin(), to->end(), value) == to->end())
      to->push_back(std::move(value));
  };
  store::DocFacts& f = doc.facts;
  for (const auto& t : triples) {
    if (t.s.value != best) continue;
    if (t.p.value == vocab::kIssued && f.year == 0) {
      f.year = text::YearOf(t.o.value);
    } else if (t.p.value == vocab::kRdfType && t.o.is_iri()) {
      add(&f.types, t.o.value);
    } else if (t.p.value == vocab::kSubject && t.o.is_iri()) {
      add(&f.subjects, t.o.value);
    } else if (t.p.value == vocab::kTitle &&
               t.o.kind == store::Term::Kind::kLangLiteral) {
      add(&f.languages, t.o.extra);
    } else if (t.p.value == vocab::kLanguage) {
      add(&f.languages, t.o.value.substr(t.o.value.rfind('/') + 1));
    } else if (t.p.value == vocab::kIsFundedBy && t.o.is_iri()) {
      add(&f.funders, t.o.value);
    }
  }
  return doc;
}

}  // namespace bibkg::topic
