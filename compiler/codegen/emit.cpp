// Emitting a module: a function per expression root, and a fused loop per pass.
#include "compiler/codegen/emit.h"

#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/pass_emitter.h"

namespace edict::codegen {

namespace {

void EmitExprFunction(ModuleContext& context, const plan::Code& code, const facts::Schema* schema, plan::ExprId id,
                      EmittedModule& out) {
  llvm::Type* ptr = context.ptr();
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context.context()), {ptr, ptr, ptr}, false);
  std::string symbol = ExprSymbol(id);
  llvm::Function* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, symbol, context.module());
  function->addFnAttr(llvm::Attribute::NoUnwind);
  ExprEmitter emitter(context, code, schema, function);
  emitter.Begin(function->getArg(0));
  llvm::Value* result = emitter.Emit(id, function->getArg(1));
  emitter.StoreResult(result, function->getArg(2));
  emitter.ReleaseSlots();
  emitter.builder().CreateRetVoid();
  emitter.Finish();
  out.exprs.emplace_back(id, std::move(symbol));
}

}  // namespace

EmittedModule EmitPlan(const plan::Plan& plan, llvm::LLVMContext& llvm_context) {
  EmittedModule out;
  out.module = std::make_unique<llvm::Module>("edict_plan", llvm_context);
  ModuleContext context(*out.module);
  for (plan::ExprId id : ExpressionRoots(plan)) EmitExprFunction(context, plan.code, plan.schema.get(), id, out);
  for (uint32_t p = 0; p < plan.passes.size(); ++p) {
    std::string symbol = PassSymbol(p);
    EmitPass(context, plan, p, symbol);
    out.passes.emplace_back(p, std::move(symbol));
  }
  return out;
}

EmittedModule EmitExpression(const plan::CompiledExpression& expression, llvm::LLVMContext& llvm_context) {
  EmittedModule out;
  out.module = std::make_unique<llvm::Module>("edict_expression", llvm_context);
  ModuleContext context(*out.module);
  EmitExprFunction(context, expression.code, nullptr, expression.root, out);
  return out;
}

}  // namespace edict::codegen
