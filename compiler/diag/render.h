// Renders diagnostics for people (file:line:col, source line, caret) and for tools (JSON).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "compiler/diag/diagnostic.h"

namespace edict::diag {

// `rules/x.edict:12:9: error[E020]: unknown record kind 'consnet'`, the source line, a caret
// line under the range, then notes and help. `color` adds ANSI colours (terminals only).
std::string RenderText(const Diagnostic& d, const SourceManager& sources, bool color);

// One object per diagnostic: {code, name, severity, message, file, line, column, end_line,
// end_column, notes: [...], help}.
nlohmann::json RenderJson(const Diagnostic& d, const SourceManager& sources);

// "2 errors, 1 warning generated." or "" when there is nothing to report.
std::string RenderSummary(size_t errors, size_t warnings);

const char* SeverityName(Severity s);

}  // namespace edict::diag
