// A shared library whose constructor waits until it is told to go on. dlopen runs constructors
// holding the dynamic loader's lock, so a test that loads it on one thread holds that lock for as
// long as it likes, and checks what other threads can do meanwhile (value_per_thread_test). The
// file descriptors come from the environment: the constructor writes a byte to say it is running
// and reads one to go on.
#include <unistd.h>

#include <cstdlib>

namespace {

__attribute__((constructor)) void WaitUntilReleased() {
  const char* running = std::getenv("EDICT_TEST_CONSTRUCTOR_RUNNING_FD");
  const char* release = std::getenv("EDICT_TEST_CONSTRUCTOR_RELEASE_FD");
  if (running == nullptr || release == nullptr) return;
  char byte = 1;
  if (write(std::atoi(running), &byte, 1) != 1) return;
  while (read(std::atoi(release), &byte, 1) < 0) {
  }
}

}  // namespace
