// What the back end's warm-up compiles (runtime/jit/warm_up.h says why): a small module through
// CompileToObject at O0, which pays LLVM's target set-up, its lazily built tables and the first
// touch of the back end's code in libLLVM once, ahead of a build's parts.
#pragma once

namespace llvm {
class Module;
}

namespace edict::backend {

// The module: a loop over an array that calls out and branches on what it reads, the instruction
// kinds most of the code generator's functions are made of (loads, stores, GEPs, compares,
// branches, phis, selects, calls), all of which FastISel selects (jit_fastisel_test).
void EmitWarmUpSample(llvm::Module& module);

// Emits and compiles the sample; nothing is kept, only the process's state is warmer.
void CompileWarmUpSample();

}  // namespace edict::backend
