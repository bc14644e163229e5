// Kills `bibkg import` with SIGKILL in the middle of a large import and checks
// that the reopened database holds every record whole or not at all.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "store/store.h"
#include "tests/testing/testing.h"

extern char** environ;

namespace bibkg::store {
namespace {

constexpr int kGraphs = 120000;
constexpr int kPerGraph = 10;  // plus one quad stating the graph's size

void WriteBigNQuads(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  for (int g = 0; g < kGraphs; ++g) {
    for (int i = 0; i < kPerGraph; ++i) {
      std::fprintf(f,
                   "<http://ex.org/w/%d> <http://ex.org/p/%d> \"value %d.%d\" "
                   "<http://ex.org/rec/%d> .\n",
                   g, i, g, i, g);
    }
    std::fprintf(f,
                 "<http://ex.org/w/%d> <http://ex.org/size> \"%d\" "
                 "<http://ex.org/rec/%d> .\n",
                 g, kPerGraph + 1, g);
  }
  std::fclose(f);
}

struct Check {
  uint64_t complete_graphs = 0;
  uint64_t partial_graphs = 0;
  uint64_t scanned_quads = 0;
  uint64_t counted_quads = 0;
};

Check Inspect(const std::string& db) {
  Check c;
  auto store = Store::Open(db);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return c;
  auto view = (*store)->NewReadView();
  std::map<std::string, int> per_graph;
  EXPECT_OK(view->Scan({}, [&](const Quad& q) {
    ++per_graph[q.g.value];
    ++c.scanned_quads;
    return true;
  }));
  for (const auto& [g, n] : per_graph) {
    if (n == kPerGraph + 1) {
      ++c.complete_graphs;
    } else {
      ++c.partial_graphs;
      ADD_FAILURE() << g << " has " << n << " of " << kPerGraph + 1 << " quads";
    }
  }
  c.counted_quads = view->quad_count();
  return c;
}

// Starts the import, kills it after `delay`, and returns what survived;
// `*killed` says whether the kill found the import still running.
Check ImportAndKill(const std::string& db, const std::string& input,
                    const std::vector<std::string>& extra,
                    std::chrono::milliseconds delay, bool* killed) {
  std::string cli = testing::Cli();
  std::vector<std::string> args = {cli, "import", "--quiet", "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(input);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  EXPECT_EQ(
      posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ),
      0);
  posix_spawn_file_actions_destroy(&actions);
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  *killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  return Inspect(db);
}

void ExpectWhole(const Check& c) {
  EXPECT_EQ(c.partial_graphs, 0u);
  EXPECT_EQ(c.counted_quads, c.scanned_quads)
      << "quad counter disagrees with the data";
  EXPECT_EQ(c.scanned_quads, c.complete_graphs * (kPerGraph + 1));
}

// Importing again after the crash completes the data to what an
// uninterrupted import gives.
void ExpectCompletedByReimport(const std::string& db,
                               const std::string& input) {
  testing::CommandResult r = testing::RunCommand(
      testing::Cli() + " import --quiet --db " + db + " " + input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Check after = Inspect(db);
  EXPECT_EQ(after.partial_graphs, 0u);
  EXPECT_EQ(after.complete_graphs, static_cast<uint64_t>(kGraphs));
  EXPECT_EQ(after.scanned_quads,
            static_cast<uint64_t>(kGraphs) * (kPerGraph + 1));
  EXPECT_EQ(after.counted_quads,
            static_cast<uint64_t>(kGraphs) * (kPerGraph + 1));
}

// Small runs (many ingestions): a kill between two of them leaves some
// records in, none in part.
TEST(CrashTest, KilledImportBetweenRunsLeavesWholeRecords) {
  testing::TempDir dir;
  std::string input = dir.Sub("big.nq");
  WriteBigNQuads(input);
  // Find a moment inside the import: too early and nothing is written, too
  // late and it has finished. Either way the check below still holds, but the
  // test only counts when the kill landed mid-import.
  std::chrono::milliseconds delay(700);
  bool landed_mid_import = false;
  for (int attempt = 0; attempt < 6 && !landed_mid_import; ++attempt) {
    std::string db = dir.Sub("db" + std::to_string(attempt));
    bool killed = false;
    Check c =
        ImportAndKill(db, input, {"--bulk-run-quads=40000"}, delay, &killed);
    ExpectWhole(c);
    if (c.complete_graphs == 0) {
      delay *= 2;
    } else if (c.complete_graphs == static_cast<uint64_t>(kGraphs)) {
      delay /= 3;
    } else {
      landed_mid_import = true;
      ExpectCompletedByReimport(db, input);
    }
  }
  EXPECT_TRUE(landed_mid_import)
      << "never killed the import while it was running";
}

// The default command, killed at points spread over its run time: each
// time every record is whole or absent, and importing again completes it.
TEST(CrashTest, KilledDefaultImportAtAnyPointLeavesWholeRecords) {
  testing::TempDir dir;
  std::string input = dir.Sub("big.nq");
  WriteBigNQuads(input);
  auto start = std::chrono::steady_clock::now();
  testing::CommandResult full = testing::RunCommand(
      testing::Cli() + " import --quiet --db " + dir.Sub("full") + " " + input);
  ASSERT_EQ(full.exit_code, 0) << full.err;
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  ExpectWhole(Inspect(dir.Sub("full")));
  int killed_running = 0;
  constexpr int kKills = 5;
  for (int i = 0; i < kKills; ++i) {
    std::string db = dir.Sub("db" + std::to_string(i));
    // 10%, 28%, 46%, 64% and 82% of an uninterrupted run.
    auto delay = took * (10 + 18 * i) / 100;
    bool killed = false;
    Check c = ImportAndKill(db, input, {}, delay, &killed);
    ExpectWhole(c);
    killed_running += killed;
    ExpectCompletedByReimport(db, input);
  }
  EXPECT_GE(killed_running, 3) << "the kills came after the import ended";
}

}  // namespace
}  // namespace bibkg::store
