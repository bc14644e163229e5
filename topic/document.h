// A record's topic document: the node its text describes, that node's text
// fields with their languages and weights, and the analysed terms and facts
// the topic index keeps of it (store/topic_postings.h). Import builds the
// document; Related reads a seed's text fields the same way.
#ifndef BIBKG_TOPIC_DOCUMENT_H_
#define BIBKG_TOPIC_DOCUMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "store/topic_postings.h"

namespace bibkg::topic {

// The document of a graph's quads: the node with the most title and text
// (stubs and journals excluded), its text fields analysed in their language.
// nullopt when the graph describes no titled node.
std::optional<store::TopicDoc> BuildTopicDoc(
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

}  // namespace bibkg::topic

#endif  // BIBKG_TOPIC_DOCUMENT_H_
