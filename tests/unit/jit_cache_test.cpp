// The object cache: a warm start loads the cached code without running the code generator; the
// key separates what must not share code; corrupt entries are rebuilt; the file format rejects
// every truncation; a loaded entry's objects are aligned for the linker; a cached data layout must
// parse.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>

#include "runtime/jit/object_bundle.h"
#include "tests/unit/jit_helpers.h"
#include "tests/unit/restore_env.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::ReadAll;
using testing::RewriteEntry;
using testing::Run;
using testing::TempCache;

std::unique_ptr<NativeCode> BuildWith(std::vector<std::string> identity, int64_t answer, std::atomic<int>& emitted,
                                      OptLevel level = OptLevel::kO2) {
  BuildRequest request = ConstantRequest({{2, answer}}, &emitted);
  request.identity = std::move(identity);
  request.opt_level = level;
  std::string error;
  auto native = Build(request, error);
  REQUIRE_MESSAGE(native != nullptr, error);
  return native;
}

void WriteAll(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST_CASE("cold then warm: the warm start skips code generation") {
  TempCache cache("warm");
  std::atomic<int> emitted = 0;
  auto cold = BuildWith({"pack sha", "baseline"}, 42, emitted);
  CHECK(cold->stats().codegen);
  CHECK_FALSE(cold->stats().cache_hit);
  CHECK(cache.Entries().size() == 1);

  auto warm = BuildWith({"pack sha", "baseline"}, 42, emitted);
  CHECK(emitted == 1);
  CHECK(warm->stats().cache_hit);
  CHECK_FALSE(warm->stats().codegen);
  CHECK(Run(*warm, 2) == 42);
}

TEST_CASE("the key covers the caller's identity and the optimisation level") {
  TempCache cache("key");
  std::atomic<int> emitted = 0;
  BuildWith({"pack sha", "baseline", "window=48h"}, 1, emitted);
  auto other_param = BuildWith({"pack sha", "baseline", "window=24h"}, 2, emitted);
  auto other_profile = BuildWith({"pack sha", "strict", "window=48h"}, 3, emitted);
  auto other_level = BuildWith({"pack sha", "baseline", "window=48h"}, 4, emitted, OptLevel::kO0);
  CHECK(emitted == 4);
  CHECK(Run(*other_param, 2) == 2);
  CHECK(Run(*other_profile, 2) == 3);
  CHECK(Run(*other_level, 2) == 4);
  CHECK(cache.Entries().size() == 4);
  // Parts are length-prefixed: moving a boundary changes the key.
  CHECK(CacheKey({"ab", "c"}) != CacheKey({"a", "bc"}));
}

TEST_CASE("without an identity nothing is cached") {
  TempCache cache("none");
  std::atomic<int> emitted = 0;
  BuildWith({}, 1, emitted);
  BuildWith({}, 1, emitted);
  CHECK(emitted == 2);
  CHECK(cache.Entries().empty());
}

TEST_CASE("a corrupt entry is detected and rebuilt") {
  TempCache cache("corrupt");
  std::atomic<int> emitted = 0;
  BuildWith({"rules"}, 7, emitted);
  REQUIRE(cache.Entries().size() == 1);
  std::filesystem::path entry = cache.Entries()[0];
  std::string good = ReadAll(entry);

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x5a;
  for (const std::string& damaged : {good.substr(0, good.size() / 2), flipped, std::string("garbage"), std::string()}) {
    WriteAll(entry, damaged);
    auto rebuilt = BuildWith({"rules"}, 7, emitted);
    CHECK(rebuilt->stats().codegen);
    CHECK(rebuilt->stats().cache_note.find("corrupt") != std::string::npos);
    CHECK(Run(*rebuilt, 2) == 7);
    CHECK(ReadAll(entry) == good);  // rewritten whole
  }
  auto warm = BuildWith({"rules"}, 7, emitted);
  CHECK(warm->stats().cache_hit);
}

TEST_CASE("a loaded entry's object files are aligned, so the linker parses them in place") {
  TempCache cache("aligned");
  std::atomic<int> emitted = 0;
  BuildRequest request = ConstantRequest({{2, 42}, {3, 43}}, &emitted);
  request.identity = {"rules"};
  request.parts = 2;
  std::string error;
  REQUIRE_MESSAGE(Build(request, error) != nullptr, error);
  REQUIRE(cache.Entries().size() == 1);
  LoadedEntry entry;
  REQUIRE(ObjectCache(cache.path().string()).Load(cache.Entries()[0].stem().string(), entry) == CacheLookup::kHit);
  auto objects = UnbundleObjects(entry.object);
  REQUIRE(objects.has_value());
  CHECK(objects->size() == 2);
  for (std::string_view object : *objects) {
    CHECK(reinterpret_cast<uintptr_t>(object.data()) % kObjectAlignment == 0);
    CHECK(object.substr(0, 4) == "\x7f" "ELF");
  }
}

TEST_CASE("a cached data layout that LLVM cannot parse makes an entry that does not link: rebuilt") {
  TempCache cache("layout");
  std::atomic<int> emitted = 0;
  BuildWith({"rules"}, 7, emitted);
  REQUIRE(cache.Entries().size() == 1);
  REQUIRE(RewriteEntry(cache.Entries()[0], [](CacheEntry& entry) {
    CHECK_FALSE(entry.data_layout.empty());
    entry.data_layout = "not a data layout";
  }));
  auto rebuilt = BuildWith({"rules"}, 7, emitted);
  CHECK(rebuilt->stats().codegen);
  CHECK(rebuilt->stats().cache_note.find("data layout") != std::string::npos);
  CHECK(Run(*rebuilt, 2) == 7);
  CHECK(BuildWith({"rules"}, 7, emitted)->stats().cache_hit);
}

TEST_CASE("an entry decodes only whole and only under its own key") {
  CacheEntry entry;
  entry.symbols.exprs = {{1, "edict_expr_1"}, {9, "edict_expr_9"}};
  entry.symbols.passes = {{0, "edict_pass_0"}};
  entry.symbols.indexes = {{3, "edict_index_3"}};
  entry.data_layout = "e-m:e-i64:64-n8:16:32:64-S128";
  entry.object = std::string("\x7f" "ELF\0\1", 6);
  std::string key = CacheKey({"k"});
  std::string bytes = EncodeEntry(key, entry);

  CacheEntry decoded;
  REQUIRE(DecodeEntry(bytes, key, decoded) == CacheLookup::kHit);
  CHECK(decoded.symbols.exprs == entry.symbols.exprs);
  CHECK(decoded.symbols.passes == entry.symbols.passes);
  CHECK(decoded.symbols.indexes == entry.symbols.indexes);
  CHECK(decoded.data_layout == entry.data_layout);
  CHECK(decoded.object == entry.object);

  CHECK(DecodeEntry(bytes, CacheKey({"other"}), decoded) == CacheLookup::kCorrupt);
  for (size_t size = 0; size < bytes.size(); ++size) {
    CHECK(DecodeEntry(std::string_view(bytes).substr(0, size), key, decoded) == CacheLookup::kCorrupt);
  }
  CHECK(DecodeEntry(bytes + "x", key, decoded) == CacheLookup::kCorrupt);
}

TEST_CASE("the cache directory follows EDICT_CACHE_DIR, then XDG_CACHE_HOME, then HOME") {
  edict::testing::RestoreEnv keep_cache_dir("EDICT_CACHE_DIR"), keep_xdg("XDG_CACHE_HOME"), keep_home("HOME");
  ::setenv("EDICT_CACHE_DIR", "/tmp/explicit", 1);
  ::setenv("XDG_CACHE_HOME", "/tmp/xdg", 1);
  CHECK(CacheDirectory() == "/tmp/explicit");
  ::unsetenv("EDICT_CACHE_DIR");
  CHECK(CacheDirectory() == "/tmp/xdg/edict");
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/tmp/home", 1);
  CHECK(CacheDirectory() == "/tmp/home/.cache/edict");
}

TEST_CASE("an unwritable cache directory only costs the cache") {
  edict::testing::RestoreEnv keep("EDICT_CACHE_DIR");
  ::setenv("EDICT_CACHE_DIR", "/proc/edict-cannot-be-here", 1);
  std::atomic<int> emitted = 0;
  auto native = BuildWith({"rules"}, 5, emitted);
  CHECK(Run(*native, 2) == 5);
  CHECK(native->stats().cache_note.find("cannot") != std::string::npos);
}

}  // namespace
}  // namespace edict::jit
