#include "indexer/readers/jats.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/xml_util.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using xml::Attr;
using xml::Child;
using xml::ForChildren;
using xml::Name;
using xml::TextOf;

// The first descendant named `name` (depth-first).
const xmlNode* Find(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Name(c) == name) return c;
    if (const xmlNode* d = Find(c, name)) return d;
  }
  return nullptr;
}

template <typename F>
void ForEach(const xmlNode* n, std::string_view name, F f) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Name(c) == name) {
      f(c);
    } else {
      ForEach(c, name, f);
    }
  }
}

// pub-id / article-id of a type ("doi", "pmid").
std::string IdOf(const xmlNode* n, const char* element, const char* type) {
  std::string out;
  ForEach(n, element, [&](const xmlNode* id) {
    if (out.empty() && Attr(id, "pub-id-type") == type) out = TextOf(id);
  });
  return out;
}

std::optional<text::Date> PubDate(const xmlNode* meta) {
  std::optional<text::Date> best;
  ForEach(meta, "pub-date", [&](const xmlNode* d) {
    int year = std::atoi(TextOf(Child(d, "year")).c_str());
    if (year <= 0) return;
    text::Date date{year, std::atoi(TextOf(Child(d, "month")).c_str()),
                    std::atoi(TextOf(Child(d, "day")).c_str())};
    if (date.month < 1 || date.month > 12) date.month = date.day = 0;
    if (date.day < 0 || date.day > 31 || !date.month) date.day = 0;
    std::string type = Attr(d, "pub-type") + Attr(d, "date-type");
    // The first print or electronic publication date wins.
    if (!best || type.find("ppub") != std::string::npos ||
        (type.find("epub") != std::string::npos && best->month == 0)) {
      if (!best || type.find("ppub") != std::string::npos || best->month == 0)
        best = date;
    }
  });
  return best;
}

}  // namespace

Record MapJatsArticle(const xmlNode* article, const Source& source) {
  Record rec;
  const xmlNode* front = Child(article, "front");
  const xmlNode* meta = Child(front, "article-meta");
  const xmlNode* jmeta = Child(front, "journal-meta");
  std::string doi, pmid;
  ForEach(meta, "article-id", [&](const xmlNode* id) {
    std::string type = Attr(id, "pub-id-type");
    if (type == "doi" && doi.empty()) doi = TextOf(id);
    if (type == "pmid" && pmid.empty()) pmid = TextOf(id);
  });
  std::string id = !doi.empty() ? doi : !pmid.empty() ? pmid : "1";
  rec.id = id;
  rec.graph = GraphFor(source, id);
  if (!meta) {
    rec.Fail("article-meta", "JATS article without <front><article-meta>");
    return rec;
  }
  BibItem item;
  item.type = vocab::kJournalArticle;
  item.title_field = "article-title";
  item.doi_field = "article-id";
  item.doi = doi;
  item.title = TextOf(Find(Child(meta, "title-group"), "article-title"));
  item.lang = text::ToIso639_1(Attr(article, "xml:lang"));
  ForEach(meta, "contrib", [&](const xmlNode* c) {
    const xmlNode* name = Find(c, "name");
    Agent a;
    a.field = "contrib";
    if (name) {
      std::string family = TextOf(Child(name, "surname"));
      std::string given = TextOf(Child(name, "given-names"));
      a.name = given.empty() ? family : family + ", " + given;
    } else {
      a.name = TextOf(Find(c, "collab"));
      a.corporate = true;
    }
    ForEach(c, "contrib-id", [&](const xmlNode* cid) {
      if (Attr(cid, "contrib-id-type") == "orcid") a.orcid = TextOf(cid);
    });
    std::string role = Attr(c, "contrib-type");
    a.creator = role.empty() || role == "author";
    if (role == "editor") a.relators.push_back("edt");
    if (!a.name.empty()) item.agents.push_back(std::move(a));
  });
  item.date = PubDate(meta);
  item.enumeration.volume = TextOf(Child(meta, "volume"));
  item.enumeration.issue = TextOf(Child(meta, "issue"));
  item.enumeration.page_start = TextOf(Child(meta, "fpage"));
  item.enumeration.page_end = TextOf(Child(meta, "lpage"));
  item.host_title = TextOf(Find(jmeta, "journal-title"));
  ForEach(jmeta, "issn",
          [&](const xmlNode* i) { item.host_issns.push_back(TextOf(i)); });
  item.publisher = TextOf(Find(Child(jmeta, "publisher"), "publisher-name"));
  item.abstract = TextOf(Child(meta, "abstract"));
  ForEach(meta, "kwd", [&](const xmlNode* k) {
    std::string label = TextOf(k);
    if (!label.empty()) item.subjects.push_back({label, "", "", false});
  });
  ForEach(meta, "award-group", [&](const xmlNode* g) {
    FundingNote n;
    n.field = "funding-group";
    n.funder = TextOf(Find(g, "funding-source"));
    n.grant = TextOf(Find(g, "award-id"));
    n.text = text::CollapseSpace(n.funder + " " + n.grant);
    if (!n.text.empty()) item.funding.push_back(std::move(n));
  });
  // Acknowledgements and funding statements name grant numbers in prose:
  // <ack>, <funding-statement>, and body sections titled so.
  auto add_prose = [&](const xmlNode* n, const char* field) {
    std::string text = TextOf(n);
    if (!text.empty()) item.funding.push_back(FundingText(text, field, true));
  };
  ForEach(meta, "funding-statement",
          [&](const xmlNode* n) { add_prose(n, "funding-statement"); });
  ForEach(Child(article, "back"), "ack",
          [&](const xmlNode* n) { add_prose(n, "ack"); });
  ForEach(article, "sec", [&](const xmlNode* sec) {
    std::string heading = absl::AsciiStrToLower(TextOf(Child(sec, "title")));
    if (heading.starts_with("acknowledg") || heading == "funding")
      add_prose(sec, "sec");
  });
  if (!pmid.empty()) item.identifiers.push_back("PMID " + pmid);
  MapBibItem(item, &rec);
  if (rec.has_fatal()) return rec;
  const std::string work = rec.work_iri;
  std::string own_doi;
  if (auto d = text::NormalizeDoi(doi); d.ok()) own_doi = *d;

  // The reference list.
  int index = 0;
  ForEach(Child(article, "back"), "ref", [&](const xmlNode* ref) {
    ++index;
    std::string field = absl::StrCat("ref ", index);
    std::string ref_doi = IdOf(ref, "pub-id", "doi");
    if (ref_doi.empty()) {
      // Some lists put the DOI in an ext-link or the text only.
      ForEach(ref, "ext-link", [&](const xmlNode* l) {
        if (ref_doi.empty() && Attr(l, "ext-link-type") == "doi")
          ref_doi = TextOf(l);
      });
    }
    if (!ref_doi.empty()) {
      absl::StatusOr<std::string> d = text::NormalizeDoi(ref_doi);
      if (d.ok() && *d == own_doi) {
        rec.Warn(field, "the article cites itself; link not kept");
        ++rec.self_citations;
        return;
      }
      if (d.ok()) {
        rec.AddIri(work, vocab::kCites, text::DoiIri(*d));
        return;
      }
      rec.Warn(field, std::string(d.status().message()));
    }
    std::string ref_pmid = IdOf(ref, "pub-id", "pmid");
    if (!ref_pmid.empty() &&
        ref_pmid.find_first_not_of("0123456789") == std::string::npos) {
      rec.AddIri(work, vocab::kCites,
                 "https://identifiers.org/pubmed:" + ref_pmid);
      return;
    }
    std::string title = TextOf(Find(ref, "article-title"));
    if (!text::MatchKey(title).empty()) {
      TitleRef tref{work, vocab::kCites, title, 0, {}};
      std::string year = TextOf(Find(ref, "year"));
      tref.year = year.size() >= 4 ? std::atoi(year.substr(0, 4).c_str()) : 0;
      tref.author_family = TextOf(Find(Find(ref, "name"), "surname"));
      rec.title_refs.push_back(std::move(tref));
      return;
    }
    // No identifier, no title: a stub holding the citation as written.
    const xmlNode* citation = Find(ref, "mixed-citation");
    if (!citation) citation = Find(ref, "element-citation");
    if (!citation) citation = Find(ref, "citation");
    if (!citation) citation = Find(ref, "nlm-citation");
    AddCitationStub(&rec, work, TextOf(citation ? citation : ref));
  });
  return rec;
}

}  // namespace bibkg::indexer
