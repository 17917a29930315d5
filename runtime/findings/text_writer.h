// `--format text`: findings grouped by app, most severe first, with evidence lines and citations;
// then each session's outcomes, saying how many rules could not be decided and why (a session
// without findings is never called compliant); then the totals.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runtime/findings/summary.h"
#include "runtime/findings/writer.h"

namespace edict::findings {

class TextWriter : public Writer {
 public:
  TextWriter(std::ostream& out, bool color) : out_(out), color_(color) {}
  void Begin(const RunInfo& run) override;
  void AddSession(const SessionResult& session) override;
  void End(const RunEnd& end) override;

 private:
  struct AppGroup {
    std::string app;
    std::optional<int64_t> version_code;
    std::vector<Finding> findings;
    uint64_t undetermined = 0;  // rule outcomes over all the app's sessions
    uint64_t failed_sessions = 0;
  };

  std::string Paint(std::string_view text, const char* style) const;
  void WriteFinding(const Finding& finding);
  void WriteSession(const SessionSummary& session);
  void WriteTotals(const RunEnd& end);

  std::ostream& out_;
  bool color_;
  RunInfo run_;
  RunTally tally_;
  // Held until End because an app's sessions need not be adjacent in the input.
  std::vector<AppGroup> apps_;  // in order of first appearance
};

}  // namespace edict::findings
