// Native index builds (codegen/index_emitter.h) against the driver's own loop (Machine::Index):
// keyed by a string and by a list's elements, unkeyed, rows that are rejected, held or erred (on
// absent fields), filters that fold, call a memo function or aggregate, an index of a kind without
// records, an index shared by scans in different frames, budgets running out at every step of a
// session, several sessions in one evaluator and two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {


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
  std::string text = testing::HeaderLine(id);
  testing::PseudoRandom next(seed);
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

using Fixture = testing::NativeFixture;

Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_index");
  // Every index is built natively.
  REQUIRE(fixture.plan().index_count >= 6);
  REQUIRE(fixture.native->code.indexes.size() == fixture.plan().index_count);
  for (interp::IndexFn index : fixture.native->code.indexes) CHECK((index != nullptr));
  return fixture;
}

}  // namespace

TEST_CASE("native index builds give the driver's results, sessions after sessions in one evaluator") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::string text = Session("s" + std::to_string(seed), seed, 10 + 9 * static_cast<int>(seed), true);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  sessions.push_back(testing::LoadInPlace(plan, Session("calls-only", 7, 12, false)));  // indexes of empty tables
  sessions.push_back(testing::LoadInPlace(plan, testing::HeaderLine("empty")));
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
  auto loaded = testing::LoadInPlace(plan, Session("budget", 3, 24, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 50);
}

TEST_CASE("two threads build their sessions' indexes with one native code") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    sessions.push_back(testing::LoadInPlace(plan, Session("t" + std::to_string(seed), seed, 60, true)));
  }
  testing::CheckTwoThreads(fixture, sessions);
}
