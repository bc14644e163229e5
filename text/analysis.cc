#include "text/analysis.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>

#include "absl/container/flat_hash_set.h"

namespace bibkg::text {
namespace {

const char* SnowballAlgorithm(std::string_view lang) {
  static const std::map<std::string, const char*, std::less<>> kAlgorithms = {
      {"en", "english"},    {"nb", "norwegian"}, {"nn", "norwegian"},
      {"no", "norwegian"},  {"de", "german"},    {"da", "danish"},
      {"sv", "swedish"},    {"fr", "french"},    {"es", "spanish"},
      {"nl", "dutch"},      {"fi", "finnish"},   {"it", "italian"},
      {"pt", "portuguese"}, {"ru", "russian"}};
  std::string primary(lang.substr(0, lang.find('-')));
  auto it = kAlgorithms.find(primary);
  return it == kAlgorithms.end() ? nullptr : it->second;
}

// Stemmers keep state: one set per thread.
struct Stemmers {
  std::map<std::string, sb_stemmer*> by_algorithm;
  ~Stemmers() {
    for (auto& [name, s] : by_algorithm) sb_stemmer_delete(s);
  }
  sb_stemmer* Get(const char* algorithm) {
    auto it = by_algorithm.find(algorithm);
    if (it != by_algorithm.end()) return it->second;
    sb_stemmer* s = sb_stemmer_new(algorithm, "UTF_8");
    by_algorithm.emplace(algorithm, s);
    return s;
  }
};

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  UErrorCode status = U_ZERO_ERROR;
  thread_local std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  const icu::Normalizer2* fold =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (!words || U_FAILURE(status)) return out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  words->setText(u);
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    int32_t rule = words->getRuleStatus();
    // Letters and numbers; not spaces or punctuation.
    if (rule < UBRK_WORD_NUMBER) continue;
    icu::UnicodeString word =
        fold->normalize(u.tempSubStringBetween(start, end), status);
    if (U_FAILURE(status)) return out;
    std::string utf8;
    word.toUTF8String(utf8);
    out.push_back(std::move(utf8));
  }
  return out;
}

bool IsStopWord(std::string_view w) {
  static const absl::flat_hash_set<std::string> kStop = {
      // English
      "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can",
      "do", "does", "for", "from", "has", "have", "how", "i", "if", "in",
      "into", "is", "it", "its", "may", "more", "most", "not", "of", "on", "or",
      "our", "so", "such", "than", "that", "the", "their", "them", "then",
      "there", "these", "they", "this", "those", "through", "to", "up", "was",
      "we", "were", "what", "when", "where", "which", "while", "who", "why",
      "will", "with", "would", "you", "your", "also", "all", "any", "each",
      "other", "some", "about", "over", "under", "between", "both", "just",
      "only", "very", "s",
      // Norwegian (bokmål and nynorsk)
      "og", "i", "av", "til", "som", "er", "det", "den", "de", "en", "et", "ei",
      "for", "med", "på", "har", "ikkje", "ikke", "om", "seg", "sin", "sitt",
      "sine", "var", "vil", "skal", "kan", "at", "da", "der", "her", "eller",
      "men", "fra", "frå", "ut", "opp", "så", "jeg", "vi", "dei", "dette",
      "denne", "disse", "hvordan", "korleis", "også", "òg", "blir", "bli",
      "være", "vere", "mot", "etter", "under", "over", "inn", "mellom", "slik",
      // German
      "und", "der", "die", "das", "ein", "eine", "einer", "eines", "einem",
      "einen", "zu", "von", "mit", "auf", "für", "ist", "im", "dem", "den",
      "des", "sich", "nicht", "als", "auch", "es", "an", "aus", "bei", "nach",
      "oder", "wie", "sie", "wird", "werden", "zum", "zur", "über", "dass",
      "sind", "wurde", "durch", "am", "um"};
  return kStop.contains(std::string(w));
}

std::string Stem(std::string_view w, std::string_view lang) {
  const char* algorithm = SnowballAlgorithm(lang);
  if (algorithm == nullptr) return std::string(w);
  thread_local Stemmers stemmers;
  sb_stemmer* s = stemmers.Get(algorithm);
  if (s == nullptr) return std::string(w);
  const sb_symbol* out =
      sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(w.data()),
                      static_cast<int>(w.size()));
  if (out == nullptr) return std::string(w);
  return std::string(reinterpret_cast<const char*>(out), sb_stemmer_length(s));
}

const std::vector<std::string>& QueryLanguages() {
  static const std::vector<std::string> kLangs = {"en", "nb", "de"};
  return kLangs;
}

std::vector<std::string> IndexTerms(std::string_view text,
                                    std::string_view lang) {
  std::vector<std::string> out;
  for (std::string& t : Tokenize(text)) {
    if (IsStopWord(t)) continue;
    out.push_back(Stem(t, lang));
  }
  return out;
}

}  // namespace bibkg::text
