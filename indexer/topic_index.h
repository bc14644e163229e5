// The topic index: per source record (graph), the analysed terms of its main
// work's titles, abstract, description and subject labels, kept as aux
// entries of that graph in the store, so that they are written and removed in
// the same atomic step as the record.
//
// Aux key layout (persistent; the store appends the graph id):
//   "p" term "\0"  -> varint(term frequency) varint(document length) (the
//                     frequency weighted by field; the length repeated so that
//                     scoring a posting needs no second read). A list entry
//                     (AuxEntry::list): a term's postings are read together,
//                     in document order, a chunk of documents per value.
//                     Databases indexed before lists existed hold them as
//                     plain aux entries with the value "<tf> <length>" in
//                     decimal, which Search still reads (ParseLegacyPosting).
//   "d"            -> document length (decimal) "\t" work IRI "\t" year
//                     "\t" types "\t" subjects "\t" languages "\t" funders
//                     (lists separated by spaces; what Search filters and
//                     counts facets by, so that it need not read the work;
//                     entries written before these fields end after the IRI)
// Counters: "topic.docs" (documents), "topic.length" (sum of lengths).
#ifndef BIBKG_INDEXER_TOPIC_INDEX_H_
#define BIBKG_INDEXER_TOPIC_INDEX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/varint.h"
#include "store/store.h"

namespace bibkg::indexer {

inline constexpr const char* kTopicDocsCounter = "topic.docs";
inline constexpr const char* kTopicLengthCounter = "topic.length";
inline constexpr std::string_view kDocKey = "d";
// The first byte of a document entry that holds term ids (TopicEntries);
// entries written before start with the length's digits.
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
// A posting as plain aux entries held it: "<tf> <length>" in decimal.
bool ParseLegacyPosting(std::string_view value, uint64_t* tf, uint64_t* length);

// What the record says of its work that Search filters and counts facets by.
struct DocFacts {
  int year = 0;                       // of the first dcterms:issued; 0: none
  std::vector<std::string> types;     // rdf:type IRIs, as the record lists them
  std::vector<std::string> subjects;  // dcterms:subject IRIs
  std::vector<std::string>
      languages;  // title language tags and dcterms:language codes
  std::vector<std::string> funders;  // funder IRIs
};

struct TopicDoc {
  std::string work;  // IRI of the node the document describes
  uint64_t length = 0;
  std::map<std::string, uint64_t> tf;
  DocFacts facts;
};

// The year of an xsd:date, gYear or dateTime ("2021-03-04" -> 2021); 0 when
// it does not start with four digits.
int YearOf(std::string_view issued);

// The document of a graph's quads: the node with the most title and text
// (stubs and journals excluded), its text fields analysed in their language.
// nullopt when the graph describes no titled node.
std::optional<TopicDoc> BuildTopicDoc(
    const std::vector<store::Triple>& triples);

// The texts of `node` in `triples`, with their languages and weights, as
// BuildTopicDoc reads them.
struct FieldText {
  std::string text;
  std::string lang;
  int weight;
};
// The predicates whose literals make a node's text (titles, abstracts,
// descriptions); subject labels count as well.
const std::vector<const char*>& TextPredicates();
std::vector<FieldText> NodeTexts(const std::vector<store::Triple>& triples,
                                 const std::string& node);

std::vector<store::AuxEntry> TopicEntries(const TopicDoc& doc);

// A document entry as read back. Entries are written with the work and the
// facts' IRIs as term ids (AuxEntry::ids): `work_id` and the *_ids below,
// with `facts` holding the year and languages. Entries written before hold
// them as IRIs: `work` and `facts` in full (nullopt for an entry written
// before the facts were kept).
struct DocInfo {
  uint64_t length = 0;
  store::TermId work_id = 0;
  std::string work;
  std::optional<DocFacts> facts;
  std::vector<store::TermId> type_ids, subject_ids, funder_ids;
};
std::optional<DocInfo> ParseDocEntry(std::string_view value);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_TOPIC_INDEX_H_
