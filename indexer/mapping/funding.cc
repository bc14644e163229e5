#include "indexer/mapping/funding.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

// Crossref Funder Registry ids of funders whose names appear in notes.
struct KnownFunder {
  const char* iri;
  const char* name;
  std::vector<const char*> spellings;  // matched on MatchKey, as words
};
const std::vector<KnownFunder>& KnownFunders() {
  static const auto* funders = new std::vector<KnownFunder>{
      {"https://doi.org/10.13039/501100005416",
       "Research Council of Norway",
       {"norges forskningsrad", "research council of norway", "nfr", "rcn",
        "forskningsradet"}},
      {"https://doi.org/10.13039/501100000780",
       "European Commission",
       {"european commission", "horizon 2020", "h2020", "fp7", "european union",
        "horizon europe", "erc"}},
      {"https://doi.org/10.13039/100000001",
       "National Science Foundation",
       {"national science foundation", "nsf"}},
      {"https://doi.org/10.13039/501100001659",
       "Deutsche Forschungsgemeinschaft",
       {"deutsche forschungsgemeinschaft", "dfg",
        "german research foundation"}},
      {"https://doi.org/10.13039/100014013",
       "UK Research and Innovation",
       {"uk research and innovation", "ukri"}},
      {"https://doi.org/10.13039/100000002",
       "National Institutes of Health",
       {"national institutes of health", "nih"}},
  };
  return *funders;
}

// " key " contains " word " (both match keys).
bool HasWords(const std::string& padded_key, std::string_view words) {
  return padded_key.find(absl::StrCat(" ", std::string(words), " ")) !=
         std::string::npos;
}

// A funding link found in a record's notes.
struct Link {
  std::string funder, number, evidence;
  double confidence;
};

// The links of one record, one per funder and number: the surest kept.
class Links {
 public:
  void Keep(Link l) {
    for (Link& x : links_) {
      if (x.funder == l.funder && x.number == l.number) {
        if (l.confidence > x.confidence) x = std::move(l);
        return;
      }
    }
    links_.push_back(std::move(l));
  }
  const std::vector<Link>& links() const { return links_; }

 private:
  std::vector<Link> links_;
};

// The grant schemes (councils) any of the record's notes names.
std::vector<std::string> RecordSchemes(const std::vector<FundingNote>& notes) {
  std::vector<std::string> schemes;
  for (const FundingNote& f : notes) {
    for (std::string& s : text::NamedGrantSchemes(f.funder + " " + f.text)) {
      if (std::find(schemes.begin(), schemes.end(), s) == schemes.end()) {
        schemes.push_back(std::move(s));
      }
    }
  }
  return schemes;
}

// One funding note, with what the record as a whole says.
struct NoteContext {
  const FundingNote& note;
  std::string text;    // the note's text, spaces collapsed
  std::string number;  // the grant (else project) number its fields give
  // The funder the fields name, when they name one.
  std::string field_funder;
};

// Links the grant numbers read from the note's text. False when none links.
bool LinkGrantNumbers(const NoteContext& c,
                      const std::vector<std::string>& record_schemes,
                      Record* rec, Links* links) {
  const FundingNote& f = c.note;
  bool linked = false;
  for (const text::GrantNumber& g : text::FindGrantNumbers(f.text)) {
    if (g.strong) {
      // A shape-only match is not taken against a funder the fields name
      // otherwise.
      if (g.confidence == text::kShapeConfidence && !f.free_text &&
          (!f.funder.empty() || !f.funder_iri.empty()) &&
          c.field_funder != text::GrantSchemeFunder(g.scheme)) {
        std::vector<std::string> named = text::NamedGrantSchemes(f.funder);
        if (std::find(named.begin(), named.end(), g.scheme) == named.end())
          continue;
      }
      // The number the funder/award fields give: as sure as it gets.
      bool from_fields = !f.free_text && !c.number.empty() &&
                         c.number.find(g.number) != std::string::npos;
      links->Keep({text::GrantSchemeFunder(g.scheme), g.number, c.text,
                   from_fields ? text::kFieldConfidence : g.confidence});
      linked = true;
      continue;
    }
    std::vector<std::string> fitting;
    for (const std::string& s : record_schemes) {
      if (text::FitsGrantScheme(s, g.number)) fitting.push_back(s);
    }
    if (fitting.size() == 1) {
      links->Keep({text::GrantSchemeFunder(fitting[0]), g.number, c.text,
                   text::kBareNumberFunderElsewhereConfidence});
      linked = true;
    } else if (!f.free_text && !record_schemes.empty() && fitting.empty()) {
      rec->Warn(f.field, absl::StrCat("number ", g.number,
                                      " does not have the shape of the "
                                      "named funder's grant numbers; not "
                                      "linked"));
    }
  }
  return linked;
}

// Links the number the note's fields give to the funder they name, else to
// one the text names; a warning when there is none.
void LinkFieldNumber(const NoteContext& c, Record* rec, Links* links) {
  const FundingNote& f = c.note;
  std::string funder = !f.funder.empty() || !f.funder_iri.empty()
                           ? c.field_funder
                           : KnownFunderIri(f.text);
  if (!f.funder_iri.empty())
    rec->AddLiteral(funder, vocab::kName, text::CollapseSpace(f.funder));
  if (funder.empty() && f.funder.empty()) {
    rec->Warn(f.field, absl::StrCat("grant number \"", c.number,
                                    "\" without a funder; not linked"));
    return;
  }
  if (funder.empty()) {
    // A funder without a grammar of its own: named by its name, the
    // number as written.
    funder = text::MintIri("organization", text::MatchKey(f.funder));
    rec->AddLiteral(funder, vocab::kName, text::CollapseSpace(f.funder));
  }
  links->Keep({funder, c.number, c.text, text::kFieldConfidence});
}

// The sentence of `text` that holds `number`, at most ~200 bytes either
// side of it, cut at character boundaries.
std::string EvidenceFor(std::string_view text, std::string_view number) {
  auto boundary = [&](size_t i) {
    while (i > 0 && i < text.size() &&
           (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      --i;
    }
    return i;
  };
  size_t at = text.find(number);
  if (at == std::string_view::npos) at = 0;
  size_t begin = text.rfind(". ", at);
  begin = begin == std::string_view::npos ? 0 : begin + 2;
  size_t end = text.find(". ", at + number.size());
  end = end == std::string_view::npos ? text.size() : end + 1;
  if (at - begin > 200) begin = boundary(at - 200);
  if (end - at > 200 + number.size()) end = boundary(at + 200 + number.size());
  return text::CollapseSpace(text.substr(begin, end - begin));
}

}  // namespace

std::string KnownFunderIri(std::string_view text) {
  std::string key = absl::StrCat(" ", text::MatchKey(text), " ");
  for (const KnownFunder& f : KnownFunders()) {
    for (const char* s : f.spellings) {
      if (HasWords(key, s)) return f.iri;
    }
  }
  return "";
}

FundingNote FundingText(std::string text, std::string field, bool free_text) {
  FundingNote n;
  n.text = std::move(text);
  n.field = std::move(field);
  n.free_text = free_text;
  return n;
}

std::string ProjectIri(std::string_view funder_key, std::string_view grant) {
  return text::MintIri("project", absl::StrCat(std::string(funder_key), "|",
                                               text::MatchKey(grant)));
}

void AddFundingNotes(const std::vector<FundingNote>& funding,
                     const std::string& work, Record* rec) {
  const std::vector<std::string> record_schemes = RecordSchemes(funding);
  Links links;
  for (const FundingNote& f : funding) {
    NoteContext c{
        f, text::CollapseSpace(f.text),
        text::CollapseSpace(!f.grant.empty() ? f.grant : f.project),
        !f.funder_iri.empty()
            ? f.funder_iri
            : (f.funder.empty() ? std::string() : KnownFunderIri(f.funder))};
    if (!f.free_text) rec->AddLiteral(work, vocab::kFundingNote, c.text);
    bool linked = LinkGrantNumbers(c, record_schemes, rec, &links);
    if (linked || f.free_text || c.number.empty()) continue;
    LinkFieldNumber(c, rec, &links);
  }
  for (const Link& l : links.links())
    AddFundingLink(rec, work, l.funder, l.number, l.confidence, l.evidence);
}

void AddFundingLink(Record* rec, const std::string& work,
                    const std::string& funder, const std::string& number,
                    double confidence, std::string_view evidence) {
  rec->AddIri(funder, vocab::kRdfType, vocab::kFundingAgency);
  std::string project = ProjectIri(funder, number);
  rec->AddIri(project, vocab::kRdfType, vocab::kProject);
  rec->AddIri(project, vocab::kIsFundedBy, funder);
  rec->AddLiteral(project, vocab::kHasGrantNumber, number);
  rec->AddIri(work, vocab::kIsFundedBy, project);
  std::string node =
      text::MintIri("funding-link", absl::StrCat(work, "|", project));
  rec->AddIri(work, vocab::kFundingLink, node);
  rec->AddIri(node, vocab::kRdfType, vocab::kFundingLinkClass);
  rec->AddIri(node, vocab::kLinkProject, project);
  rec->AddTyped(node, vocab::kConfidence, absl::StrFormat("%.1f", confidence),
                vocab::kXsdDecimal);
  rec->AddLiteral(node, vocab::kEvidence, EvidenceFor(evidence, number));
}

}  // namespace bibkg::indexer
