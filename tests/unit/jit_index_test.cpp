// Native index builds (codegen/index_emitter.h) against the driver's own loop (Machine::Index):
// keyed by a string and by a list's elements, unkeyed, rows that are rejected, held or erred (on
// absent fields), filters that fold, call a memo function or aggregate, an index of a kind without
// records, an index shared by scans in different frames, budgets running out at every step of a
// session, several sessions in one evaluator and two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "runtime/facts/loader.h"
#include "runtime/interp/session_run.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;

namespace {

std::string Header(const std::string& id) {
  return R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":")" + id +
         R"(","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
         R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n";
}

// A caller: absent, without a class (the key errs), or of one of two classes and parties.
std::string Caller(uint32_t pick) {
  switch (pick % 5) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"third"})";
    case 2: return R"(,"caller":{"cls":"a.A","party":"third"})";
    case 3: return R"(,"caller":{"cls":"b.B","party":"first"})";
    default: return R"(,"caller":{"cls":"a.A","party":"first"})";
  }
}

std::string Perms(uint32_t pick) {
  static const char* kPerms[] = {"android.permission.CAMERA", "android.permission.RECORD_AUDIO", "custom.PERM"};
  std::string out = "[";
  for (uint32_t i = 0; i < pick % 4; ++i) {
    if (i > 0) out += ",";
    out += std::string("\"") + kPerms[(pick / 4 + i) % 3] + "\"";
  }
  return out + "]";
}

// A session of `records` records of api_call, perm_request and perm_result (none of the latter
// two when `requests` is false), from a fixed pseudo-random sequence.
std::string Session(const std::string& id, uint32_t seed, int records, bool requests) {
  std::string text = Header(id);
  uint32_t state = seed;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % 700);
    uint32_t kind = requests ? next() % 3 : 0;
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (kind == 0) {
      text += R"({"type":"api_call",)" + common + R"(,"api":{"class":"C","method":"m"},"data_types":[])" +
              Caller(next()) + "}\n";
    } else if (kind == 1) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":)" + Perms(next()) + Caller(next()) + "}\n";
    } else {
      static const char* kResults[] = {"denied", "granted"};
      text += R"({"type":"perm_result",)" + common + R"(,"perm":"android.permission.CAMERA","result":")" +
              kResults[next() % 2] + R"(","via":"user"})" "\n";
    }
  }
  return text;
}

struct Fixture {
  std::unique_ptr<testing::Compiled> compiled;
  std::unique_ptr<testing::NativeCode> native;
  const plan::Plan& plan() const { return *compiled->plan; }
};

Fixture Compile() {
  Fixture fixture;
  fixture.compiled = testing::CompilePacks({"tests/plan/native_index"});
  REQUIRE_MESSAGE(fixture.compiled->plan != nullptr, fixture.compiled->Errors());
  fixture.native = testing::NativeCode::ForPlan(fixture.plan());
  REQUIRE_MESSAGE(fixture.native->error.empty(), fixture.native->error);
  // Every index is built natively.
  REQUIRE(fixture.plan().index_count >= 6);
  REQUIRE(fixture.native->code.indexes.size() == fixture.plan().index_count);
  for (interp::IndexFn index : fixture.native->code.indexes) CHECK((index != nullptr));
  return fixture;
}

// Loaded in place: a store is not moved once loaded.
std::unique_ptr<facts::LoadResult> Load(const plan::Plan& plan, const std::string& text) {
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", text);
  auto loaded =
      std::make_unique<facts::LoadResult>(facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1)));
  REQUIRE(loaded->sessions.size() == 1);
  return loaded;
}

// One session under `budget` steps; `steps` receives the steps it took.
std::string RunWithBudget(const plan::Plan& plan, const interp::CompiledCode* code, const facts::Session& session,
                          uint64_t budget, uint64_t& steps) {
  std::vector<value::Value> constants = plan.code.constants;
  interp::Machine machine(&plan, plan.code, constants);
  machine.set_compiled(code);
  machine.BeginSession(session.store.get(), budget);
  interp::SessionEvaluation evaluation = interp::SessionRun(plan, machine, session).Run();
  steps = *machine.steps_counter();
  CHECK(evaluation.stats.fallbacks == 0);
  return testing::Describe(plan, evaluation) + "index builds " + std::to_string(evaluation.stats.index_builds);
}

}  // namespace

TEST_CASE("native index builds give the driver's results, sessions after sessions in one evaluator") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    sessions.push_back(Load(plan, Session("s" + std::to_string(seed), seed, 10 + 9 * static_cast<int>(seed), true)));
  }
  sessions.push_back(Load(plan, Session("calls-only", 7, 12, false)));  // indexes of empty tables
  sessions.push_back(Load(plan, Header("empty")));
  bool erred = false, found = false;
  for (const auto& loaded : sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    CHECK(testing::Describe(plan, native) == testing::Describe(plan, interpreted));
    CHECK(native.stats.index_builds == interpreted.stats.index_builds);
    CHECK(native.stats.records == interpreted.stats.records);
    CHECK(native.stats.fallbacks == 0);
    erred = erred || !interpreted.result.summary.rule_errors.empty();
    found = found || !interpreted.result.findings.empty();
  }
  // The sessions reach both parts of the indexes: rows whose filters held, and rows that erred.
  CHECK(erred);
  CHECK(found);
}

TEST_CASE("a budget running out at any step, inside an index build or not, stops both alike") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  auto loaded = Load(plan, Session("budget", 3, 24, true));
  const facts::Session& session = loaded->sessions[0];
  uint64_t total = 0;
  RunWithBudget(plan, nullptr, session, UINT64_MAX, total);
  REQUIRE(total > 50);
  for (uint64_t budget = 0; budget <= total; ++budget) {
    uint64_t interpreted_steps = 0, native_steps = 0;
    std::string interpreted = RunWithBudget(plan, nullptr, session, budget, interpreted_steps);
    std::string native = RunWithBudget(plan, &fixture.native->code, session, budget, native_steps);
    CHECK_MESSAGE(native == interpreted, "budget " << budget);
    CHECK_MESSAGE(native_steps == interpreted_steps, "budget " << budget);
  }
}

TEST_CASE("two threads build their sessions' indexes with one native code") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  std::vector<std::string> expected;
  interp::Evaluator interpreter(plan);
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    sessions.push_back(Load(plan, Session("t" + std::to_string(seed), seed, 60, true)));
    expected.push_back(testing::Describe(plan, interpreter.Evaluate(sessions.back()->sessions[0])));
  }
  std::vector<int> wrong(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator jit(plan, &fixture.native->code);
      for (int round = 0; round < 20; ++round) {
        size_t i = static_cast<size_t>(round + t) % sessions.size();
        if (testing::Describe(plan, jit.Evaluate(sessions[i]->sessions[0])) != expected[i]) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong[0] == 0);
  CHECK(wrong[1] == 0);
}
