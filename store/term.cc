#include "store/term.h"

#include <cctype>

#include "base/varint.h"

namespace bibkg::store {
namespace {

bool ReadVarint32(std::string_view* in, uint32_t* v) {
  uint64_t wide = 0;
  if (!ReadVarint(in, &wide) || wide > UINT32_MAX) return false;
  *v = static_cast<uint32_t>(wide);
  return true;
}

// Escapes per the N-Triples grammar (ECHAR and UCHAR for controls).
void AppendEscaped(std::string* out, std::string_view s, bool iri) {
  for (unsigned char c : s) {
    if (!iri) {
      switch (c) {
        case '"':
          *out += "\\\"";
          continue;
        case '\\':
          *out += "\\\\";
          continue;
        case '\n':
          *out += "\\n";
          continue;
        case '\r':
          *out += "\\r";
          continue;
        case '\t':
          *out += "\\t";
          continue;
        default:
          break;
      }
    } else if (c == '>' || c == '<' || c == '"' || c == '{' || c == '}' ||
               c == '|' || c == '^' || c == '`' || c == '\\' || c == ' ') {
      char buf[12];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      *out += buf;
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      char buf[12];
      std::snprintf(buf, sizeof buf, "\\u%04X", c);
      *out += buf;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

}  // namespace

Term Term::LangLiteral(std::string lexical, std::string_view lang) {
  std::string lower(lang);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return {Kind::kLangLiteral, std::move(lexical), std::move(lower)};
}

Term Term::Typed(std::string lexical, std::string datatype) {
  if (datatype == kXsdString) return Literal(std::move(lexical));
  return {Kind::kTypedLiteral, std::move(lexical), std::move(datatype)};
}

std::string Term::ToNTriples() const {
  std::string out;
  switch (kind) {
    case Kind::kIri:
      out.push_back('<');
      AppendEscaped(&out, value, /*iri=*/true);
      out.push_back('>');
      break;
    case Kind::kBlank:
      out = "_:" + value;
      break;
    case Kind::kLiteral:
    case Kind::kLangLiteral:
    case Kind::kTypedLiteral:
      out.push_back('"');
      AppendEscaped(&out, value, /*iri=*/false);
      out.push_back('"');
      if (kind == Kind::kLangLiteral) {
        out += "@" + extra;
      } else if (kind == Kind::kTypedLiteral) {
        out += "^^<";
        AppendEscaped(&out, extra, /*iri=*/true);
        out += ">";
      }
      break;
  }
  return out;
}

void EncodeTermTo(const Term& term, std::string* out) {
  out->clear();
  out->reserve(term.value.size() + term.extra.size() + 3);
  out->push_back(static_cast<char>(term.kind));
  if (term.kind == Term::Kind::kLangLiteral) {
    out->push_back(static_cast<char>(term.extra.size()));
    *out += term.extra;
  } else if (term.kind == Term::Kind::kTypedLiteral) {
    AppendVarint(out, static_cast<uint32_t>(term.extra.size()));
    *out += term.extra;
  }
  *out += term.value;
}

std::string EncodeTerm(const Term& term) {
  std::string out;
  EncodeTermTo(term, &out);
  return out;
}

bool DecodeTerm(std::string_view bytes, Term* term) {
  if (bytes.empty()) return false;
  uint8_t kind = static_cast<uint8_t>(bytes.front());
  bytes.remove_prefix(1);
  term->extra.clear();
  switch (kind) {
    case 1:
    case 2:
    case 3:
      break;
    case 4: {
      if (bytes.empty()) return false;
      size_t n = static_cast<uint8_t>(bytes.front());
      bytes.remove_prefix(1);
      if (bytes.size() < n) return false;
      term->extra.assign(bytes.substr(0, n));
      bytes.remove_prefix(n);
      break;
    }
    case 5: {
      uint32_t n;
      if (!ReadVarint32(&bytes, &n) || bytes.size() < n) return false;
      term->extra.assign(bytes.substr(0, n));
      bytes.remove_prefix(n);
      break;
    }
    default:
      return false;
  }
  term->kind = static_cast<Term::Kind>(kind);
  term->value.assign(bytes);
  return true;
}

}  // namespace bibkg::store
