// LLVM's native target and the host's target machine builder.
#include "runtime/backend/llvm_target.h"

#include <mutex>

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

namespace edict::backend {

void InitializeNativeTargetOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::optional<llvm::orc::JITTargetMachineBuilder> HostTarget(jit::OptLevel level, std::string& error) {
  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!target) {
    error = llvm::toString(target.takeError());
    return std::nullopt;
  }
  target->setRelocationModel(llvm::Reloc::PIC_);
  target->setCodeModel(llvm::CodeModel::Small);
  // Every branch in its long form: the assembler skips relaxing them one by one, ~7 % of a large
  // module's compile time at O0, for objects ~2 % larger.
  target->getOptions().MCOptions.MCRelaxAll = true;
  switch (level) {
    case jit::OptLevel::kO0: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::None); break;
    case jit::OptLevel::kO1: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::Less); break;
    case jit::OptLevel::kO2: target->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default); break;
  }
  return std::move(*target);
}

std::string TargetIdentity(const llvm::orc::JITTargetMachineBuilder& target) {
  return target.getTargetTriple().str() + "/" + target.getCPU() + "/" + target.getFeatures().getString();
}

}  // namespace edict::backend
