// Import benchmark: the default `bibkg import` (no flags) of a MARC file, of
// its MARCXML and of an N-Triples file, each next to a baseline run in the
// same process: `yaz-marcdump -o marcxml` over the same MARC file (the cost
// of just reading it) and Oxigraph's Store.load of the same N-Triples file
// (tools/bench/oxigraph, from the npm registry). Also: an import into a
// database that already holds the MARC file, against the same import into
// an empty one, and the bytes per quad on disk after each import. Each
// program runs as a child process, so its wall time and peak memory are its
// own.
//
//   python3 tools/bench/gen-marc.py 1000000 /tmp/marc-1m.mrc
//   python3 tools/bench/gen-marc.py 100000 /tmp/marc-more.mrc 7 5000000
//   python3 ../shared/tools/gen-biblio-nt.py 1000000 /tmp/biblio-1m.nt 1
//   (cd tools/bench/oxigraph && npm ci)
//   build/tools/bench/import_bench --marc /tmp/marc-1m.mrc --marcxml \
//     --more /tmp/marc-more.mrc --nt /tmp/biblio-1m.nt
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

// The number just before `word` in `text` ("1,000,000 quads added" ->
// 1000000 for " quads added"); 0 when absent.
uint64_t NumberBefore(const std::string& text, const std::string& word) {
  size_t at = text.find(word);
  if (at == std::string::npos) return 0;
  size_t end = at;
  size_t i = end;
  while (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) ||
                   text[i - 1] == ','))
    --i;
  std::string digits;
  for (size_t j = i; j < end; ++j)
    if (text[j] != ',') digits += text[j];
  return digits.empty() ? 0 : std::stoull(digits);
}

// The number after `label` ("quads:         1,000,000" -> 1000000).
uint64_t NumberAfter(const std::string& text, const std::string& label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return 0;
  std::string digits;
  for (size_t i = at + label.size(); i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c != ',' && c != ' ') {
      break;
    }
  }
  return digits.empty() ? 0 : std::stoull(digits);
}

// Bytes of every file under `dir`.
uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

struct Import {
  RunResult run;
  uint64_t records = 0, quads = 0, db_quads = 0, db_bytes = 0;
};

// `bibkg import --db db paths` with no other flag: what a librarian types.
// db_quads: the quads the database holds after it.
bool ImportDefault(const std::string& bibkg, const std::string& db,
                   const std::string& path, const std::string& out, Import* r) {
  r->run = Run({bibkg, "import", "-q", "--db", db, path}, out);
  if (r->run.exit_code != 0) {
    std::fprintf(stderr, "bibkg import %s failed:\n%s\n", path.c_str(),
                 r->run.output.c_str());
    return false;
  }
  r->records = NumberBefore(r->run.output, " records from");
  r->quads = NumberBefore(r->run.output, " quads added");
  RunResult st = Run({bibkg, "stats", "--db", db}, out + ".stats.out");
  r->db_quads = NumberAfter(st.output, "quads:");
  if (r->db_quads == 0) r->db_quads = r->quads;
  r->db_bytes = DirBytes(db);
  return true;
}

void PrintRow(const char* name, double seconds, double per_s, const char* unit,
              double peak_mib, double bytes_per_quad) {
  std::printf("%-46s %9.2f %12.0f %-10s %9.0f", name, seconds, per_s, unit,
              peak_mib);
  if (bytes_per_quad > 0) std::printf(" %9.1f", bytes_per_quad);
  std::printf("\n");
}

// A catalog import's row: records/s, and bytes per quad on disk after it.
void PrintImport(const char* name, const Import& i) {
  PrintRow(name, i.run.seconds, i.records / i.run.seconds, "records/s",
           i.run.peak_mib, static_cast<double>(i.db_bytes) / i.db_quads);
}

// The folder of this program; the `bibkg` it times sits one level up
// (build/tools/bibkg beside build/tools/bench/).
std::string SelfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Times the default `bibkg import` of MARC, MARCXML and N-Triples "
      "against yaz-marcdump and Oxigraph on the same files, in the same run."};
  std::string marc, more, nt, work = "/tmp/bibkg-import-bench";
  bool marcxml = false;
  app.add_option("--marc", marc,
                 "MARC 21 file (tools/bench/gen-marc.py makes one)")
      ->required();
  app.add_flag("--marcxml", marcxml,
               "Also convert the MARC file to MARCXML with yaz-marcdump and "
               "import that");
  app.add_option("--more", more,
                 "A second MARC file, imported into an empty database and "
                 "into the one holding --marc");
  app.add_option("--nt", nt,
                 "N-Triples file (gen-biblio-nt.py output), also loaded by "
                 "Oxigraph");
  app.add_option("--work", work, "Scratch directory for the databases")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::string dir = SelfDir();
  const std::string bibkg = dir + "/../bibkg";
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);

  std::printf("%-46s %9s %12s %-10s %9s %9s\n", "", "seconds", "rate", "",
              "peak MiB", "B/quad");
  // MARC: yaz reads every record and writes MARCXML; bibkg imports.
  RunResult yaz = Run({"yaz-marcdump", "-o", "marcxml", marc});
  if (yaz.exit_code != 0) {
    std::fprintf(stderr, "yaz-marcdump failed (is Debian's yaz installed?)\n");
    return 2;
  }
  Import m;
  if (!ImportDefault(bibkg, work + "/marc-db", marc, work + "/marc.out", &m))
    return 2;
  PrintRow("yaz-marcdump -o marcxml (baseline)", yaz.seconds,
           m.records / yaz.seconds, "records/s", yaz.peak_mib, 0);
  PrintImport("bibkg import FILE.mrc", m);
  std::printf(
      "  %llu records, %llu quads; ratio to yaz-marcdump: %.2f "
      "(aim: at most 4)\n",
      static_cast<unsigned long long>(m.records),
      static_cast<unsigned long long>(m.quads), m.run.seconds / yaz.seconds);

  if (marcxml) {
    std::string xml = work + "/records.xml";
    RunResult conv = Run(
        {"yaz-marcdump", "-f", "MARC-8", "-t", "UTF-8", "-o", "marcxml", marc},
        xml);
    if (conv.exit_code != 0) return 2;
    Import x;
    if (!ImportDefault(bibkg, work + "/xml-db", xml, work + "/xml.out", &x))
      return 2;
    fs::remove(xml, ec);
    PrintImport("bibkg import FILE.xml (MARCXML)", x);
    std::printf("  ratio to the MARC import: %.2f (aim: at most 1.3)\n",
                x.run.seconds / m.run.seconds);
  }

  if (!more.empty()) {
    Import empty, full;
    if (!ImportDefault(bibkg, work + "/more-db", more, work + "/more.out",
                       &empty) ||
        !ImportDefault(bibkg, work + "/marc-db", more, work + "/full.out",
                       &full))
      return 2;
    PrintImport("bibkg import MORE.mrc, empty database", empty);
    PrintImport("bibkg import MORE.mrc, database holding FILE", full);
    std::printf("  ratio populated / empty: %.2f (aim: at most 1.5)\n",
                full.run.seconds / empty.run.seconds);
  }

  if (!nt.empty()) {
    // Oxigraph's own figure is its load alone (the script reads the file
    // first); bibkg's is the whole command, reading included.
    std::string script = dir + "/oxigraph/load.mjs";
    if (!fs::exists(script))
      script = std::string(BIBKG_SOURCE_DIR) + "/tools/bench/oxigraph/load.mjs";
    RunResult ox = Run({"node", script, nt}, work + "/oxigraph.out");
    uint64_t ox_triples = 0;
    double ox_seconds = 0;
    if (ox.exit_code != 0 ||
        std::sscanf(ox.output.c_str(), "%llu %lf",
                    reinterpret_cast<unsigned long long*>(&ox_triples),
                    &ox_seconds) != 2 ||
        ox_seconds <= 0) {
      std::fprintf(stderr,
                   "Oxigraph failed (run `npm ci` in tools/bench/oxigraph):\n"
                   "%s\n",
                   ox.output.c_str());
      return 2;
    }
    Import n;
    if (!ImportDefault(bibkg, work + "/nt-db", nt, work + "/nt.out", &n))
      return 2;
    const double ox_rate = ox_triples / ox_seconds;
    const double rate = n.quads / n.run.seconds;
    PrintRow("Oxigraph 0.5 Store.load (baseline)", ox_seconds, ox_rate,
             "triples/s", ox.peak_mib, 0);
    PrintRow("bibkg import FILE.nt", n.run.seconds, rate, "triples/s",
             n.run.peak_mib, static_cast<double>(n.db_bytes) / n.db_quads);
    std::printf(
        "  %llu triples; rate ratio to Oxigraph: %.2f (aim: at least "
        "3)\n",
        static_cast<unsigned long long>(n.quads), rate / ox_rate);
  }
  fs::remove_all(work, ec);
  return 0;
}
