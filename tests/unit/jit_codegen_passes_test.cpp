// The passes CompileToObject leaves out of LLVM's O0 code generation (runtime/backend/object.cpp):
// each is named as LLVM 19 names a pass of that pipeline, and without them the standard library's
// object files are byte for byte what the whole pipeline makes.
#include <doctest/doctest.h>

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/Pass.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <set>

#include "compiler/codegen/emit.h"
#include "runtime/backend/llvm_target.h"
#include "runtime/backend/object.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

// Records the name of every pass it is given, and runs them all.
class RecordingPassManager : public llvm::legacy::PassManager {
 public:
  void add(llvm::Pass* pass) override {
    names.insert(pass->getPassName().str());
    llvm::legacy::PassManager::add(pass);
  }
  std::set<std::string> names;
};

// The object file of LLVM's whole O0 pipeline, configured as CompileToObject configures it; the
// pipeline's pass names go to `names`.
std::string CompileWithEveryPass(llvm::Module& module, llvm::orc::JITTargetMachineBuilder target,
                                 std::set<std::string>& names) {
  auto machine = target.createTargetMachine();
  REQUIRE(static_cast<bool>(machine));
  module.setTargetTriple((*machine)->getTargetTriple().str());
  module.setDataLayout((*machine)->createDataLayout());
  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream out(bytes);
  RecordingPassManager emit;
  REQUIRE_FALSE((*machine)->addPassesToEmitFile(emit, out, nullptr, llvm::CodeGenFileType::ObjectFile));
  emit.run(module);
  names = std::move(emit.names);
  return std::string(bytes.data(), bytes.size());
}

}  // namespace

TEST_CASE("leaving the inert passes out changes no byte of the stdlib's object files") {
  auto compiled = testing::CompilePacks({"stdlib-rules/cn-app-privacy"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string error;
  auto target = backend::HostTarget(jit::OptLevel::kO0, error);
  REQUIRE_MESSAGE(target.has_value(), error);
  constexpr uint32_t kParts = 2;
  for (uint32_t part = 0; part < kParts; ++part) {
    llvm::LLVMContext trimmed_context;
    codegen::EmittedModule trimmed = codegen::EmitPlan(*compiled->plan, trimmed_context, part, kParts);
    auto object = backend::CompileToObject(*trimmed.module, *target, jit::OptLevel::kO0, error);
    REQUIRE_MESSAGE(object.has_value(), error);

    llvm::LLVMContext whole_context;
    codegen::EmittedModule whole = codegen::EmitPlan(*compiled->plan, whole_context, part, kParts);
    std::set<std::string> pipeline;
    std::string reference = CompileWithEveryPass(*whole.module, *target, pipeline);
    CHECK(!object->empty());
    CHECK(*object == reference);
    for (std::string_view pass : backend::PassesLeftOutAtO0()) {
      CHECK_MESSAGE(pipeline.count(std::string(pass)) == 1, "LLVM's O0 pipeline has no pass named " << pass);
    }
  }
}
