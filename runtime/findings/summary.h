// Run totals and the `run` exit code, accumulated session by session so writers can stream.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "runtime/findings/model.h"

namespace edict::findings {

struct Totals {
  uint64_t sessions = 0;
  uint64_t records = 0;
  uint64_t fail_findings = 0;
  uint64_t review_findings = 0;
  std::array<uint64_t, std::size(kAllOutcomes)> outcomes{};  // indexed by Outcome
  // Not part of the JSON totals; they decide the exit code.
  uint64_t sessions_failed_to_load = 0;
  uint64_t rule_errors = 0;  // `rule_errors` entries plus `error` outcomes without an entry

  uint64_t count(Outcome outcome) const { return outcomes[static_cast<size_t>(outcome)]; }
};

// Keeps the session summaries (without findings) and the totals of the sessions seen so far.
class RunTally {
 public:
  void Add(const SessionResult& session);
  const Totals& totals() const { return totals_; }
  const std::vector<SessionSummary>& sessions() const { return sessions_; }

 private:
  Totals totals_;
  std::vector<SessionSummary> sessions_;
};

// findings-1.md, `run`: 2 when a rule raised an evaluation error or (in strict mode) a session
// failed to load, else 1 when there is at least one `fail` finding, else 0. Usage errors are the
// command line's own business.
int RunExitCode(const Totals& totals, bool strict);

}  // namespace edict::findings
