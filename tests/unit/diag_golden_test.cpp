// Golden diagnostics: runs `edict check --format json` over every case under tests/diagnostics/
// and compares what it reports with the expectations written in the cases' comments.
//
// A case is a directory holding `pack.edict` (checked as one pack, with every .edict file below
// it) or any other .edict file (checked alone). Expectations sit on the line they are about:
//   // expect-error[E061]: has no field      the message contains the text; the code is optional
//   // expect-warning@+1[W001]: never used   @+N / @-N: about the line N below / above
//   // expect-help: did you mean 'consent'?  a diagnostic on that line has this help
//   // expect-note: first declaration        a note of some diagnostic points at that line
//   // expect-error@none[E001]: cannot read  a diagnostic without a location
//   // expect-no-diagnostics                 the file is clean
// Expectations are read from the case's files and from any other file a diagnostic points at
// (an imported pack), so a mistake in an imported pack is expected where it is.
// Every error and warning must be expected and every expectation met; the exit code must be 1
// exactly when an error is expected. `stdlib-rules` is on the pack path, so a case may
// `import appfacts`.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct Expectation {
  std::string file;  // canonical path
  int line = 0;      // 0: a diagnostic without a location
  std::string kind;  // error, warning, help, note
  std::string code;  // empty: any
  std::string text;
  bool met = false;
};

std::string Canonical(const std::string& path) { return fs::weakly_canonical(path).string(); }

std::vector<std::string> EdictFilesUnder(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".edict") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Cases: pack directories (holding pack.edict) and the .edict files outside them.
std::vector<std::string> Cases(const fs::path& dir) {
  std::vector<std::string> cases;
  fs::directory_iterator begin(dir), end;
  std::vector<fs::path> entries(begin, end);
  std::sort(entries.begin(), entries.end());
  for (const fs::path& entry : entries) {
    if (fs::is_directory(entry)) {
      if (fs::exists(entry / "pack.edict")) {
        cases.push_back(entry.string());
      } else {
        auto inner = Cases(entry);
        cases.insert(cases.end(), inner.begin(), inner.end());
      }
    } else if (entry.extension() == ".edict") {
      cases.push_back(entry.string());
    }
  }
  return cases;
}

// Reads the expectations of one file; `clean` is set when it says expect-no-diagnostics.
std::vector<Expectation> ReadExpectations(const std::string& path, bool& clean, bool& any) {
  static const std::regex kExpect(
      R"(expect-(error|warning|help|note)(@([+-]\d+|none))?(\[([EW]\d+)\])?(@([+-]\d+))?:\s*(.*?)\s*(?=//\s*expect-|$))");
  std::vector<Expectation> out;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find("expect-no-diagnostics") != std::string::npos) {
      clean = true;
      any = true;
    }
    for (std::sregex_iterator it(line.begin(), line.end(), kExpect), end; it != end; ++it) {
      const std::smatch& m = *it;
      Expectation e;
      bool located = m[3] != "none";
      e.file = located ? Canonical(path) : "";
      int offset = m[3].matched && located ? std::stoi(m[3]) : m[7].matched ? std::stoi(m[7]) : 0;
      e.line = located ? number + offset : 0;
      e.kind = m[1];
      e.code = m[5];
      e.text = m[8];
      out.push_back(e);
      any = true;
    }
  }
  return out;
}

struct Run {
  int exit_code = -1;
  nlohmann::json diagnostics;
};

Run RunCheck(const std::string& path) {
  std::string command = std::string("'") + EDICT_BINARY + "' check --format json --pack-path stdlib-rules '" + path +
                        "' 2>/dev/null";
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::string output;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.diagnostics = nlohmann::json::parse(output, nullptr, false);
  return run;
}

std::string Describe(const nlohmann::json& d) {
  std::ostringstream out;
  out << d.value("file", std::string("<no file>")) << ":" << d.value("line", 0) << ": " << d.value("severity", "")
      << "[" << d.value("code", "") << "]: " << d.value("message", "");
  if (d.contains("help")) out << " (help: " << d["help"].get<std::string>() << ")";
  return out.str();
}

// Compares one case; returns the problems found, empty when it passes.
std::vector<std::string> CheckCase(const std::string& path) {
  std::vector<std::string> problems;
  std::vector<std::string> files = fs::is_directory(path) ? EdictFilesUnder(path) : std::vector<std::string>{path};
  std::vector<Expectation> expectations;
  for (const std::string& file : files) {
    bool clean = false;
    bool any = false;
    auto found = ReadExpectations(file, clean, any);
    if (!any) problems.push_back(file + ": no expectations (write // expect-no-diagnostics if it is clean)");
    expectations.insert(expectations.end(), found.begin(), found.end());
  }
  Run run = RunCheck(path);
  if (!run.diagnostics.is_array()) {
    problems.push_back("edict check did not print a JSON array (exit code " + std::to_string(run.exit_code) + ")");
    return problems;
  }
  std::set<std::string> read;
  for (const std::string& file : files) read.insert(Canonical(file));
  auto read_other = [&](const nlohmann::json& located) {
    if (!located.contains("file") || !read.insert(Canonical(located["file"])).second) return;
    bool clean = false;
    bool any = false;
    auto found = ReadExpectations(located["file"], clean, any);
    expectations.insert(expectations.end(), found.begin(), found.end());
  };
  for (const auto& d : run.diagnostics) {
    read_other(d);
    for (const auto& note : d["notes"]) read_other(note);
  }
  bool error_expected = false;
  for (const Expectation& e : expectations) error_expected = error_expected || e.kind == "error";
  for (const auto& d : run.diagnostics) {
    std::string file = d.contains("file") ? Canonical(d["file"]) : "";
    int line = d.value("line", 0);
    bool matched = false;
    for (Expectation& e : expectations) {
      if (e.met || e.file != file || e.line != line || e.kind != d.value("severity", "")) continue;
      if (!e.code.empty() && e.code != d.value("code", "")) continue;
      if (d.value("message", "").find(e.text) == std::string::npos) continue;
      e.met = matched = true;
      break;
    }
    if (!matched) problems.push_back("unexpected " + Describe(d));
    for (Expectation& e : expectations) {
      if (e.file != file || e.line != line || e.kind != "help" || !d.contains("help")) continue;
      if (d["help"].get<std::string>().find(e.text) != std::string::npos) e.met = true;
    }
    for (const auto& note : d["notes"]) {
      for (Expectation& e : expectations) {
        if (e.kind != "note" || !note.contains("file") || e.file != Canonical(note["file"]) ||
            e.line != note.value("line", 0)) {
          continue;
        }
        if (note.value("message", "").find(e.text) != std::string::npos) e.met = true;
      }
    }
  }
  for (const Expectation& e : expectations) {
    if (!e.met) {
      problems.push_back("missing " + e.kind + (e.code.empty() ? "" : "[" + e.code + "]") + " at " + e.file + ":" +
                         std::to_string(e.line) + ": " + e.text);
    }
  }
  int wanted_exit = error_expected ? 1 : 0;
  if (run.exit_code != wanted_exit) {
    problems.push_back("exit code " + std::to_string(run.exit_code) + ", expected " + std::to_string(wanted_exit));
  }
  return problems;
}

}  // namespace

TEST_CASE("every golden diagnostics case reports exactly what its comments expect") {
  fs::path root = fs::path(EDICT_SOURCE_DIR) / "tests" / "diagnostics";
  REQUIRE(fs::is_directory(root));
  std::vector<std::string> cases = Cases(root);
  CHECK(cases.size() >= 40);
  size_t failed = 0;
  for (const std::string& path : cases) {
    std::string relative = fs::relative(path, EDICT_SOURCE_DIR).string();
    std::vector<std::string> problems = CheckCase(relative);
    std::string report;
    for (const std::string& problem : problems) report += "\n  " + problem;
    CHECK_MESSAGE(problems.empty(), relative << ":" << report);
    if (!problems.empty()) ++failed;
  }
  MESSAGE(cases.size() << " cases, " << failed << " failed");
}
