// What every emitter of one module shares: the LLVM types of the runtime's data (Value, Cell,
// PassRun) and the declarations of the runtime helpers (runtime.def).
#pragma once

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace edict::plan {
struct Plan;
}  // namespace edict::plan

namespace edict::codegen {

// The runtime's layouts, as the helpers and the inline fast paths see them (runtime/jit/abi.cpp
// checks them with static_asserts): value::Value is 16 bytes (kind byte, owns byte, int32 aux,
// 8-byte payload); interp::Cell is 32 bytes (Value, table pointer, row).
inline constexpr unsigned kValueSize = 16;
inline constexpr unsigned kValueOwnsOffset = 1;
inline constexpr unsigned kValueAuxOffset = 4;
inline constexpr unsigned kValuePayloadOffset = 8;
inline constexpr unsigned kCellSize = 32;
inline constexpr unsigned kCellTableOffset = 16;
inline constexpr unsigned kCellRowOffset = 24;
// A list's rep (value::ListRep): its element count, a uint32, follows the 4-byte reference count.
inline constexpr unsigned kListRepSizeOffset = 4;
// interp::Machine: the address of its constants (an array of Value) is its first word.
inline constexpr unsigned kMachineConstantsOffset = 0;

enum class Helper {
#define EDICT_RT(name, result, params) k_##name,
#include "compiler/codegen/runtime.def"
#undef EDICT_RT
  kCount
};

class ModuleContext {
 public:
  ModuleContext(llvm::Module& module);

  llvm::Module& module() { return module_; }
  llvm::LLVMContext& context() { return module_.getContext(); }
  llvm::FunctionCallee helper(Helper helper);
  // The plan whose code is emitted (null for a standalone expression, which has no aggregates).
  const plan::Plan* plan() const { return plan_; }
  void set_plan(const plan::Plan* plan) { plan_ = plan; }
  // The key and field tables of constant maps and lists, by their contents (const_map_emitter.cpp).
  std::unordered_map<std::string, llvm::Constant*>& const_tables() { return const_tables_; }

  llvm::Type* i8() { return llvm::Type::getInt8Ty(context()); }
  llvm::Type* i32() { return llvm::Type::getInt32Ty(context()); }
  llvm::Type* i64() { return llvm::Type::getInt64Ty(context()); }
  llvm::Type* f64() { return llvm::Type::getDoubleTy(context()); }
  llvm::PointerType* ptr() { return llvm::PointerType::getUnqual(context()); }
  llvm::Type* value_type() { return value_type_; }  // 16 bytes, 8-aligned
  // A Value's 16 bytes of zero as a module constant: loaded as one <2 x i64>, it zeroes a slot with
  // one store (FastISel cannot make a vector constant in a register, only load one).
  llvm::GlobalVariable* zero_value();
  // A bool Value as a module constant.
  llvm::GlobalVariable* bool_value(bool value);

 private:
  llvm::Module& module_;
  llvm::Type* value_type_;
  std::vector<llvm::FunctionCallee> helpers_;
  const plan::Plan* plan_ = nullptr;
  std::unordered_map<std::string, llvm::Constant*> const_tables_;
  llvm::GlobalVariable* zero_value_ = nullptr;
  llvm::GlobalVariable* bool_values_[2] = {nullptr, nullptr};
};

}  // namespace edict::codegen
