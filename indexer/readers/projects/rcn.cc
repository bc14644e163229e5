// The Research Council of Norway's project pages (forskningsradet.no),
// copied as text, with Norwegian or English labels.
#include "indexer/readers/projects/rcn.h"

#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/strings.h"
#include "indexer/readers/pages_internal.h"
#include "indexer/readers/projects/project.h"
#include "text/normalize.h"

namespace bibkg::indexer {
namespace {

using pages_internal::Lines;

// "OFFPHD-Offentlig sektor-ph.d.": an upper-case code, a hyphen, a name.
bool SplitProgramme(std::string_view line, std::string* code,
                    std::string* name) {
  size_t dash = line.find('-');
  if (dash == std::string_view::npos || dash < 2 || dash > 16) return false;
  for (char c : line.substr(0, dash)) {
    if (!std::isupper(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  *code = std::string(line.substr(0, dash));
  *name = std::string(base::StripWhitespace(line.substr(dash + 1)));
  return !name->empty();
}

bool ConsumeLabel(std::string_view* line,
                  std::initializer_list<std::string_view> labels) {
  for (std::string_view l : labels) {
    if (base::StartsWithIgnoreCase(*line, l)) {
      line->remove_prefix(l.size());
      *line = base::StripWhitespace(*line);
      return true;
    }
  }
  return false;
}

const std::vector<std::string> kNordicCandidates = {"nb", "nn", "en",
                                                    "de", "sv", "da"};

}  // namespace

bool LooksLikeProjectPage(std::string_view text) {
  int hits = 0;
  for (std::string_view line : Lines(text)) {
    std::string_view l = line;
    if (ConsumeLabel(&l, {"Tildelt:", "Awarded:"})) hits += 2;
    if (ConsumeLabel(&l, {"Alternativ tittel:", "Alternative title:"})) ++hits;
    if (ConsumeLabel(&l, {"Aktivitet:", "Activity:"})) ++hits;
    if (ConsumeLabel(&l, {"POPULÆRVITENSKAPELIG FREMSTILLING",
                          "Popular science presentation"})) {
      ++hits;
    }
  }
  return hits >= 3;
}

Record ParseProjectPage(std::string_view text, const Source& source) {
  Record rec;
  rec.id = "1";
  rec.graph = GraphFor(source, rec.id);
  std::vector<std::string_view> lines = Lines(text);
  // The labels say which language the page is in.
  bool english = text.find("Awarded:") != std::string_view::npos ||
                 text.find("Alternative title:") != std::string_view::npos;
  std::string page_lang = english ? "en" : "nb";

  std::string code, programme, title, alt_title, amount_text, amount_label;
  std::string number, number_label;
  std::vector<std::string> description;
  bool in_description = false, after_activity = false;
  for (std::string_view raw : lines) {
    std::string_view line = raw;
    if (line.empty()) continue;
    if (ConsumeLabel(
            &line, {"Tilbake til søkeresultatene", "Back to search results"})) {
      continue;
    }
    if (after_activity) {
      std::string c, n;
      if (code.empty() && SplitProgramme(line, &c, &n)) {
        code = c;
        programme = n;
      }
      continue;
    }
    if (ConsumeLabel(&line, {"Aktivitet:", "Activity:"})) {
      after_activity = true;
      in_description = false;
      continue;
    }
    if (ConsumeLabel(&line, {"Alternativ tittel:", "Alternative title:"})) {
      alt_title = std::string(line);
      continue;
    }
    if (std::string_view l = line;
        ConsumeLabel(&l, {"Prosjektnummer:", "Project number:"})) {
      number_label = english ? "Project number" : "Prosjektnummer";
      number = text::CollapseSpace(l);
      continue;
    }
    // The page's address: …/project/FORISS/321234.
    if (size_t at = line.find("/project/");
        number.empty() && at != std::string_view::npos &&
        line.find("forskningsradet.no") != std::string_view::npos) {
      std::string_view rest = line.substr(at);
      size_t end = rest.find_last_not_of("/ ");
      size_t slash = rest.rfind('/', end);
      std::string last(rest.substr(slash + 1, end - slash));
      if (text::FitsGrantScheme("rcn", last)) number = last;
      continue;
    }
    std::string_view amount = line;
    if (ConsumeLabel(&amount, {"Tildelt:", "Awarded:"})) {
      amount_label = english ? "Awarded" : "Tildelt";
      amount_text = std::string(amount);
      continue;
    }
    if (ConsumeLabel(&line, {"POPULÆRVITENSKAPELIG FREMSTILLING",
                             "Popular science presentation"})) {
      in_description = true;
      if (!line.empty()) description.emplace_back(line);
      continue;
    }
    if (in_description) {
      description.emplace_back(line);
      continue;
    }
    std::string c, n;
    if (code.empty() && title.empty() && SplitProgramme(line, &c, &n)) {
      code = c;
      programme = n;
      continue;
    }
    if (title.empty()) title = std::string(line);
  }

  if (title.empty()) {
    rec.Fail("title", "the project page has no title");
    return rec;
  }
  std::string desc = base::Join(description, "\n\n");
  std::string desc_lang = text::GuessLanguage(desc, kNordicCandidates);
  if (desc_lang.empty() || desc_lang == "da" || desc_lang == "sv")
    desc_lang = page_lang;
  // Titles are short: a guess of English is trusted, otherwise `fallback`.
  // The alternative title of an English page is the Norwegian one.
  auto short_lang = [&](const std::string& text, const std::string& fallback) {
    std::string g = text::GuessLanguage(text, {"en", "nb", "nn", "de"});
    return g == "en" ? g : fallback;
  };
  std::string title_lang = short_lang(title, page_lang);
  std::string alt_lang = short_lang(alt_title, english ? "nb" : page_lang);

  ProjectInfo p;
  // The Research Council of Norway (Crossref Funder Registry id).
  p.funder_iri = text::GrantSchemeFunder("rcn");
  p.funder_names = {{"Norges forskningsråd", "nb"},
                    {"Research Council of Norway", "en"}};
  p.grant_field = number_label.empty() ? "Prosjektnummer" : number_label;
  if (!number.empty()) {
    // Named by funder + project number, the node publications citing
    // "NFR 184951" link to.
    if (!text::FitsGrantScheme("rcn", number)) {
      rec.Warn(p.grant_field,
               absl::StrCat("\"", number,
                            "\" is not a six-digit RCN project number"));
      number.clear();
    }
    p.grant = number;
  }
  // A page that shows no project number: named by programme code + title.
  if (p.grant.empty())
    p.iri = text::MintIri("project", text::MatchKey(code + " " + title));
  p.titles = {{title, title_lang}};
  if (!alt_title.empty()) p.alt_titles = {{alt_title, alt_lang}};
  if (!desc.empty()) p.descriptions = {{desc, desc_lang}};
  p.programme_code = code;
  p.programme_label = {programme, page_lang};
  p.amount = amount_text;
  p.amount_field = amount_label;
  MapProject(p, &rec);
  return rec;
}

}  // namespace bibkg::indexer
