#include "indexer/readers/latex.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "text/normalize.h"

namespace bibkg::indexer {

namespace {

// Combining marks for LaTeX accent commands.
const char* CombiningMark(char accent) {
  switch (accent) {
    case '"':
      return "\xCC\x88";  // U+0308 diaeresis
    case '\'':
      return "\xCC\x81";  // U+0301 acute
    case '`':
      return "\xCC\x80";  // U+0300 grave
    case '^':
      return "\xCC\x82";  // U+0302 circumflex
    case '~':
      return "\xCC\x83";  // U+0303 tilde
    case '=':
      return "\xCC\x84";  // U+0304 macron
    case '.':
      return "\xCC\x87";  // U+0307 dot above
    case 'u':
      return "\xCC\x86";  // U+0306 breve
    case 'v':
      return "\xCC\x8C";  // U+030C caron
    case 'H':
      return "\xCC\x8B";  // U+030B double acute
    case 'c':
      return "\xCC\xA7";  // U+0327 cedilla
    case 'k':
      return "\xCC\xA8";  // U+0328 ogonek
    case 'r':
      return "\xCC\x8A";  // U+030A ring above
    case 'd':
      return "\xCC\xA3";  // U+0323 dot below
    case 'b':
      return "\xCC\xB1";  // U+0331 macron below
    default:
      return nullptr;
  }
}

// Letters written as commands.
const char* SpecialLetter(std::string_view cmd) {
  static const std::pair<const char*, const char*> kLetters[] = {
      {"ss", "ß"},
      {"o", "ø"},
      {"O", "Ø"},
      {"aa", "å"},
      {"AA", "Å"},
      {"ae", "æ"},
      {"AE", "Æ"},
      {"oe", "œ"},
      {"OE", "Œ"},
      {"l", "ł"},
      {"L", "Ł"},
      {"i", "ı"},
      {"j", "ȷ"},
      {"dh", "ð"},
      {"DH", "Ð"},
      {"th", "þ"},
      {"TH", "Þ"},
      {"ng", "ŋ"},
      {"NG", "Ŋ"},
      {"S", "§"},
      {"P", "¶"},
      {"copyright", "©"},
      {"pounds", "£"},
      {"dag", "†"},
      {"textendash", "–"},
      {"textemdash", "—"},
      {"ldots", "…"},
      {"dots", "…"},
      {"textquoteright", "’"},
      {"textquoteleft", "‘"},
      {"euro", "€"},
      {"textregistered", "®"},
      {"LaTeX", "LaTeX"},
      {"TeX", "TeX"},
  };
  for (const auto& [name, text] : kLetters) {
    if (cmd == name) return text;
  }
  return nullptr;
}

}  // namespace

std::string LatexToUnicode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  // Reads one argument: {group} or a single character (after spaces).
  auto argument = [&](size_t* pos) -> std::string {
    size_t p = *pos;
    while (p < in.size() && in[p] == ' ') ++p;
    if (p >= in.size()) {
      *pos = p;
      return "";
    }
    if (in[p] == '{') {
      int depth = 0;
      size_t start = p + 1;
      for (; p < in.size(); ++p) {
        if (in[p] == '{') ++depth;
        if (in[p] == '}' && --depth == 0) break;
      }
      *pos = std::min(p + 1, in.size());
      std::string_view inner = in.substr(start, p - start);
      if (inner == "\\i" || inner == "\\j") return std::string(inner.substr(1));
      return LatexToUnicode(inner);
    }
    if (in[p] == '\\') {
      // \"\i: a command as the argument.
      size_t q = p + 1;
      while (q < in.size() && std::isalpha(static_cast<unsigned char>(in[q])))
        ++q;
      std::string_view cmd = in.substr(p + 1, q - p - 1);
      *pos = q;
      if (const char* l = SpecialLetter(cmd)) {
        return cmd == "i" ? "i" : cmd == "j" ? "j" : l;
      }
      return "";
    }
    // One UTF-8 character.
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(in[p]);
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    *pos = std::min(p + len, in.size());
    return std::string(in.substr(p, len));
  };
  while (i < in.size()) {
    char c = in[i];
    if (c == '{' || c == '}') {
      ++i;
    } else if (c == '~') {
      out += ' ';
      ++i;
    } else if (c == '$') {
      ++i;  // math shift: keep the content
    } else if (c == '-' && in.substr(i).starts_with("---")) {
      out += "—";
      i += 3;
    } else if (c == '-' && in.substr(i).starts_with("--")) {
      out += "–";
      i += 2;
    } else if (c == '\\' && i + 1 < in.size()) {
      char n = in[i + 1];
      if (std::string_view("&%$#_{}").find(n) != std::string_view::npos) {
        out += n;
        i += 2;
        continue;
      }
      if (n == '\\') {
        out += ' ';
        i += 2;
        continue;
      }
      size_t j = i + 1;
      if (std::isalpha(static_cast<unsigned char>(n))) {
        while (j < in.size() && std::isalpha(static_cast<unsigned char>(in[j])))
          ++j;
      } else {
        ++j;  // a one-character command: \" \' \^ ...
      }
      std::string_view cmd = in.substr(i + 1, j - i - 1);
      const char* mark = cmd.size() == 1 ? CombiningMark(cmd[0]) : nullptr;
      if (mark) {
        std::string base = argument(&j);
        out += base;
        out += mark;
        i = j;
      } else if (const char* l = SpecialLetter(cmd)) {
        out += l;
        // "\ss{}" and "\o " end the command.
        if (j < in.size() && in[j] == ' ') ++j;
        if (in.substr(j).starts_with("{}")) j += 2;
        i = j;
      } else {
        // \emph{x}, \textbf{x}, unknown commands: keep the argument text.
        i = j;
        if (j < in.size() && in[j] == ' ') i = j + 1;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return text::Nfc(text::CollapseSpace(out));
}

}  // namespace bibkg::indexer
