// Wiring the code generator into the host: the emitter callbacks and the optimisation level.
#include "runtime/jit/compile.h"

#include <cstdlib>
#include <exception>
#include <string_view>

#include "compiler/codegen/emit.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/abi.h"

namespace edict::jit {
namespace {

// Measured (docs/architecture.md, "Optimisation level"): O2 costs ~5 ms of compile time per plan
// node and O1 ~3 ms, against ~0.5 ms at O0, for a few percent of evaluation speed (the code is
// mostly calls of runtime helpers); only tiny plans stay within the cold-start budget at O1/O2.
constexpr size_t kO2MaxNodes = 32;
constexpr size_t kO1MaxNodes = 64;

Emitter Emit(std::function<codegen::EmittedModule(llvm::LLVMContext&)> emit) {
  return [emit = std::move(emit)](llvm::LLVMContext& context, SymbolTable& symbols, std::string& error) {
    codegen::EmittedModule emitted = emit(context);
    if (emitted.module == nullptr) {
      error = "the code generator produced no module";
      return std::unique_ptr<llvm::Module>();
    }
    symbols.exprs.assign(emitted.exprs.begin(), emitted.exprs.end());
    symbols.passes.assign(emitted.passes.begin(), emitted.passes.end());
    return std::move(emitted.module);
  };
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

OptLevel ChooseOptLevel(size_t nodes) {
  if (const char* forced = std::getenv("EDICT_JIT_OPT")) {
    std::string_view level(forced);
    if (level == "O0") return OptLevel::kO0;
    if (level == "O1") return OptLevel::kO1;
    if (level == "O2") return OptLevel::kO2;
  }
  if (nodes <= kO2MaxNodes) return OptLevel::kO2;
  if (nodes <= kO1MaxNodes) return OptLevel::kO1;
  return OptLevel::kO0;
}

std::unique_ptr<NativeCode> CompilePlan(const plan::Plan& plan, std::vector<std::string> identity, std::string& error) {
  BuildRequest request;
  request.identity = std::move(identity);
  request.expr_slots = plan.code.nodes.size();
  request.pass_slots = plan.passes.size();
  request.opt_level = ChooseOptLevel(plan.code.nodes.size());
  request.runtime_symbols = RuntimeSymbols();
  request.emit = Emit([&plan](llvm::LLVMContext& context) { return codegen::EmitPlan(plan, context); });
  return BuildSafely(request, error);
}

std::unique_ptr<NativeCode> CompileExpression(const plan::CompiledExpression& expression, std::string& error) {
  BuildRequest request;
  request.expr_slots = expression.code.nodes.size();
  // Evaluated once: optimising could never pay.
  request.opt_level = OptLevel::kO0;
  request.runtime_symbols = RuntimeSymbols();
  request.emit = Emit([&expression](llvm::LLVMContext& context) { return codegen::EmitExpression(expression, context); });
  return BuildSafely(request, error);
}

}  // namespace edict::jit
