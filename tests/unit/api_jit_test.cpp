// The JIT through the public API: engine jit gives the interpreter's report byte for byte with no
// fallback, a second compile links the cached object, parameters and profiles key the cache, auto
// interprets small sessions, standalone expressions and pack tests run natively, threads share it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "edict/edict.h"
#include "tests/unit/api_quickstart.h"
#include "tests/unit/engine_mask.h"
#include "tests/unit/scratch_cache.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

const std::string kSource = EDICT_SOURCE_DIR;

std::vector<Input> SampleFacts() {
  std::vector<Input> inputs;
  for (const char* name : {"jiayou-mall-6.3.0.jsonl", "meiri-news-2.8.1.jsonl", "jiayou-mall-6.4.0.jsonl"}) {
    inputs.push_back(Input::File(kSource + "/examples/facts/" + name));
  }
  return inputs;
}

// The JSON report of a deterministic run, without what names the engine.
std::string Report(const RuleSet& rules, RunSummary& summary) {
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeReportWriter(Format::kJson, out);
  RunOptions options;
  options.deterministic = true;
  std::vector<Input> inputs = SampleFacts();
  summary = Run(rules, inputs, options, *writer);
  return testing::WithoutEngineName(out.str());
}

TEST_CASE("engine jit reports what the interpreter reports, natively and without fallback") {
  testing::ScratchCache cache("api-jit");
  RuleSet interp = testing::MustCompile(testing::QuickstartOptions(Engine::kInterp));
  RuleSet jit = testing::MustCompile(testing::QuickstartOptions(Engine::kJit));
  CHECK(jit.info().engine.backend == "jit");
  CHECK(jit.engine() == Engine::kJit);
  NativeBuild build = jit.native_build();
  CHECK(build.built);
  CHECK_FALSE(build.cache_hit);
  CHECK(build.codegen_us > 0);
  CHECK(build.link_us > 0);
  CHECK(build.codegen_us + build.link_us <= build.build_us);
  CHECK_FALSE(interp.native_build().built);

  RunSummary interp_summary;
  RunSummary jit_summary;
  std::string expected = Report(interp, interp_summary);
  CHECK(Report(jit, jit_summary) == expected);
  CHECK(jit_summary.exit_code == interp_summary.exit_code);
  CHECK(jit_summary.native_sessions == 3);
  CHECK(jit_summary.fallbacks == 0);
  CHECK(interp_summary.native_sessions == 0);
}

TEST_CASE("a second compile links the cached object; other parameters or profiles do not") {
  testing::ScratchCache cache("api-jit");
  testing::MustCompile(testing::QuickstartOptions(Engine::kJit));
  RuleSet warm = testing::MustCompile(testing::QuickstartOptions(Engine::kJit));
  CHECK(warm.native_build().cache_hit);
  CHECK(warm.native_build().codegen_us == 0);
  CHECK(warm.native_build().link_us > 0);  // the cached code placed or linked
  CHECK(warm.native_build().link_us <= warm.native_build().build_us);

  CompileOptions other_param = testing::QuickstartOptions(Engine::kJit);
  other_param.params = {{"max_reads", "3"}};
  CHECK_FALSE(testing::MustCompile(other_param).native_build().cache_hit);
  CompileOptions other_profile = testing::QuickstartOptions(Engine::kJit);
  other_profile.profile = "huawei";
  CHECK_FALSE(testing::MustCompile(other_profile).native_build().cache_hit);
  CHECK(testing::MustCompile(other_profile).native_build().cache_hit);
}

TEST_CASE("auto interprets sessions below the crossover and builds nothing for them") {
  testing::ScratchCache cache("api-jit");
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  CHECK(rules.info().engine.backend == "interp");
  RunSummary summary;
  Report(rules, summary);
  CHECK(summary.native_sessions == 0);
  CHECK_FALSE(rules.native_build().built);
  CHECK(cache.Entries().empty());  // the plan cache may have written its entry, but no code was compiled
}

std::vector<Outcome> Outcomes(const Evaluation& evaluation) {
  std::vector<Outcome> out;
  for (const auto& outcome : evaluation.result.summary.outcomes) out.push_back(outcome.outcome);
  return out;
}

TEST_CASE("threads evaluate one session natively at once") {
  testing::ScratchCache cache("api-jit");
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kJit));
  std::vector<Input> inputs = SampleFacts();
  LoadResult loaded = rules.Load(inputs);
  REQUIRE(loaded.sessions.size() == 3);
  Evaluation expected = rules.Evaluate(loaded.sessions[0]);
  REQUIRE(expected.native);
  std::atomic<int> different = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        Evaluation got = rules.Evaluate(loaded.sessions[0]);
        if (!got.native || got.result.findings.size() != expected.result.findings.size() ||
            Outcomes(got) != Outcomes(expected)) {
          ++different;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(different == 0);
}

TEST_CASE("standalone expressions evaluate natively to the interpreter's values and errors") {
  const std::vector<std::pair<std::string, std::vector<Variable>>> cases = {
      {"[1, 2, 3].map(x, x * 2).exists(y, y > 5) && 'abc'.startsWith('a')", {}},
      {"9223372036854775807 + 1", {}},
      {"x + y", {{"x", "40"}, {"y", "2"}}},
      {"{'a': 1}['b']", {}},
      {"duration('1h') + timestamp('2025-01-01T00:00:00Z')", {}},
      {"size(s) > 2 ? s + '!' : 'short'", {{"s", "'edict'"}}},
  };
  for (const auto& [expression, variables] : cases) {
    CAPTURE(expression);
    ExpressionResult interp = EvaluateExpression(expression, variables, Engine::kInterp);
    ExpressionResult jit = EvaluateExpression(expression, variables, Engine::kJit);
    REQUIRE(interp.ok);
    REQUIRE_MESSAGE(jit.ok, jit.diagnostics.Render(false));
    CHECK(jit.native);
    CHECK_FALSE(interp.native);
    CHECK(jit.fallbacks == 0);
    CHECK(jit.text == interp.text);
    CHECK(jit.cel_error == interp.cel_error);
    CHECK(jit.type == interp.type);
  }
  // Auto never compiles a single evaluation.
  CHECK_FALSE(EvaluateExpression("1 + 1", {}, Engine::kAuto).native);
}

TEST_CASE("pack tests run natively with the same results") {
  testing::ScratchCache cache("api-jit");
  TestOptions options;
  options.packs = {kSource + "/examples/quickstart"};
  options.pack_path = {kSource + "/stdlib-rules"};
  options.use_environment = false;
  TestReport interp = RunTests(options);
  options.engine = Engine::kJit;
  TestReport jit = RunTests(options);
  REQUIRE(interp.tests.size() > 0);
  CHECK(jit.tests.size() == interp.tests.size());
  CHECK(jit.passed == interp.passed);
  CHECK(jit.failed == interp.failed);
  for (const TestResult& test : jit.tests) CHECK_MESSAGE(test.error.empty(), test.error);
}

}  // namespace
