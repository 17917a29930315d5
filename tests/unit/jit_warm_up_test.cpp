// The back end's warm-up (runtime/jit/warm_up.h): it loads the back end on a thread of its own and
// compiles the sample only while nobody waits for it yet; a build that already waits gets the
// loaded back end without the sample's delay.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "runtime/jit/warm_up.h"

namespace edict::jit {
namespace {

// Counts the warm-ups asked of it; nothing else is called by BackEndWarmUp.
class CountingBackEnd : public BackEnd {
 public:
  bool Generate(const BuildRequest&, bool, GeneratedCode&, BuildStats&, std::string& error) const override {
    error = "not a back end";
    return false;
  }
  bool LinkCached(const BuildRequest&, const LoadedEntry&, std::unique_ptr<CodeOwner>&, interp::CompiledCode&,
                  std::string& error) const override {
    error = "not a back end";
    return false;
  }
  void WarmUp() const override { ++warm_ups; }
  std::string TargetIdentity() const override { return "counting"; }

  mutable std::atomic<int> warm_ups = 0;
};

CountingBackEnd counting;
std::atomic<bool> loads = false;  // the loader returns once this is set
std::atomic<int> loaded = 0;

const BackEnd* LoadWhenAllowed(std::string&) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!loads && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ++loaded;
  return &counting;
}

const BackEnd* LoadNothing(std::string& error) {
  ++loaded;
  error = "no back end here";
  return nullptr;
}

// Counts from zero again; the loader returns at once, or once `loads` is set.
void Reset(bool load_at_once) {
  counting.warm_ups = 0;
  loaded = 0;
  loads = load_at_once;
}

template <typename Done>
bool WaitFor(Done done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST_CASE("a warm-up nobody waits for yet loads the back end and compiles the sample") {
  Reset(/*load_at_once=*/true);
  auto warm_up = std::make_unique<BackEndWarmUp>(LoadWhenAllowed);
  REQUIRE(WaitFor([] { return counting.warm_ups == 1; }));
  warm_up.reset();
  CHECK(loaded == 1);
  CHECK(counting.warm_ups == 1);
}

TEST_CASE("a warm-up the build already waits for loads the back end but skips the sample") {
  Reset(/*load_at_once=*/false);
  auto warm_up = std::make_unique<BackEndWarmUp>(LoadWhenAllowed);
  // The load finishes a second after the build starts waiting (the destructor, below): as when the
  // front end is done before libLLVM.so has loaded.
  std::thread releaser([] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    loads = true;
  });
  warm_up.reset();
  releaser.join();
  CHECK(loaded == 1);
  CHECK(counting.warm_ups == 0);
}

TEST_CASE("a back end that does not load ends the warm-up quietly") {
  Reset(/*load_at_once=*/true);
  { BackEndWarmUp warm_up(LoadNothing); }
  CHECK(loaded == 1);
  CHECK(counting.warm_ups == 0);
}

}  // namespace
}  // namespace edict::jit
