// LLVM's new pass manager for the IR pipeline, the legacy one for machine code emission (the
// only way LLVM 19 emits an object file).
#include "runtime/jit/object.h"

#include <cstdint>
#include <cstring>

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

namespace edict::jit {
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

void AppendSize(std::string& out, uint64_t size) { out.append(reinterpret_cast<const char*>(&size), sizeof(size)); }

bool ReadSize(std::string_view& in, uint64_t& size) {
  if (in.size() < sizeof(size)) return false;
  std::memcpy(&size, in.data(), sizeof(size));
  in.remove_prefix(sizeof(size));
  return true;
}

}  // namespace

std::string BundleObjects(const std::vector<std::string>& objects) {
  std::string out;
  AppendSize(out, objects.size());
  for (const std::string& object : objects) {
    AppendSize(out, object.size());
    out += object;
  }
  return out;
}

std::optional<std::vector<std::string_view>> UnbundleObjects(std::string_view bundle) {
  uint64_t count = 0;
  if (!ReadSize(bundle, count) || count > bundle.size()) return std::nullopt;
  std::vector<std::string_view> objects;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t size = 0;
    if (!ReadSize(bundle, size) || size > bundle.size()) return std::nullopt;
    objects.push_back(bundle.substr(0, size));
    bundle.remove_prefix(size);
  }
  if (!bundle.empty()) return std::nullopt;
  return objects;
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
  llvm::legacy::PassManager emit;
  if ((*machine)->addPassesToEmitFile(emit, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "LLVM cannot emit an object file for " + (*machine)->getTargetTriple().str();
    return std::nullopt;
  }
  emit.run(module);
  return std::string(bytes.data(), bytes.size());
}

}  // namespace edict::jit
