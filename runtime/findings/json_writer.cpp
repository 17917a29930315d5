// JSON Lines findings and summary.
#include "runtime/findings/json_writer.h"

#include "runtime/findings/json_encode.h"
#include "runtime/findings/order.h"

namespace edict::findings {

void JsonLinesWriter::Begin(const RunInfo& run) { run_ = run; }

void JsonLinesWriter::AddSession(const SessionResult& session) {
  tally_.Add(session);
  std::deque<Finding> normalized;
  for (const Finding* finding : ReportOrder(session.findings, normalized)) {
    out_ << FindingLine(run_, *finding) << '\n';
  }
}

void JsonLinesWriter::End(const RunEnd& end) {
  out_ << Dump(SummaryJson(run_, tally_, end)) << '\n';
  out_.flush();
}

}  // namespace edict::findings
