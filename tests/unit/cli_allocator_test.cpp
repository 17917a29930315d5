// The allocator of Edict's programs (runtime/allocator/malloc_conf.cpp): jemalloc serves malloc and
// operator new, with the configuration compiled in, in the test binaries and in the edict command.
#include <doctest/doctest.h>

#include "tests/unit/cli_helpers.h"

// Without it (the sanitizers' and libFuzzer's builds) there is nothing to test.
#ifdef EDICT_JEMALLOC
#include <jemalloc/jemalloc.h>

#include <cstdint>
#include <memory>

using namespace edict::cli_testing;

namespace {

// A value jemalloc reports under `name` (mallctl's names and types).
template <typename T>
T Read(const char* name) {
  T value{};
  size_t size = sizeof(value);
  REQUIRE(mallctl(name, &value, &size, nullptr, 0) == 0);
  return value;
}

// The bytes this thread has allocated through jemalloc so far.
uint64_t AllocatedByThisThread() { return Read<uint64_t>("thread.allocated"); }

}  // namespace

TEST_CASE("the compiled-in configuration is in force") {
  CHECK(std::string(Read<const char*>("opt.thp")) == "always");
  CHECK(std::string(Read<const char*>("opt.metadata_thp")) == "always");
  CHECK(Read<ssize_t>("opt.dirty_decay_ms") == -1);
  CHECK(Read<ssize_t>("opt.muzzy_decay_ms") == -1);
}

TEST_CASE("malloc and operator new are jemalloc's") {
  constexpr size_t kBytes = 3 << 20;
  uint64_t before = AllocatedByThisThread();
  void* block = std::malloc(kBytes);
  REQUIRE(block != nullptr);
  CHECK(AllocatedByThisThread() - before >= kBytes);
  std::free(block);
  before = AllocatedByThisThread();
  auto array = std::make_unique<char[]>(kBytes);
  CHECK(AllocatedByThisThread() - before >= kBytes);
}

TEST_CASE("the edict command runs with the same configuration") {
  // jemalloc prints its statistics, options included, at exit when MALLOC_CONF asks for them; the
  // compiled-in options come first and the environment's are added to them.
  REQUIRE(setenv("MALLOC_CONF", "stats_print:true", 1) == 0);
  Result run = Edict("--version");
  REQUIRE(unsetenv("MALLOC_CONF") == 0);
  CHECK(run.exit_code == 0);
  CHECK(run.err.find("opt.thp: \"always\"") != std::string::npos);
  CHECK(run.err.find("opt.dirty_decay_ms: -1") != std::string::npos);
}

#endif
