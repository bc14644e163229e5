// Text helpers shared by the parsers: Unicode normalization for match keys,
// stable minted IRIs, language codes and language guessing.
#ifndef BIBKG_TEXT_NORMALIZE_H_
#define BIBKG_TEXT_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace bibkg::text {

// A key under which two spellings of one title meet: Unicode compatibility
// decomposition, diacritics removed, case folded, every run of
// non-alphanumeric characters one space. "Socitm: Traditional ‘unsustainable’"
// and "socitm traditional unsustainable" give the same key.
std::string MatchKey(std::string_view text);

// A stable IRI for a node without an identifier of its own:
// https://w3id.org/bibkg/id/<kind>/<32 hex digits of XXH3-128(key)>.
std::string MintIri(std::string_view kind, std::string_view key);

// The IRI of a work with a DOI: https://doi.org/<normalized DOI>, with the
// characters an IRI may not hold percent-encoded (SICI DOIs carry < and >).
std::string DoiIri(std::string_view normalized_doi);

// Percent-encodes what may not stand in an IRI (controls, space, <>"{}|\^`
// and also % and #), so that any text can be part of an IRI.
std::string IriEscape(std::string_view text);

// Unicode NFC (composed) form of UTF-8 `text`; ASCII is returned as is.
std::string Nfc(std::string_view text);

// The byte offset of the first invalid UTF-8 sequence, or npos.
size_t FindInvalidUtf8(std::string_view text);

// Collapses runs of white space (also non-breaking) to one space and trims.
std::string CollapseSpace(std::string_view text);

// The two-letter ISO 639-1 code for a three-letter ISO 639-2 code ("eng" ->
// "en", "ger"/"deu" -> "de", "nob" -> "nb"); a two-letter code is returned as
// is; empty when unknown.
std::string ToIso639_1(std::string_view code);

// Guesses the language of `text` (BCP 47 tag such as "en", "de", "nb", "nn")
// with libexttextcat's n-gram models, restricted to `candidates` when not
// empty. Empty when the text is too short or the guess is not clear.
// Thread-safe.
std::string GuessLanguage(std::string_view text,
                          const std::vector<std::string>& candidates = {});

}  // namespace bibkg::text

#endif  // BIBKG_TEXT_NORMALIZE_H_
