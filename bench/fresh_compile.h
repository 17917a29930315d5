// Compile times as a user meets them: each in a fresh process (edict_bench_compile), cold with an empty
// cache directory (so the front end runs and, for jit, code is generated), warm with the plan and
// object cache entries the cold run left; for jit both at the level auto picks and at an optimised
// level built once, which a later auto compile then loads.
#pragma once

#include <string>
#include <vector>

namespace edict::bench {

struct FreshCompile {
  bool ok = false;
  std::string error;      // the probe's diagnostics or why it could not run
  std::string backend;    // what the rule set reports it runs on
  std::string opt_level;  // of its native code; "-" without any
  double compile_ms = 0;      // RuleSet::Compile inside the probe (wall)
  double compile_cpu_ms = 0;  // the same in the probe's CPU time, which a loaded machine disturbs less
  double process_ms = 0;  // spawn to exit, process start-up and shared-library loading included
};

// Runs `probe engine --opt optimization packs...` with EDICT_CACHE_DIR=`cache_dir`.
FreshCompile RunCompileProbe(const std::string& probe, const std::string& engine, const std::string& optimization,
                             const std::vector<std::string>& packs, const std::string& cache_dir);

struct CompileTimes {
  FreshCompile interp;       // interp, empty cache: the front end and lowering alone
  FreshCompile interp_warm;  // interp, plan cache hit
  FreshCompile cold;         // jit, empty cache (best of `repeat`, each in a new empty directory)
  FreshCompile warm;         // jit, plan and object cache hits (best of `repeat`)
  FreshCompile optimized_cold;  // jit at the optimised level, empty cache: the one-off build
  FreshCompile optimized_warm;  // jit, auto, after it: the optimised entry loaded from the cache
};

// `optimized` is the optimised level ("O1" or "O2").
CompileTimes MeasureCompileTimes(const std::string& probe, const std::vector<std::string>& packs,
                                 const std::string& optimized, int repeat);

}  // namespace edict::bench
