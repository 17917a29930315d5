// Fixture discovery: packs by directory glob, test blocks through the test bench (which knows how
// a test's inline records become JSON Lines), .jsonl files by recursive glob.
#include "tests/differential/fixtures.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/api/test_bench.h"

namespace edict::differential {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> FilesUnder(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == extension) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool HasTests(const fs::path& dir) {
  for (const fs::path& file : FilesUnder(dir, ".edict")) {
    if (ReadFile(file).find("test \"") != std::string::npos) return true;
  }
  return false;
}

std::vector<fs::path> PackDirectories(const fs::path& root) {
  std::vector<fs::path> packs;
  for (const char* parent : {"stdlib-rules", "examples"}) {
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(root / parent, error)) {
      if (!entry.is_directory() || FilesUnder(entry.path(), ".edict").empty()) continue;
      if (HasTests(entry.path()) || !FilesUnder(entry.path(), ".jsonl").empty()) packs.push_back(entry.path());
    }
  }
  std::sort(packs.begin(), packs.end());
  return packs;
}

}  // namespace

std::vector<PackFixtures> DiscoverFixtures(const std::string& source_dir) {
  const fs::path root(source_dir);
  std::vector<fs::path> shared_facts = FilesUnder(root / "examples" / "facts", ".jsonl");
  std::vector<PackFixtures> all;
  for (const fs::path& dir : PackDirectories(root)) {
    PackFixtures pack;
    pack.pack = fs::relative(dir, root).string();
    CompileOptions base;
    base.packs = {dir.string()};
    base.pack_path = {(root / "stdlib-rules").string()};
    base.use_environment = false;

    std::map<std::string, FixtureRun> runs;  // by configuration
    auto run_for = [&](const std::string& key, const std::string& describe) -> FixtureRun& {
      FixtureRun& run = runs[key];
      if (run.label.empty()) {
        run.label = pack.pack + describe;
        run.options = base;
      }
      return run;
    };

    FixtureRun& baseline = run_for("", " (baseline)");
    std::vector<fs::path> files = FilesUnder(dir, ".jsonl");
    files.insert(files.end(), shared_facts.begin(), shared_facts.end());
    for (const fs::path& file : files) {
      baseline.inputs.push_back(Input::Text(file.string(), ReadFile(file)));
      ++pack.files;
    }

    testrun::TestBench bench;
    TestOptions test_options;
    test_options.packs = base.packs;
    test_options.pack_path = base.pack_path;
    test_options.use_environment = false;
    if (!bench.Check(test_options)) {
      pack.error = bench.TakeDiagnostics().Render(false);
      all.push_back(std::move(pack));
      continue;
    }
    const diag::SourceManager& sources = bench.sources();
    for (const sema::TestInfo* info : bench.RootTests()) {
      const ast::TestDecl& test = *info->decl;
      std::string key = test.profile, describe = test.profile.empty() ? "" : " profile " + test.profile;
      std::vector<ParamSetting> params;
      for (const auto& param : test.params) {
        params.push_back({param.param, std::string(sources.text(param.value->range))});
        key += "\n" + param.param + "=" + params.back().value;
        describe += " param " + param.param + "=" + params.back().value;
      }
      FixtureRun& run = run_for(key, describe.empty() ? " (baseline)" : describe);
      if (!test.profile.empty()) run.options.profile = test.profile;
      run.options.params = params;
      testrun::TestRun facts = bench.Run(*info);
      std::string name = info->facts_file;
      if (test.inline_facts) {
        name = sources.path(test.range.file) + ":" +
               std::to_string(sources.Locate(test.range.file, test.range.begin).line) + " (inline facts)";
      }
      run.inputs.push_back(Input::Text(name, facts.facts));
      ++pack.tests;
    }
    for (auto& [key, run] : runs) {
      if (!run.inputs.empty()) pack.runs.push_back(std::move(run));
    }
    all.push_back(std::move(pack));
  }
  return all;
}

}  // namespace edict::differential
