// Every rule pack's fixtures (tests/differential/fixtures.h: found by glob, so new packs join)
// through the interpreter and the JIT: outcomes, reasons, rule errors, limits and every field of
// every finding must be equal.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/differential/engines.h"
#include "tests/differential/fixtures.h"
#include "tests/differential/scratch.h"

using namespace edict;
using namespace edict::differential;

TEST_CASE("every pack fixture evaluates identically under the interpreter and the JIT") {
  ScratchCache cache;  // compiled objects go to a fresh cache, not the user's
  std::vector<PackFixtures> packs = DiscoverFixtures(EDICT_SOURCE_DIR);
  Comparison total;
  size_t tests = 0, files = 0, configurations = 0;
  for (const PackFixtures& pack : packs) {
    INFO("pack " << pack.pack);
    CHECK_MESSAGE(pack.error.empty(), pack.error);
    tests += pack.tests;
    files += pack.files;
    for (const FixtureRun& run : pack.runs) {
      EnginePair engines(run.options);
      CHECK_MESSAGE(engines.ok(), run.label << ": " << engines.diagnostics());
      engines.Compare(run.inputs, run.label, total);
      ++configurations;
    }
  }
  for (const std::string& mismatch : total.mismatches) FAIL_CHECK(mismatch);
  CHECK_MESSAGE(total.interpreted == 0, total.interpreted << " sessions the JIT rule set did not run natively");
  CHECK_MESSAGE(total.fallbacks == 0, total.fallbacks << " fallbacks to the interpreter inside native code");
  CHECK(total.cache_hits == total.sessions);  // the JIT code loaded from the object cache ran too
  std::cout << "differential fixtures: " << packs.size() << " packs, " << configurations << " configurations, "
            << tests << " tests and " << files << " fixture files: " << total.sessions << " sessions and "
            << total.findings << " findings compared (also with JIT code from the object cache: " << total.cache_hits
            << " sessions), " << total.mismatches.size() << " mismatches, "
            << total.interpreted << " sessions not native, " << total.fallbacks << " fallbacks\n";
  // The glob must find the standard library and the examples: several hundred sessions.
  CHECK(packs.size() >= 3);
  CHECK(total.sessions >= 300);
  CHECK(total.findings >= 100);
}

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// The plan phase's own packs (aggregates, sequences, groups, outcomes, joins, windows) over its
// sessions, and the budget pack over a session that exhausts the evaluation budget: both engines
// must stop at the same step and report the same limit.
TEST_CASE("the plan test packs and the evaluation budget agree under both engines") {
  ScratchCache cache;
  std::vector<Input> sessions;
  for (const auto& entry : std::filesystem::directory_iterator("tests/plan/facts")) {
    sessions.push_back(Input::Text(entry.path().string(), ReadFile(entry.path().string())));
  }
  REQUIRE(!sessions.empty());
  Comparison total;
  for (const char* pack : {"tests/plan/features", "tests/plan/joins", "tests/plan/windows"}) {
    CompileOptions options;
    options.packs = {pack};
    options.pack_path = {"stdlib-rules"};
    options.use_environment = false;
    EnginePair engines(options);
    CHECK_MESSAGE(engines.ok(), pack << ": " << engines.diagnostics());
    engines.Compare(sessions, pack, total);
  }

  CompileOptions budget;
  budget.packs = {"tests/plan/budget"};
  budget.pack_path = {"stdlib-rules"};
  budget.use_environment = false;
  EnginePair engines(budget);
  REQUIRE_MESSAGE(engines.ok(), engines.diagnostics());
  const std::string runaway =
      R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"b",)"
      R"("started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
      R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n"
      R"({"type":"api_call","seq":1,"t":5,"api":{"class":"C","method":"m"},"data_types":["id.imei","id.imsi",)"
      R"("id.iccid","id.serial","id.oaid","contacts","sms","call_log","calendar","clipboard"]})" "\n";
  Input input = Input::Text("budget.jsonl", runaway);
  engines.Compare(std::span<const Input>(&input, 1), "tests/plan/budget", total);

  for (const std::string& mismatch : total.mismatches) FAIL_CHECK(mismatch);
  CHECK(total.interpreted == 0);
  CHECK(total.fallbacks == 0);
  CHECK(total.cache_hits == total.sessions);
  CHECK(total.sessions > 3 * sessions.size());  // each file holds at least one session
  CHECK(total.limits == 1);  // the runaway session did reach the budget
  std::cout << "differential plan packs: " << total.sessions << " sessions and " << total.findings
            << " findings compared, " << total.mismatches.size() << " mismatches\n";
}
