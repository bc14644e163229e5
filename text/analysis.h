// Text analysis for the topic index: word tokens (ICU word boundaries,
// case-folded), stop words, and Snowball stemming by language. Import and
// query use the same functions, so that words meet.
#ifndef BIBKG_TEXT_ANALYSIS_H_
#define BIBKG_TEXT_ANALYSIS_H_

#include <string>
#include <string_view>
#include <vector>

namespace bibkg::text {

// The words of `text`, Unicode case-folded (NFKC_Casefold), without
// punctuation. Thread-safe.
std::vector<std::string> Tokenize(std::string_view text);

// True for very common words of English, Norwegian and German, which carry no
// topic.
bool IsStopWord(std::string_view folded_word);

// The Snowball stem of a folded word in `lang` (BCP 47: en, nb, nn, no, de,
// da, sv, fr, es, nl, fi, it, pt, ru); the word itself for other languages or
// an empty tag. Thread-safe.
std::string Stem(std::string_view folded_word, std::string_view lang);

// The languages whose stems a query is expanded to when it names none.
const std::vector<std::string>& QueryLanguages();

// The index terms of `text`: tokens without stop words, stemmed in `lang`.
std::vector<std::string> IndexTerms(std::string_view text,
                                    std::string_view lang);

}  // namespace bibkg::text

#endif  // BIBKG_TEXT_ANALYSIS_H_
