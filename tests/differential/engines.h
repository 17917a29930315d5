// Running the same rules over the same facts with the interpreter and with the JIT, through the
// public API, and collecting every difference.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "edict/edict.h"

namespace edict::differential {

struct Comparison {
  size_t sessions = 0;         // sessions evaluated and compared
  size_t findings = 0;         // findings compared (the interpreter's count)
  size_t limits = 0;           // limits the interpreter's sessions reached
  // The JIT's side must run natively: sessions it interpreted, and expressions the interpreter
  // evaluated inside native code (the fallback counter). Both must stay 0.
  size_t interpreted = 0;
  uint64_t fallbacks = 0;
  size_t cache_hits = 0;       // sessions also evaluated by a JIT rule set loaded from the object cache
  std::vector<std::string> mismatches;  // one Diff per session (or per compile) that differed
};

// A rule set compiled by both engines, sharing nothing; the JIT's twice, so that the second
// links the object the first left in the cache (EDICT_CACHE_DIR) and is compared too.
class EnginePair {
 public:
  // Compiles `options` with Engine::kInterp and Engine::kJit; `options.engine` is ignored.
  explicit EnginePair(CompileOptions options);

  bool ok() const { return interp_.has_value() && jit_.has_value(); }
  // The diagnostics of a failed compilation, and any difference between the engines' diagnostics.
  const std::string& diagnostics() const { return diagnostics_; }
  // Diagnostics (warnings included) of the interpreter's compilation, rendered.
  const std::string& rendered() const { return rendered_; }
  size_t warnings() const { return warnings_; }

  // Loads `inputs` with each rule set, evaluates every session with both and adds to `into`.
  // `label` starts every mismatch report. Nothing happens unless ok().
  void Compare(std::span<const Input> inputs, const std::string& label, Comparison& into) const;

 private:
  std::optional<RuleSet> interp_;
  std::optional<RuleSet> jit_;
  std::optional<RuleSet> cached_;  // the JIT rule set again, when its native code came from the cache
  std::string diagnostics_;
  std::string rendered_;
  size_t warnings_ = 0;
};

struct ExpressionComparison {
  std::string diff;  // empty when the results are equal
  ExpressionResult interp;
  ExpressionResult jit;
};

// The standalone expression API under both engines.
ExpressionComparison CompareExpression(const std::string& expression, const std::vector<Variable>& variables,
                                       const std::string& label);

}  // namespace edict::differential
