// A generated program's native code built with every family of roots alike up to their registers
// sharing one body, however small (codegen::EmitOptions::share_every_family), and its sessions
// compared with the interpreter's. The code generator shares a body only where it pays, which a
// generated program's trees seldom do (about one pack in forty), so the differential tests and the
// differential fuzzer build it this way too: bodies called through register maps, over every shape
// the generator writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tests/differential/entropy.h"

namespace llvm {
class Module;
}  // namespace llvm

namespace edict::differential {

// The shared bodies (`edict_body_<id>`, register_families.h) `module` defines.
size_t SharedBodies(const llvm::Module& module);

struct EveryFamilyComparison {
  std::string error;                    // why nothing was compared: the pack's errors, a failed build
  size_t bodies = 0;                    // the shared bodies the native code has
  size_t sessions = 0;
  size_t findings = 0;                  // the interpreter's
  size_t budgets = 0;                   // budgets compared besides the sessions' own
  size_t stopped = 0;                   // of them, the ones a session ran out of
  uint64_t fallbacks = 0;               // expressions the interpreter evaluated inside native sessions
  std::vector<std::string> mismatches;  // one Diff per session that differed
};

// The step budgets, given the steps a session takes unbounded, at which both engines must also stop
// after the same step with the same results.
using BudgetPicker = std::function<std::vector<uint64_t>(uint64_t total)>;

// `count` budgets from 0 to a session's steps, drawn from `entropy` (which must outlive the picker).
BudgetPicker SpreadBudgets(Entropy& entropy, size_t count);

// Compiles the pack at `pack` (an absolute path), builds its native code through the JIT host at
// the level and in the parts a cold compile would choose, uncached, and evaluates each session of
// `facts` (appfacts text) with both engines; then again at the budgets `budgets` picks, if any.
EveryFamilyComparison CompareEveryFamilyShared(const std::string& pack, const std::string& facts,
                                               const BudgetPicker& budgets = {});

}  // namespace edict::differential
