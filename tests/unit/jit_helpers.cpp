// The part of the JIT host tests' helpers (jit_helpers.h) that builds LLVM IR, compiled once for
// every test that includes them.
#include "tests/unit/jit_helpers.h"

#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace edict::jit::testing {

extern "C" void edict_test_store_int(value::Value* out, int64_t number) { *out = value::Value::Int(number); }

BuildRequest ConstantRequest(std::vector<std::pair<uint32_t, int64_t>> answers, std::atomic<int>* emitted) {
  BuildRequest request;
  request.expr_slots = 16;
  request.runtime_symbols = {{"edict_test_store_int", reinterpret_cast<void*>(&edict_test_store_int)}};
  request.emit = [answers, emitted](llvm::LLVMContext& context, Part part, SymbolTable& symbols, std::string&) {
    if (emitted != nullptr) ++*emitted;
    auto module = std::make_unique<llvm::Module>("edict-test", context);
    llvm::Type* ptr = llvm::PointerType::getUnqual(context);
    llvm::Type* i64 = llvm::Type::getInt64Ty(context);
    llvm::Type* void_type = llvm::Type::getVoidTy(context);
    llvm::FunctionCallee store =
        module->getOrInsertFunction("edict_test_store_int", llvm::FunctionType::get(void_type, {ptr, i64}, false));
    for (size_t i = part.index; i < answers.size(); i += part.count) {
      const auto& [id, answer] = answers[i];
      std::string name = "edict_expr_" + std::to_string(id);
      auto* function = llvm::Function::Create(llvm::FunctionType::get(void_type, {ptr, ptr, ptr}, false),
                                              llvm::Function::ExternalLinkage, name, module.get());
      llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
      builder.CreateCall(store, {function->getArg(2), llvm::ConstantInt::get(i64, answer)});
      builder.CreateRetVoid();
      symbols.exprs.emplace_back(id, name);
    }
    return module;
  };
  return request;
}

}  // namespace edict::jit::testing
