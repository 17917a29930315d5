// The object files of one build as one string (a cache entry holds one): a build compiled in parts
// has one object file per part. Their count, then each with its size, each starting at a multiple
// of kObjectAlignment from the bundle's start, so that a bundle that is itself so aligned in memory
// can be parsed, and handed to the linker, in place.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edict::jit {

inline constexpr size_t kObjectAlignment = 16;

std::string BundleObjects(const std::vector<std::string>& objects);

// The object files of a bundle, viewing `bundle`; nullopt when it is not exactly one bundle.
std::optional<std::vector<std::string_view>> UnbundleObjects(std::string_view bundle);

}  // namespace edict::jit
