// Warming the back end up on a spare core while the front end runs, so that a cold build neither
// waits for the back-end module and libLLVM.so to load (~50 ms on a virtual machine) nor has its
// parts each pay the process's first compile: LLVM's target set-up, its lazily built tables and
// the first touch of the back end's code (a tiny module's first compile in a process takes
// ~7.5 ms and the next one ~1 ms on that machine).
#pragma once

#include <thread>

namespace edict::jit {

// Loads the back end (back_end.h) and compiles its sample module (runtime/backend/
// warm_up_sample.h) on a thread of its own; the destructor waits for it.
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
