// A generated program's native code built with every family of roots alike up to their registers
// sharing one body, however small (codegen::EmitOptions::share_every_family), and its sessions
// compared with the interpreter's. The code generator shares a body only where it pays, which a
// generated program's trees seldom do (about one pack in forty), so the differential tests and the
// differential fuzzer build it this way too: bodies called through register maps, over every shape
// the generator writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class Module;
}  // namespace llvm

namespace edict::differential {

// The shared bodies (`edict_body_<id>`, register_families.h) `module` defines.
size_t SharedBodies(const llvm::Module& module);

struct EveryFamilyComparison {
  std::string error;                    // why nothing was compared: the pack's errors, a failed build
  size_t bodies = 0;                    // the shared bodies the native code has
  size_t sessions = 0;
  size_t findings = 0;                  // the interpreter's
  uint64_t fallbacks = 0;               // expressions the interpreter evaluated inside native sessions
  std::vector<std::string> mismatches;  // one Diff per session that differed
};

// Compiles the pack at `pack` (an absolute path), builds its native code through the JIT host at
// the level and in the parts a cold compile would choose, uncached, and evaluates each session of
// `facts` (appfacts text) with both engines.
EveryFamilyComparison CompareEveryFamilyShared(const std::string& pack, const std::string& facts);

}  // namespace edict::differential
