#include "indexer/importer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/mapping.h"
#include "indexer/readers/citations.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/pages.h"
#include "indexer/readers/projects.h"
#include "indexer/readers/rdf_io.h"
#include "indexer/readers/text_formats.h"
#include "indexer/readers/xml_records.h"
#include "store/topic_postings.h"
#include "text/normalize.h"
#include "text/vocab.h"
#include "topic/document.h"

namespace bibkg::indexer {
namespace {

constexpr std::string_view kStubPrefix = "https://w3id.org/bibkg/id/stub/";
// Keys of bulk-loaded works remembered for stub resolution; past this, all
// stubs are scanned instead.
constexpr size_t kMaxBulkStubKeys = 1u << 20;
// A title reference resolving to a work this many works cite is reported.
constexpr int64_t kOvermatchCitations = 1000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Source SourceFor(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::weakly_canonical(path, ec);
  if (ec) abs = std::filesystem::absolute(path);
  return {path, "file://" + text::IriEscape(abs.string())};
}

bool IsStub(const store::Term& t) {
  return t.is_iri() && t.value.starts_with(kStubPrefix);
}

// Stub keys of works known by where they appeared or by ISBN.
std::string LocatorKey(const std::string& issn, const std::string& volume,
                       const std::string& page) {
  return absl::StrCat("ivp|", issn, "|", text::MatchKey(volume), "|",
                      text::MatchKey(page));
}
std::string IsbnKey(const std::string& isbn13) {
  return absl::StrCat("isbn|", isbn13);
}

// The locator keys a record's work can be found under: its journal's
// ISSN(s) with its volume and first page, and its ISBN-13s.
std::vector<std::string> WorkLocatorKeys(const Record& rec) {
  std::vector<std::string> issns, volumes, pages, out;
  for (const store::Triple& t : rec.triples) {
    if (t.s.value != rec.work_iri) continue;
    if (t.p.value == vocab::kIsPartOf && t.o.value.starts_with("urn:issn:"))
      issns.push_back(t.o.value.substr(9));
    if (t.p.value == vocab::kVolume) volumes.push_back(t.o.value);
    if (t.p.value == vocab::kPageStart) pages.push_back(t.o.value);
    if (t.p.value == vocab::kIsbn13) out.push_back(IsbnKey(t.o.value));
  }
  // The journal's other ISSNs (print and electronic) name it too.
  for (const store::Triple& t : rec.triples) {
    if (t.p.value == vocab::kIssn && !issns.empty() &&
        t.s.value == "urn:issn:" + issns.front() &&
        std::find(issns.begin(), issns.end(), t.o.value) == issns.end()) {
      issns.push_back(t.o.value);
    }
  }
  for (const std::string& i : issns)
    for (const std::string& v : volumes)
      for (const std::string& p : pages) out.push_back(LocatorKey(i, v, p));
  return out;
}

// The work (not a stub) a locator key names in the store, or "".
absl::StatusOr<std::string> FindByLocator(const store::ReadView& view,
                                          const std::string& key) {
  std::vector<std::string> parts;
  for (std::string_view p : base::Split(key, "|")) parts.emplace_back(p);
  std::string target;
  auto consider = [&](const std::string& candidate) {
    if (target.empty() || candidate < target) target = candidate;
  };
  if (parts.size() == 2 && parts[0] == "isbn") {
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, store::Term::Iri(vocab::kIsbn13),
                   store::Term::Literal(parts[1]), std::nullopt},
                  [&](const store::Quad& q) {
                    if (q.s.is_iri() && !IsStub(q.s)) consider(q.s.value);
                    return true;
                  }));
    return target;
  }
  if (parts.size() != 4 || parts[0] != "ivp") return target;
  // Works with that first page (one index lookup; the key holds the page
  // folded to lower case, so the upper-case spelling is tried too), then
  // their volume and journal.
  std::vector<store::Term> candidates;
  std::vector<std::string> spellings = {parts[3]};
  std::string upper = absl::AsciiStrToUpper(parts[3]);
  if (upper != parts[3]) spellings.push_back(upper);
  for (const std::string& page : spellings) {
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, store::Term::Iri(vocab::kPageStart),
                   store::Term::Literal(page), std::nullopt},
                  [&](const store::Quad& q) {
                    if (q.s.is_iri() && !IsStub(q.s)) candidates.push_back(q.s);
                    return true;
                  }));
  }
  for (const store::Term& c : candidates) {
    bool volume = false, journal = false;
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {c, store::Term::Iri(vocab::kVolume), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          volume |= text::MatchKey(q.o.value) == parts[2];
          return !volume;
        }));
    if (!volume) continue;
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {c, store::Term::Iri(vocab::kIsPartOf), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          journal |= q.o.value == "urn:issn:" + parts[1];
          return !journal;
        }));
    if (journal) consider(c.value);
  }
  return target;
}

// The year of a node's dcterms:issued, from `triples` or else the store.
absl::StatusOr<int> IssuedYear(const store::ReadView& view,
                               const std::vector<store::Triple>& triples,
                               const std::string& node) {
  auto year_of = [](const std::string& lexical) {
    return lexical.size() >= 4 ? std::atoi(lexical.substr(0, 4).c_str()) : 0;
  };
  for (const store::Triple& t : triples) {
    if (t.s.value == node && t.p.value == vocab::kIssued)
      return year_of(t.o.value);
  }
  int year = 0;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({store::Term::Iri(node), store::Term::Iri(vocab::kIssued),
                 std::nullopt, std::nullopt},
                [&](const store::Quad& q) {
                  year = year_of(q.o.value);
                  return false;
                }));
  return year;
}

// The family names of a work's creators, from `triples` or else the store.
absl::StatusOr<std::vector<std::string>> CreatorFamilies(
    const store::ReadView& view, const std::vector<store::Triple>* triples,
    const std::string& work) {
  std::vector<std::string> out;
  if (triples) {
    std::vector<std::string> people;
    for (const store::Triple& t : *triples) {
      if (t.s.value == work && t.p.value == vocab::kCreator)
        people.push_back(t.o.value);
    }
    for (const store::Triple& t : *triples) {
      if (t.p.value == vocab::kFamilyName &&
          std::find(people.begin(), people.end(), t.s.value) != people.end())
        out.push_back(text::MatchKey(t.o.value));
    }
    if (!people.empty()) return out;
  }
  std::vector<store::Term> people;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({store::Term::Iri(work), store::Term::Iri(vocab::kCreator),
                 std::nullopt, std::nullopt},
                [&](const store::Quad& q) {
                  people.push_back(q.o);
                  return people.size() < 100;
                }));
  for (const store::Term& p : people) {
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {p, store::Term::Iri(vocab::kFamilyName), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          out.push_back(text::MatchKey(q.o.value));
          return true;
        }));
  }
  return out;
}

// Whether `work` fits what a reference says besides its title: published
// within a year of `year`, with an author of family name `family`; each is
// checked only when both the reference and the work say it.
absl::StatusOr<bool> FitsReference(const store::ReadView& view,
                                   const std::vector<store::Triple>* triples,
                                   const std::string& work, int year,
                                   const std::string& family) {
  static const std::vector<store::Triple> kNone;
  if (year > 0) {
    BIBKG_ASSIGN_OR_RETURN(int y,
                           IssuedYear(view, triples ? *triples : kNone, work));
    if (y > 0 && std::abs(y - year) > 1) return false;
  }
  std::string f = text::MatchKey(family);
  if (!f.empty()) {
    BIBKG_ASSIGN_OR_RETURN(std::vector<std::string> families,
                           CreatorFamilies(view, triples, work));
    if (!families.empty() &&
        std::find(families.begin(), families.end(), f) == families.end())
      return false;
  }
  return true;
}

// What a title stub says besides its title (see TitleRef).
absl::Status StubReference(const store::ReadView& view, const store::Term& stub,
                           int* year, std::string* family) {
  *year = 0;
  family->clear();
  BIBKG_RETURN_IF_ERROR(view.Scan(
      {stub, store::Term::Iri(vocab::kRefYear), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        *year = std::atoi(q.o.value.c_str());
        return false;
      }));
  return view.Scan(
      {stub, store::Term::Iri(vocab::kRefAuthor), std::nullopt, std::nullopt},
      [&](const store::Quad& q) {
        *family = q.o.value;
        return false;
      });
}

}  // namespace

absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "nquads" || name == "ntriples" || name == "nq" || name == "nt") {
    return InputFormat::kNQuads;
  }
  if (name == "catalog-page") return InputFormat::kCatalogPage;
  if (name == "project-page") return InputFormat::kProjectPage;
  if (name == "web-article") return InputFormat::kWebArticle;
  if (name == "marc" || name == "mrc" || name == "iso2709")
    return InputFormat::kMarc;
  if (name == "marcxml" || name == "oai-pmh" || name == "oai")
    return InputFormat::kMarcXml;
  if (name == "ris") return InputFormat::kRis;
  if (name == "bibtex" || name == "biblatex" || name == "bib")
    return InputFormat::kBibtex;
  if (name == "crossref" || name == "crossref-json")
    return InputFormat::kCrossref;
  if (name == "opencitations" || name == "citations-csv")
    return InputFormat::kCitationCsv;
  if (name == "project-json" || name == "cordis-json" || name == "gtr-json")
    return InputFormat::kProjectJson;
  if (name == "project-csv" || name == "cordis-csv")
    return InputFormat::kProjectCsv;
  if (name == "cordis-xml" || name == "nsf-xml" || name == "jats")
    return InputFormat::kMarcXml;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown format \"", std::string(name),
      "\"; expected auto, nquads, ntriples, marc, marcxml, "
      "oai-pmh, ris, bibtex, crossref, opencitations, project-json, "
      "project-csv, catalog-page, project-page or web-article"));
}

const char* InputFormatName(InputFormat f) {
  switch (f) {
    case InputFormat::kAuto:
      return "auto";
    case InputFormat::kNQuads:
      return "nquads";
    case InputFormat::kCatalogPage:
      return "catalog-page";
    case InputFormat::kProjectPage:
      return "project-page";
    case InputFormat::kWebArticle:
      return "web-article";
    case InputFormat::kMarc:
      return "marc";
    case InputFormat::kMarcXml:
      return "marcxml";
    case InputFormat::kRis:
      return "ris";
    case InputFormat::kBibtex:
      return "bibtex";
    case InputFormat::kCrossref:
      return "crossref";
    case InputFormat::kCitationCsv:
      return "opencitations";
    case InputFormat::kProjectJson:
      return "project-json";
    case InputFormat::kProjectCsv:
      return "project-csv";
  }
  return "?";
}

InputFormat DetectFormat(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  if (LooksLikeIso2709(head)) return InputFormat::kMarc;
  if (head.find('\0') != std::string_view::npos) return InputFormat::kAuto;
  if (LooksLikeRecordXml(head)) return InputFormat::kMarcXml;
  if (LooksLikeProjectJson(head)) return InputFormat::kProjectJson;
  if (LooksLikeCrossrefJson(head)) return InputFormat::kCrossref;
  if (LooksLikeCitationCsv(head)) return InputFormat::kCitationCsv;
  if (LooksLikeProjectCsv(head)) return InputFormat::kProjectCsv;
  if (LooksLikeRis(head)) return InputFormat::kRis;
  // N-Triples / N-Quads: the first line that is not blank or a comment starts
  // with an IRI or a blank node and holds a second term.
  size_t pos = 0;
  while (pos < head.size()) {
    size_t end = head.find('\n', pos);
    std::string_view line =
        head.substr(pos, end == std::string_view::npos ? std::string_view::npos
                                                       : end - pos);
    pos = end == std::string_view::npos ? head.size() : end + 1;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);
    if ((line.starts_with("<") && line.find("> <") != std::string_view::npos) ||
        (line.starts_with("_:") && line.find(" <") != std::string_view::npos)) {
      return InputFormat::kNQuads;
    }
    break;
  }
  if (LooksLikeBibtex(head)) return InputFormat::kBibtex;
  if (LooksLikeCatalogPage(head)) return InputFormat::kCatalogPage;
  if (LooksLikeProjectPage(head)) return InputFormat::kProjectPage;
  return InputFormat::kWebArticle;
}

Source UploadSource(std::string_view name) {
  return {std::string(name), "urn:bibkg:upload:" + text::IriEscape(name)};
}

std::string ImportError::ToString() const {
  std::string out = absl::StrCat(file, ": record ", record);
  if (!field.empty()) absl::StrAppend(&out, ": field ", field);
  absl::StrAppend(&out, ": ", message);
  if (!fatal) absl::StrAppend(&out, " (warning)");
  return out;
}

namespace {

// Graphs with more quads than this (a whole N-Triples dump in one graph, say)
// are not one record and get no topic document.
constexpr size_t kMaxTopicGraphQuads = 10000;

// Stages the topic-index entries of `graph` holding `triples`, and the
// corpus counter changes against what the graph held in `view`.
absl::Status StageTopicEntries(const store::ReadView& view,
                               const store::Term& graph,
                               const std::vector<store::Triple>& triples,
                               store::WriteSet* ws) {
  // The old document of this graph, to keep the corpus counters right.
  int64_t old_docs = 0, old_length = 0;
  absl::StatusOr<store::TermId> gid = view.Lookup(graph);
  if (gid.ok()) {
    absl::StatusOr<std::string> old = view.GetAux(store::kDocKey, *gid);
    if (old.ok()) {
      if (std::optional<store::DocInfo> info = store::ParseDocEntry(*old)) {
        old_docs = 1;
        old_length = static_cast<int64_t>(info->length);
      }
    } else if (!absl::IsNotFound(old.status())) {
      return old.status();
    }
  } else if (!absl::IsNotFound(gid.status())) {
    return gid.status();
  }
  std::optional<store::TopicDoc> doc;
  if (triples.size() <= kMaxTopicGraphQuads)
    doc = topic::BuildTopicDoc(triples);
  int64_t new_docs = doc ? 1 : 0;
  int64_t new_length = doc ? static_cast<int64_t>(doc->length) : 0;
  if (doc || old_docs)
    ws->SetAux(graph, doc ? store::TopicEntries(*doc)
                          : std::vector<store::AuxEntry>{});
  if (new_docs != old_docs)
    ws->AddToCounter(store::kTopicDocsCounter, new_docs - old_docs);
  if (new_length != old_length)
    ws->AddToCounter(store::kTopicLengthCounter, new_length - old_length);
  return absl::OkStatus();
}

}  // namespace

Importer::Importer(store::Store* store, ImporterOptions options)
    : store_(store), options_(std::move(options)) {}

Importer::~Importer() = default;

void Importer::Report(ImportError e) {
  if (!e.fatal) ++stats_.warnings;
  if (options_.on_error) options_.on_error(e);
  if (errors_.size() < options_.max_kept_errors)
    errors_.push_back(std::move(e));
}

void Importer::MaybeProgress(const std::string& file, uint64_t done,
                             uint64_t total, bool force) {
  if (!options_.on_progress) return;
  int64_t now = NowMs();
  if (!force && now - last_progress_ms_ < options_.progress_interval_ms) return;
  last_progress_ms_ = now;
  options_.on_progress({file, done, total, &stats_});
}

absl::Status Importer::ImportFile(const std::string& path) {
  Source source = SourceFor(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
  }
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read: ", ec.message()));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  ++stats_.files;
  InputFormat format = options_.format;
  std::string head(64 * 1024, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), in.get()));
  if (format == InputFormat::kAuto) format = DetectFormat(head);
  if (format == InputFormat::kAuto) {
    Report({path, "-", "",
            "unrecognized format (binary data?); use --format to say", true});
    ++stats_.records_failed;
    return absl::OkStatus();
  }
  MaybeProgress(path, 0, size, true);
  if (IsStreamed(format)) {
    std::rewind(in.get());
    absl::Status s = ReadStream(source, format, in.get(), size);
    stats_.bytes_read += size;
    MaybeProgress(path, size, size, true);
    return s;
  }
  // Pages are small and read whole.
  if (size > options_.max_page_bytes) {
    ++stats_.records_failed;
    Report({path, "1", "",
            absl::StrCat("file of ", size, " bytes is too large for a ",
                         InputFormatName(format), " (limit ",
                         options_.max_page_bytes, " bytes)"),
            true});
    return absl::OkStatus();
  }
  std::string text = head;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in.get())) > 0)
    text.append(buf, n);
  if (std::ferror(in.get())) {
    return absl::UnavailableError(absl::StrCat(path, ": read error"));
  }
  stats_.bytes_read += text.size();
  absl::Status s = ImportText(source, text, format);
  MaybeProgress(path, size, size, true);
  return s;
}

absl::Status Importer::ImportText(const Source& source, std::string_view text,
                                  InputFormat format) {
  if (format == InputFormat::kAuto)
    format = DetectFormat(text.substr(0, 65536));
  if (format == InputFormat::kAuto) {
    ++stats_.records_failed;
    Report({source.path, "-", "",
            "unrecognized format (binary data?); name the format", true});
    return absl::OkStatus();
  }
  if (format == InputFormat::kNQuads && text.starts_with("\xEF\xBB\xBF"))
    text.remove_prefix(3);
  if (IsStreamed(format)) {
    if (text.empty()) return absl::OkStatus();
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
        fmemopen(const_cast<char*>(text.data()), text.size(), "rb"),
        &std::fclose);
    if (!in) return absl::InternalError("cannot read the document from memory");
    return ReadStream(source, format, in.get(), text.size());
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (size_t bad = text::FindInvalidUtf8(text); bad != std::string_view::npos) {
    ++stats_.records_failed;
    Report({source.path, "1", "", absl::StrCat("invalid UTF-8 at byte ", bad),
            true});
    return absl::OkStatus();
  }
  Record rec;
  switch (format) {
    case InputFormat::kNQuads:
    case InputFormat::kAuto:
    case InputFormat::kMarc:
    case InputFormat::kMarcXml:
    case InputFormat::kRis:
    case InputFormat::kBibtex:
    case InputFormat::kCrossref:
    case InputFormat::kCitationCsv:
    case InputFormat::kProjectJson:
    case InputFormat::kProjectCsv:
      return absl::InvalidArgumentError("unrecognized format");
    case InputFormat::kCatalogPage:
      rec = ParseCatalogPage(text, source);
      break;
    case InputFormat::kProjectPage:
      rec = ParseProjectPage(text, source);
      break;
    case InputFormat::kWebArticle:
      rec = ParseWebArticle(text, source);
      break;
  }
  return ImportRecord(source, rec);
}

bool Importer::IsStreamed(InputFormat format) {
  return format == InputFormat::kMarc || format == InputFormat::kMarcXml ||
         format == InputFormat::kRis || format == InputFormat::kBibtex ||
         format == InputFormat::kNQuads || format == InputFormat::kCrossref ||
         format == InputFormat::kCitationCsv ||
         format == InputFormat::kProjectJson ||
         format == InputFormat::kProjectCsv;
}

namespace {

// Records handed from the parsing thread to the storing thread, in batches,
// with a bound on how many wait (memory stays bounded).
class RecordQueue {
 public:
  explicit RecordQueue(size_t max_batches) : max_batches_(max_batches) {}

  // Blocks while the queue is full. Cancelled once the consumer gave up.
  absl::Status Push(Record rec) {
    pending_.push_back(std::move(rec));
    if (pending_.size() < kBatch) return absl::OkStatus();
    return PushPending();
  }
  absl::Status PushPending() {
    if (pending_.empty()) return absl::OkStatus();
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(
        lock, [&] { return cancelled_ || batches_.size() < max_batches_; });
    if (cancelled_) return absl::CancelledError("import stopped");
    batches_.push_back(std::move(pending_));
    pending_.clear();
    not_empty_.notify_one();
    return absl::OkStatus();
  }
  void Close() {
    (void)PushPending();
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  // False when closed and drained.
  bool Pop(std::vector<Record>* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }

 private:
  static constexpr size_t kBatch = 256;
  const size_t max_batches_;
  std::vector<Record> pending_;  // producer side only
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::vector<Record>> batches_;
  bool closed_ = false, cancelled_ = false;
};

// The topic document of a record that will be a new graph, computed where
// the record is parsed.
void PrepareTopic(Record* rec) {
  if (rec->has_fatal() || rec->skip || rec->mode != Record::Mode::kReplace)
    return;
  rec->topic_ready = true;
  if (rec->triples.size() > kMaxTopicGraphQuads) return;
  std::optional<store::TopicDoc> doc = topic::BuildTopicDoc(rec->triples);
  if (!doc) return;
  rec->has_topic_doc = true;
  rec->topic_length = doc->length;
  rec->topic_entries = store::TopicEntries(*doc);
}

}  // namespace

absl::Status Importer::ReadStream(const Source& source, InputFormat format,
                                  std::FILE* in, uint64_t size) {
  std::atomic<uint64_t> offset{0};
  auto parse = [&](const std::function<absl::Status(Record&)>& sink) {
    auto on_record = [&](Record& rec) {
      offset.store(static_cast<uint64_t>(std::ftell(in)),
                   std::memory_order_relaxed);
      return sink(rec);
    };
    switch (format) {
      case InputFormat::kMarc:
        return ReadMarcFile(source, in, on_record, nullptr);
      case InputFormat::kMarcXml:
        return ReadXmlRecords(source, in, on_record);
      case InputFormat::kRis:
        return ReadRis(source, in, on_record);
      case InputFormat::kBibtex:
        return ReadBibtex(source, in, on_record);
      case InputFormat::kCrossref:
        return ReadCrossrefJson(source, in, on_record);
      case InputFormat::kCitationCsv:
        return ReadCitationCsv(source, in, on_record);
      case InputFormat::kProjectJson:
        return ReadProjectJson(source, in, on_record);
      case InputFormat::kProjectCsv:
        return ReadProjectCsv(source, in, on_record);
      case InputFormat::kNQuads: {
        // A syntax error is a bad "record" of its own, so that it travels
        // with the others (and is reported by the storing thread).
        absl::Status bad_status;
        absl::Status s = ReadNQuads(source, in, on_record,
                                    [&](uint64_t line, const std::string& msg) {
                                      if (!bad_status.ok()) return;
                                      Record bad;
                                      bad.id = absl::StrCat("line ", line);
                                      bad.Fail("", msg);
                                      bad_status = sink(bad);
                                    });
        return s.ok() ? bad_status : s;
      }
      default:
        return absl::InternalError("not a streamed format");
    }
  };
  absl::Status parsed, stored;
  if (!options_.bulk) {
    parsed = parse([&](Record& rec) {
      absl::Status s = ImportRecord(source, rec);
      MaybeProgress(source.path, offset.load(), size, false);
      return s;
    });
  } else {
    // Two cores: one parses and maps (and builds topic documents), the
    // other stores.
    RecordQueue queue(16);
    std::thread producer([&] {
      parsed = parse([&](Record& rec) {
        PrepareTopic(&rec);
        return queue.Push(std::move(rec));
      });
      queue.Close();
    });
    std::vector<Record> batch;
    while (queue.Pop(&batch)) {
      for (Record& rec : batch) {
        if (stored.ok()) stored = ImportRecord(source, rec);
      }
      if (!stored.ok()) queue.Cancel();
      MaybeProgress(source.path, offset.load(), size, false);
    }
    producer.join();
    if (absl::IsCancelled(parsed)) parsed = absl::OkStatus();
  }
  absl::Status s = stored.ok() ? parsed : stored;
  if (!s.ok() && !absl::IsInternal(s)) {
    return absl::Status(s.code(), absl::StrCat(source.path, ": ", s.message()));
  }
  return s;
}

absl::Status Importer::ImportRecord(const Source& source, Record& rec) {
  current_source_ = source.path;
  for (const Problem& p : rec.problems) {
    Report({source.path, rec.id, p.field, p.message, p.fatal});
  }
  if (rec.has_fatal()) {
    ++stats_.records_failed;
    return absl::OkStatus();
  }
  if (rec.skip) {
    ++stats_.records_skipped;
    return absl::OkStatus();
  }
  stats_.self_citations += rec.self_citations;
  absl::Status s;
  if (options_.bulk && rec.title_refs.empty() && rec.locator_refs.empty()) {
    s = BulkRecord(rec);
  } else {
    BIBKG_RETURN_IF_ERROR(EndBulk());
    s = CommitRecord(rec);
  }
  if (absl::IsInvalidArgument(s)) {
    // The store refused the record's content (e.g. a literal predicate).
    ++stats_.records_failed;
    Report({source.path, rec.id, "", std::string(s.message()), true});
    return absl::OkStatus();
  }
  BIBKG_RETURN_IF_ERROR(s);
  if (rec.mode == Record::Mode::kDelete) {
    ++stats_.records_deleted;
  } else {
    ++stats_.records_imported;
  }
  return absl::OkStatus();
}

absl::Status Importer::BulkRecord(Record& rec) {
  if (!loader_) {
    store::BulkOptions bulk;
    bulk.run_quads = options_.bulk_run_quads;
    BIBKG_ASSIGN_OR_RETURN(loader_, store_->NewBulkLoader(bulk));
  }
  if (rec.mode == Record::Mode::kDelete) {
    BIBKG_RETURN_IF_ERROR(EndBulk());
    return CommitRecord(rec);
  }
  if (rec.mode == Record::Mode::kAdd) {
    // RDF chunks: quads only; their topic documents are rebuilt at Finish.
    uint64_t before = loader_->quads_loaded();
    BIBKG_RETURN_IF_ERROR(loader_->AddGraph(rec.graph, rec.triples, false));
    stats_.quads_inserted += loader_->quads_loaded() - before;
    reindex_graphs_.push_back(rec.graph);
    return absl::OkStatus();
  }
  BIBKG_ASSIGN_OR_RETURN(bool exists, loader_->HasGraph(rec.graph));
  if (exists) {
    // A record imported before: replacing it needs the old topic entries,
    // which only a commit can diff.
    BIBKG_RETURN_IF_ERROR(EndBulk());
    return CommitRecord(rec);
  }
  if (!rec.topic_ready) PrepareTopic(&rec);
  uint64_t before = loader_->quads_loaded();
  BIBKG_RETURN_IF_ERROR(
      loader_->AddNewGraph(rec.graph, rec.triples, rec.topic_entries));
  if (rec.has_topic_doc) {
    loader_->AddToCounter(store::kTopicDocsCounter, 1);
    loader_->AddToCounter(store::kTopicLengthCounter,
                          static_cast<int64_t>(rec.topic_length));
  }
  stats_.quads_inserted += loader_->quads_loaded() - before;
  if (!rec.match_key.empty()) {
    bulk_has_works_ = true;
    // The keys stubs waiting for this work would have (see ResolveStubs).
    if (!bulk_keys_overflow_) {
      bulk_keys_.push_back("t|" + rec.match_key);
      for (std::string& k : WorkLocatorKeys(rec))
        bulk_keys_.push_back("l|" + k);
      if (bulk_keys_.size() > kMaxBulkStubKeys) {
        bulk_keys_overflow_ = true;
        bulk_keys_.clear();
        bulk_keys_.shrink_to_fit();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Importer::EndBulk() {
  if (!loader_) return absl::OkStatus();
  absl::Status s = loader_->Finish();
  loader_.reset();
  BIBKG_RETURN_IF_ERROR(s);
  // Works loaded in bulk may be what earlier stubs wait for.
  if (bulk_has_works_) {
    bulk_has_works_ = false;
    absl::Cleanup reset = [&] {
      bulk_keys_.clear();
      bulk_keys_.shrink_to_fit();
      bulk_keys_overflow_ = false;
    };
    BIBKG_RETURN_IF_ERROR(ResolveStubs());
  }
  return absl::OkStatus();
}

absl::Status Importer::StageStubRewrites(
    const store::ReadView& view,
    const absl::flat_hash_map<std::string, std::string>& stub_to_work,
    const store::Term& except, store::WriteSet* ws) {
  // Every graph that mentions one of the stubs is rewritten once, with all
  // of its stubs replaced (two rewrites of one graph would undo each other).
  absl::flat_hash_set<std::string> graphs;
  auto collect = [&](const store::Quad& q) {
    if (!(q.g == except)) graphs.insert(q.g.value);
    return true;
  };
  for (const auto& [stub, work] : stub_to_work) {
    store::Term t = store::Term::Iri(stub);
    BIBKG_RETURN_IF_ERROR(
        view.Scan({t, std::nullopt, std::nullopt, std::nullopt}, collect));
    BIBKG_RETURN_IF_ERROR(
        view.Scan({std::nullopt, std::nullopt, t, std::nullopt}, collect));
  }
  std::vector<std::string> ordered(graphs.begin(), graphs.end());
  std::sort(ordered.begin(), ordered.end());
  for (const std::string& g : ordered) {
    std::vector<store::Triple> rewritten;
    store::Term graph = store::Term::Iri(g);
    BIBKG_RETURN_IF_ERROR(view.Scan(
        {std::nullopt, std::nullopt, std::nullopt, graph},
        [&](const store::Quad& q) {
          if (q.s.is_iri() && stub_to_work.contains(q.s.value))
            return true;  // the stub's own description goes
          store::Term o = q.o;
          if (o.is_iri()) {
            if (auto it = stub_to_work.find(o.value); it != stub_to_work.end())
              o = store::Term::Iri(it->second);
          }
          rewritten.push_back({q.s, q.p, std::move(o)});
          return true;
        }));
    ws->ReplaceGraph(graph, std::move(rewritten));
  }
  return absl::OkStatus();
}

absl::Status Importer::ResolveStubs() {
  // Few stubs exist at any time (one per title nobody has imported yet):
  // look each one's match key up among the works.
  std::unique_ptr<store::ReadView> view = store_->NewReadView();
  std::vector<std::pair<store::Term, std::string>> stubs;  // stub, key
  // Look at every stub when there are fewer stubs than keys to look up.
  bool all_stubs = true;
  BIBKG_RETURN_IF_ERROR(view->Scan(
      {std::nullopt, store::Term::Iri(vocab::kRdfType),
       store::Term::Iri(vocab::kUnresolved), std::nullopt},
      [&](const store::Quad& q) {
        if (IsStub(q.s) && (stubs.empty() || !(stubs.back().first == q.s)))
          stubs.emplace_back(q.s, "");
        if (!bulk_keys_overflow_ && stubs.size() > bulk_keys_.size()) {
          all_stubs = false;
          return false;
        }
        return true;
      }));
  if (!all_stubs) {
    stubs.clear();
    // The stubs the loaded works could take over, found by their keys.
    std::sort(bulk_keys_.begin(), bulk_keys_.end());
    bulk_keys_.erase(std::unique(bulk_keys_.begin(), bulk_keys_.end()),
                     bulk_keys_.end());
    absl::flat_hash_set<std::string> seen;
    for (const std::string& k : bulk_keys_) {
      std::string_view key = std::string_view(k).substr(2);
      if (k[0] == 't') {
        BIBKG_RETURN_IF_ERROR(
            view->Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                        store::Term::Literal(std::string(key)), std::nullopt},
                       [&](const store::Quad& q) {
                         if (IsStub(q.s) && seen.insert(q.s.value).second)
                           stubs.emplace_back(q.s, "");
                         return true;
                       }));
      } else {
        store::Term stub = store::Term::Iri(text::MintIri("stub", key));
        BIBKG_RETURN_IF_ERROR(
            view->Scan({stub, store::Term::Iri(vocab::kRdfType), std::nullopt,
                        std::nullopt},
                       [&](const store::Quad&) {
                         if (seen.insert(stub.value).second)
                           stubs.emplace_back(stub, "");
                         return false;
                       }));
      }
    }
  }
  store::WriteSet ws;
  absl::flat_hash_map<std::string, std::string> resolved;  // stub -> work
  for (auto& [stub, key] : stubs) {
    BIBKG_RETURN_IF_ERROR(view->Scan(
        {stub, store::Term::Iri(vocab::kMatchKey), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          key = q.o.value;
          return false;
        }));
    if (key.empty()) {
      // A stub for a reference by ISSN + volume + page or by ISBN.
      std::string locator;
      BIBKG_RETURN_IF_ERROR(
          view->Scan({stub, store::Term::Iri(vocab::kLocatorKey), std::nullopt,
                      std::nullopt},
                     [&](const store::Quad& q) {
                       locator = q.o.value;
                       return false;
                     }));
      if (locator.empty()) continue;
      BIBKG_ASSIGN_OR_RETURN(std::string found, FindByLocator(*view, locator));
      if (!found.empty()) resolved[stub.value] = found;
      continue;
    }
    std::vector<std::string> candidates;
    BIBKG_RETURN_IF_ERROR(
        view->Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                    store::Term::Literal(key), std::nullopt},
                   [&](const store::Quad& q) {
                     if (q.s.is_iri() && !IsStub(q.s))
                       candidates.push_back(q.s.value);
                     return true;
                   }));
    std::sort(candidates.begin(), candidates.end());
    int year;
    std::string family;
    BIBKG_RETURN_IF_ERROR(StubReference(*view, stub, &year, &family));
    for (const std::string& c : candidates) {
      BIBKG_ASSIGN_OR_RETURN(bool fits,
                             FitsReference(*view, nullptr, c, year, family));
      if (fits) {
        resolved[stub.value] = c;
        break;
      }
    }
  }
  if (resolved.empty()) return absl::OkStatus();
  BIBKG_RETURN_IF_ERROR(
      StageStubRewrites(*view, resolved, store::Term::Iri(""), &ws));
  store::CommitStats cs;
  BIBKG_RETURN_IF_ERROR(store_->Commit(ws, &cs));
  stats_.quads_inserted += cs.quads_inserted;
  stats_.quads_deleted += cs.quads_deleted;
  return absl::OkStatus();
}

absl::Status Importer::CheckCitationDates(const store::ReadView& view,
                                          const Record& rec) {
  auto report = [&](int citing_year, const std::string& cited, int year) {
    ++stats_.citations_of_later_works;
    Report({current_source_, rec.id, "cites",
            absl::StrCat("<", cited, "> (", year, ") is cited by a work of ",
                         citing_year,
                         ", more than a year before it appeared; check the "
                         "reference or the dates"),
            false});
  };
  // This record's citations of works the store already dates.
  for (const store::Triple& t : rec.triples) {
    if (t.p.value != vocab::kCites || !t.o.is_iri() || IsStub(t.o)) continue;
    BIBKG_ASSIGN_OR_RETURN(int citing,
                           IssuedYear(view, rec.triples, t.s.value));
    if (citing == 0) continue;
    BIBKG_ASSIGN_OR_RETURN(int cited, IssuedYear(view, rec.triples, t.o.value));
    if (cited > citing + 1) report(citing, t.o.value, cited);
  }
  // Works already in the store that cite this record's work.
  if (rec.work_iri.empty()) return absl::OkStatus();
  BIBKG_ASSIGN_OR_RETURN(int year, IssuedYear(view, rec.triples, rec.work_iri));
  if (year == 0) return absl::OkStatus();
  std::vector<std::string> citers;
  BIBKG_RETURN_IF_ERROR(
      view.Scan({std::nullopt, store::Term::Iri(vocab::kCites),
                 store::Term::Iri(rec.work_iri), std::nullopt},
                [&](const store::Quad& q) {
                  if (!(q.g == rec.graph)) citers.push_back(q.s.value);
                  return citers.size() < 10000;
                }));
  std::sort(citers.begin(), citers.end());
  citers.erase(std::unique(citers.begin(), citers.end()), citers.end());
  for (const std::string& c : citers) {
    BIBKG_ASSIGN_OR_RETURN(int citing, IssuedYear(view, {}, c));
    if (citing != 0 && year > citing + 1) report(citing, rec.work_iri, year);
  }
  return absl::OkStatus();
}

absl::Status Importer::CommitRecord(Record& rec) {
  store::WriteSet ws;
  if (rec.mode == Record::Mode::kDelete) {
    ws.DropGraph(rec.graph);
    std::unique_ptr<store::ReadView> view = store_->NewReadView();
    BIBKG_RETURN_IF_ERROR(StageTopicEntries(*view, rec.graph, {}, &ws));
  } else {
    std::unique_ptr<store::ReadView> view = store_->NewReadView();
    // Title links: to the work with that match key, else to a stub that the
    // work takes over when it is imported.
    for (const TitleRef& ref : rec.title_refs) {
      std::string key = text::MatchKey(ref.title);
      if (key.empty()) continue;
      std::vector<std::string> candidates;
      BIBKG_RETURN_IF_ERROR(view->Scan(
          {std::nullopt, store::Term::Iri(vocab::kMatchKey),
           store::Term::Literal(key), std::nullopt},
          [&](const store::Quad& q) {
            if (q.s.is_iri() && !IsStub(q.s) && q.s.value != rec.work_iri)
              candidates.push_back(q.s.value);
            return true;
          }));
      std::sort(candidates.begin(), candidates.end());
      std::string target;
      for (const std::string& c : candidates) {
        BIBKG_ASSIGN_OR_RETURN(
            bool fits,
            FitsReference(*view, nullptr, c, ref.year, ref.author_family));
        if (fits) {
          target = c;
          break;
        }
      }
      if (target.empty()) {
        // A stub per title and year: two works of one title a decade apart
        // are two stubs.
        target = text::MintIri(
            "stub", ref.year ? absl::StrCat(key, "|", ref.year) : key);
        rec.AddIri(target, vocab::kRdfType, vocab::kUnresolved);
        rec.AddLiteral(target, vocab::kTitle, ref.title);
        rec.AddLiteral(target, vocab::kMatchKey, key);
        if (ref.year)
          rec.AddLiteral(target, vocab::kRefYear, absl::StrCat(ref.year));
        rec.AddLiteral(target, vocab::kRefAuthor, ref.author_family);
      } else if (ref.predicate == vocab::kCites &&
                 view->InDegree(store::Term::Iri(vocab::kCites),
                                store::Term::Iri(target)) >=
                     kOvermatchCitations) {
        // A title that many citing works resolve to: often a generic title
        // ("Introduction") matched too eagerly.
        ++stats_.overmatched_references;
        Report({current_source_, rec.id, "reference",
                absl::StrCat("the title \"", ref.title, "\" resolves to <",
                             target, ">, which ", kOvermatchCitations,
                             " or more works already cite; check the match"),
                false});
      }
      rec.AddIri(ref.subject, ref.predicate.c_str(), target);
    }
    // Links by ISSN + volume + first page, or by ISBN.
    for (const LocatorRef& ref : rec.locator_refs) {
      std::string key = ref.isbn13.empty()
                            ? LocatorKey(ref.issn, ref.volume, ref.first_page)
                            : IsbnKey(ref.isbn13);
      BIBKG_ASSIGN_OR_RETURN(std::string target, FindByLocator(*view, key));
      if (target.empty()) {
        target = text::MintIri("stub", key);
        rec.AddIri(target, vocab::kRdfType, vocab::kUnresolved);
        rec.AddLiteral(target, vocab::kLocatorKey, key);
        rec.AddLiteral(target, vocab::kBibliographicCitation, ref.said);
      }
      rec.AddIri(ref.subject, ref.predicate.c_str(), target);
    }
    BIBKG_RETURN_IF_ERROR(CheckCitationDates(*view, rec));
    // Stubs waiting for this work: point every graph that holds one at the
    // work instead, in the same atomic write.
    if (!rec.match_key.empty()) {
      absl::flat_hash_map<std::string, std::string> stubs;
      // Title stubs that this work fits.
      std::vector<store::Term> titled;
      BIBKG_RETURN_IF_ERROR(
          view->Scan({std::nullopt, store::Term::Iri(vocab::kMatchKey),
                      store::Term::Literal(rec.match_key), std::nullopt},
                     [&](const store::Quad& q) {
                       if (IsStub(q.s)) titled.push_back(q.s);
                       return true;
                     }));
      for (const store::Term& stub : titled) {
        int year;
        std::string family;
        BIBKG_RETURN_IF_ERROR(StubReference(*view, stub, &year, &family));
        BIBKG_ASSIGN_OR_RETURN(
            bool fits,
            FitsReference(*view, &rec.triples, rec.work_iri, year, family));
        if (fits) stubs[stub.value] = rec.work_iri;
      }
      for (const std::string& key : WorkLocatorKeys(rec))
        stubs[text::MintIri("stub", key)] = rec.work_iri;
      BIBKG_RETURN_IF_ERROR(StageStubRewrites(*view, stubs, rec.graph, &ws));
    }
    // The topic index entries follow the graph's new content.
    std::vector<store::Triple> final_triples;
    if (rec.mode == Record::Mode::kAdd) {
      // Read at most one more quad than a topic document may have: a larger
      // graph gets none, and re-reading it for every chunk would be
      // quadratic.
      BIBKG_RETURN_IF_ERROR(
          view->Scan({std::nullopt, std::nullopt, std::nullopt, rec.graph},
                     [&](const store::Quad& q) {
                       final_triples.push_back({q.s, q.p, q.o});
                       return final_triples.size() <= kMaxTopicGraphQuads;
                     }));
      final_triples.insert(final_triples.end(), rec.triples.begin(),
                           rec.triples.end());
      ws.AddToGraph(rec.graph, rec.triples);
    } else {
      ws.ReplaceGraph(rec.graph, rec.triples);
    }
    const std::vector<store::Triple>& content =
        rec.mode == Record::Mode::kAdd ? final_triples : rec.triples;
    BIBKG_RETURN_IF_ERROR(StageTopicEntries(*view, rec.graph, content, &ws));
  }
  store::CommitStats cs;
  BIBKG_RETURN_IF_ERROR(store_->Commit(ws, &cs));
  stats_.quads_inserted += cs.quads_inserted;
  stats_.quads_deleted += cs.quads_deleted;
  return absl::OkStatus();
}

absl::Status Importer::Finish() {
  BIBKG_RETURN_IF_ERROR(EndBulk());
  if (!reindex_graphs_.empty()) {
    // RDF loaded in chunks: the topic documents of the whole graphs.
    std::vector<store::TermId> graphs;
    {
      auto view = store_->NewReadView();
      absl::flat_hash_set<std::string> seen;
      for (const store::Term& g : reindex_graphs_) {
        if (!seen.insert(g.value).second) continue;
        absl::StatusOr<store::TermId> id = view->Lookup(g);
        if (id.ok()) graphs.push_back(*id);
      }
    }
    reindex_graphs_.clear();
    BIBKG_RETURN_IF_ERROR(ReindexTopics(store_, std::move(graphs)));
  }
  return store_->Sync();
}

absl::Status ReindexTopics(
    store::Store* store, std::vector<store::TermId> graphs,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  constexpr size_t kBatch = 500;
  uint64_t total = graphs.size();
  if (graphs.empty()) {
    auto view = store->NewReadView();
    // Every graph: the distinct graph ids of the graph index.
    BIBKG_RETURN_IF_ERROR(view->ScanDistinct({}, 3, [&](store::TermId g) {
      graphs.push_back(g);
      return true;
    }));
  }
  uint64_t done = 0;
  for (size_t start = 0; start < graphs.size(); start += kBatch) {
    auto view = store->NewReadView();
    store::WriteSet ws;
    for (size_t i = start; i < std::min(graphs.size(), start + kBatch); ++i) {
      BIBKG_ASSIGN_OR_RETURN(store::Term graph, view->Resolve(graphs[i]));
      std::vector<store::Triple> triples;
      BIBKG_RETURN_IF_ERROR(
          view->Scan({std::nullopt, std::nullopt, std::nullopt, graph},
                     [&](const store::Quad& q) {
                       triples.push_back({q.s, q.p, q.o});
                       return triples.size() <= kMaxTopicGraphQuads;
                     }));
      BIBKG_RETURN_IF_ERROR(StageTopicEntries(*view, graph, triples, &ws));
    }
    BIBKG_RETURN_IF_ERROR(store->Commit(ws));
    done = std::min<uint64_t>(graphs.size(), start + kBatch);
    if (progress) progress(done, total ? total : graphs.size());
  }
  return absl::OkStatus();
}

}  // namespace bibkg::indexer
