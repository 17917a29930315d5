// Where a function's owning slots are addressed (compiler/codegen/slots.cpp): in each block that
// uses one, not once in the entry block, whose address the O0 register allocator would spill there
// and reload in every other block. The code's results are compared with the interpreter's by
// jit_slots_test.cpp and the differential tests.
#include <doctest/doctest.h>

#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

// The block where `use` needs its value: a phi's incoming block, else the user's own.
const llvm::BasicBlock* UseBlock(const llvm::Use& use) {
  const auto* user = llvm::cast<llvm::Instruction>(use.getUser());
  if (const auto* phi = llvm::dyn_cast<llvm::PHINode>(user)) return phi->getIncomingBlock(use);
  return user->getParent();
}

struct Addresses {
  uint64_t outside_entry = 0;  // slot addresses computed outside the entry block
  uint64_t used_elsewhere = 0; // slot addresses used in a block other than their own
};

// The addresses into each function's slot array (an alloca of Values) of the pack's plan.
Addresses AddressesOf(const char* pack) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  Addresses addresses;
  for (const llvm::Function& function : *emitted.module) {
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        const auto* address = llvm::dyn_cast<llvm::GetElementPtrInst>(&instruction);
        const auto* array =
            address == nullptr ? nullptr : llvm::dyn_cast<llvm::AllocaInst>(address->getPointerOperand());
        const auto* type = array == nullptr ? nullptr : llvm::dyn_cast<llvm::ArrayType>(array->getAllocatedType());
        if (type == nullptr || !type->getElementType()->isStructTy()) continue;
        if (&block != &function.getEntryBlock()) ++addresses.outside_entry;
        for (const llvm::Use& use : address->uses()) {
          if (UseBlock(use) != &block) ++addresses.used_elsewhere;
        }
      }
    }
  }
  return addresses;
}

}  // namespace

TEST_CASE("an owning slot's address is computed in each block that uses it") {
  for (const char* pack : {"tests/plan/native_slots", "stdlib-rules/cn-app-privacy"}) {
    CAPTURE(pack);
    Addresses addresses = AddressesOf(pack);
    CHECK(addresses.outside_entry > 0);
    CHECK(addresses.used_elsewhere == 0);
  }
}
