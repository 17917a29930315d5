// A native function's slots and its string column reads (tests/plan/native_slots): only the slots
// that may own storage are zeroed on entry and released on return, a scalar slot rewritten in a
// loop needs no release test (few owning slots are zeroed by stores in place and tested inline
// before release_n is called), and string columns read through the lean string helper. Strings
// present and absent, empty and not ASCII, owned values made and dropped in fold bodies, errors,
// enums and data types must give the interpreter's results at O0 (the code a large rule set gets)
// and at O2, in two sessions through one evaluator and on two threads at once. A result made in
// an owning slot is moved out, the slot left owning nothing; release_n releases exactly the slots
// that own, in its groups of eight and in the rest.
#include <doctest/doctest.h>

#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "compiler/codegen/emit.h"
#include "runtime/jit/abi.h"
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

namespace {

// The slot array's zeroing: the stores of a zero Value into it in the entry block, which every
// path goes through, and its memsets, which must be there too.
struct Zeroing {
  uint64_t stored = 0;
  uint64_t memset = 0;
  bool memset_outside_entry = false;
};

bool IsZeroValue(const llvm::Value* value) {
  const auto* load = llvm::dyn_cast<llvm::LoadInst>(value);
  const auto* global = load == nullptr ? nullptr : llvm::dyn_cast<llvm::GlobalVariable>(load->getPointerOperand());
  return global != nullptr && global->isConstant() && global->getInitializer()->isNullValue() &&
         load->getType()->getPrimitiveSizeInBits() == 128;
}

Zeroing ZeroingOf(const llvm::Function& function, const llvm::AllocaInst* array) {
  Zeroing zeroing;
  for (const llvm::BasicBlock& block : function) {
    for (const llvm::Instruction& instruction : block) {
      if (const auto* memset = llvm::dyn_cast<llvm::MemSetInst>(&instruction)) {
        CHECK(memset->getDest() == array);
        zeroing.memset += llvm::cast<llvm::ConstantInt>(memset->getLength())->getZExtValue();
        if (&block != &function.getEntryBlock()) zeroing.memset_outside_entry = true;
      }
      const auto* store = llvm::dyn_cast<llvm::StoreInst>(&instruction);
      if (store != nullptr && &block == &function.getEntryBlock() && IsZeroValue(store->getValueOperand()) &&
          store->getPointerOperand()->stripInBoundsConstantOffsets() == array) {
        zeroing.stored += 16;
      }
    }
  }
  return zeroing;
}

// Emits the pack's plan in one part and checks its slots; `large` counts the functions whose
// owning slots are zeroed by memset, `small` those zeroed by stores.
void CheckSlots(const char* pack, uint64_t& small, uint64_t& large) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE(compiled->plan != nullptr);
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  uint64_t scalars = 0;
  uint64_t released = 0;
  uint64_t releases = 0;
  for (const llvm::Function& function : *emitted.module) {
    const llvm::AllocaInst* array = nullptr;
    uint64_t count = 0;
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        if (const auto* alloca = llvm::dyn_cast<llvm::AllocaInst>(&instruction)) {
          const auto* type = llvm::dyn_cast<llvm::ArrayType>(alloca->getAllocatedType());
          if (type != nullptr && type->getElementType()->isStructTy()) array = alloca;
          // A scalar slot: a Value on a stack slot of its own.
          if (alloca->getAllocatedType()->isStructTy()) ++scalars;
        }
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        if (call == nullptr || call->getCalledFunction() == nullptr) continue;
        // What FastISel would leave to SelectionDAG.
        CHECK(call->getIntrinsicID() != llvm::Intrinsic::memset_inline);
        if (call->getCalledFunction()->getName() == "edict_rt_release_n") {
          count = llvm::cast<llvm::ConstantInt>(call->getArgOperand(1))->getZExtValue();
          CHECK(call->getArgOperand(0) == array);
          CHECK(count > 0);
          // Few owners: called only when the inline test of their owns bytes finds one set.
          const llvm::BasicBlock* before = block.getSinglePredecessor();
          bool tested = before != nullptr && llvm::cast<llvm::BranchInst>(before->getTerminator())->isConditional();
          if (count <= 12) CHECK(tested);
          ++releases;
        }
      }
    }
    // The array holds exactly the owning slots, which start null: zeroed by stores in place up to
    // 128 bytes, by memset above, before any other code runs.
    if (array == nullptr) continue;
    CHECK(llvm::cast<llvm::ArrayType>(array->getAllocatedType())->getNumElements() == count);
    Zeroing zeroing = ZeroingOf(function, array);
    CHECK(zeroing.stored + zeroing.memset == count * 16);
    CHECK_FALSE(zeroing.memset_outside_entry);
    if (count * 16 <= 128) {
      CHECK(zeroing.memset == 0);
      ++small;
    } else {
      CHECK(zeroing.stored == 0);
      ++large;
    }
    released += count;
  }
  // The comparisons, presence tests and logic of the folds' steps only hold scalars.
  CHECK(released > 0);
  CHECK(scalars > 0);
  CHECK(releases > 0);
  CHECK(emitted.module->getFunction("edict_rt_column_string") != nullptr);
}

}  // namespace

TEST_CASE("only the slots that may own storage are in the array, zeroed and released") {
  uint64_t small = 0;
  uint64_t large = 0;
  CheckSlots("tests/plan/native_slots", small, large);
  CHECK(small > 0);
  CHECK(large > 0);
}

TEST_CASE("a result that may be an owning slot is moved out of it") {
  auto compiled = testing::CompilePacks({"tests/plan/native_slots"});
  REQUIRE(compiled->plan != nullptr);
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  uint64_t moves = 0;
  for (const llvm::Function& function : *emitted.module) {
    uint64_t owning = 0;
    std::vector<uint64_t> bounds;
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) {
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        if (call != nullptr && call->getCalledFunction() != nullptr &&
            call->getCalledFunction()->getName() == "edict_rt_release_n") {
          owning = llvm::cast<llvm::ConstantInt>(call->getArgOperand(1))->getZExtValue();
        }
        // The move: the result, tested to be within the owning slots, copied byte for byte to
        // `out` and its owns byte cleared.
        const auto* test = llvm::dyn_cast<llvm::ICmpInst>(&instruction);
        if (test == nullptr || !llvm::isa<llvm::BinaryOperator>(test->getOperand(0))) continue;
        const auto* offset = llvm::cast<llvm::BinaryOperator>(test->getOperand(0));
        if (offset->getOpcode() != llvm::Instruction::Sub || !llvm::isa<llvm::PtrToIntInst>(offset->getOperand(1))) continue;
        bounds.push_back(llvm::cast<llvm::ConstantInt>(test->getOperand(1))->getZExtValue());
        const auto* branch = llvm::cast<llvm::BranchInst>(test->getNextNode());
        const llvm::BasicBlock* move = branch->getSuccessor(0);
        const auto* copy = llvm::dyn_cast<llvm::MemCpyInst>(&move->front());
        REQUIRE(copy != nullptr);
        CHECK(copy->getDest() == function.getArg(2));
        const auto* clear = llvm::dyn_cast<llvm::StoreInst>(copy->getNextNode()->getNextNode());
        REQUIRE(clear != nullptr);
        CHECK(llvm::cast<llvm::ConstantInt>(clear->getValueOperand())->isZero());
      }
    }
    for (uint64_t bound : bounds) CHECK(bound == owning * 16);
    CHECK((bounds.empty() || owning > 0));
    moves += bounds.size();
  }
  CHECK(moves > 0);
}

TEST_CASE("release_n releases exactly the slots that own, in groups and the rest") {
  void* helper = nullptr;
  for (const auto& [name, address] : jit::RuntimeSymbols()) {
    if (name == "edict_rt_release_n") helper = address;
  }
  REQUIRE(helper != nullptr);
  auto release_n = reinterpret_cast<void (*)(value::Value*, uint32_t)>(helper);
  const value::Value owned = value::Value::String("a string in storage of its own");
  const value::Value borrowed = value::Value::UnownedString("a string kept by reference");
  // Counts up to three groups of eight and every rest; one owner anywhere, or two far apart, or
  // none. The slot past the end is never touched.
  for (uint32_t count = 0; count <= 25; ++count) {
    for (uint32_t owner = 0; owner <= count; ++owner) {
      for (bool second : {false, true}) {
        std::vector<value::Value> slots(count + 1, value::Value::Int(7));
        for (uint32_t i = 1; i < count; i += 3) slots[i] = borrowed;
        if (owner < count) slots[owner] = owned;
        if (second && count > 0) slots[count - 1 - owner % count] = owned;
        slots[count] = owned;
        release_n(slots.data(), count);
        for (uint32_t i = 0; i < count; ++i) {
          CAPTURE(count);
          CAPTURE(owner);
          CAPTURE(i);
          if (i % 3 == 1 && !(i == owner || (second && i == count - 1 - owner % count))) {
            CHECK(slots[i].string_value() == borrowed.string_value());
          } else if (i == owner || (second && i == count - 1 - owner % count)) {
            CHECK(slots[i].is_null());
          } else {
            CHECK(slots[i].int_value() == 7);
          }
        }
        CHECK(slots[count].string_value() == owned.string_value());
      }
    }
  }
}
