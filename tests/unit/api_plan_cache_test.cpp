// The plan cache through RuleSet::Compile (runtime/api/plan_cache.h): a second compile of
// unchanged sources is a hit that reports the cold compile's warnings and evaluates identically;
// editing (to a long file's last byte), adding or removing a pack file, a new directory that
// would shadow an import, another profile or parameter, all miss; a corrupt or truncated entry is
// a miss and is rewritten; EDICT_PLAN_CACHE=off writes nothing. Every case works in its own
// scratch directories.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "edict/edict.h"
#include "runtime/api/plan_cache.h"
#include "tests/unit/restore_env.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

const std::string kSource = EDICT_SOURCE_DIR;

constexpr const char* kManifest = R"(pack mini 1.0.0 {
  title: "plan cache test"
  import appfacts >= 1.0.0
}
)";

// W001: `q` is never used.
constexpr const char* kRules = R"(rule denied {
  title: "a denial"
  severity: low
  kind: review
  needs: [perm_result, perm_request]
  match r: perm_result, q: perm_request
  where r.result == "denied"
  report: "denied {r.perm}"
}
)";

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A pack `mini` in a scratch directory and $EDICT_CACHE_DIR pointed at another, for one test.
struct Scratch {
  testing::RestoreEnv keep_cache_dir{"EDICT_CACHE_DIR"};
  testing::RestoreEnv keep_plan_cache{"EDICT_PLAN_CACHE"};
  fs::path root = fs::temp_directory_path() / ("edict-plan-cache-" + std::to_string(getpid()));
  fs::path pack = root / "packs" / "mini";
  fs::path cache = root / "cache";
  Scratch() {
    fs::remove_all(root);
    Write(pack / "pack.edict", kManifest);
    Write(pack / "rules.edict", kRules);
    ::setenv("EDICT_CACHE_DIR", cache.c_str(), 1);
    ::unsetenv("EDICT_PLAN_CACHE");
  }
  ~Scratch() {
    fs::remove_all(root);
  }

  CompileOptions Options() const {
    CompileOptions options;
    options.packs = {pack.string()};
    options.pack_path = {kSource + "/stdlib-rules"};
    options.use_environment = false;
    return options;
  }
  bool Hits(const CompileOptions& options) const {
    return LoadCachedPlan(cache.string(), PlanCacheKey(options)).has_value();
  }
  size_t Entries() const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cache, ec)) n += entry.path().extension() == ".edictplan";
    return n;
  }
};

RuleSet MustCompile(const CompileOptions& options, Diagnostics& diagnostics) {
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  return *rules;
}

RuleSet MustCompile(const CompileOptions& options) {
  Diagnostics diagnostics;
  return MustCompile(options, diagnostics);
}

std::string Report(const RuleSet& rules, const std::string& facts_file) {
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeReportWriter(Format::kJson, out);
  RunOptions options;
  options.deterministic = true;
  std::vector<Input> inputs = {Input::File(facts_file)};
  Run(rules, inputs, options, *writer);
  return out.str();
}

}  // namespace

TEST_CASE("a second compile of unchanged sources is a hit with the same warnings, info and plan") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  CHECK_FALSE(scratch.Hits(options));
  Diagnostics cold_diagnostics;
  RuleSet cold = MustCompile(options, cold_diagnostics);
  REQUIRE(cold_diagnostics.warnings == 1);
  CHECK_FALSE(cold.plan_from_cache());
  CHECK(scratch.Entries() == 1);
  CHECK(scratch.Hits(options));

  Diagnostics warm_diagnostics;
  RuleSet warm = MustCompile(options, warm_diagnostics);
  CHECK(warm.plan_from_cache());
  CHECK(warm_diagnostics.Render(false) == cold_diagnostics.Render(false));
  CHECK(warm_diagnostics.Render(true) == cold_diagnostics.Render(true));
  REQUIRE(warm_diagnostics.items.size() == 1);
  CHECK(warm_diagnostics.items[0].code == "W001");
  CHECK(warm_diagnostics.items[0].json == cold_diagnostics.items[0].json);
  CHECK(warm.PlanText() == cold.PlanText());
  CHECK(warm.info().rulesets.size() == cold.info().rulesets.size());
  CHECK(warm.info().rulesets.back().sha256 == cold.info().rulesets.back().sha256);
  CHECK(warm.info().rules.size() == cold.info().rules.size());
  std::string facts = kSource + "/tests/plan/facts/sessions.jsonl";
  CHECK(Report(warm, facts) == Report(cold, facts));
}

TEST_CASE("the JIT builds and links from a cached plan") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  RuleSet interp = MustCompile(options);  // leaves the plan entry
  options.engine = Engine::kJit;
  REQUIRE(scratch.Hits(options));
  RuleSet jit = MustCompile(options);  // cached plan, cold object
  CHECK(jit.native_build().built);
  CHECK_FALSE(jit.native_build().cache_hit);
  RuleSet again = MustCompile(options);  // cached plan, cached object
  CHECK(again.native_build().cache_hit);
  std::string facts = kSource + "/tests/plan/facts/sessions.jsonl";
  // The summary's engine object names the back end and counts native sessions; the rest must match.
  auto without_engine = [](std::string text) {
    size_t at = text.find("\"engine\":{");
    if (at != std::string::npos) text.erase(at, text.find('}', at) - at + 1);
    return text;
  };
  std::string expected = without_engine(Report(interp, facts));
  CHECK(without_engine(Report(jit, facts)) == expected);
  CHECK(without_engine(Report(again, facts)) == expected);
}

TEST_CASE("a warm JIT compile links the code a cold one left") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  options.engine = Engine::kJit;
  RuleSet cold = MustCompile(options);
  CHECK_FALSE(cold.plan_from_cache());
  CHECK_FALSE(cold.native_build().cache_hit);
  RuleSet warm = MustCompile(options);
  CHECK(warm.plan_from_cache());
  CHECK(warm.native_build().cache_hit);
}

TEST_CASE("an edit is seen by a JIT compile, its native code built anew") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  options.engine = Engine::kJit;
  MustCompile(options);
  std::string retitled = kRules;
  retitled.replace(retitled.find("a denial"), 8, "a refusal");
  Write(scratch.pack / "rules.edict", retitled);
  RuleSet edited = MustCompile(options);
  CHECK_FALSE(edited.plan_from_cache());
  CHECK(edited.info().rules.back().title == "a refusal");
  // Built for the edited plan, not linked from the entry the stale plan's code left.
  CHECK(edited.native_build().built);
  CHECK_FALSE(edited.native_build().cache_hit);
}

TEST_CASE("editing, adding or removing a pack file misses") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  MustCompile(options);
  REQUIRE(scratch.Hits(options));

  Write(scratch.pack / "rules.edict", std::string(kRules) + "// a comment\n");
  CHECK_FALSE(scratch.Hits(options));
  MustCompile(options);
  CHECK(scratch.Hits(options));

  Write(scratch.pack / "sub" / "more.edict", "const more: int = 1\n");
  CHECK_FALSE(scratch.Hits(options));
  MustCompile(options);
  CHECK(scratch.Hits(options));

  fs::remove(scratch.pack / "sub" / "more.edict");
  CHECK_FALSE(scratch.Hits(options));
  MustCompile(options);
  REQUIRE(scratch.Hits(options));

  // Files are checked by their bytes, not their sizes or times.
  std::string same_size = kRules;
  same_size[same_size.find("denied {")] = 'D';
  Write(scratch.pack / "rules.edict", same_size);
  CHECK_FALSE(scratch.Hits(options));

  // A changed title must show: the plan is the new one, not the cached one.
  std::string retitled = kRules;
  retitled.replace(retitled.find("a denial"), 8, "a refusal");
  Write(scratch.pack / "rules.edict", retitled);
  CHECK(MustCompile(options).info().rules.back().title == "a refusal");
  REQUIRE(scratch.Hits(options));
  CHECK(MustCompile(options).info().rules.back().title == "a refusal");
}

TEST_CASE("a file longer than the check's first read is checked to its last byte") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  std::string long_text;
  while (long_text.size() < 100'000) long_text += "// a long comment, read in several blocks\n";
  Write(scratch.pack / "long.edict", long_text);
  MustCompile(options);
  REQUIRE(scratch.Hits(options));
  std::string edited = long_text;
  edited[edited.size() - 2] = '!';
  Write(scratch.pack / "long.edict", edited);
  CHECK_FALSE(scratch.Hits(options));
  Write(scratch.pack / "long.edict", long_text + "\n");
  CHECK_FALSE(scratch.Hits(options));
  Write(scratch.pack / "long.edict", long_text.substr(0, long_text.size() - 1));
  CHECK_FALSE(scratch.Hits(options));
  Write(scratch.pack / "long.edict", long_text);
  CHECK(scratch.Hits(options));
}

TEST_CASE("a directory that would shadow an import misses") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  MustCompile(options);
  REQUIRE(scratch.Hits(options));
  // Imports are looked up next to the importing pack before the pack path.
  fs::create_directories(scratch.root / "packs" / "appfacts");
  CHECK_FALSE(scratch.Hits(options));
  fs::remove(scratch.root / "packs" / "appfacts");
  CHECK(scratch.Hits(options));
}

TEST_CASE("a pack of files named one by one is checked file by file") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  options.packs = {(scratch.pack / "pack.edict").string(), (scratch.pack / "rules.edict").string()};
  Write(scratch.pack / "ignored.edict", "// not named, so not read\n");
  MustCompile(options);
  REQUIRE(scratch.Hits(options));
  Write(scratch.pack / "ignored.edict", "// still not read\n");
  CHECK(scratch.Hits(options));
  Write(scratch.pack / "rules.edict", std::string(kRules) + "\n");
  CHECK_FALSE(scratch.Hits(options));
  MustCompile(options);
  REQUIRE(scratch.Hits(options));
  fs::remove(scratch.pack / "rules.edict");
  CHECK_FALSE(scratch.Hits(options));
  fs::create_directories(scratch.pack / "rules.edict");  // now the loader would take it for a pack
  CHECK_FALSE(scratch.Hits(options));
}

TEST_CASE("profiles, parameters, inputs and the pack path key the entry") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  MustCompile(options);
  REQUIRE(scratch.Hits(options));
  CompileOptions other = options;
  other.profile = "strict";
  CHECK(PlanCacheKey(other) != PlanCacheKey(options));
  other = options;
  other.params.push_back({"x", "1"});
  CHECK(PlanCacheKey(other) != PlanCacheKey(options));
  other = options;
  other.pack_path.push_back(scratch.root.string());
  CHECK(PlanCacheKey(other) != PlanCacheKey(options));
  other = options;
  other.packs.push_back((scratch.pack / "rules.edict").string());
  CHECK(PlanCacheKey(other) != PlanCacheKey(options));
}

TEST_CASE("a corrupt or truncated entry is a miss and is rewritten") {
  Scratch scratch;
  CompileOptions options = scratch.Options();
  RuleSet cold = MustCompile(options);
  fs::path entry;
  for (const auto& file : fs::directory_iterator(scratch.cache)) {
    if (file.path().extension() == ".edictplan") entry = file.path();
  }
  REQUIRE(!entry.empty());
  std::string bytes;
  {
    std::ifstream in(entry, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (std::string corrupt : {bytes.substr(0, bytes.size() / 2), bytes.substr(0, 10), std::string(),
                              bytes.substr(0, bytes.size() - 1) + char(bytes.back() ^ 1)}) {
    Write(entry, corrupt);
    CHECK_FALSE(scratch.Hits(options));
    RuleSet again = MustCompile(options);
    CHECK(again.PlanText() == cold.PlanText());
    CHECK(scratch.Hits(options));
  }
}

TEST_CASE("EDICT_PLAN_CACHE=off neither reads nor writes entries") {
  Scratch scratch;
  ::setenv("EDICT_PLAN_CACHE", "off", 1);
  CompileOptions options = scratch.Options();
  MustCompile(options);
  CHECK_FALSE(MustCompile(options).plan_from_cache());
  CHECK(scratch.Entries() == 0);
  CHECK(PlanCacheDirectory().empty());
}

TEST_CASE("a compile with errors leaves no entry") {
  Scratch scratch;
  Write(scratch.pack / "rules.edict", "rule broken {\n");
  Diagnostics diagnostics;
  CHECK_FALSE(RuleSet::Compile(scratch.Options(), diagnostics).has_value());
  CHECK(diagnostics.has_errors());
  CHECK(scratch.Entries() == 0);
}
