// Native code for a plan or a standalone expression: the code generator's module built by the JIT
// host, with the runtime helpers of abi.h and an optimisation level chosen by the code's size.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/plan/lower.h"
#include "compiler/plan/plan.h"
#include "runtime/jit/host.h"

namespace edict::jit {

// O2 for small code, cheaper levels as it grows, so compile time stays bounded; $EDICT_JIT_OPT
// (O0, O1 or O2) overrides, for measurements.
OptLevel ChooseOptLevel(size_t nodes);

// How many parts a plan of `nodes` nodes is compiled in at once: one per core the process may use
// (at most 8), each of at least a thousand nodes; $EDICT_JIT_PARTS (1 to 8) overrides, for
// measurements.
uint32_t ChooseParts(size_t nodes);

// Whether the emitted modules are verified before they are compiled: in builds with assertions,
// and whenever $EDICT_JIT_VERIFY is set (the tests set it). A release build, like Clang's, trusts
// its code generator instead: the IR is a function of the plan alone, and verifying it costs ~7 %
// of a cold compile.
bool VerifyEmittedModules();

// `identity` is the cache key's part that names the plan: the packs' source hashes, the profile
// and the parameter values (ExprIds are deterministic for those, so cached symbols still match).
// Empty: not cached. `level` builds (or loads from the cache) at that level; nullopt takes the
// best level whose code is already cached (O2, then O1: cache lookups before any IR exists), else
// ChooseOptLevel's, loaded or built; with $EDICT_JIT_OPT set, nullopt means that level alone.
// Null with `error` set on failure; never throws.
std::unique_ptr<NativeCode> CompilePlan(const plan::Plan& plan, std::vector<std::string> identity, std::string& error,
                                        std::optional<OptLevel> level = std::nullopt);

// Whether CompilePlan(plan, identity, error, level) would find code to link in the object cache:
// an entry of a level it would load exists (HoldsCachedCode: no IR, no entry read). Never throws.
bool HoldsCachedPlanCode(const plan::Plan& plan, std::vector<std::string> identity,
                         std::optional<OptLevel> level = std::nullopt);

// Standalone expressions are compiled at O0 and not cached (each is evaluated once).
std::unique_ptr<NativeCode> CompileExpression(const plan::CompiledExpression& expression, std::string& error);

}  // namespace edict::jit
