// `edict run --opt`: a level that does not exist is a usage error that names the choices; `--opt O1`
// builds O1 code and `--stats` says so; a later run without `--opt` loads that code from the cache.
#include <cstdlib>

#include "tests/unit/cli_helpers.h"
#include "tests/unit/restore_env.h"

namespace edict::cli_testing {
namespace {

// A scratch object cache as $EDICT_CACHE_DIR (inherited through std::system), and no
// $EDICT_JIT_OPT to replace auto's choice, while it lives.
class PrivateCache {
 public:
  PrivateCache() {
    ::setenv("EDICT_CACHE_DIR", dir_.path().c_str(), 1);
    ::unsetenv("EDICT_JIT_OPT");
  }

 private:
  testing::RestoreEnv keep_cache_dir_{"EDICT_CACHE_DIR"};
  testing::RestoreEnv keep_forced_level_{"EDICT_JIT_OPT"};
  TempDir dir_;
};

const std::string kJitRun =
    std::string("run --format json --deterministic --stats --engine jit ") + kQuickstart + " " + kSampleFacts;

TEST_CASE("an unknown optimisation level is a usage error naming the levels") {
  Result result = Edict(kJitRun + " --opt O3");
  CHECK(result.exit_code == 2);
  CHECK_MESSAGE(result.err.find("--opt: O3 not in {auto,O0,O1,O2}") != std::string::npos, result.err);
  CHECK(result.out.empty());
}

TEST_CASE("--opt O1 builds O1 code; a later run without --opt loads it") {
  PrivateCache cache;
  Result o0 = Edict(kJitRun + " --opt O0");
  Result o1 = Edict(kJitRun + " --opt O1");
  Result automatic = Edict(kJitRun);
  CHECK_MESSAGE(o0.err.find("native code generated, O0,") != std::string::npos, o0.err);
  CHECK_MESSAGE(o1.err.find("native code generated, O1,") != std::string::npos, o1.err);
  CHECK_MESSAGE(automatic.err.find("native code from the cache, O1,") != std::string::npos, automatic.err);
  CHECK(o1.exit_code == o0.exit_code);
  CHECK(o1.out == o0.out);
  CHECK(automatic.out == o0.out);
}

}  // namespace
}  // namespace edict::cli_testing
