// Small grammars for identifiers and values found in bibliographic records:
// ISSN, DOI, dates, "Vol.47 (4), p.927-958" and money amounts. Implemented
// with Boost.Spirit X3; every parser is a pure function, safe to call from
// any thread.
#ifndef BIBKG_TEXT_GRAMMARS_H_
#define BIBKG_TEXT_GRAMMARS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace bibkg::text {

// An ISSN as written ("1530-9576", "1530 9576", "15309576", "1557-927x").
struct Issn {
  std::string normalized;  // "1557-927X"
  bool check_digit_ok = false;
};
// InvalidArgument when the text is not shaped like an ISSN at all. A value of
// the right shape with a wrong check digit parses, with check_digit_ok false.
absl::StatusOr<Issn> ParseIssn(std::string_view text);
// Every ISSN-shaped token in `text` ("ISSN: 1530-9576 1557-9271").
std::vector<Issn> FindIssns(std::string_view text);

// An ISBN as written ("0-19-852663-6", "978-3-16-148410-0 (pbk.)",
// "ISBN 3598215045"): ISBN-10s are converted to ISBN-13.
struct Isbn {
  std::string isbn13;      // 13 digits, no hyphens; empty when unconvertible
  std::string as_written;  // the digits found (10 or 13), X upper-cased
  bool check_digit_ok = false;
};
// The first ISBN-shaped token of `text` (qualifiers such as "(pbk.)" are
// ignored). InvalidArgument when there is none; a token with a wrong check
// digit parses with check_digit_ok false.
absl::StatusOr<Isbn> ParseIsbn(std::string_view text);

// An ORCID iD ("0000-0002-1825-0097", "https://orcid.org/...",
// "(orcid)0000-..."), checked with its ISO 7064 11,2 check digit. Returns the
// bare "0000-0002-1825-0097" form; InvalidArgument when not an ORCID or when
// the check digit is wrong.
absl::StatusOr<std::string> ParseOrcid(std::string_view text);

// A DOI in any of its usual spellings ("doi:10.1000/X", "https://doi.org/...",
// "http://dx.doi.org/..."), lower-cased (DOIs are case-insensitive) with
// trailing sentence punctuation removed. InvalidArgument when not a DOI.
absl::StatusOr<std::string> NormalizeDoi(std::string_view text);

// A date with the precision it was written with.
struct Date {
  int year = 0;
  int month = 0;  // 0 when unknown
  int day = 0;    // 0 when unknown
  // "2016-07-05", "2024-07" or "2024".
  std::string Iso() const;
  // The XSD datatype IRI matching the precision (xsd:date, xsd:gYearMonth,
  // xsd:gYear).
  std::string XsdType() const;
};
// ISO forms (2016-07-05, 2024-07, 2024), "5 July 2016", "July 5, 2016",
// "5. Juli 2016", "5. juli 2016" (English, German and Norwegian month
// names). InvalidArgument otherwise, or for an impossible date.
absl::StatusOr<Date> ParseDate(std::string_view text);

// The year of an xsd:date, gYear or dateTime ("2021-03-04" -> 2021); 0 when
// it does not start with four digits.
int YearOf(std::string_view issued);

// The part of a citation that locates an article in its journal:
// "Vol.47 (4), p.927-958", "Vol. 47, no. 4 (2024), p. 927-958",
// "47(4):927-958", "Bd. 12, H. 3, S. 1-20".
struct Enumeration {
  std::string volume;
  std::string issue;
  std::string page_start;
  std::string page_end;
  std::optional<int> year;
};
absl::StatusOr<Enumeration> ParseEnumeration(std::string_view text);

// "Public performance & management review 2024-07, Vol.47 (4), p.927-958":
// the journal title, then an optional date, then the enumeration.
struct SourceCitation {
  std::string journal_title;
  std::optional<Date> date;
  Enumeration enumeration;
};
absl::StatusOr<SourceCitation> ParseSourceCitation(std::string_view text);

// A grant or project number found in text, normalized as its funder writes
// it in its own records:
//   rcn     Research Council of Norway, six digits ("project no. 184951/I30",
//           "NFR 184951", "Norges forskningsråd, prosjekt 184951" -> 184951)
//   cordis  EU grant agreements, 6-9 digits (also 10.3030/<id> grant DOIs)
//   nsf     NSF awards, seven digits ("DEB-1234567", "award 1234567")
//   ukri    UKRI references ("ES/S007164/1")
//   dfg     DFG GEPRIS project numbers ("Projektnummer 390685689")
// `strong` when the number's shape identifies the scheme by itself (UKRI,
// 10.3030/, RCN's "/I30" suffix) or a funder of that scheme is named in the
// text; a bare number with no funder named is weak and carries scheme "".
//
// `confidence` is how sure the match is that the number is that funder's
// grant: kShapeConfidence when the shape alone says so, kNamedConfidence when
// the funder is named in the same text, kBareNumberConfidence for a bare
// number (never linked on its own).
inline constexpr double kFieldConfidence = 1.0;  // funder + award fields
inline constexpr double kShapeConfidence = 0.9;
inline constexpr double kNamedConfidence = 0.8;
inline constexpr double kBareNumberConfidence = 0.3;
// A bare number whose shape fits the one funder the record names elsewhere.
inline constexpr double kBareNumberFunderElsewhereConfidence = 0.5;
struct GrantNumber {
  std::string scheme;
  std::string number;
  bool strong = false;
  double confidence = 0;
};
// The schemes whose funder `text` names ("Norges forskningsråd" -> rcn).
std::vector<std::string> NamedGrantSchemes(std::string_view text);
// Every grant number in `text`, strong ones first, without duplicates.
std::vector<GrantNumber> FindGrantNumbers(std::string_view text);
// Whether a bare number has the shape of `scheme`'s grant numbers (rcn six
// digits, nsf seven, cordis and dfg six to nine).
bool FitsGrantScheme(std::string_view scheme, std::string_view number);
// The Crossref Funder Registry IRI of a scheme ("rcn" -> .../501100005416).
std::string GrantSchemeFunder(std::string_view scheme);

// A money amount: "kr 1,6 mill.", "NOK 12 000 000", "€1,234,567.89",
// "EUR 1.234.567,89", "$250,000", "1,5 mrd. kroner".
struct Amount {
  std::string value;     // exact xsd:decimal lexical form, e.g. "1600000"
  std::string currency;  // ISO 4217 code, e.g. "NOK"
};
absl::StatusOr<Amount> ParseAmount(std::string_view text);

}  // namespace bibkg::text

#endif  // BIBKG_TEXT_GRAMMARS_H_
