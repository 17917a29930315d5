// PerThread (runtime/value/per_thread.h): one object per thread, destroyed when its thread exits,
// and made without waiting for a dlopen that runs on another thread, which a thread_local object
// with a destructor does wait for (glibc registers its destructor under the loader's lock).
#include <doctest/doctest.h>
#include <dlfcn.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "runtime/value/per_thread.h"
#include "tests/unit/restore_env.h"

namespace edict::value {
namespace {

using namespace std::chrono_literals;

std::atomic<int> destroyed{0};

struct Counted {
  int value = 0;
  ~Counted() { ++destroyed; }
};

TEST_CASE("each thread has its own object, destroyed when the thread exits") {
  destroyed = 0;
  Counted* here = &PerThread<Counted, Counted>::Get();
  here->value = 1;
  Counted* there = nullptr;
  int seen = -1;
  std::thread([&] {
    there = &PerThread<Counted, Counted>::Get();
    seen = there->value;
    there->value = 2;
    CHECK(&PerThread<Counted, Counted>::Get() == there);
  }).join();
  CHECK(there != here);
  CHECK(seen == 0);
  CHECK(here->value == 1);
  CHECK(destroyed == 1);  // the other thread's; this one's lives on
  CHECK(&PerThread<struct OtherTag, Counted>::Get() != here);
}

// The first use of T in a thread made before the load, done while another thread's dlopen runs a
// constructor that waits: whether it finished within `wait`.
template <typename Use>
bool FinishesDuringLoad(Use use, std::chrono::milliseconds wait) {
  int running[2];
  int release[2];
  REQUIRE(pipe(running) == 0);
  REQUIRE(pipe(release) == 0);
  testing::RestoreEnv keep_running("EDICT_TEST_CONSTRUCTOR_RUNNING_FD");
  testing::RestoreEnv keep_release("EDICT_TEST_CONSTRUCTOR_RELEASE_FD");
  setenv("EDICT_TEST_CONSTRUCTOR_RUNNING_FD", std::to_string(running[1]).c_str(), 1);
  setenv("EDICT_TEST_CONSTRUCTOR_RELEASE_FD", std::to_string(release[0]).c_str(), 1);
  // Both threads exist before the load starts: creating a thread waits for a load too.
  std::promise<void> go;
  std::atomic<bool> finished{false};
  std::thread user([&, started = go.get_future()]() mutable {
    started.wait();
    use();
    finished = true;
  });
  void* handle = nullptr;
  std::thread loader([&] { handle = dlopen(EDICT_SLOW_CONSTRUCTOR_MODULE, RTLD_NOW | RTLD_LOCAL); });
  char byte = 0;
  pollfd constructor_running{running[0], POLLIN, 0};
  bool held = poll(&constructor_running, 1, 10'000) == 1 && read(running[0], &byte, 1) == 1;
  // No doctest assertion until the release: doctest keeps thread_local state too.
  go.set_value();
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (!finished && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  bool during = held && finished;
  REQUIRE(write(release[1], &byte, 1) == 1);
  loader.join();
  user.join();
  CHECK_MESSAGE(held, "the constructor did not run: the module was not loaded afresh");
  REQUIRE(handle != nullptr);
  dlclose(handle);  // unloaded, so that the next dlopen runs the constructor again
  for (int fd : {running[0], running[1], release[0], release[1]}) close(fd);
  return during;
}

TEST_CASE("a first use does not wait for a dlopen on another thread; a thread_local object's does") {
  CHECK(FinishesDuringLoad([] { PerThread<struct DuringLoad, std::string>::Get() = "made"; }, 5s));
  // The hazard PerThread avoids, so that this test shows the lock was really held.
  CHECK_FALSE(FinishesDuringLoad(
      [] {
        thread_local std::string text;
        text = "made";
      },
      300ms));
}

}  // namespace
}  // namespace edict::value
