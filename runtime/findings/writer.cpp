// Choosing a writer by format, and writing a finished run through one.
#include "runtime/findings/writer.h"

#include "runtime/findings/json_writer.h"
#include "runtime/findings/sarif_writer.h"
#include "runtime/findings/text_writer.h"

namespace edict::findings {

std::unique_ptr<Writer> MakeWriter(Format format, std::ostream& out, const WriterOptions& options) {
  switch (format) {
    case Format::kJson: return std::make_unique<JsonLinesWriter>(out);
    case Format::kSarif: return std::make_unique<SarifWriter>(out);
    case Format::kText: return std::make_unique<TextWriter>(out, options.color);
  }
  return std::make_unique<JsonLinesWriter>(out);
}

void WriteRun(const RunResult& run, Writer& writer) {
  writer.Begin(run.info);
  for (const SessionResult& session : run.sessions) writer.AddSession(session);
  writer.End(run.end);
}

}  // namespace edict::findings
