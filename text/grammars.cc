#include "text/grammars.h"

#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/strings.h"

namespace bibkg::text {
namespace x3 = boost::spirit::x3;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Non-breaking and thin spaces become plain spaces, en and em dashes become
// hyphens, so that the grammars below deal with ASCII punctuation only.
std::string FoldPunctuation(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    auto rest = in.substr(i);
    if (rest.starts_with("\xC2\xA0")) {
      out.push_back(' ');
      i += 1;
    } else if (rest.starts_with("\xE2\x80\xAF") ||
               rest.starts_with("\xE2\x80\x89")) {
      out.push_back(' ');
      i += 2;
    } else if (rest.starts_with("\xE2\x80\x93") ||
               rest.starts_with("\xE2\x80\x94")) {
      out.push_back('-');
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// ISSN: NNNN-NNNC, the hyphen optional or a space; C a digit or X.
const auto issn_rule = x3::repeat(4)[x3::digit] >> x3::omit[-x3::char_("- ")] >>
                       x3::repeat(3)[x3::digit] >> x3::char_("0-9xX");

Issn MakeIssn(const std::string& eight) {
  Issn out;
  std::string digits = absl::AsciiStrToUpper(eight);
  out.normalized = digits.substr(0, 4) + "-" + digits.substr(4);
  int sum = 0;
  for (int i = 0; i < 7; ++i) sum += (digits[i] - '0') * (8 - i);
  int check = (11 - sum % 11) % 11;
  char expected = check == 10 ? 'X' : static_cast<char>('0' + check);
  out.check_digit_ok = digits[7] == expected;
  return out;
}

struct MonthNames : x3::symbols<int> {
  MonthNames() {
    // English, German and Norwegian (bokmål and nynorsk share these), full
    // and abbreviated; matched without regard to ASCII case.
    const char* names[12][8] = {
        {"january", "januar", "jan", nullptr},
        {"february", "februar", "feb", nullptr},
        {"march", "märz", "maerz", "mars", "mär", "mar", nullptr},
        {"april", "apr", nullptr},
        {"may", "mai", nullptr},
        {"june", "juni", "jun", nullptr},
        {"july", "juli", "jul", nullptr},
        {"august", "aug", nullptr},
        {"september", "sept", "sep", nullptr},
        {"october", "oktober", "okt", "oct", nullptr},
        {"november", "nov", nullptr},
        {"december", "dezember", "desember", "dez", "des", "dec", nullptr}};
    for (int m = 0; m < 12; ++m) {
      for (int k = 0; names[m][k] != nullptr; ++k) add(names[m][k], m + 1);
    }
  }
};
const MonthNames kMonths;

const x3::uint_parser<int, 10, 4, 4> year4;
const x3::uint_parser<int, 10, 1, 2> num12;
const x3::uint_parser<int, 10, 2, 2> num2;

bool ValidDate(const Date& d) {
  if (d.year < 1000 || d.year > 2999) return false;
  if (d.month == 0) return d.day == 0;
  if (d.month < 1 || d.month > 12) return false;
  if (d.day == 0) return true;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.day < 1 || d.day > kDays[d.month - 1]) return false;
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  return !(d.month == 2 && d.day == 29 && !leap);
}

}  // namespace

absl::StatusOr<Issn> ParseIssn(std::string_view text) {
  std::string_view t = Trim(text);
  std::string digits;
  auto first = t.begin();
  if (!x3::parse(first, t.end(), issn_rule, digits) || first != t.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an ISSN: \"", std::string(text), "\""));
  }
  return MakeIssn(digits);
}

std::vector<Issn> FindIssns(std::string_view text) {
  std::vector<Issn> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && IsAlnum(text[i - 1])) continue;
    auto first = text.begin() + i;
    std::string digits;
    if (x3::parse(first, text.end(), issn_rule, digits) &&
        (first == text.end() || !IsAlnum(*first))) {
      out.push_back(MakeIssn(digits));
      i = static_cast<size_t>(first - text.begin());
    }
  }
  return out;
}

namespace {

// ISBN: 9 digits then a digit or X (ISBN-10), or 13 digits (ISBN-13), with
// hyphens or single spaces between groups.
const auto isbn_digit = x3::omit[-x3::char_("- ")] >> x3::digit;
const auto isbn13_rule = x3::digit >> x3::repeat(12)[isbn_digit];
const auto isbn10_rule = x3::digit >> x3::repeat(8)[isbn_digit] >>
                         x3::omit[-x3::char_("- ")] >> x3::char_("0-9xX");

bool Isbn10CheckOk(const std::string& d) {
  int sum = 0;
  for (int i = 0; i < 10; ++i) {
    int v = (i == 9 && (d[i] == 'X' || d[i] == 'x')) ? 10 : d[i] - '0';
    sum += v * (10 - i);
  }
  return sum % 11 == 0;
}

char Isbn13Check(std::string_view twelve) {
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (twelve[i] - '0') * (i % 2 ? 3 : 1);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace

absl::StatusOr<Isbn> ParseIsbn(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && IsAlnum(text[i - 1])) continue;
    auto begin = text.begin() + i;
    std::string digits;
    auto first = begin;
    if (x3::parse(first, text.end(), isbn13_rule, digits) &&
        (first == text.end() || !IsAlnum(*first))) {
      Isbn out;
      out.as_written = digits;
      out.check_digit_ok =
          Isbn13Check(digits) == digits[12] &&
          (digits.starts_with("978") || digits.starts_with("979"));
      if (out.check_digit_ok) out.isbn13 = digits;
      return out;
    }
    digits.clear();
    first = begin;
    if (x3::parse(first, text.end(), isbn10_rule, digits) &&
        (first == text.end() || !IsAlnum(*first))) {
      Isbn out;
      out.as_written = absl::AsciiStrToUpper(digits);
      out.check_digit_ok = Isbn10CheckOk(out.as_written);
      if (out.check_digit_ok) {
        std::string twelve = "978" + out.as_written.substr(0, 9);
        out.isbn13 = twelve + Isbn13Check(twelve);
      }
      return out;
    }
    // Skip the rest of this number.
    while (i + 1 < text.size() && IsAlnum(text[i + 1])) ++i;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("no ISBN in \"", std::string(text), "\""));
}

absl::StatusOr<std::string> ParseOrcid(std::string_view text) {
  std::string_view t = Trim(text);
  for (std::string_view prefix :
       {"https://orcid.org/", "http://orcid.org/", "orcid.org/", "(orcid)",
        "(ORCID)", "ORCID:", "orcid:"}) {
    if (t.starts_with(prefix)) {
      t = Trim(t.substr(prefix.size()));
      break;
    }
  }
  const auto group = x3::repeat(4)[x3::digit];
  const auto rule = group >> '-' >> group >> '-' >> group >> '-' >>
                    x3::repeat(3)[x3::digit] >> x3::char_("0-9X");
  std::string digits;
  auto first = t.begin();
  if (!x3::parse(first, t.end(), rule, digits) || first != t.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an ORCID iD: \"", std::string(text), "\""));
  }
  int total = 0;
  for (int i = 0; i < 15; ++i) total = (total + (digits[i] - '0')) * 2;
  int check = (12 - total % 11) % 11;
  char expected = check == 10 ? 'X' : static_cast<char>('0' + check);
  if (digits[15] != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ORCID iD \"", std::string(t), "\" has a wrong check digit"));
  }
  return absl::StrCat(digits.substr(0, 4), "-", digits.substr(4, 4), "-",
                      digits.substr(8, 4), "-", digits.substr(12, 4));
}

absl::StatusOr<std::string> NormalizeDoi(std::string_view text) {
  std::string_view t = Trim(text);
  std::string lower = absl::AsciiStrToLower(std::string(t));
  for (std::string_view prefix :
       {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
        "http://dx.doi.org/", "doi.org/", "doi:", "doi "}) {
    if (std::string_view(lower).starts_with(prefix)) {
      lower = std::string(Trim(std::string_view(lower).substr(prefix.size())));
      break;
    }
  }
  // Sentence punctuation after a DOI is not part of it; a closing parenthesis
  // is, when it closes one opened inside the DOI.
  while (!lower.empty()) {
    char c = lower.back();
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '"' || c == '\'') {
      lower.pop_back();
    } else if (c == ')' && std::count(lower.begin(), lower.end(), '(') <
                               std::count(lower.begin(), lower.end(), ')')) {
      lower.pop_back();
    } else {
      break;
    }
  }
  auto rule = x3::lit("10.") >> +x3::digit >> *(x3::lit('.') >> +x3::digit) >>
              x3::lit('/') >> +(x3::char_ - x3::space);
  auto first = lower.cbegin();
  if (!x3::parse(first, lower.cend(), rule) || first != lower.cend()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a DOI: \"", std::string(text), "\""));
  }
  return lower;
}

std::string Date::Iso() const {
  if (month == 0) return absl::StrFormat("%04d", year);
  if (day == 0) return absl::StrFormat("%04d-%02d", year, month);
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

std::string Date::XsdType() const {
  const char* xsd = "http://www.w3.org/2001/XMLSchema#";
  if (month == 0) return absl::StrCat(xsd, "gYear");
  if (day == 0) return absl::StrCat(xsd, "gYearMonth");
  return absl::StrCat(xsd, "date");
}

absl::StatusOr<Date> ParseDate(std::string_view text) {
  // Lower-cased here (ASCII only) so that the month table needs no no_case,
  // which does not handle the bytes of "März".
  std::string folded = base::AsciiLower(FoldPunctuation(Trim(text)));
  Date d;
  bool zero_month = false;
  auto set_y = [&](auto& ctx) { d.year = x3::_attr(ctx); };
  auto set_m = [&](auto& ctx) {
    d.month = x3::_attr(ctx);
    zero_month = d.month == 0;
  };
  auto set_d = [&](auto& ctx) { d.day = x3::_attr(ctx); };
  // Semantic actions of a failed alternative leave their values behind:
  // each alternative starts from an empty date.
  auto start = x3::eps[([&](auto&) {
    d = Date();
    zero_month = false;
  })];
  auto iso = year4[set_y] >>
             -(x3::lit('-') >> num2[set_m] >> -(x3::lit('-') >> num2[set_d]));
  auto month = kMonths[set_m] >> -x3::lit('.');
  auto day_first = num12[set_d] >> -x3::lit('.') >> month >> year4[set_y];
  auto month_first = month >> num12[set_d] >> -x3::lit(',') >> year4[set_y];
  auto month_year = month >> year4[set_y];
  auto first = folded.cbegin();
  bool ok = x3::phrase_parse(first, folded.cend(),
                             (start >> iso | start >> day_first |
                              start >> month_first | start >> month_year) >>
                                 x3::eoi,
                             x3::space);
  if (!ok) {
    // Alternatives may have filled fields before failing.
    return absl::InvalidArgumentError(
        absl::StrCat("not a date: \"", std::string(text), "\""));
  }
  if (zero_month || !ValidDate(d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("impossible date: \"", std::string(text), "\""));
  }
  return d;
}

absl::StatusOr<Enumeration> ParseEnumeration(std::string_view text) {
  std::string folded = FoldPunctuation(Trim(text));
  Enumeration e;
  auto token = x3::lexeme[+x3::char_("a-zA-Z0-9/")];
  auto page = x3::lexeme[+x3::char_("a-zA-Z0-9")];
  auto set = [](std::string* field) {
    return [field](auto& ctx) { *field = x3::_attr(ctx); };
  };
  auto set_year = [&](auto& ctx) { e.year = x3::_attr(ctx); };
  auto vol_kw =
      x3::no_case[x3::lit("volume") | "vol." | "vol" | "bd." | "jg." | "v."];
  auto issue_kw = x3::no_case[x3::lit("issue") | "iss." | "no." | "nr." | "h." |
                              "heft" | "n."];
  auto page_kw = x3::no_case[x3::lit("pages") | "page" | "pp." | "p." | "s."];
  auto pages = page_kw >> page[set(&e.page_start)] >>
               -(x3::lit('-') >> page[set(&e.page_end)]);
  auto paren_year = x3::lit('(') >> year4[set_year] >> x3::lit(')');
  auto keyed = vol_kw >> token[set(&e.volume)] >>
               -(x3::lit('(') >> token[set(&e.issue)] >> x3::lit(')')) >>
               -(x3::lit(',') >> issue_kw >> token[set(&e.issue)]) >>
               -paren_year >> -(x3::lit(',') >> pages);
  // "47(4):927-958"
  auto compact = token[set(&e.volume)] >> x3::lit('(') >>
                 token[set(&e.issue)] >> x3::lit(')') >> x3::lit(':') >>
                 page[set(&e.page_start)] >>
                 -(x3::lit('-') >> page[set(&e.page_end)]);
  auto first = folded.cbegin();
  bool ok = x3::phrase_parse(first, folded.cend(),
                             (keyed | compact) >> -x3::lit('.') >> x3::eoi,
                             x3::space);
  if (!ok || e.volume.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a volume/issue/pages statement: \"", std::string(text), "\""));
  }
  return e;
}

absl::StatusOr<SourceCitation> ParseSourceCitation(std::string_view text) {
  std::string_view t = Trim(text);
  for (size_t c = t.find(','); c != std::string_view::npos;
       c = t.find(',', c + 1)) {
    absl::StatusOr<Enumeration> e = ParseEnumeration(t.substr(c + 1));
    if (!e.ok()) continue;
    SourceCitation out;
    out.enumeration = *std::move(e);
    std::string_view head = Trim(t.substr(0, c));
    size_t sp = head.find_last_of(' ');
    if (sp != std::string_view::npos) {
      absl::StatusOr<Date> d = ParseDate(head.substr(sp + 1));
      if (d.ok()) {
        out.date = *d;
        head = Trim(head.substr(0, sp));
      }
    }
    out.journal_title = std::string(head);
    if (out.journal_title.empty()) break;
    return out;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("expected \"<journal> <date>, Vol.<n> (<issue>), "
                   "p.<first>-<last>\", got \"",
                   std::string(text), "\""));
}

namespace {

struct Currencies : x3::symbols<std::string> {
  Currencies() {
    // "kr" alone is read as Norwegian kroner: the project pages that write it
    // that way are the Research Council of Norway's.
    add("kr", "NOK")("kr.", "NOK")("nok", "NOK")("kroner", "NOK")(
        "kroner.", "NOK")("sek", "SEK")("dkk", "DKK")("isk", "ISK")(
        "\xE2\x82\xAC", "EUR")("eur", "EUR")("euro", "EUR")("euros", "EUR")(
        "$", "USD")("us$", "USD")("usd", "USD")("dollars", "USD")(
        "\xC2\xA3", "GBP")("gbp", "GBP")("chf", "CHF")("cad", "CAD")(
        "aud", "AUD")("jpy", "JPY")("\xC2\xA5", "JPY");
  }
};
const Currencies kCurrencies;

struct Scales : x3::symbols<int> {
  Scales() {
    add("mill.", 6)("mill", 6)("million", 6)("millioner", 6)("millionen", 6)(
        "mio.", 6)("mio", 6)("m", 6)("mn", 6)("mrd.", 9)("mrd", 9)(
        "milliarder", 9)("milliarden", 9)("billion", 9)("bn", 9)("k", 3)(
        "tusen", 3)("thousand", 3)("tsd.", 3);
  }
};
const Scales kScales;

// Turns "1.234.567,89" or "1,6" into integer and fraction digits, deciding
// which separator is the decimal one.
bool SplitNumber(const std::string& raw, bool has_scale,
                 std::string* int_digits, std::string* frac_digits) {
  std::string s;
  for (char c : raw) {
    if (c != ' ') s.push_back(c);
  }
  size_t last_dot = s.rfind('.'), last_comma = s.rfind(',');
  char decimal = 0;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    decimal = last_dot > last_comma ? '.' : ',';
  } else if (last_dot != std::string::npos || last_comma != std::string::npos) {
    char sep = last_dot != std::string::npos ? '.' : ',';
    size_t pos = std::min(last_dot, last_comma);
    size_t count = std::count(s.begin(), s.end(), sep);
    size_t after = s.size() - pos - 1;
    // One separator followed by exactly three digits groups thousands
    // ("$250,000") unless a scale word follows ("1,250 mill.").
    if (count == 1 && (after != 3 || has_scale)) decimal = sep;
  }
  int_digits->clear();
  frac_digits->clear();
  bool in_frac = false;
  for (char c : s) {
    if (c == decimal) {
      in_frac = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      (in_frac ? frac_digits : int_digits)->push_back(c);
    }
  }
  return !int_digits->empty() || !frac_digits->empty();
}

}  // namespace

absl::StatusOr<Amount> ParseAmount(std::string_view text) {
  std::string folded = base::AsciiLower(FoldPunctuation(Trim(text)));
  std::string raw;
  int scale = 0;
  const auto& cur = kCurrencies;
  auto number =
      x3::raw[x3::lexeme[x3::digit >>
                         *(x3::digit | (x3::char_(".,' ") >> &x3::digit))]];
  auto first = folded.cbegin();
  std::optional<std::string> c1, c2;
  std::optional<int> sc;
  auto set_c1 = [&](auto& ctx) { c1 = x3::_attr(ctx); };
  auto set_c2 = [&](auto& ctx) { c2 = x3::_attr(ctx); };
  auto set_sc = [&](auto& ctx) { sc = x3::_attr(ctx); };
  auto set_raw = [&](auto& ctx) {
    raw.assign(x3::_attr(ctx).begin(), x3::_attr(ctx).end());
  };
  bool ok =
      x3::phrase_parse(first, folded.cend(),
                       -cur[set_c1] >> number[set_raw] >> -kScales[set_sc] >>
                           -cur[set_c2] >> -x3::lit('.') >> x3::eoi,
                       x3::space);
  if (!ok) {
    // A three-letter code before or after the number that is not ISO 4217
    // ("XYZ 1000", "1000 ABC") is an unknown currency, not a bad number.
    std::string t = base::AsciiLower(Trim(text));
    for (std::string_view word : base::Split(t, " ", true)) {
      auto w = word.begin();
      if (word.size() == 3 &&
          std::all_of(word.begin(), word.end(),
                      [](char c) { return c >= 'a' && c <= 'z'; }) &&
          !x3::parse(w, word.end(), kCurrencies >> x3::eoi)) {
        std::string code = absl::AsciiStrToUpper(std::string(word));
        return absl::InvalidArgumentError(
            absl::StrCat("unknown currency \"", code, "\" in \"",
                         std::string(text), "\" (ISO 4217 code expected)"));
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat("not an amount: \"", std::string(text), "\""));
  }
  if (!c1 && !c2) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount without a currency: \"", std::string(text), "\""));
  }
  if (c1 && c2 && *c1 != *c2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "amount with two currencies: \"", std::string(text), "\""));
  }
  if (sc) scale = *sc;
  std::string int_digits, frac_digits;
  if (!SplitNumber(raw, sc.has_value(), &int_digits, &frac_digits)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an amount: \"", std::string(text), "\""));
  }
  // Shift the decimal point right by `scale` places.
  for (int i = 0; i < scale; ++i) {
    if (!frac_digits.empty()) {
      int_digits.push_back(frac_digits.front());
      frac_digits.erase(frac_digits.begin());
    } else {
      int_digits.push_back('0');
    }
  }
  int_digits.erase(
      0, std::min(int_digits.find_first_not_of('0'), int_digits.size()));
  while (!frac_digits.empty() && frac_digits.back() == '0')
    frac_digits.pop_back();
  Amount out;
  out.value = int_digits.empty() ? "0" : int_digits;
  if (!frac_digits.empty()) out.value += "." + frac_digits;
  out.currency = c1 ? *c1 : *c2;
  return out;
}

// ---------------------------------------------------------------------------
// Grant numbers

namespace {

// Funders named in text, by scheme. Matched on lower-cased text, as whole
// words for the acronyms.
struct SchemeWords {
  const char* scheme;
  std::vector<const char*> phrases;   // substrings
  std::vector<const char*> acronyms;  // whole words
};
const std::vector<SchemeWords>& GrantSchemes() {
  static const auto* schemes = new std::vector<SchemeWords>{
      {"rcn",
       {"norges forskningsråd", "forskningsrådet", "research council of norway",
        "norwegian research council"},
       {"nfr", "rcn"}},
      {"cordis",
       {"european commission", "european union", "horizon 2020",
        "horizon europe", "european research council", "grant agreement",
        "seventh framework", "marie skłodowska", "marie sklodowska"},
       {"h2020", "fp7", "erc", "eu", "msca"}},
      {"nsf", {"national science foundation"}, {"nsf"}},
      {"ukri",
       {"uk research and innovation", "research council uk",
        "engineering and physical sciences", "economic and social research",
        "arts and humanities research", "medical research council",
        "natural environment research", "innovate uk"},
       {"ukri", "epsrc", "esrc", "ahrc", "bbsrc", "mrc", "nerc", "stfc"}},
      {"dfg",
       {"deutsche forschungsgemeinschaft", "german research foundation",
        "projektnummer"},
       {"dfg", "gepris"}},
  };
  return *schemes;
}

bool HasWord(const std::string& lower, std::string_view word) {
  size_t pos = 0;
  while ((pos = lower.find(word, pos)) != std::string::npos) {
    bool left = pos == 0 || !IsAlnum(lower[pos - 1]);
    size_t end = pos + word.size();
    bool right = end >= lower.size() || !IsAlnum(lower[end]);
    if (left && right) return true;
    pos = end;
  }
  return false;
}

}  // namespace

std::vector<std::string> NamedGrantSchemes(std::string_view text) {
  std::string lower = absl::AsciiStrToLower(std::string(text));
  std::vector<std::string> out;
  for (const SchemeWords& s : GrantSchemes()) {
    bool named = false;
    for (const char* p : s.phrases) named |= lower.find(p) != std::string::npos;
    for (const char* a : s.acronyms) named |= HasWord(lower, a);
    if (named) out.push_back(s.scheme);
  }
  return out;
}

namespace {

// Shapes, tried at word starts.
const auto ukri_rule =
    x3::raw[x3::repeat(1, 4)[x3::upper] >> '/' >> x3::repeat(6, 8)[x3::alnum] >>
            '/' >> x3::repeat(1, 2)[x3::digit]];
const auto cordis_doi_rule =
    x3::lit("10.3030/") >> x3::raw[x3::repeat(6, 9)[x3::digit]];
// "184951/I30": six digits and an RCN activity suffix (a capital letter and
// two digits; "204829/Z/16/Z" is not one).
const auto rcn_suffix_rule =
    x3::raw[x3::repeat(6)[x3::digit]] >>
    x3::omit['/' >> x3::upper >> x3::repeat(2)[x3::digit]];
const auto digits_rule = x3::raw[+x3::digit];

}  // namespace

std::string GrantSchemeFunder(std::string_view scheme) {
  if (scheme == "rcn") return "https://doi.org/10.13039/501100005416";
  if (scheme == "cordis") return "https://doi.org/10.13039/501100000780";
  if (scheme == "nsf") return "https://doi.org/10.13039/100000001";
  if (scheme == "ukri") return "https://doi.org/10.13039/100014013";
  if (scheme == "dfg") return "https://doi.org/10.13039/501100001659";
  return "";
}

bool FitsGrantScheme(std::string_view scheme, std::string_view number) {
  size_t n = number.size();
  if (n == 0 || !std::all_of(number.begin(), number.end(),
                             [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return (scheme == "rcn" && n == 6) || (scheme == "nsf" && n == 7) ||
         ((scheme == "cordis" || scheme == "dfg") && n >= 6 && n <= 9);
}

std::vector<GrantNumber> FindGrantNumbers(std::string_view text) {
  std::vector<std::string> named = NamedGrantSchemes(text);
  auto is_named = [&](std::string_view s) {
    return std::find(named.begin(), named.end(), s) != named.end();
  };
  std::vector<GrantNumber> strong, weak;
  auto add = [](std::vector<GrantNumber>* v, GrantNumber g) {
    for (const GrantNumber& x : *v) {
      if (x.scheme == g.scheme && x.number == g.number) return;
    }
    v->push_back(std::move(g));
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && IsAlnum(text[i - 1])) continue;
    auto first = text.begin() + i;
    auto last = text.end();
    std::string found;
    auto end_ok = [&](auto it) { return it == last || !IsAlnum(*it); };
    if (auto it = first; x3::parse(it, last, ukri_rule, found) && end_ok(it)) {
      add(&strong, {"ukri", found, true, kShapeConfidence});
      i = static_cast<size_t>(it - text.begin());
      continue;
    }
    found.clear();
    if (auto it = first;
        x3::parse(it, last, cordis_doi_rule, found) && end_ok(it)) {
      add(&strong, {"cordis", found, true, kShapeConfidence});
      i = static_cast<size_t>(it - text.begin());
      continue;
    }
    found.clear();
    if (auto it = first;
        x3::parse(it, last, rcn_suffix_rule, found) && end_ok(it)) {
      add(&strong, {"rcn", found, true, kShapeConfidence});
      i = static_cast<size_t>(it - text.begin());
      continue;
    }
    found.clear();
    auto it = first;
    if (!x3::parse(it, last, digits_rule, found) || !end_ok(it)) continue;
    i = static_cast<size_t>(it - text.begin());
    // NSF numbers are often written with a directorate prefix: DEB-1234567.
    bool fits_any = false;
    for (const char* scheme : {"rcn", "nsf", "cordis", "dfg"}) {
      std::string_view sc = scheme;
      if (!FitsGrantScheme(sc, found)) continue;
      fits_any = true;
      if (is_named(sc)) add(&strong, {scheme, found, true, kNamedConfidence});
    }
    if (fits_any && named.empty())
      add(&weak, {"", found, false, kBareNumberConfidence});
  }
  strong.insert(strong.end(), weak.begin(), weak.end());
  return strong;
}

int YearOf(std::string_view issued) {
  if (issued.size() < 4) return 0;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (issued[i] < '0' || issued[i] > '9') return 0;
    y = y * 10 + (issued[i] - '0');
  }
  return y;
}

}  // namespace bibkg::text
