// Comparing what the two back ends produced: every field of an evaluated session, and of a
// standalone expression's result, printed as canonical text so that a mismatch shows as a diff.
#pragma once

#include <string>
#include <vector>

#include "edict/edict.h"

namespace edict::differential {

// One line per fact: the summary (id, records, load error), each rule's outcome and reason, each
// rule error with its message, each limit hit, then the findings with every field. Findings are
// listed sorted by their text: their order in SessionResult carries no meaning (writers sort).
std::string Describe(const Evaluation& evaluation, const RunInfo& info);

// The value text or the error message, the error flag, the type, and any diagnostics.
std::string Describe(const ExpressionResult& result);

// Empty when `interp` and `jit` are equal; else the lines only one side has, marked `- interp`
// and `+ jit`, in order, with `context` as the first line.
std::string Diff(const std::string& context, const std::string& interp, const std::string& jit);

}  // namespace edict::differential
