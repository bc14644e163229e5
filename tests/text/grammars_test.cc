#include "text/grammars.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bibkg::text {
namespace {

TEST(Issn, AcceptsBothSampleIssnsWithValidCheckDigits) {
  for (const char* s : {"1530-9576", "1557-9271", "15309576", "1530 9576"}) {
    auto issn = ParseIssn(s);
    ASSERT_TRUE(issn.ok()) << s;
    EXPECT_TRUE(issn->check_digit_ok) << s;
  }
  EXPECT_EQ(ParseIssn("15309576")->normalized, "1530-9576");
}

TEST(Issn, CheckDigitXIsUpperCased) {
  auto issn = ParseIssn("0000-006x");  // 0*8..+6*2 = 12 -> 11-1 = 10 -> X
  ASSERT_TRUE(issn.ok());
  EXPECT_EQ(issn->normalized, "0000-006X");
  EXPECT_TRUE(issn->check_digit_ok);
}

TEST(Issn, WrongCheckDigitParsesButIsFlagged) {
  auto issn = ParseIssn("1530-9577");
  ASSERT_TRUE(issn.ok());
  EXPECT_FALSE(issn->check_digit_ok);
}

TEST(Issn, RejectsWrongShapes) {
  for (const char* s :
       {"", "1530-957", "1530-95761", "ABCD-EFGH", "1530_9576", "1530-957Y"}) {
    EXPECT_FALSE(ParseIssn(s).ok()) << s;
  }
}

TEST(Issn, FindsEveryIssnInAField) {
  auto found = FindIssns("ISSN: 1530-9576 1557-9271; not 12345678901");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].normalized, "1530-9576");
  EXPECT_EQ(found[1].normalized, "1557-9271");
}

TEST(Doi, NormalizesTheUsualSpellings) {
  const std::string want = "10.1080/15309576.2024.2302059";
  for (const char* s :
       {"10.1080/15309576.2024.2302059", "doi:10.1080/15309576.2024.2302059",
        "https://doi.org/10.1080/15309576.2024.2302059",
        "http://dx.doi.org/10.1080/15309576.2024.2302059",
        "  DOI:10.1080/15309576.2024.2302059. "}) {
    auto doi = NormalizeDoi(s);
    ASSERT_TRUE(doi.ok()) << s;
    EXPECT_EQ(*doi, want) << s;
  }
  EXPECT_EQ(*NormalizeDoi(
                "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"),
            "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o");
  EXPECT_EQ(*NormalizeDoi("10.1000/abc(1))."), "10.1000/abc(1)");
}

TEST(Doi, RejectsNonDois) {
  for (const char* s :
       {"", "10.1080", "11.1080/abc", "10.abc/def", "doi:", "10.1080/"}) {
    EXPECT_FALSE(NormalizeDoi(s).ok()) << s;
  }
}

TEST(Date, ParsesIsoAndWrittenForms) {
  struct Case {
    const char* text;
    const char* iso;
  } cases[] = {{"2016-07-05", "2016-07-05"},
               {"2024-07", "2024-07"},
               {"2024", "2024"},
               {"5 July 2016", "2016-07-05"},
               {"July 5, 2016", "2016-07-05"},
               {"5. Juli 2016", "2016-07-05"},
               {"5. juli 2016", "2016-07-05"},
               {"1. März 2020", "2020-03-01"},
               {"17. desember 2019", "2019-12-17"},
               {"Oct 2001", "2001-10"},
               {"29 February 2024", "2024-02-29"}};
  for (const Case& c : cases) {
    auto d = ParseDate(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status();
    EXPECT_EQ(d->Iso(), c.iso) << c.text;
  }
  EXPECT_EQ(ParseDate("2024-07")->XsdType(),
            "http://www.w3.org/2001/XMLSchema#gYearMonth");
  EXPECT_EQ(ParseDate("2016-07-05")->XsdType(),
            "http://www.w3.org/2001/XMLSchema#date");
}

TEST(Date, RejectsImpossibleAndMalformedDates) {
  for (const char* s :
       {"", "30 February 2016", "29 February 2023", "2016-13-01", "2016-00",
        "5 Juno 2016", "July", "16-07-05", "2016-07-05 extra"}) {
    EXPECT_FALSE(ParseDate(s).ok()) << s;
  }
}

TEST(Enumeration, ParsesTheCatalogForm) {
  auto e = ParseEnumeration("Vol.47 (4), p.927-958");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->volume, "47");
  EXPECT_EQ(e->issue, "4");
  EXPECT_EQ(e->page_start, "927");
  EXPECT_EQ(e->page_end, "958");
}

TEST(Enumeration, ParsesOtherCommonForms) {
  auto marc = ParseEnumeration("Vol. 47, no. 4 (2024), p. 927-958");
  ASSERT_TRUE(marc.ok()) << marc.status();
  EXPECT_EQ(marc->issue, "4");
  EXPECT_EQ(marc->year, 2024);
  EXPECT_EQ(marc->page_end, "958");
  auto compact = ParseEnumeration("47(4):927–958");
  ASSERT_TRUE(compact.ok()) << compact.status();
  EXPECT_EQ(compact->page_end, "958");
  auto german = ParseEnumeration("Bd. 12, H. 3, S. 1-20");
  ASSERT_TRUE(german.ok()) << german.status();
  EXPECT_EQ(german->volume, "12");
  EXPECT_EQ(german->issue, "3");
  auto single = ParseEnumeration("Vol. 3, p. e1234");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->page_start, "e1234");
  EXPECT_EQ(single->page_end, "");
}

TEST(Enumeration, RejectsText) {
  for (const char* s : {"", "Volume", "p.927-958", "some words here"}) {
    EXPECT_FALSE(ParseEnumeration(s).ok()) << s;
  }
}

TEST(SourceCitation, SplitsJournalDateAndEnumeration) {
  auto c = ParseSourceCitation(
      "Public performance & management review 2024-07, Vol.47 (4), p.927-958");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->journal_title, "Public performance & management review");
  ASSERT_TRUE(c->date.has_value());
  EXPECT_EQ(c->date->Iso(), "2024-07");
  EXPECT_EQ(c->enumeration.volume, "47");
  auto commas =
      ParseSourceCitation("Journal of Things, Series B, Vol. 3 (2), p. 1-9");
  ASSERT_TRUE(commas.ok()) << commas.status();
  EXPECT_EQ(commas->journal_title, "Journal of Things, Series B");
  EXPECT_FALSE(commas->date.has_value());
  EXPECT_FALSE(ParseSourceCitation("Just a journal name").ok());
}

TEST(Amount, ParsesTheRealNotations) {
  struct Case {
    const char* text;
    const char* value;
    const char* currency;
  } cases[] = {{"kr 1,6 mill.", "1600000", "NOK"},
               {"NOK 12 000 000", "12000000", "NOK"},
               {"€1,234,567.89", "1234567.89", "EUR"},
               {"EUR 1.234.567,89", "1234567.89", "EUR"},
               {"$250,000", "250000", "USD"},
               {"1,5 mrd. kroner", "1500000000", "NOK"},
               {"GBP 99.5", "99.5", "GBP"},
               {"kr 2 mill.", "2000000", "NOK"},
               {"12 000 000 NOK", "12000000", "NOK"},
               {"kr\xC2\xA0"
                "3,25\xC2\xA0mill.",
                "3250000", "NOK"}};
  for (const Case& c : cases) {
    auto a = ParseAmount(c.text);
    ASSERT_TRUE(a.ok()) << c.text << ": " << a.status();
    EXPECT_EQ(a->value, c.value) << c.text;
    EXPECT_EQ(a->currency, c.currency) << c.text;
  }
}

TEST(Amount, RejectsUnparseableAmountsAndUnknownCurrencies) {
  for (const char* s :
       {"", "kr", "1,6 mill.", "XYZ 100", "about a million", "NOK 12 USD"}) {
    EXPECT_FALSE(ParseAmount(s).ok()) << s;
  }
}

TEST(Isbn, Isbn10IsConvertedTo13) {
  absl::StatusOr<Isbn> i = ParseIsbn("0-19-852663-6");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_TRUE(i->check_digit_ok);
  EXPECT_EQ(i->isbn13, "9780198526636");
  EXPECT_EQ(i->as_written, "0198526636");
}

TEST(Isbn, Isbn13WithQualifierAndXCheckDigit) {
  absl::StatusOr<Isbn> i = ParseIsbn("978-3-16-148410-0 (pbk.)");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_EQ(i->isbn13, "9783161484100");
  i = ParseIsbn("ISBN 080442957x");
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_TRUE(i->check_digit_ok);
  EXPECT_EQ(i->isbn13, "9780804429573");
}

TEST(Isbn, WrongCheckDigitIsFlaggedAndNotConverted) {
  absl::StatusOr<Isbn> i = ParseIsbn("0-19-852663-7");
  ASSERT_TRUE(i.ok());
  EXPECT_FALSE(i->check_digit_ok);
  EXPECT_EQ(i->isbn13, "");
  EXPECT_FALSE(ParseIsbn("9783161484101")->check_digit_ok);
  EXPECT_FALSE(ParseIsbn("no number here").ok());
  EXPECT_FALSE(ParseIsbn("12345").ok());
}

TEST(Orcid, AcceptsUrlAndBareFormsWithValidCheckDigit) {
  EXPECT_EQ(*ParseOrcid("https://orcid.org/0000-0002-1825-0097"),
            "0000-0002-1825-0097");
  EXPECT_EQ(*ParseOrcid("(orcid)0000-0001-5109-3700"), "0000-0001-5109-3700");
  EXPECT_EQ(*ParseOrcid("0000-0002-1694-233X"), "0000-0002-1694-233X");
}

TEST(Orcid, RejectsWrongCheckDigitAndShape) {
  absl::StatusOr<std::string> o = ParseOrcid("0000-0002-1825-0098");
  ASSERT_FALSE(o.ok());
  EXPECT_THAT(std::string(o.status().message()),
              testing::HasSubstr("wrong check digit"));
  EXPECT_FALSE(ParseOrcid("0000-0002-1825").ok());
}

TEST(GrantNumbers, ResearchCouncilOfNorwayWritings) {
  for (const char* text : {"project no. 184951/I30", "NFR 184951",
                           "Norges forskningsråd, "
                           "prosjekt 184951",
                           "Research Council of Norway (grant 184951)"}) {
    SCOPED_TRACE(text);
    std::vector<GrantNumber> g = FindGrantNumbers(text);
    ASSERT_FALSE(g.empty());
    EXPECT_EQ(g[0].scheme, "rcn");
    EXPECT_EQ(g[0].number, "184951");
    EXPECT_TRUE(g[0].strong);
  }
  EXPECT_EQ(GrantSchemeFunder("rcn"), "https://doi.org/10.13039/501100005416");
}

TEST(GrantNumbers, OtherCouncilsAndTheirShapes) {
  std::vector<GrantNumber> g =
      FindGrantNumbers("funded by H2020 grant agreement No 101004870");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].scheme, "cordis");
  EXPECT_EQ(g[0].number, "101004870");
  g = FindGrantNumbers("https://doi.org/10.3030/824087");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].scheme, "cordis");
  EXPECT_EQ(g[0].number, "824087");
  g = FindGrantNumbers("NSF award DEB-1240601");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].scheme, "nsf");
  EXPECT_EQ(g[0].number, "1240601");
  g = FindGrantNumbers("Economic and Social Research Council ES/S007164/1");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].scheme, "ukri");
  EXPECT_EQ(g[0].number, "ES/S007164/1");
  g = FindGrantNumbers("DFG Projektnummer 390685689");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].scheme, "dfg");
}

TEST(GrantNumbers, BareNumbersAreWeakAndFundersMustAgree) {
  std::vector<GrantNumber> g = FindGrantNumbers("supported by grant 184951");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_FALSE(g[0].strong);
  EXPECT_EQ(g[0].scheme, "");
  // NSF named, six digits: not an NSF award, and not RCN's either.
  g = FindGrantNumbers("NSF grant 184951");
  EXPECT_TRUE(g.empty());
  // Years and short numbers are not grant numbers.
  EXPECT_TRUE(FindGrantNumbers("NFR, 2016, 12 months").empty());
  // An RCN suffix is a capital and two digits: a Wellcome Trust award has
  // six digits and slashes but is no RCN number (and no funder is named).
  for (const GrantNumber& w : FindGrantNumbers("Wellcome Trust 204829/Z/16/Z"))
    EXPECT_FALSE(w.strong) << w.scheme << " " << w.number;
}

}  // namespace
}  // namespace bibkg::text
