// The import pipeline: detect a file's format, parse it record by record,
// resolve each record's links against the store, and write each record's
// graph atomically (or through the bulk loader). Bad records are reported
// and skipped; the rest import.
//
// Links. A record may name the works it links to (citations, references,
// funding and relation links) by title, or by where they appeared (ISSN +
// volume + first page) or ISBN. Such a link goes to the work in the store
// that fits (for a title, also the year and author when both sides say
// them); when none does, to a placeholder node (a "stub", typed
// bibkg:Unresolved) in the linking record's graph. A work imported later
// takes over the stubs it fits: the graphs that mention them point at the
// work from then on. Whether a link reaches a work does not depend on which
// of the two was imported first: a title stub stands for one title, year
// and author, so the work takes over exactly the references it fits.
#ifndef BIBKG_INDEXER_IMPORTER_H_
#define BIBKG_INDEXER_IMPORTER_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "indexer/mapping/record.h"
#include "store/store.h"

namespace bibkg::indexer {

struct InputStream;  // indexer/readers/input.h

enum class InputFormat {
  kAuto,
  kNQuads,       // N-Quads or N-Triples
  kCatalogPage,  // catalog record page ("Label: | value |" table)
  kProjectPage,  // research-council project page
  kWebArticle,   // web article or blog post
  kMarc,         // MARC 21 in ISO 2709 (.mrc), UTF-8 or MARC-8
  kMarcXml,      // MARCXML, or an OAI-PMH response (oai_dc or marc21)
  kRis,          // RIS
  kBibtex,       // BibTeX / BibLaTeX
  kCrossref,     // Crossref REST API work JSON (also JSON lines)
  kCitationCsv,  // OpenCitations index CSV (citing, cited, ...)
  kProjectJson,  // CORDIS project JSON, UKRI Gateway to Research JSON
  kProjectCsv,   // CORDIS project or programme CSV
};
// "auto", "nquads", "ntriples", "catalog-page", "project-page", "web-article",
// "marc", "marcxml", "oai-pmh", "ris", "bibtex", "crossref", "opencitations",
// "project-json" ("cordis-json", "gtr-json"), "project-csv" ("cordis-csv").
// CORDIS project XML and NSF award XML are read as "marcxml" (the XML
// reader).
absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name);
const char* InputFormatName(InputFormat f);
// The format of a file from its first bytes; kAuto when unrecognized.
InputFormat DetectFormat(std::string_view head);

// The source of a document sent over the network rather than read from a
// file: graph IRIs <urn:bibkg:upload:NAME#id>.
Source UploadSource(std::string_view name);

// One bad record or one flagged value, for the error report.
struct ImportError {
  std::string file;
  std::string record;  // record id, or "line N"
  std::string field;
  std::string message;
  bool fatal = false;  // the record was skipped
  // "file: record 1: field ISSN: message"
  std::string ToString() const;
};

struct ImportStats {
  uint64_t files = 0;
  uint64_t records_imported = 0;
  uint64_t records_failed = 0;
  uint64_t records_deleted = 0;
  uint64_t records_skipped = 0;  // accepted, not stored (MARC holdings)
  // Citation checks (each also reported as a warning).
  uint64_t self_citations = 0;            // dropped
  uint64_t citations_of_later_works = 0;  // cited work > 1 year younger
  uint64_t overmatched_references = 0;    // title resolving to a work cited
                                          // by thousands
  uint64_t warnings = 0;
  uint64_t quads_inserted = 0;
  uint64_t quads_deleted = 0;
  uint64_t bytes_read = 0;
};

struct ImportProgress {
  std::string file;
  uint64_t file_bytes_done = 0;
  uint64_t file_bytes_total = 0;
  const ImportStats* stats = nullptr;
};

struct ImporterOptions {
  // Format of every input; kAuto detects each file's from its content.
  InputFormat format = InputFormat::kAuto;
  // Load through the store's bulk path: records are parsed and mapped on one
  // thread, given topic documents on a second while a third stages them; staged
  // quads are sorted into runs and ingested as table files (a small run is
  // written as one batch). Records with links, deletions and records replacing
  // a graph already in the store are committed one by one, each its own atomic
  // write, after what was staged before them. Either way each record is
  // wholly in the store or absent, and the result is the same as with
  // `bulk` false (every record committed on its own, one thread).
  bool bulk = true;
  // Quads per bulk run (see store::BulkOptions). Default: 2M.
  size_t bulk_run_quads = 2u << 20;
  // Called for each error and warning as it is found.
  std::function<void(const ImportError&)> on_error;
  // Called at most every `progress_interval_ms` while importing.
  std::function<void(const ImportProgress&)> on_progress;
  int progress_interval_ms = 200;
  // Pages (catalog, project, web) are read whole; larger files are refused.
  // Default: 16 MiB.
  size_t max_page_bytes = 16u << 20;
  // Errors kept in memory for errors(); later ones are only counted and
  // passed to on_error. Default: 10000.
  size_t max_kept_errors = 10000;
};

// Rebuilds the topic-index entries of the given graphs (of every graph when
// `graphs` is empty) from their quads, a few hundred graphs per atomic write.
// Bulk loads of RDF leave them out; `bibkg reindex` and the importer (after
// each file) call this. `progress(done, total)` is called after each write.
absl::Status ReindexTopics(
    store::Store* store, std::vector<store::TermId> graphs,
    const std::function<void(uint64_t, uint64_t)>& progress = nullptr);

// Not thread-safe: one Importer per thread, and one importing thread per
// store at a time (link resolution reads then writes).
class Importer {
 public:
  Importer(store::Store* store, ImporterOptions options);
  ~Importer();

  // Imports one file: plain, compressed (gzip, bzip2, xz, zstd …), an
  // archive (tar, zip …) of such files, or a directory of them, walked
  // recursively (see indexer/readers/input.h). Archive members are named
  // "archive!member" in progress, errors and graph names. Bad records, and
  // damaged archives, are reported (errors()) and skipped; the status is
  // non-OK only when the file cannot be read or the store fails.
  absl::Status ImportFile(const std::string& path);
  // Imports in-memory text as if it were a file at `source`.
  absl::Status ImportText(const Source& source, std::string_view text,
                          InputFormat format = InputFormat::kAuto);
  // Makes everything imported durable (fsyncs the write-ahead log). Call it
  // once after the last import.
  absl::Status Finish();

  const ImportStats& stats() const { return stats_; }
  const std::vector<ImportError>& errors() const { return errors_; }

 private:
  // The driver (importer.cc): ImportText without EndLoad.
  absl::Status ReadText(const Source& source, std::string_view text,
                        InputFormat format);
  static bool IsStreamed(InputFormat format);
  // Imports one stream of an input file (the file, or an archive member).
  absl::Status ImportInput(InputStream& input);
  absl::Status ReadStream(const Source& source, InputFormat format,
                          std::FILE* in, uint64_t size);
  // Reports the record's problems, then commits it or hands it to the bulk
  // loader, and counts it.
  absl::Status ImportRecord(const Source& source, Record& rec);
  void Report(ImportError e);
  void MaybeProgress(const std::string& file, uint64_t done, uint64_t total,
                     bool force);

  // One record in one atomic write, its links resolved (commit.cc).
  absl::Status CommitRecord(Record& rec);
  // Commits `ws` to the store, counting the quads it inserts and deletes.
  absl::Status Commit(const store::WriteSet& ws);

  // Link resolution (link_resolver.cc). Adds a link to `rec` for each of its
  // title references: to the work that fits, else to a title stub described
  // in `rec`.
  absl::Status ResolveTitleLinks(const store::ReadView& view, Record& rec);
  // Reports citations of works that appeared more than a year after the
  // citing work, in both directions (this record citing, or being cited).
  absl::Status CheckCitationDates(const store::ReadView& view,
                                  const Record& rec);
  // What a date check needs of a record: its citations (to works, not
  // stubs) and its work.
  struct DateCheck {
    std::string id;
    store::Term graph;
    std::string work;
    std::vector<store::Triple> cites;
    std::string source;
    uint64_t seq = 0;  // the record's place in the load
  };
  // The check of `check`, the record's own quads in `local` (or in the
  // store); citing works whose graph `skip_citer` accepts are left to their
  // own check.
  absl::Status CheckCitationDates(
      const store::ReadView& view, const DateCheck& check,
      const std::vector<store::Triple>& local,
      const std::function<bool(const std::string&)>& skip_citer);
  // After a bulk load: the date checks of the records it held, against the
  // store that now holds them all (each pair of works checked once).
  absl::Status CheckLoadedCitationDates();
  // After a bulk load: stubs whose work has arrived are rewritten.
  absl::Status ResolveStubs();

  // The bulk path (bulk_import.cc). A record without links goes to the
  // loader; one the loader cannot take ends the load and is committed.
  absl::Status BulkRecord(Record& rec);
  // Writes what the loader holds, then resolves the stubs its works take
  // over.
  absl::Status EndBulk();
  // Makes what the loader staged visible, then commits the record (through
  // the loader when one is open).
  absl::Status FlushAndCommit(Record& rec);
  // Commits a record that replaces or deletes a graph: when the load holds
  // works or date checks, ends it first (EndBulk), so that the stubs those
  // works take over and the dates they are checked against are those of
  // the per-record path, where each work did so on arrival.
  absl::Status CommitReplacing(Record& rec);
  // EndBulk, then rebuilds the topic-index entries of the RDF graphs loaded
  // in chunks.
  absl::Status EndLoad();

  store::Store* store_;
  ImporterOptions options_;
  ImportStats stats_;
  std::vector<ImportError> errors_;
  std::unique_ptr<store::BulkLoader> loader_;
  std::vector<store::Term> reindex_graphs_;  // RDF chunks loaded in bulk
  bool bulk_has_works_ = false;  // the current bulk load holds titled works
  std::vector<std::string> bulk_keys_;  // "t|<match key>", "l|<locator key>"
  bool bulk_keys_overflow_ = false;
  // Date checks of the current load's records; records without citations
  // are kept only when the store held citations before the load.
  std::vector<DateCheck> bulk_date_checks_;
  absl::flat_hash_set<std::string> bulk_citing_graphs_;  // of those checks
  // Graphs committed during the load (their own check ran then), with their
  // place in the load.
  absl::flat_hash_map<std::string, uint64_t> bulk_committed_graphs_;
  uint64_t bulk_seq_ = 0;
  bool bulk_store_has_cites_ = false;
  std::string current_source_;  // file of the record being imported
  int64_t last_progress_ms_ = 0;
};

}  // namespace bibkg::indexer

#endif  // BIBKG_INDEXER_IMPORTER_H_
