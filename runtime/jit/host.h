// The JIT host: native code for one plan (or one standalone expression). Building checks the
// object cache first, so a warm start places the cached linked images (image.h) without building
// IR, linking or loading LLVM; else the back end (back_end.h) links the cached object files in an
// LLJIT of its own, or, on a cold start, emits IR and compiles it to object files (a large plan
// in parts, one thread each), links them in an LLJIT and records the images of the linked code
// for the cache. The result is immutable: any number of threads may run its functions, each with
// its own Machine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/interp/compiled.h"
#include "runtime/jit/back_end.h"
#include "runtime/jit/cache.h"
#include "runtime/jit/target.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace edict::plan {
struct Plan;
struct CompiledExpression;
}  // namespace edict::plan

namespace edict::jit {

// What building did, for the run summary, benchmarks and tests.
struct BuildStats {
  OptLevel opt_level = OptLevel::kO2;
  bool cache_hit = false;   // loaded from the object cache: no IR was built
  bool image = false;       // a cache hit placed from the linked images: no LLJIT, no JITLink
  bool codegen = false;     // IR was emitted and compiled to object files
  uint32_t parts = 0;       // modules emitted and compiled concurrently (0: none, a cache hit)
  std::string cache_note;   // why the cache was not used: "entry was corrupt; rebuilt", ...
  // Waiting for the back end to load (back_end.h), when a cold build or a cached entry without
  // usable images needed it and the process had not loaded it yet.
  int64_t back_end_us = 0;
  // Emitting, optimising and compiling to objects; on a cold build this includes creating the LLJIT
  // and linking each part's object, done as each part is compiled.
  int64_t codegen_us = 0;
  // Creating the LLJIT, linking the objects, looking up the functions (after codegen); or placing
  // the images.
  int64_t link_us = 0;
  int64_t total_us = 0;
};

// One of the modules a build's code is split into: part `index` of `count`.
struct Part {
  uint32_t index = 0;
  uint32_t count = 1;
};

// Emits part `part` of the code as an IR module into `context` and fills `symbols` with the
// functions it defines; null with `error` set on failure. Called concurrently for different parts
// (each with its own context).
using Emitter = std::function<std::unique_ptr<llvm::Module>(llvm::LLVMContext& context, Part part,
                                                            SymbolTable& symbols, std::string& error)>;

struct BuildRequest {
  // The caller's part of the cache key (sources, profile, parameter values); empty: not cached.
  std::vector<std::string> identity;
  size_t expr_slots = 0;  // the size of CompiledCode::exprs (the code's node count)
  size_t pass_slots = 0;  // the size of CompiledCode::passes
  size_t index_slots = 0; // the size of CompiledCode::indexes
  OptLevel opt_level = OptLevel::kO2;
  // Levels whose cached code is taken instead, if the cache holds it: looked up in this order
  // before opt_level's own entry, never built (the same key with that level).
  std::vector<OptLevel> prefer_cached;
  // How many modules to emit and compile at once, one thread each (at least 1).
  uint32_t parts = 1;
  // Run LLVM's IR verifier on each emitted module and report an invalid one instead of compiling
  // it (LLVM's back end may crash on it); see VerifyEmittedModules in compile.h.
  bool verify = true;
  // The extern "C" helpers the code calls, defined in the LLJIT as absolute symbols (or bound by
  // name when cached images are placed).
  std::vector<std::pair<std::string, void*>> runtime_symbols;
  // What the back end emits: `emit` when set (tests' hand-built modules), else the code
  // generator's code for `plan`, else for `expression`. They must outlive Build.
  Emitter emit;
  const plan::Plan* plan = nullptr;
  const plan::CompiledExpression* expression = nullptr;
};

// Native code and what owns it: the back end's LLJIT, or the placed images' memory.
class NativeCode {
 public:
  NativeCode();
  ~NativeCode();
  NativeCode(const NativeCode&) = delete;
  NativeCode& operator=(const NativeCode&) = delete;

  const interp::CompiledCode& code() const { return code_; }
  const BuildStats& stats() const { return stats_; }

 private:
  friend std::unique_ptr<NativeCode> Build(const BuildRequest& request, std::string& error);

  std::unique_ptr<CodeOwner> owner_;
  interp::CompiledCode code_;
  BuildStats stats_;
  // A cold build's IR, still being freed on other threads: waited for here, when the code is
  // destroyed, not before Build returns, where the wait was 10-20 ms of a cold compile on a
  // virtual machine (docs/performance.md).
  std::unique_ptr<BackgroundWork> freeing_;
};

// Null with `error` set when LLVM cannot build or link the code; never throws LLVM's errors.
std::unique_ptr<NativeCode> Build(const BuildRequest& request, std::string& error);

// Whether the object cache holds an entry Build would link (prefer_cached's levels or opt_level's):
// the keys and a stat each, no entry read, so one found may still prove corrupt or fail to link
// (Build then rebuilds). False for a request that is not cached or without a cache directory.
bool HoldsCachedCode(const BuildRequest& request);

// For the back end, which fills code the same way:

// Code with a null slot for every expression, pass and index of `request`: the driver interprets
// those.
interp::CompiledCode EmptyCode(const BuildRequest& request);

// Puts the functions `symbols` names into their slots of `code`, found by `address_of` (null: not
// there); false with `error` set.
bool PlaceFunctions(const SymbolTable& symbols, const std::function<void*(const std::string& name)>& address_of,
                    interp::CompiledCode& code, std::string& error);

// Appends `note` to `notes`, "; "-separated.
void AddNote(std::string& notes, const std::string& note);

}  // namespace edict::jit
