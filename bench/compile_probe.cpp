// edict_bench_compile: compiles a rule set once in a fresh process and prints how long it took and
// at which level its native code is, so edict_bench can time cold (empty cache) and warm (plan and
// object cache hits) compiles as a user meets them.
// Usage: edict_bench_compile jit|interp [--opt auto|O0|O1|O2] PACK...   (the cache directory comes
// from EDICT_CACHE_DIR)
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "bench/timing.h"
#include "edict/edict.h"

namespace {

std::optional<edict::Optimization> ParseOptimization(const char* name) {
  if (std::strcmp(name, "auto") == 0) return edict::Optimization::kAuto;
  if (std::strcmp(name, "O0") == 0) return edict::Optimization::kO0;
  if (std::strcmp(name, "O1") == 0) return edict::Optimization::kO1;
  if (std::strcmp(name, "O2") == 0) return edict::Optimization::kO2;
  return std::nullopt;
}

int Usage() {
  std::fprintf(stderr, "usage: edict_bench_compile jit|interp [--opt auto|O0|O1|O2] PACK...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || (std::strcmp(argv[1], "jit") != 0 && std::strcmp(argv[1], "interp") != 0)) return Usage();
  edict::CompileOptions options;
  options.engine = std::strcmp(argv[1], "jit") == 0 ? edict::Engine::kJit : edict::Engine::kInterp;
  int first_pack = 2;
  if (std::strcmp(argv[2], "--opt") == 0) {
    std::optional<edict::Optimization> optimization = argc > 4 ? ParseOptimization(argv[3]) : std::nullopt;
    if (!optimization) return Usage();
    options.optimization = *optimization;
    first_pack = 4;
  }
  for (int i = first_pack; i < argc; ++i) options.packs.emplace_back(argv[i]);
  options.use_environment = false;

  edict::Diagnostics diagnostics;
  edict::bench::Stopwatch watch;
  std::optional<edict::RuleSet> rules = edict::RuleSet::Compile(options, diagnostics);
  edict::bench::Elapsed elapsed = watch.Read();
  if (!rules) {
    std::fputs(diagnostics.Render(false).c_str(), stderr);
    return 1;
  }
  edict::NativeBuild build = rules->native_build();
  std::printf("compile_wall_ms %.3f\ncompile_cpu_ms %.3f\nbackend %s\nopt_level %s\n", elapsed.wall_ms, elapsed.cpu_ms,
              rules->info().engine.backend.c_str(), build.built ? build.opt_level.c_str() : "-");
  return 0;
}
