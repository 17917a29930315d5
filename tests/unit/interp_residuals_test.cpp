// Residual conjuncts past the 64th of a join's indexed scan (tests/plan/residuals): the first 64
// are checked by a bit set, the rest one by one, each skipped only where its time bound decided it
// (a valid duration), so a bound whose value errs leaves its conjunct to be evaluated and err.
// jit_residuals_test.cpp runs the same join in both engines.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/plan/harness.h"
#include "tests/plan/residuals/facts.h"

using namespace edict;

namespace {

// The number of residual conjuncts of the rule's join scan, and the position of each decided one.
std::vector<size_t> DecidedPositions(const plan::Plan& plan) {
  const plan::Scan& scan = plan.rules.at(0).query.scans.at(1);
  std::vector<size_t> positions;
  for (size_t i = 0; i < scan.residual.size(); ++i) {
    if (scan.residual_bound[i] != plan::kNone) positions.push_back(i);
  }
  return positions;
}

}  // namespace

TEST_CASE("a join's residuals past the 64th are skipped only where their bound decided them") {
  auto compiled = testing::CompilePacks({"tests/plan/residuals"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  REQUIRE(plan.rules.size() == 1);
  REQUIRE(plan.rules[0].query.scans.size() == 2);
  CHECK(plan.rules[0].query.scans[1].indexed);
  CHECK(plan.rules[0].query.scans[1].residual.size() == 68);
  CHECK(DecidedPositions(plan) == std::vector<size_t>{65, 66});

  testing::Run run = testing::Evaluate(plan, "residuals.jsonl", testing::ResidualsFacts());
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];
  // Result 3 pairs with the requests in [-1, 4] before it, result 7 with those in [5, 10]; result
  // 5's upper bound errs, so its conjunct is evaluated for the requests in [1, 6] before it.
  std::vector<std::string> subjects;
  for (const findings::Finding& finding : session.result.findings) subjects.push_back(finding.subject.sdk);
  std::sort(subjects.begin(), subjects.end());
  CHECK(subjects == std::vector<std::string>{"result 3", "result 7"});
  for (const findings::Finding* finding : testing::FindingsOf(plan, session, "requests-before-result")) {
    CHECK(testing::Seqs(*finding) == (finding->subject.sdk == "result 3" ? std::vector<int64_t>{1, 2, 3}
                                                                         : std::vector<int64_t>{6, 7}));
  }
  // Result 5's pairs err: one rule error, beside the findings.
  REQUIRE(session.result.summary.rule_errors.size() == 1);
  CHECK(session.result.summary.rule_errors[0].message.find("no such key") != std::string::npos);
  CHECK(testing::OutcomeOf(plan, session, "requests-before-result") == findings::Outcome::kViolated);
}
