// $EDICT_CACHE_DIR pointed at a fresh, empty directory while the object lives, for the tests that
// count, corrupt or prefer cache entries; then the variable is put back as it was and the
// directory removed.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "tests/unit/restore_env.h"

namespace edict::testing {

class ScratchCache {
 public:
  explicit ScratchCache(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("edict-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    ::setenv("EDICT_CACHE_DIR", path_.c_str(), 1);
  }
  ~ScratchCache() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchCache(const ScratchCache&) = delete;
  ScratchCache& operator=(const ScratchCache&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The object cache's entries written so far.
  std::vector<std::filesystem::path> Entries() const {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& item : std::filesystem::directory_iterator(path_, ec)) {
      if (item.path().extension() == ".edictobj") out.push_back(item.path());
    }
    return out;
  }

 private:
  RestoreEnv keep_{"EDICT_CACHE_DIR"};
  std::filesystem::path path_;
};

// A scratch cache with $EDICT_JIT_OPT unset while it lives, for the tests of which optimisation
// level auto loads or builds, which that variable would decide instead.
class UnforcedScratchCache : public ScratchCache {
 public:
  explicit UnforcedScratchCache(const std::string& name) : ScratchCache(name) { ::unsetenv("EDICT_JIT_OPT"); }

 private:
  RestoreEnv keep_forced_level_{"EDICT_JIT_OPT"};
};

}  // namespace edict::testing
