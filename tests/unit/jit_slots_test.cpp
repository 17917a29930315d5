// A native function's slots and its string column reads (tests/plan/native_slots): only the slots
// that may own storage are zeroed on entry and released on return, a scalar slot rewritten in a
// loop needs no release test (few owning slots are zeroed by stores in place and tested inline
// before release_n is called), and string columns read through the lean string helper. Strings
// present and absent, empty and not ASCII, owned values made and dropped in fold bodies, errors,
// enums and data types must give the interpreter's results at O0 (the code a large rule set gets)
// and at O2, in two sessions through one evaluator and on two threads at once.
#include <doctest/doctest.h>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Intrinsics.h>

#include "tests/unit/jit_native_pack.h"

using namespace edict;

namespace {

// The pack's session and a second one with other strings at other rows.
std::string Sessions() {
  std::string text = testing::ReadFile("tests/plan/native_slots/sessions.jsonl");
  std::string second = text;
  auto replace = [&second](std::string_view from, std::string_view to) {
    size_t at = second.find(from);
    REQUIRE(at != std::string::npos);
    second.replace(at, from.size(), to);
  };
  replace(R"("id":"s")", R"("id":"u")");
  replace(R"("method":"b")", R"("method":"bé")");
  replace(R"("mth":"中文")", R"("mth":"")");
  std::string shifted = second.substr(0, second.find('\n') + 1) + second.substr(second.find(R"({"type":"api_call","seq":2)"));
  return text + shifted;
}

void CompareAt(const char* level) {
  auto pack = testing::CompileNativePack("tests/plan/native_slots", level, Sessions());
  REQUIRE(pack->loaded.sessions.size() == 2);
  // Absent strings' errors, inside and outside folds, are part of what is compared.
  testing::CompareEngines(*pack, {"no such field: caller.sdk", "no such field: line"}, 1);
}

}  // namespace

TEST_CASE("string reads and slots of folds, errors and texts at O0") { CompareAt("O0"); }

TEST_CASE("string reads and slots of folds, errors and texts at O2") { CompareAt("O2"); }

TEST_CASE("only the slots that may own storage are released") {
  auto compiled = testing::CompilePacks({"tests/plan/native_slots"});
  REQUIRE(compiled->plan != nullptr);
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  uint64_t slots = 0;
  uint64_t released = 0;
  uint64_t releases = 0;
  uint64_t inline_zeroed = 0;
  for (const llvm::Function& function : *emitted.module) {
    uint64_t array = 0;
    uint64_t count = 0;
    uint64_t zeroed = 0;
    uint64_t memset_bytes = 0;
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        if (const auto* alloca = llvm::dyn_cast<llvm::AllocaInst>(&instruction)) {
          const auto* type = llvm::dyn_cast<llvm::ArrayType>(alloca->getAllocatedType());
          if (type != nullptr && type->getElementType()->isStructTy()) array = type->getNumElements();
        }
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        if (call == nullptr || call->getCalledFunction() == nullptr) continue;
        if (call->getIntrinsicID() == llvm::Intrinsic::memset) {
          zeroed += llvm::cast<llvm::ConstantInt>(call->getArgOperand(2))->getZExtValue();
          memset_bytes = zeroed;
        }
        if (call->getIntrinsicID() == llvm::Intrinsic::memset_inline) {
          zeroed += llvm::cast<llvm::ConstantInt>(call->getArgOperand(2))->getZExtValue();
        }
        if (call->getCalledFunction()->getName() == "edict_rt_release_n") {
          count = llvm::cast<llvm::ConstantInt>(call->getArgOperand(1))->getZExtValue();
          CHECK(count > 0);
          // Few owners: called only when the inline test of their owns bytes finds one set.
          const llvm::BasicBlock* before = block.getSinglePredecessor();
          bool tested = before != nullptr && llvm::cast<llvm::BranchInst>(before->getTerminator())->isConditional();
          if (count <= 2) CHECK(tested);
          ++releases;
        }
      }
    }
    CHECK(count <= array);
    // Exactly the owning slots start null, zeroed by stores in place (not memset) up to 512 bytes.
    CHECK(zeroed == count * 16);
    CHECK((memset_bytes == 0 || memset_bytes > 512));
    if (memset_bytes == 0 && zeroed != 0) ++inline_zeroed;
    slots += array;
    released += count;
  }
  // The comparisons, presence tests and logic of the folds' steps only hold scalars.
  CHECK(released > 0);
  CHECK(released < slots);
  CHECK(releases > 0);
  CHECK(inline_zeroed > 0);
  CHECK(emitted.module->getFunction("edict_rt_column_string") != nullptr);
}
