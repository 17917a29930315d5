// The JIT's code generator: LLVM IR from the plan IR the interpreter runs. One function per
// expression root the driver evaluates (`edict_expr_<id>`) and one fused loop per pass
// (`edict_pass_<p>`) and one loop per index build (`edict_index_<i>`); nodes become straight IR, builtins calls of the runtime helpers
// (runtime.def) that call the interpreter's own functions. The module holds no process address.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/plan/lower.h"
#include "compiler/plan/plan.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace edict::codegen {

struct EmittedModule {
  std::unique_ptr<llvm::Module> module;
  std::vector<std::pair<plan::ExprId, std::string>> exprs;  // expr id -> symbol name (alike roots share one)
  std::vector<std::pair<uint32_t, std::string>> passes;     // pass index -> symbol name
  std::vector<std::pair<uint32_t, std::string>> indexes;    // Scan::index -> symbol name
};

// Every expression root the driver evaluates with Machine::Eval, once each, ascending.
std::vector<plan::ExprId> ExpressionRoots(const plan::Plan& plan);

// `roots` grouped by alike trees (the same ops and operands node for node), in order of first
// appearance: the roots of a group compile to identical code, so one function serves them all.
std::vector<std::vector<plan::ExprId>> AlikeRoots(const plan::Code& code, const std::vector<plan::ExprId>& roots);

struct EmitOptions {
  // Every family of roots alike up to their registers with more than one layout shares a body,
  // however small (register_families.h; otherwise only where the body pays for its callers): for
  // tests, which so compare shared bodies over every shape a program has.
  bool share_every_family = false;
};

// The plan's functions, or with `parts` > 1 the share `part` of them (parts.h): modules of about
// equal size that the JIT host compiles concurrently, together defining every function once.
EmittedModule EmitPlan(const plan::Plan& plan, llvm::LLVMContext& context, uint32_t part = 0, uint32_t parts = 1,
                       EmitOptions options = {});
EmittedModule EmitExpression(const plan::CompiledExpression& expression, llvm::LLVMContext& context);

// The symbol of an expression root's function, of a pass's loop and of an index's build.
std::string ExprSymbol(plan::ExprId id);
std::string PassSymbol(uint32_t pass);
std::string IndexSymbol(uint32_t index);

}  // namespace edict::codegen
