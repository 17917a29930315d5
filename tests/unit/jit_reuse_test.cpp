// Values native code reuses instead of computing them again (tests/plan/native_reuse): a text
// column read again where its first read dominates, and `k in m ? m[k].field : other` on a
// constant map with one probe, against the interpreter at O0 and O2, at every budget and on two
// threads; and the code does reuse them: no block reads one cursor's text column twice, and the
// guarded selects of one map with the same key take the probe's entry.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <tuple>

#include "compiler/codegen/emit.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "tests/unit/jit_native_loops.h"
#include "tests/unit/jit_native_pack.h"

using namespace edict;

namespace {

const char* const kPack = "tests/plan/native_reuse";

std::string Facts() { return testing::ReadFile(std::string(kPack) + "/sessions.jsonl"); }

// Call sites of the runtime helper `name` in `module`.
size_t CallsOf(const llvm::Module& module, const std::string& name) {
  const llvm::Function* helper = module.getFunction(name);
  if (helper == nullptr) return 0;
  size_t calls = 0;
  for (const llvm::User* user : helper->users()) calls += llvm::isa<llvm::CallInst>(user) ? 1 : 0;
  return calls;
}

// Reads of a text column (edict_rt_column_string) of the same cursor (frame and offset) and column
// ref twice in one block, with no aggregate between them (the machine binds registers of the
// frame): a read its first one dominates.
size_t RepeatedReadsInBlocks(const llvm::Module& module) {
  size_t repeated = 0;
  for (const llvm::Function& function : module) {
    for (const llvm::BasicBlock& block : function) {
      std::set<std::tuple<const llvm::Value*, int64_t, const llvm::Value*>> seen;
      for (const llvm::Instruction& instruction : block) {
        const auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
        if (call == nullptr || call->getCalledFunction() == nullptr) continue;
        llvm::StringRef callee = call->getCalledFunction()->getName();
        if (callee == "edict_rt_aggregate") seen.clear();
        if (callee != "edict_rt_column_string") continue;
        llvm::APInt offset(64, 0);
        const llvm::Value* frame =
            call->getArgOperand(1)->stripAndAccumulateInBoundsConstantOffsets(module.getDataLayout(), offset);
        if (!seen.emplace(frame, offset.getSExtValue(), call->getArgOperand(2)).second) ++repeated;
      }
    }
  }
  return repeated;
}

}  // namespace

TEST_CASE("reused column reads and constant probes give the interpreter's results at O0 and O2") {
  for (const char* level : {"O0", "O2"}) {
    CAPTURE(level);
    auto pack = testing::CompileNativePack(kPack, level, Facts());
    REQUIRE(pack->loaded.sessions.size() == 1);
    // What the pack is about: groups found and not, keys in another order, absent keys and fields,
    // reads around folds, an aggregate and a memo function's fold.
    testing::CompareEngines(*pack,
                            {"g: android.permission.CAMERA android.permission.CAMERA! 25 android.permission-group.CAMERA "
                             "cam cam cam android.permission-group.CAMERA",
                             "g:  ! 0 empty  none none empty", "g: com.example.OWN com.example.OWN! 15 com.example.OWN",
                             "health android.permission.health.READ_STEPS none none none",
                             "c: Cm  <error: no such field: caller> <error: no such field: caller>",
                             "<error: no such field: caller.cls> android.permission-group.CAMERA D, x.A java.lang.Thread, "
                             "D, x.A, java.lang.Threadrun, x.Arun D false D java.lang.Thread, D=D, x.A",
                             "c: kx.A  android.app.Activity? umeng x.A x.A, android.os.Handler, android.os.Handlerrun x.A "
                             "false x.A x.A=x.A, android.os.Handler",
                             "c: nD y.B y.B? <error: no such field: caller.sdk>   D true D D"},
                            0);
  }
}

TEST_CASE("reused values stop at every budget as the interpreter does") {
  testing::NativeFixture fixture = testing::CompileNative(kPack);
  auto loaded = testing::LoadInPlace(fixture.plan(), Facts());
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 10);
}

TEST_CASE("the code reads a dominating text column once and probes a guarded constant map once") {
  auto compiled = testing::CompilePacks({kPack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  REQUIRE(emitted.module != nullptr);
  CHECK(RepeatedReadsInBlocks(*emitted.module) == 0);
  CHECK(CallsOf(*emitted.module, "edict_rt_column_string") > 0);
  // group_of(r.perm), group_of(c.caller.sdk) and `r.perm in reordered ? reordered[r.perm].group`;
  // not those of maps whose keys are in another order nor of another key (`r.perm + ''`).
  CHECK(CallsOf(*emitted.module, "edict_rt_const_in_at") == 3);
  CHECK(CallsOf(*emitted.module, "edict_rt_const_field_at") == 3);
  CHECK(CallsOf(*emitted.module, "edict_rt_const_field") == 3);
}
