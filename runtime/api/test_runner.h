// The pieces of RunTests (not public): a test's facts as JSON Lines, and its expectations checked
// against one evaluated session.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/source.h"
#include "edict/edict.h"
#include "runtime/findings/model.h"

namespace edict::testrun {

// The inline records of `facts [ {...}, ... ]` as JSON Lines, one record per line in order;
// nullopt with `error` set when a record cannot be evaluated or has no JSON form.
std::optional<std::string> InlineFactsJsonLines(const ast::TestDecl& test, const diag::SourceManager& sources,
                                                std::string& error);

// What one rule did in the test's session.
struct RuleResult {
  findings::RuleOutcome outcome;
  std::vector<const findings::Finding*> findings;  // in report order
  std::vector<const findings::RuleError*> errors;
};

// Checks every `expect` line of `lines` (all naming the same rule) against `result`; empty when
// they all hold. See docs/cli.md "edict test" for the semantics.
std::vector<ExpectFailure> CheckExpectations(const std::vector<const ast::TestDecl::Expect*>& lines,
                                             const RuleResult& result, const diag::SourceManager& sources);

}  // namespace edict::testrun
