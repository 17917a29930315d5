// Linked images (runtime/jit/image.h): a cold build caches them, a warm start places them instead
// of linking the objects, with the same results; an image that is corrupt, names a symbol that is
// nowhere or cannot reach one falls back to linking the objects, and says so.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <functional>

#include "runtime/jit/image.h"
#include "tests/unit/jit_helpers.h"

namespace edict::jit {
namespace {

using testing::ConstantRequest;
using testing::RewriteEntry;
using testing::Run;
using testing::TempCache;

const std::vector<std::pair<uint32_t, int64_t>> kAnswers = {{2, 42}, {3, 43}, {5, 45}, {7, 47}};

// Built in `parts` parts, so that the images refer to each other's symbols as well as the helper's.
std::unique_ptr<NativeCode> BuildParts(uint32_t parts) {
  BuildRequest request = ConstantRequest(kAnswers, nullptr);
  request.identity = {"image rules"};
  request.parts = parts;
  std::string error;
  auto native = Build(request, error);
  REQUIRE_MESSAGE(native != nullptr, error);
  return native;
}

void CheckAnswers(const NativeCode& native) {
  for (const auto& [id, answer] : kAnswers) CHECK(Run(native, id) == answer);
}

// Rewrites the cache's only entry with its images changed by `change`.
template <typename Change>
void ChangeImages(const TempCache& cache, Change change) {
  REQUIRE(cache.Entries().size() == 1);
  REQUIRE(RewriteEntry(cache.Entries()[0], [&](CacheEntry& entry) {
    REQUIRE_FALSE(entry.images.empty());
    change(entry.images);
  }));
}

TEST_CASE("a warm start places the cached images: no linking, the same results") {
  for (uint32_t parts : {1u, 2u, 6u}) {  // 6: more parts than functions, some without any
    CAPTURE(parts);
    TempCache cache("image-warm");
    auto cold = BuildParts(parts);
    CHECK(cold->stats().codegen);
    CHECK_FALSE(cold->stats().image);
    CHECK(cold->stats().cache_note.empty());
    CheckAnswers(*cold);

    auto warm = BuildParts(parts);
    CHECK(warm->stats().cache_hit);
    CHECK(warm->stats().image);
    CHECK(warm->stats().cache_note.empty());
    CheckAnswers(*warm);
    cold.reset();  // the placed code is its own: it outlives the cold build's LLJIT
    CheckAnswers(*warm);
  }
}

TEST_CASE("corrupt images fall back to linking the objects") {
  auto truncate = [](std::string& images) { images.resize(images.size() / 2); };
  auto garbage = [](std::string& images) { images = "garbage"; };
  auto other_page_size = [](std::string& images) { images[1] ^= 0x01; };  // the first field
  for (auto corrupt : std::vector<std::function<void(std::string&)>>{truncate, garbage, other_page_size}) {
    TempCache cache("image-corrupt");
    BuildParts(2);
    ChangeImages(cache, corrupt);
    auto warm = BuildParts(2);
    CHECK(warm->stats().cache_hit);
    CHECK_FALSE(warm->stats().image);
    CHECK(warm->stats().cache_note.find("images were not placed (the linked images are corrupt)") !=
          std::string::npos);
    CheckAnswers(*warm);
  }
}

TEST_CASE("an image naming a symbol that is nowhere falls back to linking the objects") {
  TempCache cache("image-unknown");
  BuildParts(2);
  ChangeImages(cache, [](std::string& images) {
    size_t at = images.find("edict_test_store_int");
    REQUIRE(at != std::string::npos);
    images[at + 6] = 'X';  // "edict_Xest_store_int", which no one defines
  });
  auto warm = BuildParts(2);
  CHECK(warm->stats().cache_hit);
  CHECK_FALSE(warm->stats().image);
  CHECK(warm->stats().cache_note.find("no symbol edict_Xest_store_int") != std::string::npos);
  CheckAnswers(*warm);
}

TEST_CASE("an image whose helper is out of a field's reach falls back to linking the objects") {
  // A helper above 4 GiB (a position-independent test binary) does not fit a 32-bit absolute field.
  BuildRequest request = ConstantRequest(kAnswers, nullptr);
  if (reinterpret_cast<uintptr_t>(request.runtime_symbols.at(0).second) <= UINT32_MAX) return;
  TempCache cache("image-reach");
  BuildParts(2);
  ChangeImages(cache, [](std::string& images) {
    // A rebind is its offset, addend and kind, then its name's size and name.
    size_t at = images.find("edict_test_store_int");
    REQUIRE(at != std::string::npos);
    uint64_t kind = static_cast<uint64_t>(Fixup::kPointer32);
    std::memcpy(images.data() + at - 2 * sizeof(uint64_t), &kind, sizeof(kind));
  });
  auto warm = BuildParts(2);
  CHECK(warm->stats().cache_hit);
  CHECK_FALSE(warm->stats().image);
  CHECK(warm->stats().cache_note.find("edict_test_store_int is out of reach of a Pointer32 field") !=
        std::string::npos);
  CheckAnswers(*warm);
}

}  // namespace
}  // namespace edict::jit
