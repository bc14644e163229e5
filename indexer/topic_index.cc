#include "indexer/topic_index.h"

#include <algorithm>
#include <charconv>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/varint.h"
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

std::string EncodePosting(uint64_t tf, uint64_t length) {
  std::string out;
  AppendVarint(&out, tf);
  AppendVarint(&out, length);
  return out;
}

bool ParseLegacyPosting(std::string_view v, uint64_t* tf, uint64_t* length) {
  size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return false;
  return std::from_chars(v.data(), v.data() + sp, *tf).ec == std::errc() &&
         std::from_chars(v.data() + sp + 1, v.data() + v.size(), *length).ec ==
             std::errc();
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
  // A value with a space or tab could not be told apart in the entry.
  auto add = [](std::vector<std::string>* to, std::string value) {
    if (value.empty() || value.find_first_of(" \t") != std::string::npos)
      return;
    if (std::find(to->begin(), to->end(), value) == to->end())
      to->push_back(std::move(value));
  };
  DocFacts& f = doc.facts;
  for (const auto& t : triples) {
    if (t.s.value != best) continue;
    if (t.p.value == vocab::kIssued && f.year == 0) {
      f.year = YearOf(t.o.value);
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

int YearOf(std::string_view issued) {
  if (issued.size() < 4) return 0;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (issued[i] < '0' || issued[i] > '9') return 0;
    y = y * 10 + (issued[i] - '0');
  }
  return y;
}

std::vector<store::AuxEntry> TopicEntries(const TopicDoc& doc) {
  std::vector<store::AuxEntry> out;
  out.reserve(doc.tf.size() + 1);
  for (const auto& [term, tf] : doc.tf) {
    out.push_back({PostingPrefix(term), EncodePosting(tf, doc.length),
                   /*list=*/true});
  }
  auto list = [](const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) {
      if (!out.empty()) out += ' ';
      out += v;
    }
    return out;
  };
  // The document entry: kDocEntryIds, varints of the length, year and the
  // numbers of types, subjects and funders, the languages (their byte count,
  // then space-separated); the store appends the ids of the work, its types,
  // subjects and funders.
  const DocFacts& f = doc.facts;
  store::AuxEntry entry{
      std::string(kDocKey), std::string(1, kDocEntryIds), false, {}};
  AppendVarint(&entry.value, doc.length);
  AppendVarint(&entry.value, static_cast<uint64_t>(std::max(0, f.year)));
  AppendVarint(&entry.value, f.types.size());
  AppendVarint(&entry.value, f.subjects.size());
  AppendVarint(&entry.value, f.funders.size());
  const std::string languages = list(f.languages);
  AppendVarint(&entry.value, languages.size());
  entry.value += languages;
  entry.ids.push_back(store::Term::Iri(doc.work));
  for (const auto* iris : {&f.types, &f.subjects, &f.funders}) {
    for (const std::string& iri : *iris)
      entry.ids.push_back(store::Term::Iri(iri));
  }
  out.push_back(std::move(entry));
  return out;
}

namespace {

// The words of a space-separated list (a document entry's lists).
std::vector<std::string> SpaceSeparated(std::string_view text) {
  std::vector<std::string> out;
  for (size_t from = 0; from < text.size();) {
    size_t sp = std::min(text.find(' ', from), text.size());
    if (sp > from) out.emplace_back(text.substr(from, sp - from));
    from = sp + 1;
  }
  return out;
}

std::optional<DocInfo> ParseDocEntryWithIds(std::string_view value) {
  value.remove_prefix(1);  // kDocEntryIds
  uint64_t length = 0, year = 0, types = 0, subjects = 0, funders = 0,
           languages = 0;
  for (uint64_t* v :
       {&length, &year, &types, &subjects, &funders, &languages}) {
    if (!ReadVarint(&value, v)) return std::nullopt;
  }
  if (languages > value.size() || year > 9999) return std::nullopt;
  DocInfo info;
  info.length = length;
  DocFacts f;
  f.year = static_cast<int>(year);
  f.languages = SpaceSeparated(value.substr(0, languages));
  value.remove_prefix(languages);
  info.facts = std::move(f);
  if (!ReadVarint(&value, &info.work_id) || info.work_id == 0)
    return std::nullopt;
  for (auto [n, ids] : {std::pair{types, &info.type_ids},
                        std::pair{subjects, &info.subject_ids},
                        std::pair{funders, &info.funder_ids}}) {
    if (n > value.size()) return std::nullopt;  // a varint is a byte at least
    for (uint64_t i = 0; i < n; ++i) {
      store::TermId id = 0;
      if (!ReadVarint(&value, &id)) return std::nullopt;
      ids->push_back(id);
    }
  }
  if (!value.empty()) return std::nullopt;
  return info;
}

}  // namespace

std::optional<DocInfo> ParseDocEntry(std::string_view value) {
  if (!value.empty() && value[0] == kDocEntryIds)
    return ParseDocEntryWithIds(value);
  size_t tab = value.find('\t');
  if (tab == std::string_view::npos) return std::nullopt;
  DocInfo info;
  for (char c : value.substr(0, tab)) {
    if (c < '0' || c > '9') return std::nullopt;
    info.length = info.length * 10 + static_cast<uint64_t>(c - '0');
  }
  std::vector<std::string_view> fields;
  for (size_t from = tab + 1;;) {
    size_t next = value.find('\t', from);
    fields.push_back(value.substr(from, next == std::string_view::npos
                                            ? std::string_view::npos
                                            : next - from));
    if (next == std::string_view::npos) break;
    from = next + 1;
  }
  info.work = std::string(fields[0]);
  if (fields.size() == 1) return info;  // written before the facts were kept
  if (fields.size() != 6) return std::nullopt;
  DocFacts f;
  for (char c : fields[1]) {
    if (c < '0' || c > '9') return std::nullopt;
    f.year = f.year * 10 + (c - '0');
  }
  f.types = SpaceSeparated(fields[2]);
  f.subjects = SpaceSeparated(fields[3]);
  f.languages = SpaceSeparated(fields[4]);
  f.funders = SpaceSeparated(fields[5]);
  info.facts = std::move(f);
  return info;
}

}  // namespace bibkg::indexer
