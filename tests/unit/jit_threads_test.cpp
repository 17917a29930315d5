// Native code is shared: many threads run one build's functions at once, and threads building the
// same code at once share one cache entry.
#include <doctest/doctest.h>

#include <thread>

#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::Run;
using testing::TempCache;

TEST_CASE("threads run one build's functions concurrently") {
  std::string error;
  auto native = Build(ConstantRequest({{1, 10}, {2, 20}}, nullptr), error);
  REQUIRE_MESSAGE(native != nullptr, error);
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&native, &wrong, t] {
      for (int i = 0; i < 20000; ++i) {
        uint32_t id = (i + t) % 2 == 0 ? 1 : 2;
        if (Run(*native, id) != static_cast<int64_t>(id) * 10) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("threads building the same code at once share one cache entry") {
  TempCache cache("threads");
  std::atomic<int> emitted = 0;
  std::atomic<int> wrong = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      BuildRequest request = ConstantRequest({{3, 33}}, &emitted);
      request.identity = {"shared rules"};
      std::string error;
      auto native = Build(request, error);
      if (native == nullptr || Run(*native, 3) != 33) ++wrong;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(emitted >= 1);
  // One entry and no temporary file left behind, whoever renamed last.
  size_t files = 0;
  for (const auto& item : std::filesystem::directory_iterator(cache.path())) {
    ++files;
    CHECK(item.path().extension() == ".edictobj");
  }
  CHECK(files == 1);

  BuildRequest request = ConstantRequest({{3, 33}}, &emitted);
  request.identity = {"shared rules"};
  std::string error;
  auto warm = Build(request, error);
  REQUIRE(warm != nullptr);
  CHECK(warm->stats().cache_hit);
}

}  // namespace
}  // namespace edict::jit
