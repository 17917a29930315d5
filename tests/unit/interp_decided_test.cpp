// Residual conjuncts decided by time bounds (tests/plan/decided): scans of one shared index whose
// conjuncts come in different orders each skip their own decided conjuncts (the index keeps the
// decided set of the scan it was last visited by), a scan whose bound's value is no duration on one
// visit evaluates the conjunct it decided on the visit before, and a residual conjunct that is no
// bool makes its tuple an error.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"

using namespace edict;
using testing::HeaderLine;

namespace {

// `flags`: the user_triggered field, or nothing (the pause, and so the third count's bound, errs).
std::string Request(int seq, int t, const std::string& flags) {
  return testing::RequestLine(seq, t, R"(["android.permission.CAMERA"])", flags);
}

std::string Consent(int seq, int t) {
  return R"({"type":"consent","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"doc":"privacy_policy","action":"shown","method":"ui_click"})" + "\n";
}

// Each request follows a consent line (seq - 1), which every count leaves out; the line at seq 7
// is at request 6's t, within its first two counts but not its third (a pause of 1ms).
std::string Facts() {
  return HeaderLine() + Consent(1, 0) + Request(2, 5, R"(,"user_triggered":true)") + Consent(3, 10) +
         Request(4, 10, "") + Consent(5, 15) + Request(6, 20, R"(,"user_triggered":false)") + Consent(7, 20) +
         Request(8, 20, R"(,"user_triggered":true)");
}

// The messages of `rule`'s findings, each after its subject's sdk, sorted.
std::vector<std::string> Messages(const plan::Plan& plan, const interp::SessionEvaluation& session,
                                  const std::string& rule) {
  std::vector<std::string> messages;
  for (const findings::Finding& finding : session.result.findings) {
    if (plan.rules[finding.rule].id == rule) messages.push_back(finding.subject.sdk + ": " + finding.message);
  }
  std::sort(messages.begin(), messages.end());
  return messages;
}

// The scan of the aggregate written as `text`.
const plan::Scan* ScanOf(const plan::Plan& plan, const std::string& text) {
  for (const plan::Aggregate& aggregate : plan.aggregates) {
    if (aggregate.text == text && aggregate.query.scans.size() == 1) return &aggregate.query.scans[0];
  }
  return nullptr;
}

}  // namespace

TEST_CASE("scans sharing an index skip the conjuncts their own bounds decide") {
  auto compiled = testing::CompilePacks({"tests/plan/decided"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  // Indexed scans with a bound and a conjunct it does not decide, so no binary search answers them;
  // the first two share an index.
  const plan::Scan* scans[] = {
      ScanOf(plan, "count(c: consent where c.t <= q.t && c.seq != q.seq - 1)"),
      ScanOf(plan, "count(c: consent where c.seq != q.seq - 1 && c.t <= q.t)"),
      ScanOf(plan, "count(c: consent where c.action == 'shown' && c.t <= q.t - pause(q) && c.seq != q.seq - 1)"),
  };
  for (const plan::Scan* scan : scans) {
    REQUIRE(scan != nullptr);
    CHECK(scan->indexed);
    CHECK(scan->bounds.size() == 1);
    CHECK(scan->residual.size() == 2);
  }
  CHECK(scans[0]->index == scans[1]->index);
  CHECK(scans[1]->index != scans[2]->index);
  // The bound decides the first conjunct of the first and third counts, the second of the second.
  for (const plan::Scan* scan : {scans[0], scans[2]}) {
    CHECK(scan->residual_bound[0] != plan::kNone);
    CHECK(scan->residual_bound[1] == plan::kNone);
  }
  CHECK(scans[1]->residual_bound[0] == plan::kNone);
  CHECK(scans[1]->residual_bound[1] != plan::kNone);

  testing::Run run = testing::Evaluate(plan, "decided.jsonl", Facts());
  REQUIRE(run.sessions.size() == 1);
  CHECK(Messages(plan, run.sessions[0], "lines-before") == std::vector<std::string>{
                                                                "request 2: 0 0 0",
                                                                "request 4: 1 1 <error: no such field: user_triggered>",
                                                                "request 6: 3 3 2",
                                                                "request 8: 3 3 3",
                                                            });
}

TEST_CASE("a residual conjunct that is no bool is its tuple's error") {
  auto compiled = testing::CompilePacks({"tests/plan/decided"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  testing::Run run = testing::Evaluate(*compiled->plan, "decided.jsonl", Facts());
  REQUIRE(run.sessions.size() == 1);
  CHECK(Messages(*compiled->plan, run.sessions[0], "not-a-bool") ==
        std::vector<std::string>{
            "request 2: 0",
            "request 4: <error: no such field: user_triggered>",
            "request 6: <error: no matching overload for '_&&_' applied to (int)>",
            "request 8: 3",
        });
}
