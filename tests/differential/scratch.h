// Temporary directories for the differential tests: generated packs are written to one, and the
// JIT's object cache is pointed at another so that every run compiles cold and leaves nothing.
#pragma once

#include <optional>
#include <string>

namespace edict::differential {

// A fresh directory under the system's temporary directory, removed with its contents.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// EDICT_CACHE_DIR set to a scratch directory for the object's lifetime.
class ScratchCache {
 public:
  ScratchCache();
  ~ScratchCache();

 private:
  ScratchDir dir_;
  std::optional<std::string> previous_;
};

}  // namespace edict::differential
