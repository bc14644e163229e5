#include "store/topic_postings.h"

#include <algorithm>
#include <charconv>

#include "base/varint.h"

namespace bibkg::store {

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

bool ParsePlainPosting(std::string_view v, uint64_t* tf, uint64_t* length) {
  size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return false;
  return std::from_chars(v.data(), v.data() + sp, *tf).ec == std::errc() &&
         std::from_chars(v.data() + sp + 1, v.data() + v.size(), *length).ec ==
             std::errc();
}

std::vector<AuxEntry> TopicEntries(const TopicDoc& doc) {
  std::vector<AuxEntry> out;
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
  AuxEntry entry{std::string(kDocKey), std::string(1, kDocEntryIds), false, {}};
  AppendVarint(&entry.value, doc.length);
  AppendVarint(&entry.value, static_cast<uint64_t>(std::max(0, f.year)));
  AppendVarint(&entry.value, f.types.size());
  AppendVarint(&entry.value, f.subjects.size());
  AppendVarint(&entry.value, f.funders.size());
  const std::string languages = list(f.languages);
  AppendVarint(&entry.value, languages.size());
  entry.value += languages;
  entry.ids.push_back(Term::Iri(doc.work));
  for (const auto* iris : {&f.types, &f.subjects, &f.funders}) {
    for (const std::string& iri : *iris) entry.ids.push_back(Term::Iri(iri));
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
      TermId id = 0;
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
  if (fields.size() == 1) return info;  // the work alone, without facts
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

}  // namespace bibkg::store
