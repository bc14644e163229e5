// bibkg: import bibliographic records into a RocksDB quad store, export and
// inspect it. Thin main: the work is in indexer/ and store/.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "indexer/importer.h"
#include "indexer/readers/rdf_io.h"
#include "store/store.h"
#include "tools/remote.h"
#include "tools/warning_summary.h"

namespace {

using bibkg::indexer::Importer;
using bibkg::indexer::ImporterOptions;
using bibkg::indexer::ImportError;
using bibkg::indexer::ImportProgress;
using bibkg::store::Store;

// Exit codes.
constexpr int kOk = 0;
constexpr int kSomeRecordsFailed = 1;
constexpr int kFailed = 2;

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "bibkg: %s\n", std::string(s.message()).c_str());
  return kFailed;
}

std::string Thousands(uint64_t n) {
  std::string digits = absl::StrCat(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

struct ImportArgs {
  std::string db;
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string errors_file;
  bool bulk = false;  // accepted; every import takes the bulk path
  size_t bulk_run_quads = 2u << 20;
  bool quiet = false;
};

int RunImport(const ImportArgs& args) {
  absl::StatusOr<bibkg::indexer::InputFormat> format =
      bibkg::indexer::ParseInputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(args.db);
  if (!store.ok()) return Fail(store.status());

  std::ofstream errors_out;
  if (!args.errors_file.empty()) {
    errors_out.open(args.errors_file);
    if (!errors_out) {
      return Fail(absl::UnavailableError("cannot write " + args.errors_file));
    }
    errors_out << "file\trecord\tfield\tseverity\tmessage\n";
  }
  const bool tty = !args.quiet && isatty(STDERR_FILENO);
  bool progress_shown = false;
  auto start = std::chrono::steady_clock::now();
  ImporterOptions options;
  options.format = *format;
  options.bulk_run_quads = args.bulk_run_quads;
  // The terminal gets the first few errors as they come and a summary by
  // kind at the end; the report gets every problem.
  constexpr int kErrorsShown = 10;
  int errors_shown = 0;
  bibkg::tools::WarningSummary summary;
  options.on_error = [&](const ImportError& e) {
    if (errors_out.is_open()) {
      errors_out << e.file << '\t' << e.record << '\t' << e.field << '\t'
                 << (e.fatal ? "error" : "warning") << '\t' << e.message
                 << '\n';
    }
    if (e.fatal && !errors_out.is_open() && errors_shown < kErrorsShown) {
      ++errors_shown;
      if (progress_shown) {
        std::fputs("\r\033[K", stderr);
        progress_shown = false;
      }
      std::fprintf(stderr, "error: %s\n", e.ToString().c_str());
      return;
    }
    summary.Add(e);
  };
  if (tty) {
    options.on_progress = [&](const ImportProgress& p) {
      double secs = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start)
                        .count();
      uint64_t records = p.stats->records_imported + p.stats->records_failed;
      std::string pct =
          p.file_bytes_total > 0
              ? absl::StrFormat("%3.0f%%",
                                100.0 * p.file_bytes_done / p.file_bytes_total)
              : "";
      std::fprintf(stderr,
                   "\r\033[K%s %s  %s records  %s quads  %.0f records/s",
                   p.file.c_str(), pct.c_str(), Thousands(records).c_str(),
                   Thousands(p.stats->quads_inserted).c_str(),
                   secs > 0 ? records / secs : 0.0);
      progress_shown = true;
    };
  }
  Importer importer(store->get(), options);
  absl::Status status;
  uint64_t unreadable = 0;
  for (const std::string& path : args.paths) {
    status = importer.ImportFile(path);
    if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) {
      // An unreadable input is reported; the other inputs still import.
      options.on_error({path, "-", "", std::string(status.message()), true});
      ++unreadable;
      status = absl::OkStatus();
      continue;
    }
    if (!status.ok()) break;
  }
  absl::Status finish = importer.Finish();
  if (status.ok()) status = finish;
  if (progress_shown) std::fputs("\n", stderr);
  if (summary.count() > 0 && !args.quiet) {
    std::fputs(summary.ToString().c_str(), stderr);
    if (!errors_out.is_open())
      std::fputs("  (--errors FILE writes every one)\n", stderr);
  }
  if (!status.ok()) return Fail(status);

  const auto& st = importer.stats();
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf(
      "imported %s records from %s files in %.2f s: %s quads added, %s "
      "removed; "
      "%s records failed, %s warnings\n",
      Thousands(st.records_imported).c_str(), Thousands(st.files).c_str(), secs,
      Thousands(st.quads_inserted).c_str(), Thousands(st.quads_deleted).c_str(),
      Thousands(st.records_failed + unreadable).c_str(),
      Thousands(st.warnings).c_str());
  if (st.self_citations > 0 || st.citations_of_later_works > 0 ||
      st.overmatched_references > 0) {
    std::printf(
        "citation checks: %s self-citations dropped, %s citations of works "
        "published more than a year later, %s title matches to works cited "
        "by 1,000 or more (all in the report)\n",
        Thousands(st.self_citations).c_str(),
        Thousands(st.citations_of_later_works).c_str(),
        Thousands(st.overmatched_references).c_str());
  }
  if (st.records_deleted > 0 || st.records_skipped > 0) {
    std::printf(
        "deleted %s records; skipped %s records (holdings, classification "
        "and others that are not stored; each is in the report)\n",
                Thousands(st.records_deleted).c_str(),
                Thousands(st.records_skipped).c_str());
  }
  if (!args.errors_file.empty() && (st.records_failed > 0 || st.warnings > 0)) {
    std::printf("error report: %s\n", args.errors_file.c_str());
  }
  return (st.records_failed == 0 && unreadable == 0) ? kOk : kSomeRecordsFailed;
}

int RunExport(const std::string& db, const std::string& format_name,
              const std::string& output) {
  bibkg::indexer::RdfFormat format;
  if (format_name == "nquads") {
    format = bibkg::indexer::RdfFormat::kNQuads;
  } else if (format_name == "turtle") {
    format = bibkg::indexer::RdfFormat::kTurtle;
  } else if (format_name == "trig") {
    format = bibkg::indexer::RdfFormat::kTrig;
  } else {
    return Fail(
        absl::InvalidArgumentError("unknown export format " + format_name));
  }
  bibkg::store::StoreOptions so;
  so.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db, so);
  if (!store.ok()) return Fail(store.status());
  std::FILE* out = stdout;
  if (!output.empty() && output != "-") {
    out = std::fopen(output.c_str(), "wb");
    if (out == nullptr)
      return Fail(absl::UnavailableError("cannot write " + output));
  }
  absl::Status s =
      bibkg::indexer::WriteRdf(*(*store)->NewReadView(), format, out);
  if (out != stdout && std::fclose(out) != 0 && s.ok()) {
    s = absl::UnavailableError("cannot finish writing " + output);
  }
  if (out == stdout) std::fflush(stdout);
  return s.ok() ? kOk : Fail(s);
}

int RunStats(const std::string& db) {
  bibkg::store::StoreOptions so;
  so.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db, so);
  if (!store.ok()) return Fail(store.status());
  auto view = (*store)->NewReadView();
  absl::StatusOr<uint64_t> graphs = view->CountGraphs();
  if (!graphs.ok()) return Fail(graphs.status());
  std::printf("database:      %s\n", db.c_str());
  std::printf("quads:         %s\n", Thousands(view->quad_count()).c_str());
  std::printf("terms:         %s\n", Thousands(view->term_count()).c_str());
  std::printf("graphs:        %s (one per source record)\n",
              Thousands(*graphs).c_str());
  std::printf("table bytes:   %s\n",
              Thousands((*store)->LiveTableBytes()).c_str());
  std::map<std::string, uint64_t> by_type;
  absl::Status s =
      view->Scan({std::nullopt,
                  bibkg::store::Term::Iri(
                      "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  std::nullopt, std::nullopt},
                 [&](const bibkg::store::Quad& q) {
                   ++by_type[q.o.value];
                   return true;
                 });
  if (!s.ok()) return Fail(s);
  if (!by_type.empty())
    std::printf("nodes by type (statements per source record):\n");
  for (const auto& [type, n] : by_type) {
    std::printf("  %8s  %s\n", Thousands(n).c_str(), type.c_str());
  }
  return kOk;
}

int RunReindex(const std::string& db) {
  bibkg::store::StoreOptions so;
  so.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db, so);
  if (!store.ok()) return Fail(store.status());
  const bool tty = isatty(STDERR_FILENO);
  absl::Status s = bibkg::indexer::ReindexTopics(
      store->get(), {}, [&](uint64_t done, uint64_t total) {
        if (tty)
          std::fprintf(stderr, "\r\033[Kreindexed %s of %s records",
                       Thousands(done).c_str(), Thousands(total).c_str());
      });
  if (tty) std::fputs("\n", stderr);
  if (!s.ok()) return Fail(s);
  s = (*store)->Sync();
  if (!s.ok()) return Fail(s);
  std::printf(
      "topic index rebuilt: %lld documents\n",
      static_cast<long long>((*store)->NewReadView()->Counter("topic.docs")));
  return kOk;
}

int RunDescribe(const std::string& db, const std::string& iri) {
  bibkg::store::StoreOptions so;
  so.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(db, so);
  if (!store.ok()) return Fail(store.status());
  auto view = (*store)->NewReadView();
  int n = 0;
  absl::Status s = view->Scan(
      {bibkg::store::Term::Iri(iri), std::nullopt, std::nullopt, std::nullopt},
      [&](const bibkg::store::Quad& q) {
        std::printf("%s %s %s\n", q.p.ToNTriples().c_str(),
                    q.o.ToNTriples().c_str(), q.g.ToNTriples().c_str());
        ++n;
        return true;
      });
  if (!s.ok()) return Fail(s);
  if (n == 0) {
    std::fprintf(stderr, "bibkg: nothing is known about <%s>\n", iri.c_str());
    return kSomeRecordsFailed;
  }
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "bibkg: a bibliographic knowledge graph on RocksDB.\n"
      "Imports catalog records, project descriptions and RDF; exports and "
      "describes what is stored; serves and asks gRPC queries."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "bibkg 0.1.0");

  ImportArgs import_args;
  CLI::App* import = app.add_subcommand(
      "import",
      "Import files into the database. Each file's format is detected from its "
      "content. Exit code 0 when every record imported, 1 when some records "
      "failed (they are reported; the others are imported), 2 on a fatal "
      "error.");
  import
      ->add_option("--db", import_args.db,
                   "Database directory (created if missing)")
      ->required();
  import->add_option("paths", import_args.paths, "Files to import")->required();
  import
      ->add_option(
          "--format", import_args.format,
          "auto, marc (ISO 2709, UTF-8 or MARC-8), marcxml (also OAI-PMH, "
          "JATS, NSF award and CORDIS project XML), ris, bibtex, crossref "
          "(REST API JSON or JSON lines), opencitations (index CSV), "
          "project-json (CORDIS, Gateway to Research), project-csv (CORDIS "
          "project, programme and publication tables), nquads, ntriples, "
          "catalog-page, project-page, web-article")
      ->capture_default_str();
  import->add_option(
      "--errors", import_args.errors_file,
      "Write the error report (tab-separated) to this file instead of stderr");
  import->add_flag("--bulk", import_args.bulk,
                   "No effect: every import loads through sorted runs and "
                   "table ingestion");
  import
      ->add_option("--bulk-run-quads", import_args.bulk_run_quads,
                   "Quads sorted in memory per bulk run (32 bytes each)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  import->add_flag("-q,--quiet", import_args.quiet,
                   "No progress line and no warnings");

  std::string export_db, export_format = "nquads", export_output;
  CLI::App* exp =
      app.add_subcommand("export", "Write every quad of the database as RDF.");
  exp->add_option("--db", export_db, "Database directory")->required();
  exp->add_option("--format", export_format,
                  "nquads, turtle (graphs merged) or trig")
      ->capture_default_str();
  exp->add_option("-o,--output", export_output,
                  "Output file (default: standard output)");

  std::string stats_db;
  CLI::App* stats =
      app.add_subcommand("stats", "Count quads, terms, graphs and node types.");
  stats->add_option("--db", stats_db, "Database directory")->required();

  std::string reindex_db;
  CLI::App* reindex = app.add_subcommand(
      "reindex",
      "Rebuild the topic index (search) of every record from its quads.");
  reindex->add_option("--db", reindex_db, "Database directory")->required();

  std::string describe_db, describe_iri;
  CLI::App* describe =
      app.add_subcommand("describe", "Print every statement about one node.");
  describe->add_option("--db", describe_db, "Database directory")->required();
  describe
      ->add_option(
          "iri", describe_iri,
          "The node's IRI, e.g. https://doi.org/10.1080/15309576.2024.2302059")
      ->required();

  int remote_exit = kFailed;
  bibkg::tools::AddRemoteCommands(&app, &remote_exit);

  CLI11_PARSE(app, argc, argv);
  for (const char* name : {"serve", "query", "reading-list"}) {
    if (app.got_subcommand(name)) return remote_exit;
  }
  if (*import) return RunImport(import_args);
  if (*exp) return RunExport(export_db, export_format, export_output);
  if (*stats) return RunStats(stats_db);
  if (*describe) return RunDescribe(describe_db, describe_iri);
  if (*reindex) return RunReindex(reindex_db);
  return kFailed;
}
