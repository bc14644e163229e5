#include "text/normalize.h"

#include <libexttextcat/textcat.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <xxhash.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"

#ifndef BIBKG_TEXTCAT_DIR
#define BIBKG_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

namespace bibkg::text {

std::string MatchKey(std::string_view text) {
  // ASCII needs no normalization: lower case, runs of anything else than
  // letters and digits one space (what the Unicode path gives for ASCII).
  bool ascii = true;
  for (unsigned char c : text) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (unsigned char c : text) {
      if (std::isalnum(c)) {
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out.push_back(static_cast<char>(std::tolower(c)));
      } else {
        pending_space = true;
      }
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* fold =
      icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString decomposed = nfkd->normalize(in, status);
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    stripped.append(c);
  }
  icu::UnicodeString folded = fold->normalize(stripped, status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalnum(c)) {
      if (pending_space && !out.isEmpty()) out.append(UChar32(' '));
      pending_space = false;
      out.append(c);
    } else {
      pending_space = true;
    }
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::string MintIri(std::string_view kind, std::string_view key) {
  XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  return absl::StrFormat("https://w3id.org/bibkg/id/%s/%016x%016x",
                         std::string(kind), h.high64, h.low64);
}

std::string IriEscape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`' || c == '%' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string Nfc(std::string_view text) {
  bool ascii = true;
  for (unsigned char c : text) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString out = nfc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string result;
  out.toUTF8String(result);
  return result;
}

size_t FindInvalidUtf8(std::string_view text) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::string_view::npos;
}

std::string CollapseSpace(std::string_view text) {
  // ASCII space characters as std::isspace has them in the C locale.
  auto ascii_space = [](unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  };
  std::string out;
  out.reserve(text.size());
  bool space = false;
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool is_space = ascii_space(c);
    if (c == 0xC2 && i + 1 < n &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      is_space = true;
      ++i;
    }
    if (is_space) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    // The run of ordinary bytes up to the next candidate space, at once.
    size_t j = i + 1;
    while (j < n) {
      unsigned char d = static_cast<unsigned char>(text[j]);
      if (ascii_space(d) || d == 0xC2) break;
      ++j;
    }
    out.append(text.data() + i, j - i);
    i = j - 1;
  }
  return out;
}

std::string ToIso639_1(std::string_view code) {
  std::string lower;
  for (char c : code) lower.push_back(static_cast<char>(std::tolower(c)));
  if (lower.size() == 2) return lower;
  // ISO 639-2/B codes that differ from the /T codes ICU knows.
  static const absl::flat_hash_map<std::string, std::string> kBibliographic = {
      {"ger", "de"}, {"fre", "fr"}, {"dut", "nl"}, {"chi", "zh"}, {"cze", "cs"},
      {"gre", "el"}, {"per", "fa"}, {"rum", "ro"}, {"slo", "sk"}, {"wel", "cy"},
      {"ice", "is"}, {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"geo", "ka"},
      {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"}, {"tib", "bo"}, {"alb", "sq"},
      {"nor", "no"}};
  if (auto it = kBibliographic.find(lower); it != kBibliographic.end()) {
    return it->second;
  }
  static const absl::flat_hash_map<std::string, std::string> kFromIcu = [] {
    absl::flat_hash_map<std::string, std::string> m;
    for (const char* const* l = uloc_getISOLanguages(); *l != nullptr; ++l) {
      if (std::strlen(*l) != 2) continue;
      const char* three = uloc_getISO3Language(*l);
      if (three != nullptr && *three != '\0') m.emplace(three, *l);
    }
    return m;
  }();
  if (auto it = kFromIcu.find(lower); it != kFromIcu.end()) return it->second;
  return "";
}

namespace {

class Guesser {
 public:
  Guesser() {
    std::string conf = std::string(BIBKG_TEXTCAT_DIR) + "/fpdb.conf";
    handle_ = special_textcat_Init(conf.c_str(), BIBKG_TEXTCAT_DIR "/");
  }
  ~Guesser() {
    if (handle_ != nullptr) textcat_Done(handle_);
  }
  // "[en][de]" style answer, or empty.
  std::string Classify(std::string_view text) {
    if (handle_ == nullptr) return "";
    std::lock_guard<std::mutex> lock(mu_);
    const char* r = textcat_Classify(handle_, text.data(), text.size());
    return r == nullptr ? "" : r;
  }

 private:
  std::mutex mu_;
  void* handle_ = nullptr;
};

}  // namespace

std::string GuessLanguage(std::string_view text,
                          const std::vector<std::string>& candidates) {
  // Below this many bytes the n-gram statistics say nothing useful.
  if (text.size() < 16) return "";
  static Guesser* guesser = new Guesser();
  std::string answer = guesser->Classify(text);
  if (answer.empty() || answer[0] != '[') return "";
  // The answer lists the plausible languages, best first.
  std::vector<std::string> langs;
  for (size_t i = 0; i < answer.size();) {
    size_t close = answer.find(']', i);
    if (answer[i] != '[' || close == std::string::npos) break;
    std::string name = answer.substr(i + 1, close - i - 1);
    // Model names carry their encoding: "en--utf8".
    if (size_t dash = name.find("--"); dash != std::string::npos)
      name.resize(dash);
    langs.push_back(name);
    i = close + 1;
  }
  for (const std::string& l : langs) {
    if (candidates.empty()) return langs.size() <= 2 ? l : "";
    for (const std::string& c : candidates) {
      if (c == l) return l;
    }
  }
  return "";
}

std::string DoiIri(std::string_view normalized_doi) {
  return "https://doi.org/" + IriEscape(normalized_doi);
}

}  // namespace bibkg::text
