#include "indexer/readers/projects/nsf.h"

#include <string>
#include <string_view>

#include "indexer/readers/projects/project.h"
#include "indexer/readers/projects/project_internal.h"
#include "indexer/readers/xml_util.h"
#include "text/normalize.h"

namespace bibkg::indexer {

using project_internal::ReadDate;
using xml::Child;
using xml::TextOf;

Record MapNsfAward(const xmlNode* award, const Source& source) {
  Record rec;
  std::string id = TextOf(Child(award, "AwardID"));
  rec.id = id.empty() ? "Award" : id;
  rec.graph = GraphFor(source, rec.id);
  if (id.empty() || !text::FitsGrantScheme("nsf", id)) {
    rec.Fail("AwardID", id.empty() ? "award without an AwardID"
                                   : "AwardID \"" + id +
                                         "\" is not a seven-digit NSF award "
                                         "number");
    return rec;
  }
  ProjectInfo p;
  p.funder_iri = text::GrantSchemeFunder("nsf");
  p.funder_names = {{"National Science Foundation", "en"}};
  p.funder_ror = "021nxhr62";
  p.grant = id;
  p.grant_field = "AwardID";
  p.titles = {{TextOf(Child(award, "AwardTitle")), "en"}};
  p.descriptions = {{TextOf(Child(award, "AbstractNarration")), "en"}};
  p.start = ReadDate(&rec, TextOf(Child(award, "AwardEffectiveDate")),
                     "AwardEffectiveDate");
  p.end = ReadDate(&rec, TextOf(Child(award, "AwardExpirationDate")),
                   "AwardExpirationDate");
  std::string amount = TextOf(Child(award, "AwardAmount"));
  if (!amount.empty()) {
    p.amount = "USD " + amount;
    p.amount_field = "AwardAmount";
  }
  // The NSF division as the programme.
  const xmlNode* org = Child(award, "Organization");
  p.programme_code = TextOf(Child(org, "Code"));
  p.programme_label = {TextOf(Child(Child(org, "Division"), "LongName")), "en"};
  p.type = TextOf(Child(award, "AwardInstrument"));
  for (const xmlNode* c = award->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    std::string_view name = xml::Name(c);
    if (name == "Investigator") {
      p.investigators.push_back(
          {TextOf(Child(c, "LastName")), TextOf(Child(c, "FirstName"))});
    } else if (name == "Institution") {
      p.orgs.push_back({TextOf(Child(c, "Name")), "", "", true});
    }
  }
  MapProject(p, &rec);
  return rec;
}

}  // namespace bibkg::indexer
