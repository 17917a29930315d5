// ScratchDir and ScratchCache.
#include "tests/differential/scratch.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace edict::differential {

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) != nullptr) path_ = buffer.data();
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

ScratchCache::ScratchCache() : dir_("edict-differential-cache") {
  if (const char* value = std::getenv("EDICT_CACHE_DIR")) previous_ = value;
  setenv("EDICT_CACHE_DIR", dir_.path().c_str(), 1);
}

ScratchCache::~ScratchCache() {
  if (previous_) {
    setenv("EDICT_CACHE_DIR", previous_->c_str(), 1);
  } else {
    unsetenv("EDICT_CACHE_DIR");
  }
}

}  // namespace edict::differential
