// LLVM's native target: set up once per process, and the target machine builder a module is
// compiled for.
#pragma once

#include <optional>
#include <string>

#include "runtime/jit/target.h"

namespace llvm::orc {
class JITTargetMachineBuilder;
}  // namespace llvm::orc

namespace edict::backend {

// Registers LLVM's native target, once per process: what creating a target machine needs (code
// generation, or an LLJIT not given its data layout). Linking cached objects with their data
// layout needs neither and skips it (~0.7 ms on a virtual machine: hundreds of passes' one-time
// registrations).
void InitializeNativeTargetOnce();

// A target machine builder for this host (PIC, small code model) at `level`; nullopt with `error`
// set when LLVM has no native target.
std::optional<llvm::orc::JITTargetMachineBuilder> HostTarget(jit::OptLevel level, std::string& error);

// "x86_64-pc-linux-gnu/znver3/+avx2,+sse4.2,...": what an object file compiled here assumes.
std::string TargetIdentity(const llvm::orc::JITTargetMachineBuilder& target);

}  // namespace edict::backend
