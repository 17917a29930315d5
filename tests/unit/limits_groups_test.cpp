// The findings limit of a grouped rule: its groups become findings at the end of the session, and
// the limit is reached while they are swept, after which no group's finding is kept and the limit
// is recorded once however many groups are left.
#include <doctest/doctest.h>

#include <string>

#include "tests/unit/limits_pack.h"

using namespace edict;

namespace {

// One group, so one finding with its own subject, per launch.
constexpr const char* kEveryLaunchGrouped =
    "rule every-launch-grouped {\n  title: \"every launch\"\n  severity: low\n  kind: review\n"
    "  needs: [lifecycle]\n  match l: lifecycle\n  where l.state == \"launched\"\n  group by launch: l.seq\n"
    "  having count() >= 1\n  subject: {\"party\": \"third\", \"sdk\": string(launch)}\n}\n";

}  // namespace

TEST_CASE("a grouped rule stops at kMaxFindingsPerRule findings and records the limit once") {
  auto checked = testing::CheckLimitsPack(kEveryLaunchGrouped);
  REQUIRE(checked->rendered.empty());
  using interp::kMaxFindingsPerRule;

  interp::SessionEvaluation at_limit = testing::RunLimitsPack(*checked, testing::LaunchedSession(kMaxFindingsPerRule));
  CHECK(at_limit.result.findings.size() == kMaxFindingsPerRule);
  CHECK(at_limit.limits.empty());

  // Two groups past the limit: each is refused, the limit said once.
  interp::SessionEvaluation over = testing::RunLimitsPack(*checked, testing::LaunchedSession(kMaxFindingsPerRule + 2));
  CHECK(over.result.findings.size() == kMaxFindingsPerRule);
  REQUIRE(over.limits.size() == 1);
  CHECK(over.limits[0].limit == "findings_per_rule");
  CHECK(over.limits[0].value == static_cast<int64_t>(kMaxFindingsPerRule));
  CHECK(over.result.summary.outcomes.at(0).outcome == findings::Outcome::kViolated);
  // The first groups found are kept: the launches of seq 1 to the limit.
  bool last_kept = false;
  bool first_dropped = false;
  for (const findings::Finding& finding : over.result.findings) {
    last_kept = last_kept || finding.subject.sdk == std::to_string(kMaxFindingsPerRule);
    first_dropped = first_dropped || finding.subject.sdk == std::to_string(kMaxFindingsPerRule + 1);
  }
  CHECK(last_kept);
  CHECK_FALSE(first_dropped);
}
