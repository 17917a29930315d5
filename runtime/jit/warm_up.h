// Warming the back end up on a spare core while the front end runs, so that a cold build neither
// waits for the back-end module and libLLVM.so to load (~50 ms on a virtual machine) nor has its
// parts each pay the process's first compile: LLVM's target set-up, its lazily built tables and
// the first touch of the back end's code (a tiny module's first compile in a process takes
// ~7.5 ms and the next one ~1 ms on that machine).
//
// The sample is compiled only while the front end still runs. Once the build waits for the warm-up
// (the front end was done before libLLVM.so had loaded: the standard library on a virtual machine),
// the sample would only delay it; the build's parts then pay that first compile themselves,
// concurrently: 7.6 ms faster (paired median of 30 cold compiles on a virtual machine,
// docs/performance.md).
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "runtime/jit/back_end.h"

namespace edict::jit {

// Loads the back end (back_end.h) and, unless the destructor is already waiting, compiles its
// sample module (runtime/backend/warm_up_sample.h) on a thread of its own; the destructor waits
// for it.
class BackEndWarmUp {
 public:
  using Loader = const BackEnd* (*)(std::string& error);

  // `load`: how the back end is found (tests pass their own).
  explicit BackEndWarmUp(Loader load = LoadBackEnd);
  BackEndWarmUp(const BackEndWarmUp&) = delete;
  BackEndWarmUp& operator=(const BackEndWarmUp&) = delete;
  ~BackEndWarmUp();

 private:
  std::atomic<bool> awaited_{false};  // before thread_: set before the thread reads it
  std::thread thread_;
};

}  // namespace edict::jit
