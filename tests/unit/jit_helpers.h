// A tiny hand-built module for the JIT host's tests, so the host is tested apart from the code
// generator: each function stores a constant int through a runtime helper, the way generated
// code assigns its result through `edict_rt_*` helpers.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/host.h"
#include "runtime/value/value.h"
#include "tests/unit/scratch_cache.h"

namespace edict::jit::testing {

extern "C" inline void edict_test_store_int(value::Value* out, int64_t number) { *out = value::Value::Int(number); }

// Functions `edict_expr_<id>` that set `*out` to `answer`; `emitted` counts the emitter's runs.
// Built in parts, part i of n defines every n-th function from the i-th on.
inline BuildRequest ConstantRequest(std::vector<std::pair<uint32_t, int64_t>> answers, std::atomic<int>* emitted) {
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

// Runs expression `id` of `native` and returns its int result (or -1 when it set no int).
inline int64_t Run(const NativeCode& native, uint32_t id) {
  value::Value out;
  native.code().exprs.at(id)(nullptr, nullptr, &out);
  return out.is_int() ? out.int_value() : -1;
}

// The bytes of a file (a cache entry), empty when it cannot be read.
inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A fresh cache directory, set as $EDICT_CACHE_DIR while the object lives.
using TempCache = edict::testing::ScratchCache;

}  // namespace edict::jit::testing
