// Bundling object files (object_bundle.h).
#include "runtime/jit/object_bundle.h"

#include <cstdint>
#include <cstring>

namespace edict::jit {
namespace {

void AppendSize(std::string& out, uint64_t size) { out.append(reinterpret_cast<const char*>(&size), sizeof(size)); }

bool ReadSize(std::string_view& in, uint64_t& size) {
  if (in.size() < sizeof(size)) return false;
  std::memcpy(&size, in.data(), sizeof(size));
  in.remove_prefix(sizeof(size));
  return true;
}

// Zeros after `offset` bytes of a bundle, up to where the next object starts.
size_t PaddingAfter(size_t offset) { return (kObjectAlignment - offset % kObjectAlignment) % kObjectAlignment; }

}  // namespace

std::string BundleObjects(const std::vector<std::string>& objects) {
  std::string out;
  AppendSize(out, objects.size());
  for (const std::string& object : objects) {
    AppendSize(out, object.size());
    out.append(PaddingAfter(out.size()), '\0');
    out += object;
  }
  return out;
}

std::optional<std::vector<std::string_view>> UnbundleObjects(std::string_view bundle) {
  std::string_view rest = bundle;
  uint64_t count = 0;
  if (!ReadSize(rest, count) || count > rest.size()) return std::nullopt;
  std::vector<std::string_view> objects;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t size = 0;
    if (!ReadSize(rest, size)) return std::nullopt;
    size_t padding = PaddingAfter(bundle.size() - rest.size());
    if (padding > rest.size()) return std::nullopt;
    rest.remove_prefix(padding);
    if (size > rest.size()) return std::nullopt;
    objects.push_back(rest.substr(0, size));
    rest.remove_prefix(size);
  }
  if (!rest.empty()) return std::nullopt;
  return objects;
}

}  // namespace edict::jit
