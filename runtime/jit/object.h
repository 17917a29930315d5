// Optimising an emitted module and compiling it to a relocatable object file in memory: the form
// both the object cache stores and the LLJIT links, so cold and warm starts load code the same way.
// A build compiled in parts has one object file per part, kept together as one bundle.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "runtime/jit/target.h"

namespace edict::jit {

// Runs LLVM's IR verifier: false with `error` naming the problems when the module is invalid (a
// code generator bug, to be reported rather than compiled).
bool VerifyModule(const llvm::Module& module, std::string& error);

// The object file's bytes; nullopt with `error` set when LLVM cannot compile the module. The
// module must be valid: LLVM's back end does not check it (VerifyModule does).
std::optional<std::string> CompileToObject(llvm::Module& module, llvm::orc::JITTargetMachineBuilder target,
                                           OptLevel level, std::string& error);

// The passes of LLVM's code generation pipeline that CompileToObject leaves out at O0: each
// walks every function, and none can change a module of the code generator's, which has none of
// the IR features, attributes or options they act on (object files are byte for byte the same
// without them; jit_codegen_passes_test). Optimised IR keeps them: the optimiser may add what
// they lower (the vectorisers make reductions).
std::span<const std::string_view> PassesLeftOutAtO0();

// Object files as one string (a cache entry holds one): their count, then each with its size,
// each starting at a multiple of kObjectAlignment from the bundle's start, so that a bundle that
// is itself so aligned in memory can be parsed in place.
inline constexpr size_t kObjectAlignment = 16;
std::string BundleObjects(const std::vector<std::string>& objects);
// The object files of a bundle, viewing `bundle`; nullopt when it is not exactly one bundle.
std::optional<std::vector<std::string_view>> UnbundleObjects(std::string_view bundle);

}  // namespace edict::jit
