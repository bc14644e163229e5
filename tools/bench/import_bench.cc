// Import benchmark: a large MARC file (and optionally an N-Triples file)
// through `bibkg import --bulk`, next to a reference measured in the same run:
// `yaz-marcdump -o marcxml` over the same MARC file, the cost of just parsing
// it. Each program runs as a child process, so its wall time and peak memory
// are its own.
//
//   python3 tools/bench/gen-marc.py 1000000 /tmp/marc-1m.mrc
//   python3 ../shared/tools/gen-biblio-nt.py 1000000 /tmp/biblio-1m.nt 1
//   build/tools/bench/import_bench --marc /tmp/marc-1m.mrc --nt
//   /tmp/biblio-1m.nt
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "indexer/readers/marc.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  double seconds = 0;
  double peak_mib = 0;
  std::string output;  // standard output, when captured
};

// Runs argv with stdout to `out_path` (or /dev/null); wall time and the
// child's own peak resident set.
RunResult Run(const std::vector<std::string>& argv,
              const std::string& out_path = "/dev/null") {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  RunResult r;
  auto start = std::chrono::steady_clock::now();
  pid_t pid;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) !=
      0) {
    std::fprintf(stderr, "cannot start %s\n", args[0]);
    return r;
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  posix_spawn_file_actions_destroy(&actions);
  if (out_path != "/dev/null" && out_path.ends_with(".out")) {
    if (std::FILE* f = std::fopen(out_path.c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        r.output.append(buf, n);
      std::fclose(f);
    }
  }
  return r;
}

// "imported 1,000,000 records ... : 25,000,000 quads added" -> numbers.
uint64_t NumberAfter(const std::string& text, const std::string& before_word,
                     bool word_follows) {
  // The number that precedes `before_word` when word_follows.
  size_t at = text.find(before_word);
  if (at == std::string::npos) return 0;
  std::string digits;
  size_t i = at;
  if (word_follows) {
    while (i > 0 && text[i - 1] == ' ') --i;
    size_t end = i;
    while (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) ||
                     text[i - 1] == ','))
      --i;
    for (size_t j = i; j < end; ++j)
      if (text[j] != ',') digits += text[j];
  }
  return digits.empty() ? 0 : std::stoull(digits);
}

// The folder of this program; the `bibkg` it times sits one level up
// (build/tools/bibkg beside build/tools/bench/).
std::string SelfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

// Reads every record of `marc` with bibkg's MARC reader and mapping, no
// store: the records it holds, and the seconds it took; false (said on
// standard error) if the reader failed.
bool ParseOnly(const std::string& marc, uint64_t* records, double* seconds) {
  auto parse_start = std::chrono::steady_clock::now();
  std::FILE* in = std::fopen(marc.c_str(), "rb");
  bibkg::indexer::Source source{marc, "file://" + marc};
  uint64_t quads = 0;
  absl::Status s = bibkg::indexer::ReadMarcFile(
      source, in,
      [&](bibkg::indexer::Record& rec) {
        ++*records;
        quads += rec.triples.size();
        return absl::OkStatus();
      },
      nullptr);
  std::fclose(in);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return false;
  }
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           parse_start)
                 .count();
  return true;
}

// Converts `marc` to MARCXML with yaz-marcdump and times `bibkg import
// --bulk` of that; returns the exit code.
int ImportMarcXml(const std::string& bibkg, const std::string& marc,
                  const std::string& work) {
  std::error_code ec;
  std::string xml = work + "/records.xml";
  // MARC-8 records are converted to UTF-8 (XML must be Unicode).
  RunResult conv = Run(
      {"yaz-marcdump", "-f", "MARC-8", "-t", "UTF-8", "-o", "marcxml", marc},
      xml);
  if (conv.exit_code != 0) {
    std::fprintf(stderr, "yaz-marcdump -o marcxml failed\n");
    return 2;
  }
  uint64_t xml_bytes = fs::file_size(xml);
  RunResult x =
      Run({bibkg, "import", "--bulk", "-q", "--db", work + "/xml-db", xml},
          work + "/xml.out");
  fs::remove(xml, ec);
  if (x.exit_code != 0) {
    std::fprintf(stderr, "bibkg import of the MARCXML failed:\n%s\n",
                 x.output.c_str());
    return 2;
  }
  uint64_t xml_records = NumberAfter(x.output, " records from", true);
  uint64_t xml_quads = NumberAfter(x.output, " quads added", true);
  std::printf(
      "\nMARCXML of the same records: %.1f MiB; bibkg import --bulk: %llu "
      "records, %llu quads in %.2f s (%.0f records/s), peak %.0f MiB\n",
      static_cast<double>(xml_bytes) / (1 << 20),
      static_cast<unsigned long long>(xml_records),
      static_cast<unsigned long long>(xml_quads), x.seconds,
      xml_records / x.seconds, x.peak_mib);
  return 0;
}

// Times `bibkg import --bulk` of the N-Triples file `nt` and prints it next
// to the rates quoted for other stores; returns the exit code.
int ImportNTriples(const std::string& bibkg, const std::string& nt,
                   const std::string& work) {
  RunResult n =
      Run({bibkg, "import", "--bulk", "-q", "--db", work + "/nt-db", nt},
          work + "/nt.out");
  if (n.exit_code != 0) {
    std::fprintf(stderr, "bibkg import of %s failed:\n%s\n", nt.c_str(),
                 n.output.c_str());
    return 2;
  }
  uint64_t triples = NumberAfter(n.output, " quads added", true);
  std::printf(
      "\nN-Triples: %s: %llu triples in %.2f s = %.0f triples/s, peak %.0f "
      "MiB\n",
      nt.c_str(), static_cast<unsigned long long>(triples), n.seconds,
      triples / n.seconds, n.peak_mib);
  std::printf(
      "quoted for the same file on this machine (not run here): Virtuoso "
      "7.2 ~250,000 triples/s, Oxigraph 0.5 ~195,000; ratio to Virtuoso: "
      "%.2f (aim: 3)\n",
      triples / n.seconds / 250000.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Times `bibkg import --bulk` of a MARC file against yaz-marcdump's parse "
      "of the same file, and optionally an N-Triples bulk load."};
  std::string marc, nt, work = "/tmp/bibkg-import-bench";
  bool marcxml = false;
  size_t run_quads = 0;
  app.add_option("--marc", marc,
                 "MARC 21 file (tools/bench/gen-marc.py makes one)")
      ->required();
  app.add_option("--nt", nt,
                 "N-Triples file to bulk-load too (gen-biblio-nt.py output)");
  app.add_flag("--marcxml", marcxml,
               "Also convert the MARC file to MARCXML with yaz-marcdump and "
               "import that (streaming XML: memory must not grow with the "
               "file)");
  app.add_option("--work", work, "Scratch directory for the databases")
      ->capture_default_str();
  app.add_option("--bulk-run-quads", run_quads,
                 "Passed to bibkg import (default: bibkg's own)");
  CLI11_PARSE(app, argc, argv);

  std::string bibkg = SelfDir() + "/../bibkg";
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  uint64_t bytes = fs::file_size(marc);

  // Reference: yaz reads every record and writes MARCXML.
  RunResult yaz = Run({"yaz-marcdump", "-o", "marcxml", marc});
  if (yaz.exit_code != 0) {
    std::fprintf(stderr, "yaz-marcdump failed (is Debian's yaz installed?)\n");
    return 2;
  }
  // Records in the file, counted by our reader alone (no store).
  uint64_t records = 0;
  double parse_seconds = 0;
  if (!ParseOnly(marc, &records, &parse_seconds)) return 2;

  std::vector<std::string> import_args = {bibkg, "import", "--bulk",
                                          "-q",  "--db",   work + "/marc-db"};
  if (run_quads) {
    import_args.push_back("--bulk-run-quads");
    import_args.push_back(std::to_string(run_quads));
  }
  import_args.push_back(marc);
  RunResult imp = Run(import_args, work + "/import.out");
  if (imp.exit_code != 0) {
    std::fprintf(stderr, "bibkg import failed:\n%s\n", imp.output.c_str());
    return 2;
  }
  uint64_t imported = NumberAfter(imp.output, " records from", true);
  uint64_t quads = NumberAfter(imp.output, " quads added", true);

  std::printf("MARC file: %s (%.1f MiB, %llu records)\n", marc.c_str(),
              static_cast<double>(bytes) / (1 << 20),
              static_cast<unsigned long long>(records));
  std::printf("%-44s %10s %14s %14s %10s\n", "", "seconds", "records/s",
              "quads/s", "peak MiB");
  std::printf("%-44s %10.2f %14.0f %14s %10.0f\n",
              "yaz-marcdump -o marcxml (reference)", yaz.seconds,
              records / yaz.seconds, "-", yaz.peak_mib);
  std::printf("%-44s %10.2f %14.0f %14s %10s\n",
              "bibkg MARC parse + mapping only (in process)", parse_seconds,
              records / parse_seconds, "-", "-");
  std::printf("%-44s %10.2f %14.0f %14.0f %10.0f\n",
              "bibkg import --bulk (parse, map, index, store)", imp.seconds,
              imported / imp.seconds, quads / imp.seconds, imp.peak_mib);
  std::printf("imported %llu records, %llu quads (%.1f per record)\n",
              static_cast<unsigned long long>(imported),
              static_cast<unsigned long long>(quads),
              imported ? static_cast<double>(quads) / imported : 0.0);
  std::printf("ratio import / yaz-marcdump: %.2f (aim: under 3)\n",
              imp.seconds / yaz.seconds);

  if (marcxml && ImportMarcXml(bibkg, marc, work) != 0) return 2;
  if (!nt.empty() && ImportNTriples(bibkg, nt, work) != 0) return 2;
  fs::remove_all(work, ec);
  return 0;
}
