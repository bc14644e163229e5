#include "indexer/projects.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "indexer/bib_item.h"
#include "indexer/grammars.h"
#include "indexer/mapping.h"
#include "indexer/text.h"
#include "indexer/vocab.h"
#include "indexer/xml_util.h"

namespace bibkg::indexer {
namespace {

using xml::Child;
using xml::Text;

std::string TextOf(const xmlNode* n) { return n ? CollapseSpace(Text(n)) : ""; }

// NSF writes dates as MM/DD/YYYY.
std::optional<Date> UsDate(std::string_view s) {
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return std::nullopt;
  absl::StatusOr<Date> d = ParseDate(absl::StrCat(
      std::string(s.substr(6, 4)), "-", std::string(s.substr(0, 2)), "-",
      std::string(s.substr(3, 2))));
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

Record MapNsfAward(const xmlNode* award, const Source& source) {
  Record rec;
  std::string id = TextOf(Child(award, "AwardID"));
  rec.id = id.empty() ? "Award" : id;
  rec.graph = GraphFor(source, rec.id);
  std::vector<GrantNumber> numbers = FindGrantNumbers("NSF " + id);
  if (numbers.empty() || numbers[0].scheme != "nsf") {
    rec.Fail("AwardID", id.empty() ? "award without an AwardID"
                                   : "AwardID \"" + id +
                                         "\" is not a seven-digit NSF award "
                                         "number");
    return rec;
  }
  std::string title = TextOf(Child(award, "AwardTitle"));
  if (title.empty()) {
    rec.Fail("AwardTitle", "award without a title");
    return rec;
  }
  const std::string funder = GrantSchemeFunder("nsf");
  const std::string project = ProjectIri(funder, numbers[0].number);
  rec.AddIri(project, vocab::kRdfType, vocab::kProject);
  rec.AddLiteral(project, vocab::kTitle, title, "en");
  rec.AddLiteral(project, vocab::kMatchKey, MatchKey(title));
  rec.AddLiteral(project, vocab::kHasGrantNumber, numbers[0].number);
  rec.AddIri(project, vocab::kIsFundedBy, funder);
  rec.AddIri(funder, vocab::kRdfType, vocab::kFundingAgency);
  rec.AddIri(funder, vocab::kRdfType, vocab::kOrganization);
  rec.AddLiteral(funder, vocab::kName, "National Science Foundation", "en");
  rec.AddLiteral(project, vocab::kDescription,
                 TextOf(Child(award, "AbstractNarration")), "en");
  for (const auto& [element, predicate] :
       {std::pair{"AwardEffectiveDate", vocab::kStartDate},
        std::pair{"AwardExpirationDate", vocab::kEndDate}}) {
    std::string text = TextOf(Child(award, element));
    if (text.empty()) continue;
    if (std::optional<Date> d = UsDate(text)) {
      rec.AddTyped(project, predicate, d->Iso(), d->XsdType());
    } else {
      rec.Warn(element,
               "unreadable date \"" + text + "\" (NSF writes MM/DD/YYYY)");
    }
  }
  std::string amount = TextOf(Child(award, "AwardAmount"));
  if (!amount.empty())
    AddAwardedAmount(&rec, project, "USD " + amount, "AwardAmount");
  // The NSF division as the programme.
  const xmlNode* org = Child(award, "Organization");
  std::string division = TextOf(Child(Child(org, "Division"), "LongName"));
  if (!division.empty()) {
    std::string scheme = MintIri("programme", "nsf|" + MatchKey(division));
    rec.AddIri(scheme, vocab::kRdfType, vocab::kFundingScheme);
    rec.AddLiteral(scheme, vocab::kNotation, TextOf(Child(org, "Code")));
    rec.AddLiteral(scheme, vocab::kPrefLabel, division, "en");
    rec.AddIri(project, vocab::kSchemaIsPartOf, scheme);
  }
  for (const xmlNode* c = award->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view name = xml::Name(c);
    if (name == "Investigator") {
      PersonName p{TextOf(Child(c, "LastName")), TextOf(Child(c, "FirstName"))};
      if (!p.family.empty())
        rec.AddIri(project, vocab::kContributor, AddPerson(&rec, p));
    } else if (name == "Institution") {
      std::string inst = TextOf(Child(c, "Name"));
      if (inst.empty()) continue;
      std::string node = MintIri("organization", MatchKey(inst));
      rec.AddIri(node, vocab::kRdfType, vocab::kOrganization);
      rec.AddLiteral(node, vocab::kName, inst);
      rec.AddIri(project, vocab::kSourceOrganization, node);
    }
  }
  return rec;
}

}  // namespace bibkg::indexer
