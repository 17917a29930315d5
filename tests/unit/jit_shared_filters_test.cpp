// Filters that several rules of a pass test alike, decided once per row in native code
// (codegen/shared_filters.h), against the driver, which evaluates each rule's: the same findings,
// rule errors (a memo map without the key: an error is never kept), memo hits and misses, and
// the same steps at every budget; and the pass loop keeps exactly the filters it may.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

// A caller: absent, of the system, without a class, or of a class.
std::string Caller(uint32_t pick) {
  switch (pick % 5) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"system","cls":"a.A"})";
    case 2: return R"(,"caller":{"party":"third"})";
    case 3: return R"(,"caller":{"cls":"a.A","party":"first"})";
    default: return R"(,"caller":{"cls":"com.sdk.X","party":"third"})";
  }
}

const char* const kTypes[] = {"loc.precise", "id.imei", "sms", "contacts"};

std::string Session(const std::string& id, uint32_t seed, int records) {
  return testing::ApiCallSession(id, seed, records, Caller, kTypes, 5);
}

testing::NativeFixture Compile() { return testing::CompileNative("tests/plan/native_shared_filters"); }

}  // namespace

TEST_CASE("filters decided once per row give the driver's findings, errors and memo counts") {
  testing::NativeFixture fixture = Compile();
  testing::Reached reached =
      testing::CheckSameAsInterpreter(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
  // Calls without a caller class make `who(call)["party"]` an error (rule errors); every other
  // rule finds something.
  CHECK(reached.errors >= 4);
  CHECK(reached.findings >= 6);
}

TEST_CASE("a budget running out before, at or after a kept filter stops both engines alike") {
  testing::NativeFixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 9, 40));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("the pass loop keeps the filters without folds or memo calls under || that rules repeat") {
  testing::NativeFixture fixture = Compile();
  // attributed(call) after its first rule: 4 (first-class-again, located, grouped, either);
  // who(call)["party"] == "a.A" after first-class: 3 (first-class-again, grouped, sms). Not kept:
  // the filter with the memo call under ||, the fold, and filters no other rule tests.
  CHECK(testing::PassBlocksNamed(fixture, "shared.kept") == 7);
}
