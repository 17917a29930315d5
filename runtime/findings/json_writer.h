// `--format json`: one finding per line as each session completes, then the run summary as the last
// line (findings-1.md).
#pragma once

#include <ostream>

#include "runtime/findings/summary.h"
#include "runtime/findings/writer.h"

namespace edict::findings {

class JsonLinesWriter : public Writer {
 public:
  explicit JsonLinesWriter(std::ostream& out) : out_(out) {}
  void Begin(const RunInfo& run) override;
  void AddSession(const SessionResult& session) override;
  void End(const RunEnd& end) override;

 private:
  std::ostream& out_;
  RunInfo run_;
  RunTally tally_;
};

}  // namespace edict::findings
