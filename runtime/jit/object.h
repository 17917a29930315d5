// Optimising an emitted module and compiling it to a relocatable object file in memory: the form
// both the object cache stores and the LLJIT links, so cold and warm starts load code the same way.
#pragma once

#include <optional>
#include <string>

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/target.h"

namespace edict::jit {

// The object file's bytes; nullopt with `error` set when LLVM cannot compile the module (an
// invalid module is a code generator bug and is reported, not compiled).
std::optional<std::string> CompileToObject(llvm::Module& module, llvm::orc::JITTargetMachineBuilder target,
                                           OptLevel level, std::string& error);

}  // namespace edict::jit
