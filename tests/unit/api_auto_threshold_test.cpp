// Engine::kAuto's two thresholds, each case with a private object cache and a session sized between
// them: with nothing cached auto interprets it; once a compile left the rules' code in the cache a
// new RuleSet evaluates it natively from there; a cached entry that is corrupt or does not link is
// rebuilt with a note and the findings stay right; below the warm threshold auto interprets even
// with the code cached; the explicit engines ignore the cache; threads probe once; `edict run
// --stats` says which threshold auto used and why; `edict test` chooses by the same thresholds.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "edict/edict.h"
#include "runtime/api/test_bench.h"
#include "runtime/jit/cache.h"
#include "tests/unit/api_quickstart.h"
#include "tests/unit/cli_helpers.h"
#include "tests/unit/jit_helpers.h"
#include "tests/unit/restore_env.h"
#include "tests/unit/scratch_cache.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

const std::string kSource = EDICT_SOURCE_DIR;

static_assert(kAutoJitMinRecordsWarm < kAutoJitMinRecordsCold);

// A private object cache; $EDICT_JIT_OPT unset, since it would change which levels auto loads.
struct PrivateCache : testing::UnforcedScratchCache {
  PrivateCache() : UnforcedScratchCache("api-auto") {}
};

// A sample app's session with filler clicks after its own records, `records` in all.
std::string SessionText(uint64_t records) {
  std::ifstream file(kSource + "/examples/facts/jiayou-mall-6.3.0.jsonl", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  std::string facts = text.str();
  uint64_t lines = 0;
  for (char c : facts) lines += c == '\n';
  uint64_t own_records = lines - 1;  // the first line is the header
  REQUIRE(records > own_records);
  for (uint64_t seq = own_records + 1; seq <= records; ++seq) {
    facts += R"({"type":"user_action","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(200000 + seq) +
             R"(,"action":"click","target":"首页","inside_control":true})" + "\n";
  }
  return facts;
}

Session LoadOne(const RuleSet& rules, const std::string& text) {
  std::vector<Input> inputs = {Input::Text("session.jsonl", text)};
  LoadResult loaded = rules.Load(inputs);
  REQUIRE(loaded.sessions.size() == 1);
  REQUIRE_FALSE(loaded.sessions[0].error());
  return loaded.sessions[0];
}

const std::string& BetweenThresholds() {
  static const std::string text = SessionText(kAutoJitMinRecordsWarm + 1000);
  return text;
}

// The findings of a session as a JSON report writes them, then every rule's outcome.
std::string Findings(const RuleSet& rules, const Evaluation& evaluation) {
  std::ostringstream out;
  std::unique_ptr<Writer> writer = MakeReportWriter(Format::kJson, out);
  writer->Begin(rules.info());
  writer->AddSession(evaluation.result);
  for (const auto& outcome : evaluation.result.summary.outcomes) out << static_cast<int>(outcome.outcome) << " ";
  return out.str();
}

// What the interpreter finds on `text`: the reference.
std::string Expected(const std::string& text) {
  RuleSet interp = testing::MustCompile(testing::QuickstartOptions(Engine::kInterp));
  Evaluation evaluation = interp.Evaluate(LoadOne(interp, text));
  REQUIRE_FALSE(evaluation.native);
  std::string findings = Findings(interp, evaluation);
  REQUIRE(findings.find("\"rule\"") != std::string::npos);  // findings to compare
  return findings;
}

Evaluation EvaluateAuto(const RuleSet& rules, const std::string& text) { return rules.Evaluate(LoadOne(rules, text)); }

// Compiles the rules natively once, which leaves their code in the cache; returns its entry.
fs::path FillCache(const PrivateCache& cache, Optimization optimization = Optimization::kAuto) {
  REQUIRE_FALSE(testing::MustCompile(testing::QuickstartOptions(Engine::kJit, optimization)).native_build().cache_hit);
  std::vector<fs::path> entries = cache.Entries();
  REQUIRE(entries.size() == 1);
  return entries[0];
}

TEST_CASE("with nothing cached, auto interprets a session between the thresholds and builds nothing") {
  PrivateCache cache;
  std::string expected = Expected(BetweenThresholds());
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  CHECK_FALSE(rules.auto_threshold().probed);
  Evaluation evaluation = EvaluateAuto(rules, BetweenThresholds());
  CHECK_FALSE(evaluation.native);
  CHECK(Findings(rules, evaluation) == expected);
  AutoThreshold threshold = rules.auto_threshold();
  CHECK(threshold.probed);
  CHECK_FALSE(threshold.cached_code);
  CHECK(threshold.min_records == kAutoJitMinRecordsCold);
  CHECK_FALSE(rules.native_build().built);
  CHECK(cache.Entries().empty());
}

TEST_CASE("once a compile cached the rules' code, auto evaluates such a session natively from the cache") {
  PrivateCache cache;
  std::string expected = Expected(BetweenThresholds());
  FillCache(cache);
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  Evaluation evaluation = EvaluateAuto(rules, BetweenThresholds());
  CHECK(evaluation.native);
  CHECK(evaluation.fallbacks == 0);
  CHECK(Findings(rules, evaluation) == expected);
  AutoThreshold threshold = rules.auto_threshold();
  CHECK(threshold.probed);
  CHECK(threshold.cached_code);
  CHECK(threshold.min_records == kAutoJitMinRecordsWarm);
  NativeBuild build = rules.native_build();
  CHECK(build.cache_hit);
  CHECK(build.codegen_us == 0);
}

TEST_CASE("a cached optimised level counts: auto loads it") {
  PrivateCache cache;
  FillCache(cache, Optimization::kO1);
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  CHECK(EvaluateAuto(rules, BetweenThresholds()).native);
  CHECK(rules.auto_threshold().cached_code);
  CHECK(rules.native_build().cache_hit);
  CHECK(rules.native_build().opt_level == "O1");
}

TEST_CASE("a corrupt cached entry is rebuilt under auto: right findings, and the note says so") {
  PrivateCache cache;
  std::string expected = Expected(BetweenThresholds());
  fs::path entry = FillCache(cache);
  fs::resize_file(entry, fs::file_size(entry) / 2);
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  Evaluation evaluation = EvaluateAuto(rules, BetweenThresholds());
  CHECK(rules.auto_threshold().cached_code);
  CHECK(evaluation.native);
  CHECK(Findings(rules, evaluation) == expected);
  NativeBuild build = rules.native_build();
  CHECK_FALSE(build.cache_hit);
  CHECK_MESSAGE(build.note == "cache entry was corrupt; rebuilt", build.note);
}

TEST_CASE("a cached entry that does not link is rebuilt under auto: right findings, and the note says so") {
  PrivateCache cache;
  std::string expected = Expected(BetweenThresholds());
  fs::path path = FillCache(cache);
  // A whole entry, checksum and all, whose code calls a function no process defines.
  REQUIRE(jit::testing::RewriteEntry(path, [](jit::CacheEntry& entry) {
    REQUIRE_FALSE(entry.symbols.exprs.empty());
    entry.symbols.exprs[0].second = "edict_no_such_function";
  }));

  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  Evaluation evaluation = EvaluateAuto(rules, BetweenThresholds());
  CHECK(evaluation.native);
  CHECK(Findings(rules, evaluation) == expected);
  NativeBuild build = rules.native_build();
  CHECK_FALSE(build.cache_hit);
  CHECK_MESSAGE(build.note.starts_with("cached object could not be linked ("), build.note);
  CHECK_MESSAGE(build.note.find("edict_no_such_function") != std::string::npos, build.note);
}

TEST_CASE("below the warm threshold auto interprets even with the rules' code cached, and does not look") {
  PrivateCache cache;
  FillCache(cache);
  std::string small = SessionText(kAutoJitMinRecordsWarm - 1);
  std::string expected = Expected(small);
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  Evaluation evaluation = EvaluateAuto(rules, small);
  CHECK_FALSE(evaluation.native);
  CHECK(Findings(rules, evaluation) == expected);
  CHECK_FALSE(rules.auto_threshold().probed);
  CHECK_FALSE(rules.native_build().built);
}

TEST_CASE("the explicit engines ignore what the cache holds") {
  PrivateCache cache;
  RuleSet jit = testing::MustCompile(testing::QuickstartOptions(Engine::kJit));
  CHECK(jit.Evaluate(LoadOne(jit, SessionText(100))).native);  // with nothing cached before
  RuleSet interp = testing::MustCompile(testing::QuickstartOptions(Engine::kInterp));
  REQUIRE(cache.Entries().size() == 1);
  CHECK_FALSE(interp.Evaluate(LoadOne(interp, BetweenThresholds())).native);
  CHECK_FALSE(interp.auto_threshold().probed);
  CHECK_FALSE(jit.auto_threshold().probed);
}

TEST_CASE("threads evaluating at once probe once and all run the cached code") {
  PrivateCache cache;
  std::string expected = Expected(BetweenThresholds());
  FillCache(cache);
  RuleSet rules = testing::MustCompile(testing::QuickstartOptions(Engine::kAuto));
  Session session = LoadOne(rules, BetweenThresholds());
  std::vector<Evaluation> evaluations(4);
  std::vector<std::thread> threads;
  for (Evaluation& evaluation : evaluations) {
    threads.emplace_back([&rules, &session, &evaluation] { evaluation = rules.Evaluate(session); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Evaluation& evaluation : evaluations) {
    CHECK(evaluation.native);
    CHECK(Findings(rules, evaluation) == expected);
  }
  CHECK(rules.auto_threshold().cached_code);
}

TEST_CASE("run --stats says which threshold auto used and why") {
  PrivateCache cache;
  cli_testing::TempDir dir;
  std::string between = dir.Write("between.jsonl", BetweenThresholds());
  std::string run = std::string("run --format json --stats ") + cli_testing::kQuickstart + " ";
  std::string prefix = "edict run: auto evaluates natively from ";

  cli_testing::Result small = cli_testing::Edict(run + cli_testing::kSampleFacts);
  CHECK_MESSAGE(small.err.find(prefix + std::to_string(kAutoJitMinRecordsCold) + " records (from " +
                               std::to_string(kAutoJitMinRecordsWarm) +
                               " when the object cache holds code for these rules; no session of a size between "
                               "asked)\n") != std::string::npos,
                small.err);
  cli_testing::Result cold = cli_testing::Edict(run + between);
  CHECK_MESSAGE(cold.err.find(prefix + std::to_string(kAutoJitMinRecordsCold) +
                              " records (the object cache holds no code for these rules)\n") != std::string::npos,
                cold.err);
  CHECK(cold.err.find("0/1 sessions native") != std::string::npos);

  REQUIRE(cli_testing::Edict(run + "--engine jit " + between).exit_code == cold.exit_code);
  cli_testing::Result warm = cli_testing::Edict(run + between);
  CHECK_MESSAGE(warm.err.find(prefix + std::to_string(kAutoJitMinRecordsWarm) +
                              " records (the object cache holds code for these rules)\n") != std::string::npos,
                warm.err);
  CHECK(warm.err.find("native code from the cache") != std::string::npos);
  CHECK(warm.err.find("1/1 sessions native") != std::string::npos);
  CHECK(cli_testing::Edict(run + "--engine interp " + between).err.find(prefix) == std::string::npos);
}

// A copy of the example pack whose one test runs on `facts`: the sample app's findings, which the
// filler clicks leave as they are.
class OneTestPack {
 public:
  explicit OneTestPack(const std::string& facts) {
    for (const char* file : {"pack.edict", "collection.edict", "permissions.edict"}) {
      fs::copy_file(kSource + "/examples/quickstart/" + file, dir_.path() / file);
    }
    dir_.Write("session.jsonl", facts);
    dir_.Write("tests.edict",
               "test \"the sample app, with filler\" {\n  facts \"session.jsonl\"\n"
               "  expect sdk-collect-before-consent: 1 finding, subject \"umeng\", evidence [4, 9]\n}\n");
  }

  // Runs the test as `edict test --engine <engine>` does.
  testrun::TestRun Run(Engine engine) const {
    TestOptions options;
    options.engine = engine;
    options.packs = {dir_.path().string()};
    options.pack_path = {kSource + "/stdlib-rules"};
    options.use_environment = false;
    testrun::TestBench bench;
    REQUIRE_MESSAGE(bench.Check(options), bench.TakeDiagnostics().Render(false));
    std::vector<const sema::TestInfo*> tests = bench.RootTests();
    REQUIRE(tests.size() == 1);
    testrun::TestRun run = bench.Run(*tests[0]);
    REQUIRE_MESSAGE(run.error.empty(), run.error);
    return run;
  }

 private:
  cli_testing::TempDir dir_;
};

TEST_CASE("edict test under auto: a session between the thresholds runs natively only once the code is cached") {
  PrivateCache cache;
  OneTestPack pack(BetweenThresholds());
  testrun::TestRun cold = pack.Run(Engine::kAuto);
  CHECK_FALSE(cold.native);
  CHECK(cache.Entries().empty());

  testrun::TestRun jit = pack.Run(Engine::kJit);
  CHECK(jit.native);
  REQUIRE(cache.Entries().size() == 1);

  testrun::TestRun warm = pack.Run(Engine::kAuto);
  CHECK(warm.native);
  CHECK(warm.evaluation.stats.fallbacks == 0);
  REQUIRE_FALSE(cold.findings.empty());
  REQUIRE(warm.findings.size() == cold.findings.size());
  for (size_t i = 0; i < cold.findings.size(); ++i) {
    CHECK(warm.findings[i].rule == cold.findings[i].rule);
    CHECK(warm.findings[i].message == cold.findings[i].message);
    CHECK(warm.findings[i].evidence.size() == cold.findings[i].evidence.size());
  }
}

TEST_CASE("edict test under auto interprets a session below the warm threshold, code cached or not") {
  PrivateCache cache;
  OneTestPack pack(SessionText(kAutoJitMinRecordsWarm - 1));
  CHECK(pack.Run(Engine::kJit).native);
  REQUIRE(cache.Entries().size() == 1);
  CHECK_FALSE(pack.Run(Engine::kAuto).native);
  CHECK_FALSE(pack.Run(Engine::kInterp).native);
}

}  // namespace
