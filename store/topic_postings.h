// The topic index's stored format. Per source record (graph), the analysed
// terms of its main work's titles, abstract, description and subject labels
// are aux entries of that graph, so that they are written and removed in the
// same atomic step as the record.
//
// Aux key layout (persistent; the store appends the graph id):
//   "p" term "\0"  -> varint(term frequency) varint(document length): the
//                     frequency weighted by field, the length repeated so
//                     that scoring a posting needs no second read. Written as
//                     list entries (AuxEntry::list): a term's postings are
//                     read together, in document order, a chunk of documents
//                     per value. The plain-entry form "<tf> <length>" in
//                     decimal is still read (ParsePlainPosting).
//   "d"            -> the document entry: kDocEntryIds, then varints (see
//                     TopicEntries) and the term ids of the work and its
//                     facts. The text form, length (decimal) "\t" work IRI
//                     ["\t" year "\t" types "\t" subjects "\t" languages
//                     "\t" funders], is still read (ParseDocEntry).
// Counters: "topic.docs" (documents), "topic.length" (sum of lengths).
#ifndef BIBKG_STORE_TOPIC_POSTINGS_H_
#define BIBKG_STORE_TOPIC_POSTINGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/varint.h"
#include "store/store.h"

namespace bibkg::store {

inline constexpr const char* kTopicDocsCounter = "topic.docs";
inline constexpr const char* kTopicLengthCounter = "topic.length";
inline constexpr std::string_view kDocKey = "d";
// The first byte of a document entry that holds term ids (TopicEntries);
// a text-form entry starts with the length's digits.
inline constexpr char kDocEntryIds = '\x01';

// The aux key prefix of a term's postings.
std::string PostingPrefix(std::string_view term);
// A posting's value, and back (false: not a posting).
std::string EncodePosting(uint64_t tf, uint64_t length);
// Inline: Search decodes every posting of a query's words.
inline bool DecodePosting(std::string_view value, uint64_t* tf,
                          uint64_t* length) {
  return ReadVarint(&value, tf) && ReadVarint(&value, length) && value.empty();
}
// A posting in plain-entry form: "<tf> <length>" in decimal.
bool ParsePlainPosting(std::string_view value, uint64_t* tf, uint64_t* length);

// What the record says of its work that Search filters and counts facets by.
struct DocFacts {
  int year = 0;                       // of the first dcterms:issued; 0: none
  std::vector<std::string> types;     // rdf:type IRIs, as the record lists them
  std::vector<std::string> subjects;  // dcterms:subject IRIs
  std::vector<std::string>
      languages;  // title language tags and dcterms:language codes
  std::vector<std::string> funders;  // funder IRIs
};

// A record's topic document (topic/document.h builds it).
struct TopicDoc {
  std::string work;  // IRI of the node the document describes
  uint64_t length = 0;
  std::map<std::string, uint64_t> tf;
  DocFacts facts;
};

// The aux entries of a document: one posting per term, and the document
// entry (kDocKey).
std::vector<AuxEntry> TopicEntries(const TopicDoc& doc);

// A document entry as read back. An entry with term ids (AuxEntry::ids)
// gives `work_id` and the *_ids below, with `facts` holding the year and
// languages. A text-form entry gives `work` and `facts` as IRIs, `facts`
// nullopt when the entry ends after the work. nullopt: not a document entry.
struct DocInfo {
  uint64_t length = 0;
  TermId work_id = 0;
  std::string work;
  std::optional<DocFacts> facts;
  std::vector<TermId> type_ids, subject_ids, funder_ids;
};
std::optional<DocInfo> ParseDocEntry(std::string_view value);

}  // namespace bibkg::store

#endif  // BIBKG_STORE_TOPIC_POSTINGS_H_
