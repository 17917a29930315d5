// Declaring the runtime helpers from runtime.def in a module.
#include "compiler/codegen/context.h"

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

}  // namespace edict::codegen
