// Helpers of the CLI tests: run the edict binary from the repository root and capture its exit
// code, standard output and standard error; scratch directories; the quickstart pack's arguments.
#pragma once

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace edict::cli_testing {

namespace fs = std::filesystem;

// The example pack and the sample facts, as the README runs them.
inline constexpr char kQuickstart[] = "--rules examples/quickstart --pack-path stdlib-rules";
inline constexpr char kSampleFacts[] =
    "examples/facts/jiayou-mall-6.3.0.jsonl examples/facts/meiri-news-2.8.1.jsonl "
    "examples/facts/jiayou-mall-6.4.0.jsonl";

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first line where `actual` departs from `expected`, for a readable failure.
inline std::string FirstDifference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  for (int line = 1;; ++line) {
    bool more_e = static_cast<bool>(std::getline(e, el));
    bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) return "no line differs (a final newline does)";
    if (el != al || more_e != more_a) {
      return "line " + std::to_string(line) + ":\n  golden: " + (more_e ? el : "<end>") + "\n  actual: " +
             (more_a ? al : "<end>");
    }
  }
}

// A directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("edict-cli-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  fs::path path_;
};

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `edict <args>` through the shell in the repository root (args are shell words), with
// `environment` ("NAME=value ...", shell words too) added to the test's.
inline Result Edict(const std::string& args, const std::string& environment = "") {
  TempDir scratch;
  std::string out = (scratch.path() / "out").string();
  std::string err = (scratch.path() / "err").string();
  std::string command = "cd '" + std::string(EDICT_SOURCE_DIR) + "' && env -u EDICT_PACK_PATH " + environment + " '" +
                        std::string(EDICT_BINARY) + "' " + args + " >'" + out + "' 2>'" + err + "'";
  int status = std::system(command.c_str());
  Result result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

}  // namespace edict::cli_testing
