// The rest of a pass row in native code (codegen/row_emitter.h) against the driver's own
// (Machine::Level): element scans over list columns present, absent and empty, over a memo
// function's list, a map's keys, a range that errs and one that is no list, nested and followed by
// a record scan; residual conjuncts that hold, are false, err or aggregate; a `pre` conjunct that
// errs; a rule reaching its findings limit mid-row; budgets running out at every step; several
// sessions in one evaluator; two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {


// A caller: absent, without a class, or of a class that is also a data type's name.
std::string Caller(uint32_t pick) {
  switch (pick % 4) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"third"})";
    case 2: return R"(,"caller":{"cls":"contacts","party":"first"})";
    default: return R"(,"caller":{"cls":"a.A","party":"first"})";
  }
}

// Up to three of a few data types (possibly none).
std::string DataTypes(uint32_t pick) {
  static const char* kTypes[] = {"loc.precise", "id.imei", "contacts", "id.oaid", "sms"};
  std::string out = "[";
  for (uint32_t i = 0; i < pick % 4; ++i) {
    if (i > 0) out += ",";
    out += std::string("\"") + kTypes[(pick / 4 + i * 3) % 5] + "\"";
  }
  return out + "]";
}

// A stack: absent, empty, or up to two frames.
std::string Stack(uint32_t pick) {
  switch (pick % 4) {
    case 0: return "";
    case 1: return R"(,"stack":[])";
    case 2: return R"(,"stack":[{"cls":"com.sdk.X","mth":"m"}])";
    default: return R"(,"stack":[{"cls":"a.A","mth":"m"},{"cls":"com.sdk.Y","mth":"n"}])";
  }
}

// A session of `records` api_call records (and perm_request ones when `requests`), from a fixed
// pseudo-random sequence.
std::string Session(const std::string& id, uint32_t seed, int records, bool requests) {
  std::string text = testing::HeaderLine(id);
  testing::PseudoRandom next(seed);
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % 900);
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (requests && next() % 4 == 0) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":["android.permission.CAMERA"]})" "\n";
      continue;
    }
    text += R"({"type":"api_call",)" + common + R"(,"api":{"class":"C","method":"m"},"data_types":)" +
            DataTypes(next()) + Stack(next()) + Caller(next()) + R"(,"count":)" + std::to_string(1 + next() % 3) +
            "}\n";
  }
  return text;
}

using Fixture = testing::NativeFixture;

Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_rows");
  for (interp::PassFn pass : fixture.native->code.passes) CHECK((pass != nullptr));
  return fixture;
}

}  // namespace

TEST_CASE("native element scans give the driver's results, sessions after sessions in one evaluator") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::string text = Session("s" + std::to_string(seed), seed, 12 + 10 * static_cast<int>(seed), true);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  sessions.push_back(testing::LoadInPlace(plan, Session("calls-only", 7, 15, false)));
  sessions.push_back(testing::LoadInPlace(plan, testing::HeaderLine("empty")));
  testing::Reached reached = testing::CheckSameAsInterpreter(fixture, sessions);
  // The sessions reach what the rules are for: absent stacks and callers, ranges that are no
  // list, the `pre` conjunct's error (rule errors), and matches of every rule but that one.
  CHECK(reached.errors >= 5);
  CHECK(reached.findings >= 10);
}

TEST_CASE("a budget running out at any step, in an element scan or not, stops both alike") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  auto loaded = testing::LoadInPlace(plan, Session("budget", 3, 30, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("a rule reaching its findings limit in the middle of a row stops there in both") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  // About 1.5 data types per call: the limit falls inside some call's elements.
  auto loaded = testing::LoadInPlace(plan, Session("limit", 5, 8000, false));
  testing::CheckFindingsLimitAlike(fixture, loaded->sessions[0]);
}

TEST_CASE("two threads run their sessions' element scans with one native code") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    sessions.push_back(testing::LoadInPlace(plan, Session("t" + std::to_string(seed), seed, 80, true)));
  }
  testing::CheckTwoThreads(fixture, sessions);
}
