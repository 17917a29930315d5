// Native plans against the interpreter over whole sessions: the example pack, the standard
// library and the plan test packs (features, joins, windows, budget) must give identical
// outcomes, findings, evidence, rule errors, limits and work counters, with no fallback.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "runtime/facts/loader.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;

namespace {

// Runs `facts` (files relative to the repository root) through both back ends.
void Compare(const std::vector<std::string>& packs, const std::vector<std::string>& facts_files,
             const std::string& inline_text = "") {
  auto compiled = testing::CompilePacks(packs);
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  std::string text = inline_text;
  for (const std::string& file : facts_files) text += testing::ReadFile(file);
  REQUIRE(!text.empty());
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", text);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(!loaded.sessions.empty());
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code);
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation expected = interpreter.Evaluate(session);
    interp::SessionEvaluation actual = jit.Evaluate(session);
    CHECK(testing::Describe(plan, actual) == testing::Describe(plan, expected));
    CHECK(actual.stats.fallbacks == 0);
    CHECK(expected.stats.fallbacks == 0);
  }
}

}  // namespace

TEST_CASE("the example pack over the example sessions") {
  Compare({"examples/quickstart"}, {"examples/facts/jiayou-mall-6.3.0.jsonl", "examples/facts/jiayou-mall-6.4.0.jsonl",
                                    "examples/facts/meiri-news-2.8.1.jsonl"});
}

TEST_CASE("the standard library over the demo apps and its own fixtures") {
  Compare({"examples/apps/tests.edict"}, {"examples/apps/lehuo-mall-5.2.1.jsonl", "examples/apps/qingbao-news-4.1.0.jsonl",
                                          "examples/apps/xingyun-xiaoxiaole-3.7.2.jsonl"});
}

TEST_CASE("the standard library over every fixture of its rules") {
  std::vector<std::string> files;
  std::string root = std::string(EDICT_SOURCE_DIR) + "/";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root + "stdlib-rules/cn-app-privacy/fixtures")) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path().string().substr(root.size()));
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 40);
  Compare({"stdlib-rules/cn-app-privacy"}, files);
}

TEST_CASE("the plan feature packs") {
  Compare({"tests/plan/features"}, {"tests/plan/facts/sessions.jsonl"});
  Compare({"tests/evidence"}, {"tests/evidence/sessions.jsonl"});
}

TEST_CASE("a session that exhausts its budget stops at the same point in both") {
  std::string text =
      R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"b",)"
      R"("started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
      R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n"
      R"({"type":"api_call","seq":1,"t":5,"api":{"class":"C","method":"m"},"data_types":["id.imei","id.imsi",)"
      R"("id.iccid","id.serial","id.oaid","contacts","sms","call_log","calendar","clipboard"]})" "\n";
  Compare({"tests/plan/budget"}, {}, text);
}
