// The machine native code is built for: LLVM's native target (initialised once per process) and
// the host's triple, CPU and features, which an object file is only valid for.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace llvm::orc {
class JITTargetMachineBuilder;
}  // namespace llvm::orc

namespace edict::jit {

// How hard LLVM optimises a module; chosen by the module's size (see ChooseOptLevel).
enum class OptLevel : uint8_t { kO0, kO1, kO2 };

const char* OptLevelName(OptLevel level);

// Registers LLVM's native target, once per process: what creating a target machine needs (code
// generation, or an LLJIT not given its data layout). A warm start needs neither and skips it
// (~0.7 ms on a virtual machine: hundreds of passes' one-time registrations).
void InitializeNativeTargetOnce();

// A target machine builder for this host (PIC, small code model) at `level`; nullopt with `error`
// set when LLVM has no native target.
std::optional<llvm::orc::JITTargetMachineBuilder> HostTarget(OptLevel level, std::string& error);

// "x86_64-pc-linux-gnu/znver3/+avx2,+sse4.2,...": what an object file compiled here assumes.
std::string TargetIdentity(const llvm::orc::JITTargetMachineBuilder& target);

// This build of the engine: its version and the executable's GNU build id (else the build time),
// so that objects cached by another build of the code generator are never loaded.
const std::string& EngineBuildId();

}  // namespace edict::jit
