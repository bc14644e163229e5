// What a parser makes of one source record: the quads of its named graph,
// the problems found in it, and the title links still to be resolved.
#ifndef BIBKG_INDEXER_MAPPING_RECORD_H_
#define BIBKG_INDEXER_MAPPING_RECORD_H_

#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "store/term.h"

namespace bibkg::indexer {

// One problem in one record. `fatal` problems keep the record out of the
// store; the others are warnings (a value kept but flagged, a field dropped).
struct Problem {
  std::string field;    // the input field, as the source labels it ("ISSN")
  std::string message;  // what was wrong, for a person to act on
  bool fatal = false;
};

// A link to another work known only by its title ("Related content" lists).
// The importer points it at the work with the same match key, or at a stub
// that the work takes over when it arrives.
struct TitleRef {
  std::string subject;    // IRI of the linking node
  std::string predicate;  // IRI of the link
  std::string title;      // the title as written
  // What else the reference says, when it says it: a work with the title
  // must then be within a year of `year` and have an author of this family
  // name.
  int year = 0;
  std::string author_family;
};

// A link to a work known by where it appeared (ISSN + volume + first page)
// or by its ISBN, resolved like a TitleRef: to the work that matches, else to
// a stub the work takes over when it arrives.
struct LocatorRef {
  std::string subject;
  std::string predicate;
  std::string issn;  // normalized, valid check digit
  std::string volume;
  std::string first_page;
  std::string isbn13;  // used instead of the above when set
  std::string said;    // the reference as written, kept on a stub
};

struct Record {
  enum class Mode {
    kReplace,  // the graph becomes exactly `triples`
    kAdd,      // `triples` are added to the graph (N-Quads chunks)
    kDelete    // the graph is removed
  };

  std::string id;     // the record's id within its source ("1", a MARC 001)
  store::Term graph;  // the named graph: <source URI>#<id>
  Mode mode = Mode::kReplace;
  std::vector<store::Triple> triples;
  std::vector<Problem> problems;
  std::vector<TitleRef> title_refs;
  std::vector<LocatorRef> locator_refs;
  // The work this record describes and its title match key, so that stubs
  // waiting for that title can be pointed at it. Empty for non-works.
  std::string work_iri;
  std::string match_key;
  // Accepted but not stored (MARC holdings records): counted, not imported.
  bool skip = false;
  // References to the record's own work, dropped (and reported).
  uint32_t self_citations = 0;
  // The topic-index entries of a new graph, worked out on the parsing thread
  // of a bulk import (topic_ready), so the storing thread only stores them.
  bool topic_ready = false;
  bool has_topic_doc = false;
  uint64_t topic_length = 0;
  std::vector<store::AuxEntry> topic_entries;

  bool has_fatal() const;
  void Warn(std::string field, std::string message);
  void Fail(std::string field, std::string message);

  // Triple helpers. Empty objects are skipped, so parsers can pass optional
  // fields straight through.
  void AddIri(const std::string& s, const char* p, const std::string& o);
  void AddLiteral(const std::string& s, const char* p, std::string_view text,
                  std::string_view lang = {});
  void AddTyped(const std::string& s, const char* p, std::string_view lexical,
                const std::string& datatype);
};

// Where records come from. The graph of record `id` is `<uri>#<id>`.
struct Source {
  std::string path;  // as given on the command line, for messages
  std::string uri;   // file:///absolute/path
};

// A graph name for record `id` of `source`.
store::Term GraphFor(const Source& source, std::string_view id);

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_MAPPING_RECORD_H_
