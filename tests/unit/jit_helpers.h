// A tiny hand-built module for the JIT host's tests, so the host is tested apart from the code
// generator: each function stores a constant int through a runtime helper, the way generated
// code assigns its result through `edict_rt_*` helpers.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "runtime/jit/host.h"
#include "runtime/value/value.h"
#include "tests/unit/scratch_cache.h"

namespace edict::jit::testing {

// Functions `edict_expr_<id>` that set `*out` to `answer`; `emitted` counts the emitter's runs.
// Built in parts, part i of n defines every n-th function from the i-th on.
BuildRequest ConstantRequest(std::vector<std::pair<uint32_t, int64_t>> answers, std::atomic<int>* emitted);

// Runs expression `id` of `native` and returns its int result (or -1 when it set no int).
inline int64_t Run(const NativeCode& native, uint32_t id) {
  value::Value out;
  native.code().exprs.at(id)(nullptr, nullptr, &out);
  return out.is_int() ? out.int_value() : -1;
}

// The bytes of a file (a cache entry), empty when it cannot be read.
inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Rewrites the object cache entry at `path` as `change` (called with its decoded CacheEntry)
// leaves it, checksum and all; false when the file is not a whole entry.
template <typename Change>
bool RewriteEntry(const std::filesystem::path& path, Change change) {
  std::string key = path.stem().string();
  CacheEntry entry;
  if (DecodeEntry(ReadAll(path), key, entry) != CacheLookup::kHit) return false;
  change(entry);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << EncodeEntry(key, entry);
  return true;
}

// A fresh cache directory, set as $EDICT_CACHE_DIR while the object lives.
using TempCache = edict::testing::ScratchCache;

}  // namespace edict::jit::testing
