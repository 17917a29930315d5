// A later indexed record scan of a pass row looped over in native code (codegen/row_emitter.cpp,
// interp/native_levels.h) against the driver's LevelIndexed: keyed scans with probes that are and
// are not keys, unkeyed ones, rows whose filters err, empty slices and windows, residual conjuncts
// that hold, are false or err before and after a match, a bound that is no duration (the driver
// visits the rows), two record scans in a row and an element scan after one; budgets running out
// at every step; a findings limit reached inside the loop; two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

// A caller: absent, or of the first, a third or the system party.
std::string Caller(uint32_t pick) {
  switch (pick % 4) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"first"})";
    case 2: return R"(,"caller":{"party":"third"})";
    default: return R"(,"caller":{"party":"system"})";
  }
}

// One or two permissions.
std::string Perms(uint32_t pick) {
  static const char* kPerms[] = {"android.permission.CAMERA", "android.permission.CALL_PHONE",
                                 "android.permission.READ_SMS"};
  std::string out = std::string(R"(["android.permission.)") + (pick % 2 == 0 ? "CONTACTS" : "CAMERA") + "\"";
  if (pick % 3 != 0) out += std::string(",\"") + kPerms[(pick / 3) % 3] + "\"";
  return out + "]";
}

// user_triggered absent, true or false.
std::string Triggered(uint32_t pick) {
  switch (pick % 3) {
    case 0: return "";
    case 1: return R"(,"user_triggered":true)";
    default: return R"(,"user_triggered":false)";
  }
}

// A session of `records` API calls and permission requests (about one in `requests_one_in`) at
// pseudo-random times from `seed`, `gap` milliseconds apart at most.
std::string Session(const std::string& id, uint32_t seed, int records, uint32_t requests_one_in, uint32_t gap = 900) {
  std::string text = testing::HeaderLine(id);
  testing::PseudoRandom next(seed);
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % gap);
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (next() % requests_one_in == 0) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":)" + Perms(next()) + Caller(next()) +
              Triggered(next()) + "}\n";
      continue;
    }
    text += R"({"type":"api_call",)" + common + R"(,"api":{"class":"C","method":"m"},"data_types":[])" +
            Caller(next()) + R"(,"count":)" + std::to_string(1 + next() % 3) + "}\n";
  }
  return text;
}

using Fixture = testing::NativeFixture;

Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_levels");
  for (interp::PassFn pass : fixture.native->code.passes) CHECK((pass != nullptr));
  return fixture;
}

}  // namespace

TEST_CASE("every later indexed record scan of the pack is looped natively") {
  Fixture fixture = Compile();
  // keyed, unkeyed-erred, not-a-duration, two-levels (both record scans), then-elements, every-later.
  CHECK(testing::PassBlocksNamed(fixture, "records.row_error") == 7);
}

TEST_CASE("native later record scans give the driver's results, sessions after sessions in one evaluator") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::string text = Session("s" + std::to_string(seed), seed, 20 + 15 * static_cast<int>(seed), 2 + seed % 3);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  // Requests too far apart for most windows: empty slices and levels with no row.
  sessions.push_back(testing::LoadInPlace(plan, Session("sparse", 7, 40, 3, 20000)));
  sessions.push_back(testing::LoadInPlace(plan, Session("calls-only", 8, 15, 1000)));
  sessions.push_back(testing::LoadInPlace(plan, testing::HeaderLine("empty")));
  testing::Reached reached = testing::CheckSameAsInterpreter(fixture, sessions);
  // Rows whose filters or residuals err (rule errors), and findings of nearly every rule.
  CHECK(reached.errors >= 3);
  CHECK(reached.findings >= 5);
}

TEST_CASE("a budget running out at any step of a later record scan stops both alike") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  auto loaded = testing::LoadInPlace(plan, Session("budget", 3, 30, 3));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("a rule reaching its findings limit inside a later record scan's rows stops there in both") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  auto loaded = testing::LoadInPlace(plan, Session("limit", 5, 3000, 3));
  testing::CheckFindingsLimitAlike(fixture, loaded->sessions[0]);
}

TEST_CASE("two threads run their sessions' later record scans with one native code") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    sessions.push_back(testing::LoadInPlace(plan, Session("t" + std::to_string(seed), seed, 80, 3)));
  }
  testing::CheckTwoThreads(fixture, sessions);
}
