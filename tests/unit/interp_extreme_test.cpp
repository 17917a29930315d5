// min/max of a scan's own `t` by binary search (tests/plan/extremes): the lowering marks exactly
// those aggregates, a record's t compared with a function argument becomes a time bound, and the
// answers, errors included, are the general path's (the same plan with the mark cleared).
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/plan/print.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;

namespace {

// `flags` is the rest of the record: user_triggered and rationale_shown, each present or not.
std::string Request(int seq, int t, const std::string& flags) {
  return testing::RequestLine(seq, t, R"(["android.permission.CAMERA"])", flags);
}

std::string Consent(int seq, int t, const std::string& action, const std::string& version) {
  return R"({"type":"consent","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"doc":"privacy_policy","action":")" + action + R"(","method":"ui_click")" +
         (version.empty() ? "" : R"(,"policy_version":")" + version + "\"") + "}\n";
}

// Two lines at t 10 (one without a policy_version), requests before, between and after them,
// with user_triggered and rationale_shown true, false and absent.
std::string Facts() {
  const std::string both = R"(,"user_triggered":true,"rationale_shown":true)";
  return HeaderLine() + Request(1, 0, both) + Consent(2, 2, "shown", "v1") + Request(3, 5, both) +
         Consent(4, 10, "agreed", "") + Consent(5, 10, "shown", "v2") + Request(6, 10, R"(,"rationale_shown":false)") +
         Request(7, 20, R"(,"user_triggered":false)") + Consent(8, 30, "rejected", "v3") + Request(9, 40, both);
}

// Every finding's rule, subject and message and every rule error, sorted (each request is its own subject).
std::vector<std::string> Answers(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  std::vector<std::string> answers;
  for (const findings::Finding& finding : session.result.findings) {
    answers.push_back(plan.rules[finding.rule].id + " " + finding.subject.sdk + ": " + finding.message);
  }
  for (const findings::RuleError& error : session.result.summary.rule_errors) {
    answers.push_back(error.rule + " error: " + error.message);
  }
  std::sort(answers.begin(), answers.end());
  return answers;
}

bool Has(const std::vector<std::string>& answers, const std::string& answer) {
  return std::find(answers.begin(), answers.end(), answer) != answers.end();
}

}  // namespace

TEST_CASE("min and max of the scan's own t over filters and bounds are marked, others are not") {
  auto compiled = testing::CompilePacks({"tests/plan/extremes"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  size_t marked = 0;
  for (const plan::Aggregate& aggregate : compiled->plan->aggregates) {
    bool own_t = aggregate.text.rfind("max(c.t ", 0) == 0 || aggregate.text.rfind("min(c.t ", 0) == 0;
    CHECK_MESSAGE(aggregate.extreme_of_t == own_t, aggregate.text);
    if (aggregate.extreme_of_t) ++marked;
  }
  CHECK(marked == 7);
  std::string printed = plan::PrintPlan(*compiled->plan);
  CHECK(printed.find("(first or last t of the bounded rows, by binary search)") != std::string::npos);
  // `c.t == at`: both bounds, no recheck, so the exists is counted (in line_at, a memo by value).
  CHECK(printed.find("t >= at (binary search)") != std::string::npos);
  CHECK(printed.find("t <= at (binary search)") != std::string::npos);
  CHECK(printed.find("recheck c.t == at") == std::string::npos);
  // `c.t + 1ms > at` (a report's aggregate, so not printed): one strict lower bound deciding it.
  const plan::Plan& built = *compiled->plan;
  const std::vector<std::string>& names = built.rules[testing::RuleIndex(built, "first-after-pause")].register_names;
  bool solved = false;
  for (const plan::Aggregate& aggregate : built.aggregates) {
    if (aggregate.text != "min(c.t for c: consent where c.t + 1ms > at)") continue;
    const plan::Scan& scan = aggregate.query.scans[0];
    solved = scan.bounds.size() == 1 && scan.bounds[0].lower && scan.bounds[0].strict &&
             plan::PrintExpr(&built, built.code, scan.bounds[0].value, names) == "first_line_after.at - 1ms";
  }
  CHECK(solved);
}

TEST_CASE("min and max by binary search give the general path's answers, errors included") {
  auto compiled = testing::CompilePacks({"tests/plan/extremes"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  testing::Run fast = testing::Evaluate(*compiled->plan, "extremes.jsonl", Facts());
  REQUIRE(fast.sessions.size() == 1);
  std::vector<std::string> answers = Answers(*compiled->plan, fast.sessions[0]);

  for (plan::Aggregate& aggregate : compiled->plan->aggregates) aggregate.extreme_of_t = false;
  testing::Run general = testing::Evaluate(*compiled->plan, "extremes.jsonl", Facts());
  REQUIRE(general.sessions.size() == 1);
  CHECK(answers == Answers(*compiled->plan, general.sessions[0]));
  CHECK(fast.sessions[0].stats.comparisons < general.sessions[0].stats.comparisons);

  std::string all;
  for (const std::string& answer : answers) all += answer + "\n";
  INFO(all);
  // Requests at t 0, 5, 10 (user_triggered absent, rationale_shown false), 20 (user_triggered
  // false, rationale_shown absent) and 40; consent lines at 2, 10 (agreed, no policy_version),
  // 10 and 30.
  for (const std::string answer : {
           "latest-agreement request 1: <error: max of no values>", "latest-agreement request 6: 10ms",
           "latest-agreement request 9: 10ms", "first-within-second request 1: 2ms",
           "first-within-second request 6: 30ms", "first-within-second request 9: <error: min of no values>",
           "latest-versioned request 3: 2ms", "latest-versioned request 6: <error: no such field: policy_version>",
           "latest-before-pause request 3: 2ms", "latest-before-pause request 7: 10ms",
           "latest-before-pause request 6: <error: no such field: user_triggered>",
           "latest-if-rationale request 9: 2ms", "latest-if-rationale request 6: <error: min of no values>",
           "latest-if-rationale request 7: <error: no such field: rationale_shown>", "latest-seq request 9: 8",
           "first-after-pause request 1: 2ms", "first-after-pause request 3: 10ms",
           "first-after-pause request 6: <error: no such field: user_triggered>", "first-after-pause request 7: 30ms",
           "first-after-pause request 9: <error: min of no values>"}) {
    CHECK_MESSAGE(Has(answers, answer), answer);
  }
  CHECK(Has(answers, "shown-at-latest request 6: a policy shown at the latest line up to a request"));
  CHECK(!Has(answers, "shown-at-latest request 9: a policy shown at the latest line up to a request"));
}
