// The JIT host: native code for one plan (or one standalone expression) in its own LLJIT. Building
// checks the object cache first, so a warm start links a cached object file without building IR;
// a cold start emits IR, compiles it to an object file, caches it and links that. The result is
// immutable: any number of threads may run its functions, each with its own Machine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/interp/compiled.h"
#include "runtime/jit/cache.h"
#include "runtime/jit/target.h"

namespace llvm {
class LLVMContext;
class Module;
namespace orc {
class LLJIT;
}
}  // namespace llvm

namespace edict::jit {

// What building did, for the run summary, benchmarks and tests.
struct BuildStats {
  OptLevel opt_level = OptLevel::kO2;
  bool cache_hit = false;   // linked from the object cache: no IR was built
  bool codegen = false;     // IR was emitted and compiled to an object file
  std::string cache_note;   // why the cache was not used: "entry was corrupt; rebuilt", ...
  int64_t codegen_us = 0;   // emitting, optimising and compiling to an object
  int64_t link_us = 0;      // creating the LLJIT, linking the object, looking up the functions
  int64_t total_us = 0;
};

// Emits the IR module into `context` and fills `symbols`; null with `error` set on failure.
using Emitter = std::function<std::unique_ptr<llvm::Module>(llvm::LLVMContext& context, SymbolTable& symbols,
                                                            std::string& error)>;

struct BuildRequest {
  // The caller's part of the cache key (sources, profile, parameter values); empty: not cached.
  std::vector<std::string> identity;
  size_t expr_slots = 0;  // the size of CompiledCode::exprs (the code's node count)
  size_t pass_slots = 0;  // the size of CompiledCode::passes
  OptLevel opt_level = OptLevel::kO2;
  // The extern "C" helpers the code calls, defined in the LLJIT as absolute symbols.
  std::vector<std::pair<std::string, void*>> runtime_symbols;
  Emitter emit;
};

// Native code and the LLJIT that owns it.
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

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  interp::CompiledCode code_;
  BuildStats stats_;
};

// Null with `error` set when LLVM cannot build or link the code; never throws LLVM's errors.
std::unique_ptr<NativeCode> Build(const BuildRequest& request, std::string& error);

}  // namespace edict::jit
