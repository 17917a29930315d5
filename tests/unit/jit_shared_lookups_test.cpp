// Lookups that several filters of a pass make alike, kept per row in native code
// (codegen/shared_filters.h), against the driver, which evaluates each filter's: the same findings,
// rule errors (a memo map without the key, a memo function whose body errs: errors are never kept),
// memo hits and misses, and the same steps at every budget; and the pass loop takes the kept value
// at exactly the sites it may.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

// A caller: absent (origin() errs), without a class (who() lacks "party"), or of a class.
std::string Caller(uint32_t pick) {
  switch (pick % 5) {
    case 0: return "";
    case 1: return R"(,"caller":{"party":"third","mth":"m"})";
    case 2: return R"(,"caller":{"party":"first","cls":"a.A","mth":"m"})";
    case 3: return R"(,"caller":{"party":"first","cls":"b.B"})";
    default: return R"(,"caller":{"cls":"com.sdk.X","party":"third","mth":"run"})";
  }
}

const char* const kTypes[] = {"sms", "id.imei", "loc.precise", "contacts"};

std::string Session(const std::string& id, uint32_t seed, int records) {
  return testing::ApiCallSession(id, seed, records, Caller, kTypes);
}

testing::NativeFixture Compile() { return testing::CompileNative("tests/plan/native_shared_lookups"); }

}  // namespace

TEST_CASE("lookups kept per row give the driver's findings, errors and memo counts") {
  testing::NativeFixture fixture = Compile();
  testing::Reached reached =
      testing::CheckSameAsInterpreter(fixture, testing::FiveSeededSessions(fixture.plan(), Session));
  // Calls without a caller class (who(call)["party"]) or without a caller (origin(call)) are
  // rule errors; every rule finds something.
  CHECK(reached.errors >= 5);
  CHECK(reached.findings >= 6);
}

TEST_CASE("a budget running out before, at or after a kept lookup stops both engines alike") {
  testing::NativeFixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 9, 40));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 100);
}

TEST_CASE("the pass loop takes a kept lookup only after a site that may keep it") {
  testing::NativeFixture fixture = Compile();
  // who(call)["party"] after of-class: 2 (located-or-many, sdk-after-fold); origin(call)["party"]
  // after from-sdk: 1 (from-app). Not kept: who(call).party, a select no other filter makes.
  CHECK(testing::PassBlocksNamed(fixture, "lookup.kept") == 3);
}
