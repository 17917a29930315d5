// The runtime side of the JIT's calling convention: the `edict_rt_*` helpers that native code
// calls (declared by compiler/codegen/runtime.def), each a thin wrapper over the function the
// interpreter calls for the same node, so both back ends share one implementation of everything.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace edict::jit {

// Every helper's symbol name and address, for the JIT host to define in its LLJIT.
std::vector<std::pair<std::string, void*>> RuntimeSymbols();

}  // namespace edict::jit
