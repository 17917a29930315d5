// The opt-in cost breakdown (runtime/interp/cost_profile.h): with EDICT_INTERP_PROFILE set, each
// session slot's evaluation, each memo function's miss and each scan index's build is timed and
// counted under its name.
#include <doctest/doctest.h>

#include <cstdlib>

#include "runtime/interp/cost_profile.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

// The count column of `name`'s line in the report, or -1 without one.
long long CountOf(const std::string& report, const std::string& name) {
  size_t at = report.find("  " + name + "\n");
  if (at == std::string::npos) return -1;
  size_t line = report.rfind('\n', at) + 1;
  return std::stoll(report.substr(line, at - line).substr(11));
}

}  // namespace

TEST_CASE("slots and memo misses are timed and counted by name") {
  // The flag is read once, at the first evaluation: set it before anything runs.
  REQUIRE(setenv("EDICT_INTERP_PROFILE", "1", 1) == 0);
  REQUIRE(interp::cost_profile::Enabled());
  auto compiled = testing::CompilePacks({"stdlib-rules/cn-app-privacy"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  REQUIRE(!plan.slots.empty());
  std::string file = "stdlib-rules/cn-app-privacy/fixtures/collect-before-consent/sdk-read-before-consent.jsonl";
  testing::Run run = testing::Evaluate(plan, "fixture", testing::ReadFile(file));
  REQUIRE(run.sessions.size() == 1);

  std::string report = interp::cost_profile::Report();
  CHECK(report.find("edict interp profile") == 0);
  CHECK(CountOf(report, "slot " + plan.slots[0].name) == 1);
  // At most one miss per api_call record: a call's subject is computed once, then read from the cache.
  std::string text = testing::ReadFile(file);
  long long calls = 0;
  for (size_t at = text.find("\"api_call\""); at != std::string::npos; at = text.find("\"api_call\"", at + 1)) ++calls;
  CHECK(CountOf(report, "memo call_subject") > 0);
  CHECK(CountOf(report, "memo call_subject") <= calls);
  CHECK(CountOf(report, "memo no_such_function") == -1);
  // Index builds are named by kind, index and binding.
  CHECK(report.find("  index api_call ") != std::string::npos);

  testing::Evaluate(plan, "fixture", testing::ReadFile(file));
  CHECK(CountOf(interp::cost_profile::Report(), "slot " + plan.slots[0].name) == 2);
}
