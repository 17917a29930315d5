// The interface of the three report writers. A run is written as it happens: Begin once the rules are
// loaded, AddSession after each session, End with what is known at the end. Writers never throw.
#pragma once

#include <memory>
#include <ostream>
#include <string_view>

#include "runtime/findings/model.h"

namespace edict::findings {

enum class Format : uint8_t { kJson, kSarif, kText };

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void Begin(const RunInfo& run) = 0;
  virtual void AddSession(const SessionResult& session) = 0;
  virtual void End(const RunEnd& end) = 0;
};

struct WriterOptions {
  bool color = false;  // ANSI colours in text reports; the CLI passes "stdout is a terminal"
};

std::unique_ptr<Writer> MakeWriter(Format format, std::ostream& out, const WriterOptions& options = {});

// Writes a complete, already computed run.
void WriteRun(const RunResult& run, Writer& writer);

}  // namespace edict::findings
