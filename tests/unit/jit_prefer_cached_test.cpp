// BuildRequest::prefer_cached: the cached code of a preferred level is linked instead of building at
// the requested one; a preferred level that is not cached costs only a lookup; a preferred entry
// that is corrupt or does not link is passed over with a note, left as it is, and never built.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/jit/cache.h"
#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::ReadAll;
using testing::Run;
using testing::TempCache;

const std::vector<std::string> kIdentity = {"pack sha", "baseline"};

std::unique_ptr<NativeCode> MustBuild(OptLevel level, std::vector<OptLevel> prefer_cached, std::atomic<int>& emitted) {
  BuildRequest request = ConstantRequest({{2, 7}}, &emitted);
  request.identity = kIdentity;
  request.opt_level = level;
  request.prefer_cached = std::move(prefer_cached);
  std::string error;
  auto native = Build(request, error);
  REQUIRE_MESSAGE(native != nullptr, error);
  return native;
}

// Rewrites the entry at `path` (named by its key) as a whole, valid entry whose object files are
// not a bundle: it decodes, but cannot be linked.
void MakeUnlinkable(const std::filesystem::path& path) {
  std::string key = path.stem().string();
  CacheEntry entry;
  REQUIRE(DecodeEntry(ReadAll(path), key, entry) == CacheLookup::kHit);
  entry.object = "not an object bundle";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << EncodeEntry(key, entry);
}

TEST_CASE("the cached code of a preferred level is linked instead of building") {
  TempCache cache("prefer-hit");
  std::atomic<int> emitted = 0;
  MustBuild(OptLevel::kO1, {}, emitted);
  auto native = MustBuild(OptLevel::kO0, {OptLevel::kO2, OptLevel::kO1}, emitted);
  CHECK(emitted == 1);
  CHECK(native->stats().cache_hit);
  CHECK(native->stats().opt_level == OptLevel::kO1);
  CHECK(native->stats().cache_note.empty());
  CHECK(Run(*native, 2) == 7);
  CHECK(cache.Entries().size() == 1);
}

TEST_CASE("preferred levels that are not cached cost a lookup, and the requested level is built") {
  TempCache cache("prefer-miss");
  std::atomic<int> emitted = 0;
  auto native = MustBuild(OptLevel::kO0, {OptLevel::kO2, OptLevel::kO1}, emitted);
  CHECK(emitted == 1);
  CHECK_FALSE(native->stats().cache_hit);
  CHECK(native->stats().opt_level == OptLevel::kO0);
  CHECK(native->stats().cache_note.empty());
  CHECK(cache.Entries().size() == 1);
  CHECK(MustBuild(OptLevel::kO0, {OptLevel::kO2, OptLevel::kO1}, emitted)->stats().opt_level == OptLevel::kO0);
  CHECK(emitted == 1);
}

TEST_CASE("a preferred entry that is corrupt or does not link is passed over and left alone") {
  TempCache cache("prefer-broken");
  std::atomic<int> emitted = 0;
  MustBuild(OptLevel::kO2, {}, emitted);
  REQUIRE(cache.Entries().size() == 1);
  std::filesystem::path optimized = cache.Entries()[0];

  MakeUnlinkable(optimized);
  std::string unlinkable = ReadAll(optimized);
  auto native = MustBuild(OptLevel::kO0, {OptLevel::kO2}, emitted);
  CHECK(native->stats().opt_level == OptLevel::kO0);
  CHECK_FALSE(native->stats().cache_hit);
  CHECK(native->stats().cache_note ==
        "the cached O2 code could not be linked (the object files are not a whole bundle), not used");
  CHECK(Run(*native, 2) == 7);
  CHECK(ReadAll(optimized) == unlinkable);

  std::ofstream(optimized, std::ios::binary | std::ios::trunc) << "garbage";
  auto warm = MustBuild(OptLevel::kO0, {OptLevel::kO2}, emitted);
  CHECK(warm->stats().cache_hit);
  CHECK(warm->stats().opt_level == OptLevel::kO0);
  CHECK(warm->stats().cache_note == "the cached O2 code was corrupt, not used");
  CHECK(ReadAll(optimized) == "garbage");
  CHECK(emitted == 2);
}

}  // namespace
}  // namespace edict::jit
