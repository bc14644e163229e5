#include "text/analysis.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <map>
#include <memory>

#include "absl/container/flat_hash_map.h"
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
  auto it = kAlgorithms.find(lang.substr(0, lang.find('-')));
  return it == kAlgorithms.end() ? nullptr : it->second;
}

// Stemmers keep state: one set per thread, each with the stems it made.
// Words follow Zipf's law, so most are stemmed once; the memo is dropped
// whole when it grows past its bound.
class Stemmers {
 public:
  ~Stemmers() {
    for (auto& [name, s] : by_algorithm_) sb_stemmer_delete(s.stemmer);
  }
  std::string Stem(const char* algorithm, std::string_view w) {
    Algorithm* a = Get(algorithm);
    if (a->stemmer == nullptr) return std::string(w);
    auto it = a->memo.find(absl::string_view(w.data(), w.size()));
    if (it != a->memo.end()) return it->second;
    const sb_symbol* out = sb_stemmer_stem(
        a->stemmer, reinterpret_cast<const sb_symbol*>(w.data()),
        static_cast<int>(w.size()));
    if (out == nullptr) return std::string(w);
    std::string stem(reinterpret_cast<const char*>(out),
                     sb_stemmer_length(a->stemmer));
    if (a->memo.size() >= kMemoWords) a->memo.clear();
    a->memo.emplace(w, stem);
    return stem;
  }

 private:
  static constexpr size_t kMemoWords = 1 << 18;
  struct Algorithm {
    sb_stemmer* stemmer = nullptr;
    absl::flat_hash_map<std::string, std::string> memo;
  };
  Algorithm* Get(const char* algorithm) {
    auto it = by_algorithm_.find(algorithm);
    if (it != by_algorithm_.end()) return &it->second;
    Algorithm& a = by_algorithm_[algorithm];
    a.stemmer = sb_stemmer_new(algorithm, "UTF_8");
    return &a;
  }
  // Keyed by the algorithm's name, a static string.
  absl::flat_hash_map<const char*, Algorithm> by_algorithm_;
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
  // The iterator walks the UTF-8 text in place: its boundaries are byte
  // offsets. Invalid bytes read as U+FFFD, as a conversion would make them.
  UText* ut = utext_openUTF8(nullptr, text.data(),
                             static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return out;
  words->setText(ut, status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    return out;
  }
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    int32_t rule = words->getRuleStatus();
    // Letters and numbers; not spaces or punctuation.
    if (rule < UBRK_WORD_NUMBER) continue;
    std::string_view token = text.substr(start, end - start);
    // NFKC_Casefold maps ASCII to itself but for A-Z, which it lowercases.
    if (std::all_of(token.begin(), token.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x80;
        })) {
      std::string& w = out.emplace_back(token);
      for (char& c : w) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      continue;
    }
    icu::UnicodeString word =
        fold->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                            token.data(), static_cast<int32_t>(token.size()))),
                        status);
    if (U_FAILURE(status)) break;
    std::string utf8;
    word.toUTF8String(utf8);
    out.push_back(std::move(utf8));
  }
  // The iterator holds a shallow clone of `ut`, unused until the next text.
  utext_close(ut);
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
  return kStop.contains(absl::string_view(w.data(), w.size()));
}

std::string Stem(std::string_view w, std::string_view lang) {
  const char* algorithm = SnowballAlgorithm(lang);
  if (algorithm == nullptr) return std::string(w);
  thread_local Stemmers stemmers;
  return stemmers.Stem(algorithm, w);
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
