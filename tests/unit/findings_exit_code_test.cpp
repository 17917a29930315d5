// The `run` exit code of findings-1.md: 0 no fail findings, 1 a fail finding, 2 rule error or (strict)
// a session that failed to load; 2 wins over 1.
#include <doctest/doctest.h>

#include "runtime/findings/summary.h"
#include "tests/findings/sample_run.h"

using namespace edict::findings;

namespace {

SessionResult Session(std::vector<Outcome> outcomes) {
  SessionResult session;
  session.summary.id = "s";
  for (Outcome outcome : outcomes) session.summary.outcomes.push_back({outcome, ""});
  return session;
}

Finding OfKind(Kind kind) {
  Finding finding;
  finding.kind = kind;
  return finding;
}

int ExitCode(const std::vector<SessionResult>& sessions, bool strict = true) {
  RunTally tally;
  for (const SessionResult& session : sessions) tally.Add(session);
  return RunExitCode(tally.totals(), strict);
}

}  // namespace

TEST_CASE("no findings, or only review findings, exit 0") {
  CHECK(ExitCode({}) == 0);
  CHECK(ExitCode({Session({Outcome::kPassed, Outcome::kUndetermined, Outcome::kNotApplicable})}) == 0);
  SessionResult review = Session({Outcome::kViolated});
  review.findings = {OfKind(Kind::kReview)};
  CHECK(ExitCode({review}) == 0);
}

TEST_CASE("a fail finding exits 1") {
  SessionResult fail = Session({Outcome::kViolated});
  fail.findings = {OfKind(Kind::kFail)};
  CHECK(ExitCode({Session({Outcome::kPassed}), fail}) == 1);
}

TEST_CASE("a rule error exits 2, and 2 wins over 1") {
  CHECK(ExitCode({Session({Outcome::kError})}) == 2);
  SessionResult violated_with_error = Session({Outcome::kViolated});
  violated_with_error.findings = {OfKind(Kind::kFail)};
  violated_with_error.summary.rule_errors = {{"r", "a.jsonl", 17, "integer overflow"}};
  CHECK(ExitCode({violated_with_error}) == 2);
}

TEST_CASE("a session that failed to load exits 2 in strict mode only") {
  SessionResult broken;
  broken.summary.error = "a.jsonl:1: not JSON";
  CHECK(ExitCode({broken}, /*strict=*/true) == 2);
  CHECK(ExitCode({broken}, /*strict=*/false) == 0);
  SessionResult fail = Session({Outcome::kViolated});
  fail.findings = {OfKind(Kind::kFail)};
  CHECK(ExitCode({broken, fail}, /*strict=*/false) == 1);
}

TEST_CASE("totals count sessions, records, findings by kind and outcomes") {
  RunResult run = sample::SampleRun();
  RunTally tally;
  for (const SessionResult& session : run.sessions) tally.Add(session);
  const Totals& totals = tally.totals();
  CHECK(totals.sessions == 4);
  CHECK(totals.records == 55);
  CHECK(totals.fail_findings == 4);
  CHECK(totals.review_findings == 1);
  CHECK(totals.count(Outcome::kUndetermined) == 11);
  CHECK(totals.count(Outcome::kError) == 1);
  CHECK(totals.sessions_failed_to_load == 1);
  CHECK(RunExitCode(totals, /*strict=*/false) == 2);  // the sample has a rule error
}
