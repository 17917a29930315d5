// edict_bench_compile: compiles a rule set once in a fresh process and prints how long it took, so
// edict_bench can time cold (empty cache) and warm (plan and object cache hits) compiles as a user
// meets them.
// Usage: edict_bench_compile jit|interp PACK...   (the cache directory comes from EDICT_CACHE_DIR)
#include <cstdio>
#include <cstring>
#include <string>

#include "bench/timing.h"
#include "edict/edict.h"

int main(int argc, char** argv) {
  if (argc < 3 || (std::strcmp(argv[1], "jit") != 0 && std::strcmp(argv[1], "interp") != 0)) {
    std::fprintf(stderr, "usage: edict_bench_compile jit|interp PACK...\n");
    return 2;
  }
  edict::CompileOptions options;
  options.engine = std::strcmp(argv[1], "jit") == 0 ? edict::Engine::kJit : edict::Engine::kInterp;
  for (int i = 2; i < argc; ++i) options.packs.emplace_back(argv[i]);
  options.use_environment = false;

  edict::Diagnostics diagnostics;
  edict::bench::Stopwatch watch;
  std::optional<edict::RuleSet> rules = edict::RuleSet::Compile(options, diagnostics);
  edict::bench::Elapsed elapsed = watch.Read();
  if (!rules) {
    std::fputs(diagnostics.Render(false).c_str(), stderr);
    return 1;
  }
  std::printf("compile_wall_ms %.3f\ncompile_cpu_ms %.3f\nbackend %s\n", elapsed.wall_ms, elapsed.cpu_ms,
              rules->info().engine.backend.c_str());
  return 0;
}
