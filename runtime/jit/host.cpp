// The object cache first: a cached entry's images are placed (image.h) without LLVM; an entry
// without usable images, or no entry at all, goes to the back end (back_end.h), loaded only then.
// A cold build that is cached stores the images of what the back end linked.
#include "runtime/jit/host.h"

#include <algorithm>
#include <chrono>

#include "runtime/jit/image.h"
#include "runtime/jit/object_bundle.h"

namespace edict::jit {
namespace {

using Clock = std::chrono::steady_clock;

int64_t MicrosSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// The engine's part of the key: the code generator's build, LLVM, the host and the opt level.
std::vector<std::string> KeyParts(const BuildRequest& request, OptLevel level) {
  std::vector<std::string> parts = {"edict-native-code", EngineBuildId(), EDICT_LLVM_VERSION, HostIdentity(),
                                    OptLevelName(level)};
  parts.insert(parts.end(), request.identity.begin(), request.identity.end());
  return parts;
}

template <typename Function>
bool PlaceList(const std::vector<std::pair<uint32_t, std::string>>& list, const char* kind,
               const std::function<void*(const std::string&)>& address_of, std::vector<Function>& slots,
               std::string& error) {
  for (const auto& [slot, name] : list) {
    if (slot >= slots.size()) {
      error = std::string("native code for ") + kind + " " + std::to_string(slot) + ", beyond the plan's " +
              std::to_string(slots.size());
      return false;
    }
    void* address = address_of(name);
    if (address == nullptr) {
      error = std::string("no native code for ") + kind + " " + std::to_string(slot) + " (" + name + ")";
      return false;
    }
    slots[slot] = reinterpret_cast<Function>(address);
  }
  return true;
}

// Whether `layout` has the form of an LLVM data layout: specs separated by '-', each a letter
// followed by letters, digits and ':' ("e-m:e-p270:32:32-i64:64-n8:16:32:64-S128"). LLVM's parser,
// which a warm start does not load, checks the rest when the objects are linked.
bool HasDataLayoutForm(std::string_view layout) {
  bool spec_start = true;
  for (char c : layout) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (spec_start ? !letter : !(letter || digit || c == ':' || c == '-')) return false;
    spec_start = c == '-';
  }
  return !layout.empty() && !spec_start;
}

// Whether the entry's objects are a whole bundle and its data layout has the form of one. Placing
// images needs neither, but an entry is used whole or not at all: one that fails either was not
// written by this build, and its images are not trusted (linking its objects reports what is wrong).
bool IsWhole(const LoadedEntry& entry) {
  return HasDataLayoutForm(entry.data_layout) && UnbundleObjects(entry.object).has_value();
}

// Places the cached entry's images, their functions into `code` and their memory into `owner`; on
// failure leaves `code` untouched and returns false with `why` set.
bool PlaceCachedImages(const BuildRequest& request, const LoadedEntry& entry, std::unique_ptr<CodeOwner>& owner,
                       interp::CompiledCode& code, std::string& why) {
  PlacedImages placed;
  if (!PlaceImages(entry.images, request.runtime_symbols, placed, why)) return false;
  interp::CompiledCode placed_code = EmptyCode(request);
  auto address_of = [&](const std::string& name) -> void* {
    auto found = placed.symbols.find(name);
    return found == placed.symbols.end() ? nullptr : found->second;
  };
  if (!PlaceFunctions(entry.symbols, address_of, placed_code, why)) return false;
  owner = std::move(placed.slab);
  code = std::move(placed_code);
  return true;
}

// The back end, loaded if it is not yet, the wait counted in `stats`; null with `error` set.
const BackEnd* BackEndFor(BuildStats& stats, std::string& error) {
  Clock::time_point start = Clock::now();
  const BackEnd* back_end = LoadBackEnd(error);
  stats.back_end_us += MicrosSince(start);
  return back_end;
}

// Places the cached entry's images, or, when it has none or they cannot be placed (`note` says
// why, if the objects link), has the back end link its objects; false with `error` set when
// neither works.
bool LoadCached(const BuildRequest& request, const LoadedEntry& entry, std::unique_ptr<CodeOwner>& owner, interp::CompiledCode& code, BuildStats& stats, std::string& error) {
  std::string why;
  if (!entry.images.empty() && IsWhole(entry) && PlaceCachedImages(request, entry, owner, code, why)) {
    stats.image = true;
    return true;
  }
  const BackEnd* back_end = BackEndFor(stats, error);
  if (back_end == nullptr || !back_end->LinkCached(request, entry, owner, code, error)) return false;
  if (!why.empty()) AddNote(stats.cache_note, "the cached linked images were not placed (" + why + "); the objects were linked");
  return true;
}

}  // namespace

void AddNote(std::string& notes, const std::string& note) {
  if (!notes.empty()) notes += "; ";
  notes += note;
}

interp::CompiledCode EmptyCode(const BuildRequest& request) {
  interp::CompiledCode code;
  code.exprs.assign(request.expr_slots, nullptr);
  code.passes.assign(request.pass_slots, nullptr);
  code.indexes.assign(request.index_slots, nullptr);
  return code;
}

bool PlaceFunctions(const SymbolTable& symbols, const std::function<void*(const std::string& name)>& address_of,
                    interp::CompiledCode& code, std::string& error) {
  return PlaceList(symbols.exprs, "expression", address_of, code.exprs, error) &&
         PlaceList(symbols.passes, "pass", address_of, code.passes, error) &&
         PlaceList(symbols.indexes, "index", address_of, code.indexes, error);
}

NativeCode::NativeCode() = default;
NativeCode::~NativeCode() = default;

std::unique_ptr<NativeCode> Build(const BuildRequest& request, std::string& error) {
  Clock::time_point start = Clock::now();
  auto native = std::make_unique<NativeCode>();
  BuildStats& stats = native->stats_;
  stats.opt_level = request.opt_level;

  std::string directory = request.identity.empty() ? std::string() : CacheDirectory();
  ObjectCache cache(directory);
  std::string key;
  if (!directory.empty()) {
    // The first level in prefer_cached with a usable entry, then opt_level's own.
    std::vector<OptLevel> levels = request.prefer_cached;
    levels.push_back(request.opt_level);
    for (size_t i = 0; i < levels.size(); ++i) {
      bool own_level = i + 1 == levels.size();
      std::string level_key = CacheKey(KeyParts(request, levels[i]));
      if (own_level) key = level_key;
      LoadedEntry entry;
      std::string problem;
      switch (cache.Load(level_key, entry)) {
        case CacheLookup::kHit: {
          Clock::time_point link_start = Clock::now();
          if (LoadCached(request, entry, native->owner_, native->code_, stats, problem)) {
            stats.opt_level = levels[i];
            stats.cache_hit = true;
            stats.link_us = MicrosSince(link_start);
            stats.total_us = MicrosSince(start);
            return native;
          }
          problem = own_level ? "cached object could not be linked (" + problem + "); rebuilt"
                              : std::string("the cached ") + OptLevelName(levels[i]) + " code could not be linked (" +
                                    problem + "), not used";
          break;
        }
        case CacheLookup::kCorrupt:
          problem = own_level ? std::string("cache entry was corrupt; rebuilt")
                              : std::string("the cached ") + OptLevelName(levels[i]) + " code was corrupt, not used";
          break;
        case CacheLookup::kMiss: continue;
      }
      // A rebuild's reason replaces the notes before it; a passed-over level's joins them.
      if (own_level) {
        stats.cache_note = problem;
      } else {
        AddNote(stats.cache_note, problem);
      }
    }
  } else if (!request.identity.empty()) {
    stats.cache_note = "no cache directory ($EDICT_CACHE_DIR, $XDG_CACHE_HOME and $HOME unset)";
  }

  const BackEnd* back_end = BackEndFor(stats, error);
  if (back_end == nullptr) return nullptr;
  GeneratedCode generated;
  if (!back_end->Generate(request, /*record_images=*/!key.empty(), generated, stats, error)) return nullptr;
  stats.codegen = true;
  if (!key.empty()) {
    std::string store_error;
    if (!cache.Store(key, generated.entry, store_error)) stats.cache_note = store_error;
  }
  native->owner_ = std::move(generated.owner);
  native->code_ = std::move(generated.code);
  native->freeing_ = std::move(generated.freeing);
  stats.total_us = MicrosSince(start);
  return native;
}

bool HoldsCachedCode(const BuildRequest& request) {
  std::string directory = request.identity.empty() ? std::string() : CacheDirectory();
  if (directory.empty()) return false;
  ObjectCache cache(directory);
  std::vector<OptLevel> levels = request.prefer_cached;
  levels.push_back(request.opt_level);
  return std::any_of(levels.begin(), levels.end(),
                     [&](OptLevel level) { return cache.Holds(CacheKey(KeyParts(request, level))); });
}

}  // namespace edict::jit
