// LLVM's new pass manager for the IR pipeline, the legacy one for machine code emission (the
// only way LLVM 19 emits an object file).
#include "runtime/backend/object.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Pass.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "runtime/backend/llvm_target.h"

namespace edict::backend {

using jit::OptLevel;
namespace {

void Optimise(llvm::Module& module, llvm::TargetMachine& machine, OptLevel level) {
  if (level == OptLevel::kO0) return;
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::OptimizationLevel pipeline = level == OptLevel::kO1 ? llvm::OptimizationLevel::O1 : llvm::OptimizationLevel::O2;
  builder.buildPerModuleDefaultPipeline(pipeline).run(module, modules);
}

// A code generation pipeline without `left_out`: the passes are named as LLVM names them, and
// the names are checked against LLVM's pipeline by jit_codegen_passes_test.
class PassManagerWithout : public llvm::legacy::PassManager {
 public:
  explicit PassManagerWithout(std::span<const std::string_view> left_out) : left_out_(left_out) {}

  void add(llvm::Pass* pass) override {
    if (std::find(left_out_.begin(), left_out_.end(), std::string_view(pass->getPassName())) != left_out_.end()) {
      delete pass;
      return;
    }
    llvm::legacy::PassManager::add(pass);
  }

 private:
  std::span<const std::string_view> left_out_;
};

}  // namespace

std::span<const std::string_view> PassesLeftOutAtO0() {
  static constexpr std::string_view kInert[] = {
      // IR features the code generator never emits: wide integers, atomics, AMX, vector
      // predication, masked memory and reductions, indirectbr and callbr, exceptions (every
      // function is nounwind, nothing is invoked), constant intrinsics, garbage collection.
      "Expand large div/rem", "Expand large fp convert", "Expand Atomic instructions", "Lower AMX intrinsics",
      "Lower AMX type for load/store", "Lower Garbage Collection Instructions", "Shadow Stack GC Lowering",
      "Lower constant intrinsics", "Expand vector predication intrinsics", "Scalarize Masked Memory Intrinsics",
      "Expand reduction intrinsics", "Expand indirectbr instructions", "Exception handling preparation",
      "Prepare callbr", "Fixup Statepoint Caller Saved", "Analyze Machine Code For Garbage Collection",
      "StackMap Liveness Analysis", "Contiguously Lay Out Funclets",
      // Registers it never uses: AMX tiles, the x87 stack (doubles are SSE values).
      "Fast Tile Register Preconfigure", "Fast Tile Register Configure", "X86 Lower Tile Copy", "X86 FP Stackifier",
      "X86 insert wait instruction",
      // Debug info, which it never emits.
      "Remove Redundant DEBUG_VALUE analysis", "Live DEBUG_VALUE analysis",
      // Function attributes, module flags and options it never sets: instrumentation, sanitizers,
      // hardening, profiles, remarks.
      "Instrument function entry/exit with calls to e.g. mcount() (post inlining)", "Safe Stack instrumentation pass",
      "X86 speculative load hardening", "Insert KCFI indirect call checks", "Insert fentry calls", "Insert XRay ops",
      "Implement the 'patchable-function' attribute", "X86 Indirect Branch Tracking",
      "X86 Discriminate Memory Operands", "X86 Insert Cache Prefetches", "Machine Sanitizer Binary Metadata",
      "Stack Frame Layout Analysis", "X86 Speculative Execution Side Effect Suppression", "X86 Indirect Thunks",
      "X86 Return Thunks", "X86 Load Value Injection (LVI) Ret-Hardening", "Pseudo Probe Inserter"};
  return kInert;
}

bool VerifyModule(const llvm::Module& module, std::string& error) {
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  if (!llvm::verifyModule(module, &problem_stream)) return true;
  error = "the code generator emitted an invalid module: " + problems;
  return false;
}

std::optional<std::string> CompileToObject(llvm::Module& module, llvm::orc::JITTargetMachineBuilder target,
                                           OptLevel level, std::string& error) {
  InitializeNativeTargetOnce();
  auto machine = target.createTargetMachine();
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return std::nullopt;
  }
  module.setTargetTriple((*machine)->getTargetTriple().str());
  module.setDataLayout((*machine)->createDataLayout());
  Optimise(module, **machine, level);

  llvm::SmallVector<char, 0> bytes;
  llvm::raw_svector_ostream out(bytes);
  PassManagerWithout emit(level == OptLevel::kO0 ? PassesLeftOutAtO0() : std::span<const std::string_view>());
  if ((*machine)->addPassesToEmitFile(emit, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "LLVM cannot emit an object file for " + (*machine)->getTargetTriple().str();
    return std::nullopt;
  }
  emit.run(module);
  return std::string(bytes.data(), bytes.size());
}

}  // namespace edict::backend
