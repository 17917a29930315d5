// The LLVM side of the JIT (compiler/codegen and runtime/backend) behind one interface. The
// programs load it as a module of its own, libedict-backend.so, the first time code must be
// generated or cached object files linked: loading libLLVM.so (hundreds of thousands of
// relocations, ~50 ms on a virtual machine) is then paid only by a cold build, never by an
// interpreter run or a warm start that places cached images. The tests link it in instead.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/interp/compiled.h"
#include "runtime/jit/cache.h"

namespace edict::jit {

struct BuildRequest;
struct BuildStats;

// What keeps native code alive: an LLJIT, or the memory cached images were placed in.
class CodeOwner {
 public:
  virtual ~CodeOwner() = default;
};

// Work a generation left running on other threads; destroying it waits for it.
class BackgroundWork {
 public:
  virtual ~BackgroundWork() = default;
};

struct GeneratedCode {
  CacheEntry entry;  // the object files, their symbols and data layout; the images when recorded
  std::unique_ptr<CodeOwner> owner;
  interp::CompiledCode code;
  // The parts' IR being freed, while the caller stores the entry, takes the code and goes on.
  std::unique_ptr<BackgroundWork> freeing;
};

class BackEnd {
 public:
  virtual ~BackEnd() = default;

  // Emits the code of `request` (its emitter, else the code generator's for its plan or
  // expression), compiles it to object files and links them. With `record_images` the linked
  // images go into `out.entry.images`, or `stats.cache_note` says why not. Fills `stats`' parts
  // and timings; false with `error` set.
  virtual bool Generate(const BuildRequest& request, bool record_images, GeneratedCode& out, BuildStats& stats,
                        std::string& error) const = 0;

  // Links a cached entry's object files in an LLJIT of its own (its images could not be placed);
  // false with `error` set, `owner` and `code` untouched.
  virtual bool LinkCached(const BuildRequest& request, const LoadedEntry& entry, std::unique_ptr<CodeOwner>& owner,
                          interp::CompiledCode& code, std::string& error) const = 0;

  // Compiles a small sample module at O0 and drops it: the process's first compile, paid ahead of
  // a build (warm_up.h).
  virtual void WarmUp() const = 0;

  // LLVM's triple, CPU and features for this host (HostIdentity where CPUID is not read directly).
  virtual std::string TargetIdentity() const = 0;
};

// The back end, loaded once per process (thread-safe); null with `error` set when the module is
// missing, is another build than the one the program was linked with (its GNU build id: only then
// do the layouts behind this interface match) or does not load. $EDICT_BACK_END names the
// module's file; by default it is found next to the program, else where the build left it.
const BackEnd* LoadBackEnd(std::string& error);

using BackEndEntry = const BackEnd* (*)();

}  // namespace edict::jit

// Defined by runtime/backend/entry.cpp, in the module or linked into a program.
extern "C" const edict::jit::BackEnd* edict_back_end();
