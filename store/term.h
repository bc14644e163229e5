// RDF terms and quads as the store sees them: IRIs, blank nodes and literals
// (plain, language-tagged or typed). The store knows nothing about what the
// terms mean.
#ifndef BIBKG_STORE_TERM_H_
#define BIBKG_STORE_TERM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

namespace bibkg::store {

// A dictionary id. 0 is never assigned; it stands for "unbound" in patterns.
using TermId = uint64_t;

inline constexpr std::string_view kXsdString =
    "http://www.w3.org/2001/XMLSchema#string";

// One RDF term. A value type; cheap to move, safe to share between threads
// when not mutated.
struct Term {
  // DO NOT CHANGE THESE VALUES: they are the first byte of every stored term.
  enum class Kind : uint8_t {
    kIri = 1,
    kBlank = 2,
    kLiteral = 3,      // simple literal (xsd:string)
    kLangLiteral = 4,  // `extra` holds the language tag, lower case
    kTypedLiteral = 5  // `extra` holds the datatype IRI
  };

  Kind kind = Kind::kIri;
  std::string value;  // IRI, blank node label or lexical form
  std::string extra;  // language tag or datatype IRI; empty otherwise

  static Term Iri(std::string iri) { return {Kind::kIri, std::move(iri), {}}; }
  static Term Blank(std::string label) {
    return {Kind::kBlank, std::move(label), {}};
  }
  static Term Literal(std::string lexical) {
    return {Kind::kLiteral, std::move(lexical), {}};
  }
  // Language tags are case-insensitive (RDF 1.1); they are kept lower case.
  static Term LangLiteral(std::string lexical, std::string_view lang);
  // A literal typed xsd:string is the same term as a simple literal.
  static Term Typed(std::string lexical, std::string datatype);

  bool is_iri() const { return kind == Kind::kIri; }
  bool is_literal() const { return kind >= Kind::kLiteral; }

  // The N-Triples form, e.g. `<http://x>`, `"abc"@en`, `"5"^^<...#integer>`.
  std::string ToNTriples() const;

  friend bool operator==(const Term& a, const Term& b) {
    return a.kind == b.kind && a.value == b.value && a.extra == b.extra;
  }
  friend bool operator<(const Term& a, const Term& b) {
    return std::tie(a.kind, a.value, a.extra) <
           std::tie(b.kind, b.value, b.extra);
  }
};

struct Triple {
  Term s, p, o;
  friend bool operator==(const Triple&, const Triple&) = default;
  friend bool operator<(const Triple& a, const Triple& b) {
    return std::tie(a.s, a.p, a.o) < std::tie(b.s, b.p, b.o);
  }
};

struct Quad {
  Term s, p, o, g;
  friend bool operator==(const Quad&, const Quad&) = default;
};

// Encodes a term as its dictionary key. Byte format (persistent):
//   term    := kind:u8 payload
//   IRI, blank, simple literal: payload := utf8 bytes
//   lang literal:  payload := lang_len:u8 lang lexical
//   typed literal: payload := dt_len:varint32 datatype lexical
std::string EncodeTerm(const Term& term);
// EncodeTerm into `out` (its buffer reused).
void EncodeTermTo(const Term& term, std::string* out);
// Decodes what EncodeTerm wrote. Returns false on malformed input.
bool DecodeTerm(std::string_view bytes, Term* term);

}  // namespace bibkg::store

#endif  // BIBKG_STORE_TERM_H_
