// The importer's driver: input formats and their detection, files and
// in-memory documents read record by record, progress and the error report.
// A record goes to CommitRecord (commit.cc) or, in a bulk import, to the
// bulk loader (bulk_import.cc).
#include "indexer/importer.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "indexer/importer_internal.h"
#include "indexer/readers/bibtex.h"
#include "indexer/readers/citations.h"
#include "indexer/readers/input.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/pages.h"
#include "indexer/readers/projects.h"
#include "indexer/readers/rdf_io.h"
#include "indexer/readers/ris.h"
#include "indexer/readers/xml_records.h"
#include "text/normalize.h"

namespace bibkg::indexer {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The source of the stream `name` read from the file `path`: the file's
// IRI, followed by "!member" for an archive member.
Source SourceFor(const std::string& path, const std::string& name) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::weakly_canonical(path, ec);
  if (ec) abs = std::filesystem::absolute(path);
  std::string member =
      name.starts_with(path) ? name.substr(path.size()) : std::string();
  return {name, "file://" + text::IriEscape(abs.string() + member)};
}

// Parses a streamed format from `in`, handing each record to `sink` and
// keeping `offset` at the file position reached.
absl::Status ParseStream(const Source& source, InputFormat format,
                         std::FILE* in, std::atomic<uint64_t>* offset,
                         const RecordSink& sink) {
  auto on_record = [&](Record& rec) {
    offset->store(static_cast<uint64_t>(std::ftell(in)),
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
  absl::Status s = ForEachInput(
      path, [&](InputStream& in) { return ImportInput(in); },
      [&](const std::string& name, const std::string& message) {
        ++stats_.records_failed;
        Report({name, "-", "", message, true});
      });
  absl::Status ended = EndLoad();
  return s.ok() ? ended : s;
}

absl::Status Importer::ImportText(const Source& source, std::string_view text,
                                  InputFormat format) {
  absl::Status s = ReadText(source, text, format);
  absl::Status ended = EndLoad();
  return s.ok() ? ended : s;
}

absl::Status Importer::ImportInput(InputStream& input) {
  const std::string& path = input.name;
  Source source = SourceFor(input.path, input.name);
  std::FILE* in = input.in;
  uint64_t size = input.size;
  ++stats_.files;
  InputFormat format = options_.format;
  std::string_view head = input.head;
  if (format == InputFormat::kAuto) format = DetectFormat(head);
  if (format == InputFormat::kAuto) {
    Report({path, "-", "",
            "unrecognized format (binary data?); use --format to say", true});
    ++stats_.records_failed;
    return absl::OkStatus();
  }
  MaybeProgress(path, 0, size, true);
  if (IsStreamed(format)) {
    absl::Status s = ReadStream(source, format, in, size);
    uint64_t done = input.unpacked
                        ? static_cast<uint64_t>(std::max(0L, std::ftell(in)))
                        : size;
    stats_.bytes_read += done;
    MaybeProgress(path, done, size ? size : done, true);
    return s;
  }
  // Pages are small and read whole, up to the limit.
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    text.append(buf, n);
    if (text.size() > options_.max_page_bytes) break;
  }
  if (text.size() > options_.max_page_bytes) {
    ++stats_.records_failed;
    Report(
        {path, "1", "",
         absl::StrCat("document is too large for a ", InputFormatName(format),
                      " (limit ", options_.max_page_bytes, " bytes)"),
         true});
    return absl::OkStatus();
  }
  if (std::ferror(in)) {
    return absl::UnavailableError(absl::StrCat(path, ": read error"));
  }
  stats_.bytes_read += text.size();
  absl::Status s = ReadText(source, text, format);
  MaybeProgress(path, size, size, true);
  return s;
}

absl::Status Importer::ReadText(const Source& source, std::string_view text,
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

absl::Status Importer::ReadStream(const Source& source, InputFormat format,
                                  std::FILE* in, uint64_t size) {
  std::atomic<uint64_t> offset{0};
  auto parse = [&](const RecordSink& sink) {
    return ParseStream(source, format, in, &offset, sink);
  };
  absl::Status s;
  if (!options_.bulk) {
    s = parse([&](Record& rec) {
      absl::Status stored = ImportRecord(source, rec);
      MaybeProgress(source.path, offset.load(), size, false);
      return stored;
    });
  } else {
    // A pipeline over both cores: parsing and mapping, topic documents and
    // storing each on a thread of its own (the loader writes runs on more).
    s = ParseWhileStoring(
        parse, [&](Record& rec) { return ImportRecord(source, rec); },
        [&] { MaybeProgress(source.path, offset.load(), size, false); });
  }
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
    s = FlushAndCommit(rec);
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

}  // namespace bibkg::indexer
