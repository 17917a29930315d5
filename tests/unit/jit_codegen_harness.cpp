// The parts of the code generator's test harness (jit_codegen_harness.h) that need LLVM's JIT,
// pass pipeline and verifier, compiled once for every test that uses them.
#include "tests/unit/jit_codegen_harness.h"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <type_traits>

#include "compiler/codegen/emit.h"
#include "runtime/jit/abi.h"
#include "runtime/value/format.h"

namespace edict::testing {
namespace {

constexpr size_t kLargeModule = 20000;  // IR instructions

void Optimize(llvm::Module& module) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

}  // namespace

NativeCode::NativeCode(codegen::EmittedModule emitted, std::unique_ptr<llvm::LLVMContext> context, size_t exprs) {
  static bool initialised = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialised;
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(*emitted.module, &stream)) {
    error = "invalid IR: " + problems;
    return;
  }
  size_t instructions = 0;
  for (const llvm::Function& function : *emitted.module) instructions += function.getInstructionCount();
  bool large = instructions > kLargeModule;
  if (!large) Optimize(*emitted.module);
  auto machine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return;
  }
  machine->setCodeGenOptLevel(large ? llvm::CodeGenOptLevel::None : llvm::CodeGenOptLevel::Default);
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*machine)).create();
  if (!jit) {
    error = llvm::toString(jit.takeError());
    return;
  }
  jit_ = std::move(*jit);
  llvm::orc::SymbolMap symbols;
  for (const auto& [name, address] : jit::RuntimeSymbols()) {
    symbols[jit_->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                            llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  }
  llvm::cantFail(jit_->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))));
  if (auto added = jit_->addIRModule(llvm::orc::ThreadSafeModule(std::move(emitted.module), std::move(context)))) {
    error = llvm::toString(std::move(added));
    return;
  }
  // Every symbol of `symbols` looked up, its address put at its index of `into`; false (with
  // `error`) at the first that is missing.
  auto place = [&](const auto& symbols, auto& into) {
    using Fn = typename std::decay_t<decltype(into)>::value_type;
    for (const auto& [at, symbol] : symbols) {
      auto address = jit_->lookup(symbol);
      if (!address) {
        error = llvm::toString(address.takeError());
        return false;
      }
      if (into.size() <= at) into.resize(at + 1);
      into[at] = address->template toPtr<Fn>();
    }
    return true;
  };
  code.exprs.assign(exprs, nullptr);
  if (place(emitted.exprs, code.exprs) && place(emitted.passes, code.passes)) place(emitted.indexes, code.indexes);
}

NativeCode::~NativeCode() = default;

std::unique_ptr<NativeCode> NativeCode::ForPlan(const plan::Plan& plan) {
  auto context = std::make_unique<llvm::LLVMContext>();
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, *context, 0, 1);
  return std::make_unique<NativeCode>(std::move(emitted), std::move(context), plan.code.nodes.size());
}

std::unique_ptr<NativeCode> NativeCode::ForExpression(const plan::CompiledExpression& expression) {
  auto context = std::make_unique<llvm::LLVMContext>();
  codegen::EmittedModule emitted = codegen::EmitExpression(expression, *context);
  return std::make_unique<NativeCode>(std::move(emitted), std::move(context), expression.code.nodes.size());
}

std::string Describe(const value::Value& v) {
  if (v.is_error()) return "error(" + std::to_string(static_cast<int>(v.error_code())) + "): " + v.error_message();
  if (v.is_unknown()) return "unknown: " + v.unknown_attribute();
  return std::string(value::KindName(v.kind())) + " " + value::FormatLiteral(v);
}

std::unique_ptr<plan::CompiledExpression> MustCompileExpression(const std::string& text,
                                                                const std::vector<plan::Variable>& variables,
                                                                diag::SourceManager& sources,
                                                                diag::DiagnosticEngine& diags) {
  auto compiled = interp::CompileExpression(text, variables, {}, sources, diags);
  REQUIRE_MESSAGE(compiled != nullptr, text);
  return compiled;
}

unsigned HelperCalls(const std::string& text, const std::vector<plan::Variable>& variables, const char* helper) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = MustCompileExpression(text, variables, sources, diags);
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitExpression(*compiled, context);
  const llvm::Function* function = emitted.module->getFunction(helper);
  return function == nullptr ? 0u : function->getNumUses();
}

std::string ExpressionBothWays(const std::string& text, const std::vector<plan::Variable>& variables,
                               const std::map<std::string, value::Value>& bindings) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = MustCompileExpression(text, variables, sources, diags);
  auto native = NativeCode::ForExpression(*compiled);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  value::Value interpreted = interp::Evaluate(*compiled, bindings);
  interp::Stats stats;
  value::Value jitted = interp::Evaluate(*compiled, bindings, &native->code, &stats);
  CHECK_MESSAGE(Describe(jitted) == Describe(interpreted), text);
  CHECK(stats.fallbacks == 0);
  return Describe(jitted);
}

void AgreeUnderBindings(const plan::CompiledExpression& compiled, const NativeCode& native, const std::string& text,
                        const std::vector<std::map<std::string, value::Value>>& all, const char* shown) {
  for (const std::map<std::string, value::Value>& bindings : all) {
    interp::Stats stats;
    std::string jitted = Describe(interp::Evaluate(compiled, bindings, &native.code, &stats));
    std::string interpreted = Describe(interp::Evaluate(compiled, bindings));
    CHECK_MESSAGE(jitted == interpreted, text, " with ", shown, " = ", Describe(bindings.at(shown)));
    CHECK(stats.fallbacks == 0);
  }
}

void AgreeUnderAll(const std::string& text, const std::vector<plan::Variable>& variables,
                   const std::vector<std::map<std::string, value::Value>>& all, const char* shown) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = MustCompileExpression(text, variables, sources, diags);
  auto native = NativeCode::ForExpression(*compiled);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  AgreeUnderBindings(*compiled, *native, text, all, shown);
}

}  // namespace edict::testing
