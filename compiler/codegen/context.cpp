// Declaring the runtime helpers from runtime.def in a module.
#include "compiler/codegen/context.h"

#include "runtime/value/value.h"

namespace edict::codegen {

namespace {

struct HelperSpec {
  const char* name;
  std::string_view result;
  std::string_view params;
};

constexpr HelperSpec kHelpers[] = {
#define EDICT_RT(name, result, params) {"edict_rt_" #name, result, params},
#include "compiler/codegen/runtime.def"
#undef EDICT_RT
};

}  // namespace

ModuleContext::ModuleContext(llvm::Module& module) : module_(module) {
  value_type_ = llvm::StructType::get(context(), {i8(), i8(), llvm::Type::getInt16Ty(context()), i32(), i64()});
  auto type_of = [&](char letter) -> llvm::Type* {
    switch (letter) {
      case 'p': return ptr();
      case 'i': return i32();
      case 'l': return i64();
      default: return llvm::Type::getVoidTy(context());
    }
  };
  for (const HelperSpec& spec : kHelpers) {
    std::vector<llvm::Type*> params;
    for (char letter : spec.params) params.push_back(type_of(letter));
    auto* type = llvm::FunctionType::get(type_of(spec.result[0]), params, false);
    helpers_.push_back(module.getOrInsertFunction(spec.name, type));
    if (auto* function = llvm::dyn_cast<llvm::Function>(helpers_.back().getCallee())) {
      function->addFnAttr(llvm::Attribute::NoUnwind);
    }
  }
}

llvm::FunctionCallee ModuleContext::helper(Helper helper) { return helpers_[static_cast<size_t>(helper)]; }

llvm::GlobalVariable* ModuleContext::zero_value() {
  if (zero_value_ == nullptr) {
    llvm::Constant* zero = llvm::ConstantAggregateZero::get(llvm::FixedVectorType::get(i64(), 2));
    zero_value_ = new llvm::GlobalVariable(module_, zero->getType(), true, llvm::GlobalValue::PrivateLinkage, zero,
                                           "edict_zero_value");
    zero_value_->setAlignment(llvm::Align(16));
  }
  return zero_value_;
}

llvm::GlobalVariable* ModuleContext::bool_value(bool value) {
  llvm::GlobalVariable*& known = bool_values_[value ? 1 : 0];
  if (known == nullptr) {
    llvm::Type* i16 = llvm::Type::getInt16Ty(context());
    llvm::Constant* fields[] = {llvm::ConstantInt::get(i8(), static_cast<uint8_t>(value::Kind::kBool)),
                                llvm::ConstantInt::get(i8(), 0), llvm::ConstantInt::get(i16, 0),
                                llvm::ConstantInt::get(i32(), 0), llvm::ConstantInt::get(i64(), value ? 1 : 0)};
    llvm::Constant* bool_value = llvm::ConstantStruct::get(llvm::cast<llvm::StructType>(value_type_), fields);
    known = new llvm::GlobalVariable(module_, value_type_, true, llvm::GlobalValue::PrivateLinkage, bool_value,
                                     value ? "edict_true_value" : "edict_false_value");
    known->setAlignment(llvm::Align(8));
  }
  return known;
}

}  // namespace edict::codegen
