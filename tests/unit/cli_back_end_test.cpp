// The JIT back end is a module of its own (runtime/jit/back_end.h), which the edict command loads
// only to generate code or link cached objects: `--version`, an interpreter run and a warm start
// that places cached images never load it, or libLLVM.so; a cold build does. Without the module,
// `--engine jit` says which file it could not load, and the interpreter runs as before; a module of
// another build is refused.
#include "tests/unit/cli_helpers.h"

namespace edict::cli_testing {
namespace {

// What the dynamic loader loaded: LD_DEBUG=files lists every object it opens on stderr.
struct Loaded {
  explicit Loaded(const Result& result) : llvm(result.err.find("libLLVM") != std::string::npos),
                                          back_end(result.err.find("libedict-backend.so") != std::string::npos) {}
  bool llvm;
  bool back_end;
};

const std::string kRun = std::string("run --format json --deterministic --stats ") + kQuickstart + " " + kSampleFacts;

TEST_CASE("only a build that generates code loads the back end and LLVM") {
  TempDir cache;
  std::string environment = "LD_DEBUG=files EDICT_CACHE_DIR='" + cache.path().string() + "'";

  Loaded version(Edict("--version", environment));
  CHECK_FALSE(version.llvm);
  CHECK_FALSE(version.back_end);

  Result interp = Edict(kRun + " --engine interp", environment);
  CHECK(interp.exit_code == 1);  // the sample facts violate rules
  CHECK_FALSE(Loaded(interp).llvm);
  CHECK_FALSE(Loaded(interp).back_end);

  Result cold = Edict(kRun + " --engine jit", environment);
  REQUIRE_MESSAGE(cold.err.find("native code generated") != std::string::npos, cold.err);
  CHECK(Loaded(cold).back_end);
  CHECK(Loaded(cold).llvm);

  Result warm = Edict(kRun + " --engine jit", environment);
  REQUIRE_MESSAGE(warm.err.find("native code from the cache") != std::string::npos, warm.err);
  CHECK_FALSE(Loaded(warm).llvm);
  CHECK_FALSE(Loaded(warm).back_end);
  CHECK(warm.out == cold.out);
}

TEST_CASE("without the back end, --engine jit names the module it could not load; the interpreter runs") {
  TempDir cache;
  std::string environment = "EDICT_BACK_END=/nonexistent/libedict-backend.so EDICT_CACHE_DIR='" +
                            cache.path().string() + "'";
  Result jit = Edict(kRun + " --engine jit", environment);
  CHECK(jit.exit_code == 2);
  CHECK_MESSAGE(jit.err.find("cannot load the JIT back end /nonexistent/libedict-backend.so") != std::string::npos,
                jit.err);
  Result interp = Edict(kRun + " --engine interp", environment);
  CHECK(interp.exit_code == 1);
  CHECK(interp.out.find("\"backend\":\"interp\"") != std::string::npos);
}

TEST_CASE("another build's module is refused before any of its code runs") {
  TempDir cache;
  // Any other shared library stands for it: its build id is not the one edict was linked with.
  std::string environment =
      "EDICT_BACK_END='" EDICT_OTHER_MODULE "' EDICT_CACHE_DIR='" + cache.path().string() + "'";
  Result jit = Edict(kRun + " --engine jit", environment);
  CHECK(jit.exit_code == 2);
  CHECK_MESSAGE(jit.err.find("is another build than the one this program was built with") != std::string::npos,
                jit.err);
}

}  // namespace
}  // namespace edict::cli_testing
