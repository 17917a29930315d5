// Totals and exit code of a run.
#include "runtime/findings/summary.h"

#include <algorithm>

namespace edict::findings {

void RunTally::Add(const SessionResult& session) {
  const SessionSummary& summary = session.summary;
  ++totals_.sessions;
  totals_.records += summary.records;
  if (summary.error) ++totals_.sessions_failed_to_load;
  for (const Finding& finding : session.findings) {
    ++(finding.kind == Kind::kFail ? totals_.fail_findings : totals_.review_findings);
  }
  uint64_t error_outcomes = 0;
  for (const RuleOutcome& outcome : summary.outcomes) {
    ++totals_.outcomes[static_cast<size_t>(outcome.outcome)];
    if (outcome.outcome == Outcome::kError) ++error_outcomes;
  }
  // A rule can be `violated` and still have errors on other records; an `error` outcome always
  // has one, even if the engine did not locate it.
  totals_.rule_errors += std::max<uint64_t>(summary.rule_errors.size(), error_outcomes);
  sessions_.push_back(summary);
}

int RunExitCode(const Totals& totals, bool strict) {
  if (totals.rule_errors > 0) return 2;
  if (strict && totals.sessions_failed_to_load > 0) return 2;
  return totals.fail_findings > 0 ? 1 : 0;
}

}  // namespace edict::findings
