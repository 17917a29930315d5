// The stdlib's native code as the back end sees it at O0 (runtime/backend/object.cpp): FastISel selects
// every instruction, none is left to SelectionDAG, which costs several times as much per
// instruction (slots are zeroed by stores or memset, not llvm.memset.inline: compiler/codegen/
// slots.cpp; aggregate bounds are compares and selects, not llvm.smin/smax: aggregate_emitter.cpp).
#include <doctest/doctest.h>

#include <llvm/IR/DiagnosticHandler.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen/emit.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/object.h"
#include "runtime/backend/warm_up_sample.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

// The remarks SelectionDAGISel makes where FastISel gives up on an instruction.
struct FastISelMisses : llvm::DiagnosticHandler {
  explicit FastISelMisses(std::vector<std::string>& misses) : misses(misses) {}
  bool isMissedOptRemarkEnabled(llvm::StringRef pass) const override { return pass == "sdagisel"; }
  bool handleDiagnostics(const llvm::DiagnosticInfo& info) override {
    const auto* remark = llvm::dyn_cast<llvm::OptimizationRemarkMissed>(&info);
    if (remark != nullptr && remark->getRemarkName() == "FastISelFailure") misses.push_back(remark->getMsg());
    return true;
  }
  std::vector<std::string>& misses;
};

std::vector<std::string> CompileAtO0(llvm::Module& module) {
  std::vector<std::string> misses;
  module.getContext().setDiagnosticHandler(std::make_unique<FastISelMisses>(misses));
  std::string error;
  auto target = backend::HostTarget(jit::OptLevel::kO0, error);
  REQUIRE_MESSAGE(target.has_value(), error);
  auto object = backend::CompileToObject(module, *target, jit::OptLevel::kO0, error);
  REQUIRE_MESSAGE(object.has_value(), error);
  CHECK(!object->empty());
  return misses;
}

}  // namespace

TEST_CASE("a call of llvm.smax is a FastISel miss") {
  llvm::LLVMContext context;
  llvm::Module module("smax", context);
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  auto* function = llvm::Function::Create(llvm::FunctionType::get(i64, {i64, i64}, false),
                                          llvm::Function::ExternalLinkage, "larger", module);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
  builder.CreateRet(builder.CreateBinaryIntrinsic(llvm::Intrinsic::smax, function->getArg(0), function->getArg(1)));
  CHECK(CompileAtO0(module).size() == 1);
}

TEST_CASE("FastISel selects all of the stdlib's code at O0") {
  auto compiled = testing::CompilePacks({"stdlib-rules/cn-app-privacy"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context, 0, 1);
  REQUIRE(emitted.module != nullptr);
  std::vector<std::string> misses = CompileAtO0(*emitted.module);
  CHECK_MESSAGE(misses.empty(), (misses.empty() ? std::string() : misses.front()));
}

TEST_CASE("FastISel selects all of the back end's warm-up sample") {
  llvm::LLVMContext context;
  llvm::Module module("warm_up", context);
  backend::EmitWarmUpSample(module);
  std::string error;
  REQUIRE_MESSAGE(backend::VerifyModule(module, error), error);
  CHECK(module.getFunction("edict_warm_up")->size() == 5);
  std::vector<std::string> misses = CompileAtO0(module);
  CHECK_MESSAGE(misses.empty(), (misses.empty() ? std::string() : misses.front()));
}
