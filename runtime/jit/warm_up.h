// Warming LLVM's back end up on a spare core while the front end runs, so that a cold build's
// parts do not each pay the process's first compile: LLVM's target set-up, its lazily built tables
// and the first touch of the back end's code in libLLVM (a tiny module's first compile in a
// process takes ~7.5 ms and the next one ~1 ms, on a virtual machine whose page faults are slow).
#pragma once

#include <thread>

namespace llvm {
class Module;
}

namespace edict::jit {

// The module it compiles: a loop over an array that calls out and branches on what it reads, the
// instruction kinds most of the code generator's functions are made of (loads, stores, GEPs,
// compares, branches, phis, selects, calls), all of which FastISel selects (jit_fastisel_test).
void EmitWarmUpSample(llvm::Module& module);

// Compiles that module at O0 on a thread of its own; the destructor waits for it. Nothing is kept:
// only the process's state is warmer.
class BackEndWarmUp {
 public:
  BackEndWarmUp();
  BackEndWarmUp(const BackEndWarmUp&) = delete;
  BackEndWarmUp& operator=(const BackEndWarmUp&) = delete;
  ~BackEndWarmUp();

 private:
  std::thread thread_;
};

}  // namespace edict::jit
