// What the host builds a plan or an expression with: the optimisation level, the parts and the
// runtime helpers (the back end emits the code).
#include "runtime/jit/compile.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>

#include "runtime/jit/abi.h"

namespace edict::jit {
namespace {

// Measured (docs/architecture.md, "Optimisation level"): O2 costs ~5 ms of compile time per plan
// node and O1 ~3 ms, against ~0.5 ms at O0, for a few percent of evaluation speed (the code is
// mostly calls of runtime helpers); only tiny plans stay within the cold-start budget at O1/O2.
constexpr size_t kO2MaxNodes = 32;
constexpr size_t kO1MaxNodes = 64;

// Each part costs a thread, a target machine and an object file to link (a few ms together), so a
// part should hold about a thousand nodes' code (~5 k IR instructions, ~15 ms at O0) or more.
constexpr size_t kMinNodesPerPart = 1000;
constexpr uint32_t kMaxParts = 8;

// The cores this process may run on: a cpuset or `taskset` can allow fewer than the machine has.
uint32_t UsableCores() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) return std::max(CPU_COUNT(&allowed), 1);
  return std::max(std::thread::hardware_concurrency(), 1u);
}

// $EDICT_JIT_OPT's level, when it names one.
std::optional<OptLevel> ForcedOptLevel() {
  const char* forced = std::getenv("EDICT_JIT_OPT");
  if (forced == nullptr) return std::nullopt;
  std::string_view level(forced);
  if (level == "O0") return OptLevel::kO0;
  if (level == "O1") return OptLevel::kO1;
  if (level == "O2") return OptLevel::kO2;
  return std::nullopt;
}

// The levels above `chosen`, best first: their cached code is worth more than building at `chosen`.
std::vector<OptLevel> LevelsAbove(OptLevel chosen) {
  std::vector<OptLevel> above;
  for (OptLevel level : {OptLevel::kO2, OptLevel::kO1}) {
    if (level > chosen) above.push_back(level);
  }
  return above;
}

// The level CompilePlan builds at and the cached levels it takes instead (see compile.h).
void ChooseLevels(const plan::Plan& plan, std::optional<OptLevel> level, BuildRequest& request) {
  if (level) {
    request.opt_level = *level;
    return;
  }
  request.opt_level = ChooseOptLevel(plan.code.nodes.size());
  if (!ForcedOptLevel()) request.prefer_cached = LevelsAbove(request.opt_level);
}

std::unique_ptr<NativeCode> BuildSafely(const BuildRequest& request, std::string& error) {
  try {
    return Build(request, error);
  } catch (const std::exception& e) {
    error = std::string("native code generation failed: ") + e.what();
    return nullptr;
  }
}

}  // namespace

uint32_t ChooseParts(size_t nodes) {
  if (const char* forced = std::getenv("EDICT_JIT_PARTS")) {
    int parts = std::atoi(forced);
    if (parts >= 1) return std::min<uint32_t>(parts, kMaxParts);
  }
  return std::clamp<uint32_t>(static_cast<uint32_t>(std::min<size_t>(nodes / kMinNodesPerPart, UsableCores())), 1,
                              kMaxParts);
}

bool VerifyEmittedModules() {
#ifndef NDEBUG
  return true;
#else
  return std::getenv("EDICT_JIT_VERIFY") != nullptr;
#endif
}

OptLevel ChooseOptLevel(size_t nodes) {
  if (std::optional<OptLevel> forced = ForcedOptLevel()) return *forced;
  if (nodes <= kO2MaxNodes) return OptLevel::kO2;
  if (nodes <= kO1MaxNodes) return OptLevel::kO1;
  return OptLevel::kO0;
}

std::unique_ptr<NativeCode> CompilePlan(const plan::Plan& plan, std::vector<std::string> identity, std::string& error,
                                        std::optional<OptLevel> level) {
  BuildRequest request;
  request.identity = std::move(identity);
  request.expr_slots = plan.code.nodes.size();
  request.pass_slots = plan.passes.size();
  request.index_slots = plan.index_count;
  ChooseLevels(plan, level, request);
  request.parts = ChooseParts(plan.code.nodes.size());
  request.verify = VerifyEmittedModules();
  request.runtime_symbols = RuntimeSymbols();
  request.plan = &plan;
  return BuildSafely(request, error);
}

bool HoldsCachedPlanCode(const plan::Plan& plan, std::vector<std::string> identity, std::optional<OptLevel> level) {
  BuildRequest request;
  request.identity = std::move(identity);
  ChooseLevels(plan, level, request);
  try {
    return HoldsCachedCode(request);
  } catch (const std::exception&) {
    return false;  // out of memory: as if nothing were cached
  }
}

std::unique_ptr<NativeCode> CompileExpression(const plan::CompiledExpression& expression, std::string& error) {
  BuildRequest request;
  request.expr_slots = expression.code.nodes.size();
  // Evaluated once: optimising could never pay.
  request.opt_level = OptLevel::kO0;
  request.verify = VerifyEmittedModules();
  request.runtime_symbols = RuntimeSymbols();
  request.expression = &expression;
  return BuildSafely(request, error);
}

}  // namespace edict::jit
