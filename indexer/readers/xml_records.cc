#include "indexer/readers/xml_records.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "indexer/readers/jats.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/projects.h"
#include "indexer/readers/xml_util.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using xml::Attr;
using xml::Child;
using xml::ForChildren;
using xml::Lang;
using xml::Name;
using xml::Ns;
using xml::Text;

constexpr std::string_view kMarcNs = "http://www.loc.gov/MARC21/slim";
constexpr std::string_view kOaiNs = "http://www.openarchives.org/OAI/2.0/";

// No external entity, DTD or XInclude is ever fetched by this process.
xmlParserInputPtr RefuseExternalEntity(const char*, const char*,
                                       xmlParserCtxtPtr) {
  return nullptr;
}

void InstallEntityGuard() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(RefuseExternalEntity);
  });
}

bool IsMarcRecord(const xmlNode* n) {
  if (Name(n) != "record") return false;
  if (Ns(n) == kMarcNs) return true;
  if (!Ns(n).empty()) return false;
  return Child(n, "leader") || Child(n, "controlfield") ||
         Child(n, "datafield");
}
bool IsOaiRecord(const xmlNode* n) {
  if (Name(n) != "record") return false;
  if (Ns(n) == kOaiNs) return true;
  return Ns(n).empty() && Child(n, "header");
}

MarcRecord ReadMarcXml(const xmlNode* n, uint64_t number) {
  MarcRecord m;
  m.number = number;
  m.where = absl::StrCat(number, " (line ", xmlGetLineNo(n), ")");
  ForChildren(n, [&](const xmlNode* c) {
    std::string_view name = Name(c);
    if (name == "leader") {
      m.leader = Text(c);
    } else if (name == "controlfield") {
      MarcField f;
      f.tag = Attr(c, "tag");
      f.data = Text(c);
      m.fields.push_back(std::move(f));
    } else if (name == "datafield") {
      MarcField f;
      f.tag = Attr(c, "tag");
      std::string i1 = Attr(c, "ind1"), i2 = Attr(c, "ind2");
      f.ind1 = i1.empty() ? ' ' : i1[0];
      f.ind2 = i2.empty() ? ' ' : i2[0];
      ForChildren(c, [&](const xmlNode* s) {
        if (Name(s) != "subfield") return;
        std::string code = Attr(s, "code");
        f.subfields.push_back({code.empty() ? ' ' : code[0], Text(s)});
      });
      m.fields.push_back(std::move(f));
    }
  });
  if (m.leader.size() != 24) {
    m.problems.push_back(
        {"leader",
         absl::StrCat("leader has ", m.leader.size(),
                      " characters instead of 24; read as far as it goes"),
         false});
    m.leader.resize(24, ' ');
  }
  return m;
}

const char* DcType(std::string_view t) {
  std::string k = text::MatchKey(t);
  auto has = [&](std::string_view w) {
    return k.find(std::string(w)) != std::string::npos;
  };
  if (has("doctoral") || has("thesis") || has("master")) return vocab::kThesis;
  if (has("conference")) return vocab::kConferencePaper;
  if (has("book part") || has("bookpart") || has("chapter"))
    return vocab::kBookChapter;
  if (has("article")) return vocab::kJournalArticle;
  if (has("book")) return vocab::kBook;
  if (has("report") || has("working paper")) return vocab::kReportDocument;
  if (has("dataset")) return vocab::kDataset;
  if (has("software")) return vocab::kComputerProgram;
  return nullptr;
}

// Simple Dublin Core (oai_dc) to a BibItem.
void MapDc(const xmlNode* dc, Record* rec) {
  BibItem item;
  item.title_field = "dc:title";
  item.doi_field = "dc:identifier";
  item.isbn_field = "dc:identifier";
  item.issn_field = "dc:identifier";
  std::string title_lang;
  ForChildren(dc, [&](const xmlNode* c) {
    std::string name(Name(c));
    std::string v = text::CollapseSpace(Text(c));
    if (v.empty()) return;
    if (name == "title") {
      if (item.title.empty()) {
        item.title = v;
        title_lang = Lang(c);
      } else {
        item.alt_titles.push_back(v);
      }
    } else if (name == "creator" || name == "contributor") {
      Agent a;
      a.name = v;
      a.creator = name == "creator";
      a.field = "dc:" + name;
      item.agents.push_back(std::move(a));
    } else if (name == "subject") {
      for (std::string_view s : base::Split(v, ";")) {
        std::string label = text::CollapseSpace(s);
        if (!label.empty()) item.subjects.push_back({label, "", "", false});
      }
    } else if (name == "description") {
      if (item.abstract.empty()) {
        item.abstract = v;
      } else {
        item.notes.push_back(v);
      }
    } else if (name == "publisher") {
      if (item.publisher.empty()) item.publisher = v;
    } else if (name == "date") {
      if (item.date) return;
      absl::StatusOr<text::Date> d = text::ParseDate(v.substr(0, 10));
      if (d.ok()) {
        item.date = *d;
      } else if (v.size() >= 4 &&
                 std::isdigit(static_cast<unsigned char>(v[0]))) {
        absl::StatusOr<text::Date> y = text::ParseDate(v.substr(0, 4));
        if (y.ok()) item.date = *y;
      }
      if (!item.date) rec->Warn("dc:date", "unreadable date \"" + v + "\"");
    } else if (name == "type") {
      if (!item.type) item.type = DcType(v);
    } else if (name == "identifier" || name == "relation") {
      std::string lower = base::AsciiLower(v);
      if (lower.starts_with("urn:isbn:") || lower.starts_with("isbn")) {
        item.isbns.push_back(v);
      } else if (lower.starts_with("urn:issn:") || lower.starts_with("issn")) {
        item.host_issns.push_back(v);
      } else if (name == "identifier" &&
                 (lower.starts_with("10.") || lower.starts_with("doi:") ||
                  lower.find("doi.org/10.") != std::string::npos)) {
        if (item.doi.empty()) item.doi = v;
      } else if (name == "identifier" && (lower.starts_with("http://") ||
                                          lower.starts_with("https://"))) {
        item.urls.push_back(v);
      } else if (name == "identifier") {
        item.identifiers.push_back(v);
      }
    } else if (name == "language") {
      if (item.lang.empty()) item.lang = text::ToIso639_1(base::AsciiLower(v));
    } else if (name == "source") {
      item.notes.push_back(v);
    } else if (name == "rights") {
      item.notes.push_back(v);
    }
  });
  if (item.lang.empty()) item.lang = title_lang;
  MapBibItem(item, rec);
}

// Follows the markup of the bytes given to the parser just far enough to
// see where the root element ends, so that what follows it (a second
// document, log lines, a cut-off copy) is held back from the parser and
// reported as a warning instead of failing the document.
class RootEndFinder {
 public:
  // How many of the `n` bytes at `p` belong to the document.
  size_t Feed(const char* p, size_t n) {
    size_t i = 0;
    for (; i < n && !ended_; ++i) Step(p[i]);
    for (size_t j = i; j < n; ++j) {
      if (!std::isspace(static_cast<unsigned char>(p[j]))) {
        trailing_ = true;
        return j;
      }
    }
    return n;
  }
  bool trailing() const { return trailing_; }

 private:
  enum class State { kText, kTag, kQuote, kComment, kPi, kCdata };
  void Step(char c) {
    recent_ = (recent_ << 8) | static_cast<unsigned char>(c);
    switch (state_) {
      case State::kText:
        if (c == '<') {
          state_ = State::kTag;
          tag_.clear();
        }
        return;
      case State::kTag:
        if (tag_.empty() && c == '?') {
          state_ = State::kPi;
        } else if (tag_ == "!--") {
          state_ = State::kComment;
        } else if (tag_ == "![CDATA[") {
          state_ = State::kCdata;
        } else if (c == '"' || c == '\'') {
          quote_ = c;
          state_ = State::kQuote;
        } else if (c == '>') {
          EndTag();
          return;
        }
        if (state_ == State::kTag && tag_.size() < 8) tag_.push_back(c);
        last_ = c;
        return;
      case State::kQuote:
        if (c == quote_) state_ = State::kTag;
        return;
      case State::kComment:
        if ((recent_ & 0xFFFFFF) == 0x2D2D3E) state_ = State::kText;  // -->
        return;
      case State::kPi:
        if ((recent_ & 0xFFFF) == 0x3F3E) state_ = State::kText;  // ?>
        return;
      case State::kCdata:
        if ((recent_ & 0xFFFFFF) == 0x5D5D3E) state_ = State::kText;  // ]]>
        return;
    }
  }
  void EndTag() {
    state_ = State::kText;
    if (tag_.starts_with("!")) return;  // DOCTYPE
    if (tag_.starts_with("/")) {
      if (--depth_ == 0) ended_ = true;
    } else if (last_ != '/') {
      ++depth_;
    } else if (depth_ == 0) {
      ended_ = true;  // an empty root element
    }
  }

  State state_ = State::kText;
  std::string tag_;  // the first bytes of the markup after '<'
  char quote_ = 0;
  char last_ = 0;
  uint32_t recent_ = 0;
  int depth_ = 0;
  bool ended_ = false;
  bool trailing_ = false;
};

struct ReaderState {
  std::FILE* in;
  uint64_t consumed = 0;
  RootEndFinder root;
};

int ReadCallback(void* ctx, char* buffer, int len) {
  auto* st = static_cast<ReaderState*>(ctx);
  if (st->root.trailing()) return 0;
  size_t n = std::fread(buffer, 1, static_cast<size_t>(len), st->in);
  if (n == 0 && std::ferror(st->in)) return -1;
  st->consumed += n;
  return static_cast<int>(st->root.Feed(buffer, n));
}

struct ErrorSink {
  std::string first_error;
  int line = 0;
};

void OnXmlError(void* arg, const xmlError* error) {
  auto* sink = static_cast<ErrorSink*>(arg);
  if (!error || error->level < XML_ERR_ERROR) return;
  if (error->domain == XML_FROM_NAMESPACE) return;  // undeclared prefixes
  if (!sink->first_error.empty()) return;
  sink->first_error = text::CollapseSpace(error->message ? error->message : "");
  sink->line = error->line;
}

using XmlReader = std::unique_ptr<xmlTextReader, void (*)(xmlTextReaderPtr)>;

// A streaming reader over `state`, reporting to `sink`. No DTD loading, no
// entity substitution, no network, no XInclude.
XmlReader OpenReader(ReaderState* state, ErrorSink* sink) {
  InstallEntityGuard();
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
  XmlReader reader(
      xmlReaderForIO(ReadCallback, nullptr, state, nullptr, nullptr, options),
      xmlFreeTextReader);
  if (reader) {
    xmlTextReaderSetStructuredErrorHandler(
        reader.get(), [](void* arg, xmlErrorPtr e) { OnXmlError(arg, e); },
        sink);
  }
  return reader;
}

// One MARCXML <record>, or an OAI-PMH <record> (header, and metadata in
// oai_dc or MARCXML; a deleted record deletes its graph, named by the OAI
// identifier). `number` counts the records of the file.
Record MapRecordElement(const xmlNode* n, uint64_t number,
                        const Source& source) {
  if (IsMarcRecord(n)) return MapMarcRecord(ReadMarcXml(n, number), source);
  Record rec;
  const xmlNode* header = Child(n, "header");
  std::string identifier =
      text::CollapseSpace(Text(Child(header, "identifier")));
  rec.id = identifier.empty() ? absl::StrCat(number) : identifier;
  if (identifier.empty()) {
    rec.graph = GraphFor(source, rec.id);
    rec.Fail("header/identifier", "OAI-PMH record without an identifier");
    return rec;
  }
  rec.graph = store::Term::Iri(identifier.find(':') != std::string::npos
                                   ? text::IriEscape(identifier)
                                   : GraphFor(source, identifier).value);
  if (Attr(header, "status") == "deleted") {
    rec.mode = Record::Mode::kDelete;
    return rec;
  }
  const xmlNode* payload = nullptr;
  ForChildren(Child(n, "metadata"), [&](const xmlNode* c) {
    if (!payload) payload = c;
  });
  if (!payload) {
    rec.Fail("metadata", "OAI-PMH record without metadata");
  } else if (Name(payload) == "dc") {
    MapDc(payload, &rec);
  } else if (IsMarcRecord(payload)) {
    Record m =
        MapMarcRecord(ReadMarcXml(payload, number), source, rec.graph.value);
    m.id = rec.id;
    rec = std::move(m);
  } else {
    rec.Fail("metadata",
             absl::StrCat("metadata format <", std::string(Name(payload)),
                          "> (", std::string(Ns(payload)),
                          ") is not supported; harvest oai_dc or marc21"));
  }
  return rec;
}

}  // namespace

bool LooksLikeRecordXml(std::string_view head) {
  size_t i = head.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || head[i] != '<') return false;
  return head.find("MARC21/slim") != std::string_view::npos ||
         head.find("<!DOCTYPE article") != std::string_view::npos ||
         head.find("<article ") != std::string_view::npos ||
         head.find("<article>") != std::string_view::npos ||
         head.find("<AwardID>") != std::string_view::npos ||
         head.find("<Award>") != std::string_view::npos ||
         head.find("http://cordis.europa.eu") != std::string_view::npos ||
         head.find("OAI-PMH") != std::string_view::npos ||
         head.find("<record") != std::string_view::npos ||
         head.find(":record") != std::string_view::npos ||
         head.find("<collection") != std::string_view::npos;
}

absl::Status ReadXmlRecords(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record,
    const std::function<void(uint64_t)>& on_progress) {
  ReaderState state{in};
  ErrorSink sink;
  XmlReader reader = OpenReader(&state, &sink);
  if (!reader) return absl::InternalError("cannot start the XML reader");
  uint64_t number = 0, found = 0;
  std::string root;
  auto bad_document = [&](std::string message, int line) -> absl::Status {
    Record rec;
    rec.id = line > 0 ? absl::StrCat("line ", line)
                      : absl::StrCat("after record ", number);
    rec.Fail("", std::move(message));
    return on_record(rec);
  };
  auto not_well_formed = [&]() {
    std::string msg =
        sink.first_error.empty() ? "malformed XML" : sink.first_error;
    return bad_document(
        absl::StrCat("XML is not well-formed: ", msg,
                     number ? absl::StrCat("; the ", number,
                                           " record(s) before it are kept")
                            : std::string()),
        sink.line);
  };
  // After a record, Next() has already moved the reader to the following
  // node, which the loop then looks at without reading.
  bool positioned = false;
  for (;;) {
    if (!positioned) {
      int r = xmlTextReaderRead(reader.get());
      if (r == 0) break;
      if (r < 0) return not_well_formed();
    }
    positioned = false;
    int type = xmlTextReaderNodeType(reader.get());
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      // A DOCTYPE naming an external DTD (as JATS files do) is fine: the
      // DTD is never loaded. One that declares anything itself is refused:
      // no entity is ever declared or expanded from untrusted input.
      xmlDocPtr doc = xmlTextReaderCurrentDoc(reader.get());
      if (doc && doc->intSubset && doc->intSubset->children) {
        return bad_document(
            "documents whose DOCTYPE declares entities or other markup are "
            "refused: entity declarations are not read from untrusted input",
            xmlTextReaderGetParserLineNumber(reader.get()));
      }
      continue;
    }
    if (type != XML_READER_TYPE_ELEMENT) continue;
    const xmlChar* local = xmlTextReaderConstLocalName(reader.get());
    std::string_view name = local ? reinterpret_cast<const char*>(local) : "";
    if (root.empty()) root = std::string(name);
    if (name == "error" && root == "OAI-PMH") {
      xmlNodePtr n = xmlTextReaderExpand(reader.get());
      std::string code = n ? Attr(n, "code") : "";
      ++found;
      if (code != "noRecordsMatch") {
        BIBKG_RETURN_IF_ERROR(bad_document(
            absl::StrCat("the OAI-PMH response is an error: ", code, ": ",
                         n ? text::CollapseSpace(Text(n)) : ""),
            n ? static_cast<int>(xmlGetLineNo(n)) : 0));
      }
      continue;
    }
    // Documents that are one record each: an NSF award, a JATS article.
    Record (*map_whole)(const xmlNode*, const Source&) = nullptr;
    if (name == "Award" && (root == "rootTag" || root == "Award")) {
      map_whole = MapNsfAward;
    } else if (name == "article" && root == "article") {
      map_whole = MapJatsArticle;
    } else if (name == "project") {
      const xmlChar* ns = xmlTextReaderConstNamespaceUri(reader.get());
      if (ns && std::string_view(reinterpret_cast<const char*>(ns)) ==
                    "http://cordis.europa.eu") {
        map_whole = MapCordisXml;
      }
    }
    if (map_whole) {
      xmlNodePtr n = xmlTextReaderExpand(reader.get());
      if (!n) return not_well_formed();
      ++found;
      ++number;
      Record rec = map_whole(n, source);
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      int r = xmlTextReaderNext(reader.get());
      if (r == 0) break;
      if (r < 0) return not_well_formed();
      positioned = true;
      continue;
    }
    if (name != "record") continue;
    xmlNodePtr n = xmlTextReaderExpand(reader.get());
    if (!n) return not_well_formed();
    if (!IsMarcRecord(n) && !IsOaiRecord(n)) continue;  // a wrapper: descend
    ++found;
    ++number;
    Record rec = MapRecordElement(n, number, source);
    BIBKG_RETURN_IF_ERROR(on_record(rec));
    if (on_progress && number % 256 == 0) on_progress(state.consumed);
    // Skip the subtree just read, which lets the reader free it.
    int r = xmlTextReaderNext(reader.get());
    if (r == 0) break;
    if (r < 0) return not_well_formed();
    positioned = true;
  }
  if (state.root.trailing()) {
    // A warning, carried by a record that is counted as skipped.
    Record rec;
    rec.id = absl::StrCat("after record ", number);
    rec.skip = true;
    rec.Warn("", "content after the end of the root element is ignored");
    BIBKG_RETURN_IF_ERROR(on_record(rec));
  }
  if (found == 0) {
    return bad_document(
        absl::StrCat(
            "no MARCXML, OAI-PMH, JATS, NSF award or CORDIS project records in "
            "this XML document (root element <",
            root, ">)"),
        0);
  }
  return absl::OkStatus();
}

absl::Status ReadMarcXmlRecords(
    std::FILE* in, const std::function<absl::Status(MarcRecord&)>& on_record) {
  ReaderState state{in};
  ErrorSink sink;
  XmlReader reader = OpenReader(&state, &sink);
  if (!reader) return absl::InternalError("cannot start the XML reader");
  uint64_t number = 0;
  int r = xmlTextReaderRead(reader.get());
  while (r == 1) {
    const xmlChar* local = xmlTextReaderConstLocalName(reader.get());
    xmlNodePtr n = nullptr;
    if (xmlTextReaderNodeType(reader.get()) == XML_READER_TYPE_ELEMENT &&
        local && std::string_view(reinterpret_cast<const char*>(local)) ==
                     "record") {
      n = xmlTextReaderExpand(reader.get());
    }
    if (n && IsMarcRecord(n)) {
      MarcRecord m = ReadMarcXml(n, ++number);
      BIBKG_RETURN_IF_ERROR(on_record(m));
      r = xmlTextReaderNext(reader.get());
    } else {
      r = xmlTextReaderRead(reader.get());
    }
  }
  if (r < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", sink.line, ": ", sink.first_error));
  }
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
