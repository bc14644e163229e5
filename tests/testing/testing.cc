#include "tests/testing/testing.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace bibkg::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      info ? std::string(info->test_suite_name()) + "." + info->name()
           : "bibkg";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  fs::path base =
      fs::temp_directory_path() / ("bibkg-test-" + std::to_string(getpid()));
  // Several directories in one test get numbered names.
  static int count = 0;
  path_ = (base / name).string();
  if (fs::exists(path_)) path_ += "." + std::to_string(++count);
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  // The process's own parent directory goes with its last test directory
  // (remove fails, as it should, while another is still there).
  fs::remove(fs::path(path_).parent_path(), ec);
}

std::string DataPath(const std::string& relative) {
  return std::string(BIBKG_TEST_DATA_DIR) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

namespace {
store::Term ParseWord(const std::string& w) {
  if (w.size() >= 2 && w.front() == '"' && w.back() == '"') {
    return store::Term::Literal(w.substr(1, w.size() - 2));
  }
  return store::Term::Iri(w);
}
}  // namespace

std::unique_ptr<store::Store> MakeTestStore(const std::string& dir,
                                            const std::string& quads) {
  auto opened = store::Store::Open(dir);
  EXPECT_TRUE(opened.ok()) << opened.status();
  if (!opened.ok()) return nullptr;
  std::unique_ptr<store::Store> s = *std::move(opened);
  store::WriteSet ws;
  std::istringstream in(quads);
  std::string line;
  std::map<std::string, std::vector<store::Triple>> graphs;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string a, b, c, g;
    if (!(words >> a >> b >> c >> g)) continue;
    graphs[g].push_back({ParseWord(a), ParseWord(b), ParseWord(c)});
  }
  for (auto& [g, triples] : graphs) ws.AddToGraph(store::Term::Iri(g), triples);
  absl::Status st = s->Commit(ws);
  EXPECT_TRUE(st.ok()) << st;
  return s;
}

std::vector<std::string> SortedQuads(const store::Store& s) {
  std::vector<std::string> out;
  auto view = s.NewReadView();
  absl::Status st = view->Scan({}, [&](const store::Quad& q) {
    out.push_back(q.s.ToNTriples() + " " + q.p.ToNTriples() + " " +
                  q.o.ToNTriples() + " " + q.g.ToNTriples() + " .");
    return true;
  });
  EXPECT_TRUE(st.ok()) << st;
  std::sort(out.begin(), out.end());
  return out;
}

CommandResult RunCommand(const std::string& command) {
  char err_path[] = "/tmp/bibkg-test-stderr-XXXXXX";
  int fd = mkstemp(err_path);
  close(fd);
  CommandResult r;
  std::string full = "( " + command + " ) 2>" + err_path + " </dev/null";
  FILE* p = popen(full.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadFile(err_path);
  unlink(err_path);
  return r;
}

std::string Cli() { return BIBKG_CLI_PATH; }

std::vector<std::string> Objects(const store::Store& s,
                                 const std::string& subject,
                                 const std::string& predicate) {
  std::vector<std::string> out;
  auto view = s.NewReadView();
  EXPECT_OK(view->Scan({store::Term::Iri(subject), store::Term::Iri(predicate),
                        std::nullopt, std::nullopt},
                       [&](const store::Quad& q) {
                         out.push_back(q.o.kind ==
                                               store::Term::Kind::kLangLiteral
                                           ? q.o.value + "@" + q.o.extra
                                           : q.o.value);
                         return true;
                       }));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace bibkg::testing
