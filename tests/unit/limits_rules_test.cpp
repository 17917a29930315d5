// The limits on what one rule may cost: how many record streams it joins (checked, with a located
// error) and how many findings it reports per session (the rest are dropped, and the session's
// evaluation says the limit was hit, so the drop is never silent).
#include <doctest/doctest.h>

#include <string>

#include "tests/unit/limits_pack.h"

using namespace edict;
using testing::Repeat;

namespace {

// A rule binding `bindings` lifecycle streams, plus `aggregates` count() aggregates over lifecycle
// in its condition. Its name is on line kRuleLine, column kRuleNameColumn.
std::string WideRule(int bindings, int aggregates) {
  std::string match = "l0: lifecycle";
  std::string condition = "l0.seq > 0";
  for (int i = 1; i < bindings; ++i) {
    match += ", l" + std::to_string(i) + ": lifecycle";
    condition += " && l" + std::to_string(i) + ".seq > 0";
  }
  for (int i = 0; i < aggregates; ++i) condition += " && count(a" + std::to_string(i) + ": lifecycle) > 0";
  return "rule wide {\n  title: \"wide\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match " + match +
         "\n  where " + condition + "\n}\n";
}
constexpr int kRuleLine = testing::kLimitsManifestLines + 1;
constexpr int kRuleNameColumn = 6;

}  // namespace

TEST_CASE("a rule may join kMaxJoinWidth streams, aggregates included; one more is a located error") {
  REQUIRE(sema::kMaxJoinWidth == 8);
  for (auto [bindings, aggregates] : {std::pair{8, 0}, std::pair{5, 3}, std::pair{1, 7}}) {
    auto checked = testing::CheckLimitsPack(WideRule(bindings, aggregates));
    CAPTURE(bindings);
    CHECK_MESSAGE(checked->rendered.empty(), checked->rendered.front());
  }
  for (auto [bindings, aggregates] : {std::pair{9, 0}, std::pair{8, 1}, std::pair{2, 7}}) {
    auto checked = testing::CheckLimitsPack(WideRule(bindings, aggregates));
    CAPTURE(bindings);
    REQUIRE_MESSAGE(checked->rendered.size() == 1, checked->rendered.back());
    std::string expected = "limits/pack.edict:" + std::to_string(kRuleLine) + ":" + std::to_string(kRuleNameColumn) +
                           ": error[E088]: rule 'wide' combines 9 record streams; too many streams in one rule "
                           "(limit is 8)";
    CHECK(checked->rendered[0].substr(0, expected.size()) == expected);
  }
}

TEST_CASE("a rule reports at most kMaxFindingsPerRule findings per session, and says it stopped") {
  // Findings with equal subjects merge into one; each launch here has its own.
  std::string rule =
      "rule every-launch {\n  title: \"every launch\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n"
      "  match l: lifecycle\n  where l.state == \"launched\"\n"
      "  subject: {\"party\": \"third\", \"sdk\": string(l.seq)}\n}\n";
  auto checked = testing::CheckLimitsPack(rule);
  REQUIRE(checked->rendered.empty());

  interp::SessionEvaluation at_limit = testing::RunLimitsPack(*checked, testing::LaunchedSession(interp::kMaxFindingsPerRule));
  CHECK(at_limit.result.findings.size() == interp::kMaxFindingsPerRule);
  CHECK(at_limit.limits.empty());

  interp::SessionEvaluation over = testing::RunLimitsPack(*checked, testing::LaunchedSession(interp::kMaxFindingsPerRule + 1));
  CHECK(over.result.findings.size() == interp::kMaxFindingsPerRule);
  REQUIRE(over.limits.size() == 1);
  CHECK(over.limits[0].session == "s-01");
  CHECK(over.limits[0].limit == "findings_per_rule");
  CHECK(over.limits[0].value == static_cast<int64_t>(interp::kMaxFindingsPerRule));
  CHECK(over.result.summary.outcomes.at(0).outcome == findings::Outcome::kViolated);
}
