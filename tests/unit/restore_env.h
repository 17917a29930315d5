// Puts an environment variable back as it was (set to its value, or unset) when the guard goes out
// of scope, however the test changed it meanwhile: ctest gives every test $EDICT_CACHE_DIR (the
// build's cache directory, tests/CMakeLists.txt), and a test that points it elsewhere must not
// leave the tests after it writing to ~/.cache.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace edict::testing {

class RestoreEnv {
 public:
  explicit RestoreEnv(const char* name) : name_(name) {
    if (const char* value = std::getenv(name)) previous_ = value;
  }
  ~RestoreEnv() {
    if (previous_) {
      ::setenv(name_.c_str(), previous_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  RestoreEnv(const RestoreEnv&) = delete;
  RestoreEnv& operator=(const RestoreEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace edict::testing
