// CompileOptions::optimization through the public API, each case with a private object cache: an
// explicit level builds (or loads) exactly that level; auto takes an optimised entry another compile
// left, else the level the code's size allows; a corrupt optimised entry under auto is passed over
// and said so; and every level reports what the interpreter reports.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "edict/edict.h"
#include "tests/unit/api_quickstart.h"
#include "tests/unit/engine_mask.h"
#include "tests/unit/restore_env.h"
#include "tests/unit/scratch_cache.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

const std::string kSource = EDICT_SOURCE_DIR;

// A private object cache; $EDICT_JIT_OPT unset, since it would replace auto's choice.
struct PrivateCache : testing::UnforcedScratchCache {
  PrivateCache() : UnforcedScratchCache("api-opt") {}
};

// The example pack (369 plan nodes: its size allows O0 only) with the JIT at `optimization`.
CompileOptions Quickstart(Optimization optimization, Engine engine = Engine::kJit) {
  return testing::QuickstartOptions(engine, optimization);
}

NativeBuild BuildOf(const CompileOptions& options) {
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  return rules->native_build();
}

TEST_CASE("explicit O1 builds O1, and auto then loads that entry") {
  PrivateCache cache;
  NativeBuild built = BuildOf(Quickstart(Optimization::kO1));
  CHECK(built.built);
  CHECK_FALSE(built.cache_hit);
  CHECK(built.codegen_us > 0);
  CHECK(built.opt_level == "O1");
  CHECK(cache.Entries().size() == 1);

  NativeBuild automatic = BuildOf(Quickstart(Optimization::kAuto));
  CHECK(automatic.cache_hit);
  CHECK(automatic.codegen_us == 0);
  CHECK(automatic.opt_level == "O1");
  CHECK(automatic.note.empty());
  CHECK(cache.Entries().size() == 1);  // auto built nothing
}

TEST_CASE("auto on an empty cache builds the level the code's size allows, and loads it next time") {
  PrivateCache cache;
  NativeBuild cold = BuildOf(Quickstart(Optimization::kAuto));
  CHECK_FALSE(cold.cache_hit);
  CHECK(cold.opt_level == "O0");
  CHECK(cold.note.empty());
  NativeBuild warm = BuildOf(Quickstart(Optimization::kAuto));
  CHECK(warm.cache_hit);
  CHECK(warm.opt_level == "O0");
}

TEST_CASE("explicit O0 builds O0 although an O1 entry is cached") {
  PrivateCache cache;
  REQUIRE(BuildOf(Quickstart(Optimization::kO1)).opt_level == "O1");
  NativeBuild o0 = BuildOf(Quickstart(Optimization::kO0));
  CHECK_FALSE(o0.cache_hit);
  CHECK(o0.opt_level == "O0");
  CHECK(cache.Entries().size() == 2);
  CHECK(BuildOf(Quickstart(Optimization::kO1)).cache_hit);
}

TEST_CASE("under auto a corrupt O1 entry is passed over with a note; explicit O1 rebuilds it") {
  PrivateCache cache;
  REQUIRE(BuildOf(Quickstart(Optimization::kO1)).opt_level == "O1");
  std::vector<fs::path> entries = cache.Entries();
  REQUIRE(entries.size() == 1);
  fs::resize_file(entries[0], fs::file_size(entries[0]) / 2);

  NativeBuild automatic = BuildOf(Quickstart(Optimization::kAuto));
  CHECK(automatic.built);
  CHECK_FALSE(automatic.cache_hit);
  CHECK(automatic.opt_level == "O0");
  CHECK_MESSAGE(automatic.note == "the cached O1 code was corrupt, not used", automatic.note);

  NativeBuild rebuilt = BuildOf(Quickstart(Optimization::kO1));
  CHECK_FALSE(rebuilt.cache_hit);
  CHECK(rebuilt.opt_level == "O1");
  CHECK(rebuilt.note == "cache entry was corrupt; rebuilt");
  NativeBuild repaired = BuildOf(Quickstart(Optimization::kAuto));
  CHECK(repaired.cache_hit);
  CHECK(repaired.opt_level == "O1");
}

// The JSON report of a deterministic run over the sample facts, without what names the engine.
std::string Report(const CompileOptions& options) {
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  std::vector<Input> inputs;
  for (const char* name : {"jiayou-mall-6.3.0.jsonl", "meiri-news-2.8.1.jsonl", "jiayou-mall-6.4.0.jsonl"}) {
    inputs.push_back(Input::File(kSource + "/examples/facts/" + name));
  }
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeReportWriter(Format::kJson, out);
  RunOptions run;
  run.deterministic = true;
  RunSummary summary = Run(*rules, inputs, run, *writer);
  CHECK(summary.native_sessions == (options.engine == Engine::kJit ? inputs.size() : 0));
  CHECK(summary.fallbacks == 0);
  return testing::WithoutEngineName(out.str());
}

TEST_CASE("every level reports what the interpreter reports") {
  PrivateCache cache;
  std::string expected = Report(Quickstart(Optimization::kAuto, Engine::kInterp));
  REQUIRE(expected.find("\"rule\"") != std::string::npos);  // findings to compare
  for (Optimization level : {Optimization::kO0, Optimization::kO1, Optimization::kO2}) {
    CAPTURE(static_cast<int>(level));
    CHECK(Report(Quickstart(level)) == expected);
  }
}

}  // namespace
