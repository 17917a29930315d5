// Atomic report files: the target changes only on a successful Commit, and no temporary file is
// left behind, whether the writer gives up or the disk refuses the bytes midway.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/findings/atomic_file.h"

using namespace edict::findings;
namespace fs = std::filesystem;

namespace {

// A fresh directory, removed with everything in it at the end of the test case.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "edict-atomic-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path_), {})); }

 private:
  fs::path path_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("commit publishes the complete file and leaves nothing else behind") {
  ScratchDir dir;
  const fs::path target = dir.path() / "report.sarif";
  AtomicFile file;
  std::string reason;
  REQUIRE(file.Open(target.string(), reason));
  CHECK(fs::path(file.temp_path()).parent_path() == dir.path());  // same file system: rename is atomic
  file.stream() << "{\"version\":\"2.1.0\"}\n";
  CHECK_FALSE(fs::exists(target));  // nothing is visible before the commit
  REQUIRE(file.Commit(reason));
  CHECK(ReadFile(target) == "{\"version\":\"2.1.0\"}\n");
  CHECK(dir.entries() == 1);
  CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write |
                                                               fs::perms::group_read | fs::perms::others_read));
}

TEST_CASE("commit replaces an existing report and keeps its permissions") {
  ScratchDir dir;
  const fs::path target = dir.path() / "findings.jsonl";
  WriteFile(target, "old report\n");
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write);
  AtomicFile file;
  std::string reason;
  REQUIRE(file.Open(target.string(), reason));
  file.stream() << "new report\n";
  CHECK(ReadFile(target) == "old report\n");  // a run killed now leaves the old report intact
  REQUIRE(file.Commit(reason));
  CHECK(ReadFile(target) == "new report\n");
  CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(dir.entries() == 1);
}

TEST_CASE("an abandoned write leaves the target untouched and removes the temporary file") {
  ScratchDir dir;
  const fs::path target = dir.path() / "findings.jsonl";
  WriteFile(target, "old report\n");
  {
    AtomicFile file;
    std::string reason;
    REQUIRE(file.Open(target.string(), reason));
    file.stream() << "half a rep";
    CHECK(dir.entries() == 2);
  }  // destroyed without Commit, as when the writer fails
  CHECK(ReadFile(target) == "old report\n");
  CHECK(dir.entries() == 1);
}

TEST_CASE("a write that fails midway is not committed") {
  ScratchDir dir;
  const fs::path target = dir.path() / "findings.jsonl";
  WriteFile(target, "old report\n");

  // Let the file system refuse bytes past 64 KiB (EFBIG), as a full disk would.
  struct rlimit saved;
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = 64 * 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);

  AtomicFile file;
  std::string reason;
  bool opened = file.Open(target.string(), reason);
  const std::string line(1000, 'x');
  for (int i = 0; opened && i < 1000; ++i) file.stream() << line << '\n';
  bool committed = opened && file.Commit(reason);

  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE(opened);
  CHECK_FALSE(committed);
  CHECK(reason == "File too large");
  CHECK(ReadFile(target) == "old report\n");
  CHECK(dir.entries() == 1);
}

TEST_CASE("a missing directory is reported when opening") {
  ScratchDir dir;
  AtomicFile file;
  std::string reason;
  CHECK_FALSE(file.Open((dir.path() / "no-such-dir" / "report.txt").string(), reason));
  CHECK(reason == "No such file or directory");
  CHECK_FALSE(file.Commit(reason));
  CHECK(dir.entries() == 0);
}

TEST_CASE("a relative target is written next to it, in the working directory") {
  ScratchDir dir;
  fs::path saved = fs::current_path();
  fs::current_path(dir.path());
  {
    AtomicFile file;
    std::string reason;
    REQUIRE(file.Open("report.txt", reason));
    file.stream() << "text\n";
    CHECK(file.Commit(reason));
  }
  fs::current_path(saved);
  CHECK(ReadFile(dir.path() / "report.txt") == "text\n");
  CHECK(dir.entries() == 1);
}
