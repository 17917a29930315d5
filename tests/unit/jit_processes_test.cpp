// Several processes writing the same cache entry at once (make -j running `edict run` in parallel):
// each gets working code, and what is left is one whole entry a later process loads. The test
// forks before this process touches LLVM, so every child starts as a fresh process would.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::Run;
using testing::TempCache;

BuildRequest SharedRequest(std::atomic<int>* emitted) {
  BuildRequest request = ConstantRequest({{5, 55}, {6, 66}}, emitted);
  request.identity = {"rules shared by processes"};
  return request;
}

TEST_CASE("processes writing one cache entry at once") {
  TempCache cache("processes");
  constexpr int kProcesses = 6;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      std::string error;
      auto native = Build(SharedRequest(nullptr), error);
      bool ok = native != nullptr && Run(*native, 5) == 55 && Run(*native, 6) == 66;
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(cache.Entries().size() == 1);

  std::atomic<int> emitted = 0;
  std::string error;
  auto warm = Build(SharedRequest(&emitted), error);
  REQUIRE_MESSAGE(warm != nullptr, error);
  CHECK(warm->stats().cache_hit);
  CHECK(emitted == 0);
  CHECK(Run(*warm, 6) == 66);
}

}  // namespace
}  // namespace edict::jit
