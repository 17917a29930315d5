// What native code depends on besides the rules: the optimisation level, this build of the engine
// (the program and its back-end module) and the machine the code is built for. An object cache key
// is made of these, and none of them needs LLVM, so that a warm start never loads it.
#pragma once

#include <cstdint>
#include <string>

namespace edict::jit {

// How hard LLVM optimises a module; chosen by the module's size (see ChooseOptLevel).
enum class OptLevel : uint8_t { kO0, kO1, kO2 };

const char* OptLevelName(OptLevel level);

// This build of the engine: its version and the program's GNU build id (else the build time), so
// that objects cached by another build of the code generator are never loaded. The id covers the
// back end: linked in, or a module whose build id the program is linked with (back_end.h).
const std::string& EngineBuildId();

// The GNU build id of the ELF file at `path`, in lowercase hex, read from its notes without loading
// it; empty when it has none or is not an ELF file.
std::string FileBuildId(const std::string& path);

// The machine, as far as it decides what LLVM's host detection (the triple, CPU and features an
// object file is compiled for) makes of it: on x86, every CPUID leaf and XCR0 bit that detection
// reads, as hex. Equal identities give equal detections with the same LLVM, whose version the key
// holds too. Elsewhere the back end is asked (which loads it).
const std::string& HostIdentity();

}  // namespace edict::jit
