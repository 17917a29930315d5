// Optimising an emitted module and compiling it to a relocatable object file in memory: the form
// both the object cache stores and the LLJIT links, so cold and warm starts load code the same way.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/target.h"

namespace edict::backend {

// Runs LLVM's IR verifier: false with `error` naming the problems when the module is invalid (a
// code generator bug, to be reported rather than compiled).
bool VerifyModule(const llvm::Module& module, std::string& error);

// The object file's bytes; nullopt with `error` set when LLVM cannot compile the module. The
// module must be valid: LLVM's back end does not check it (VerifyModule does).
std::optional<std::string> CompileToObject(llvm::Module& module, llvm::orc::JITTargetMachineBuilder target,
                                           jit::OptLevel level, std::string& error);

// The passes of LLVM's code generation pipeline that CompileToObject leaves out at O0: each
// walks every function, and none can change a module of the code generator's, which has none of
// the IR features, attributes or options they act on (object files are byte for byte the same
// without them; jit_codegen_passes_test). Optimised IR keeps them: the optimiser may add what
// they lower (the vectorisers make reductions).
std::span<const std::string_view> PassesLeftOutAtO0();

}  // namespace edict::backend
