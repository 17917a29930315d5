// The interning table: open addressing with stored hashes, texts in an append-only arena.
#include "runtime/facts/strings.h"

#include "runtime/facts/name_index.h"

#include <cstring>

namespace edict::facts {
namespace {

constexpr size_t kBlockBytes = 256 * 1024;
constexpr size_t kInitialSlots = 1024;

}  // namespace

// Eight bytes per multiply with a strong final mix (the splitmix64 finalizer): session strings are
// mostly short identifiers and class names, where a general-purpose hash spends its time in setup.
// The last word overlaps the one before it rather than being assembled byte by byte.
uint64_t StringPool::Hash(std::string_view text) {
  const char* p = text.data();
  const size_t size = text.size();
  auto load64 = [](const char* at) {
    uint64_t word;
    std::memcpy(&word, at, 8);
    return word;
  };
  auto load32 = [](const char* at) {
    uint32_t word;
    std::memcpy(&word, at, 4);
    return uint64_t{word};
  };
  uint64_t hash = 0x9E3779B97F4A7C15ull ^ size;
  uint64_t last;
  if (size >= 8) {
    for (size_t i = 0; i + 8 < size; i += 8) {
      hash = (hash ^ load64(p + i)) * 0xBF58476D1CE4E5B9ull;
      hash ^= hash >> 29;
    }
    last = load64(p + size - 8);
  } else if (size >= 4) {
    last = load32(p) | load32(p + size - 4) << 32;
  } else if (size > 0) {
    last = uint64_t{static_cast<unsigned char>(p[0])} | uint64_t{static_cast<unsigned char>(p[size / 2])} << 8 |
           uint64_t{static_cast<unsigned char>(p[size - 1])} << 16;
  } else {
    last = 0;
  }
  hash = (hash ^ last) * 0xBF58476D1CE4E5B9ull;
  hash ^= hash >> 31;
  hash *= 0x94D049BB133111EBull;
  return hash ^ (hash >> 32);
}

char* StringPool::Allocate(size_t bytes) {
  if (bytes > left_) {
    // A text larger than a block gets a block of its own, leaving the current block in use.
    if (bytes > kBlockBytes / 4) {
      blocks_.push_back(std::make_unique<char[]>(bytes));
      return blocks_.back().get();
    }
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    cursor_ = blocks_.back().get();
    left_ = kBlockBytes;
  }
  char* out = cursor_;
  cursor_ += bytes;
  left_ -= bytes;
  return out;
}

void StringPool::Grow() {
  size_t capacity = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (uint32_t id = 0; id < texts_.size(); ++id) {
    uint64_t slot = hashes_[id] & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = id + 1;
  }
}

std::optional<uint32_t> StringPool::Find(std::string_view text) const {
  if (slots_.empty()) return std::nullopt;
  uint64_t hash = Hash(text);
  for (uint64_t slot = hash & mask_;; slot = (slot + 1) & mask_) {
    uint32_t entry = slots_[slot];
    if (entry == 0) return std::nullopt;
    if (hashes_[entry - 1] == hash && SameText(texts_[entry - 1], text)) return entry - 1;
  }
}

uint32_t StringPool::Intern(std::string_view text) {
  if ((texts_.size() + 1) * 2 > slots_.size()) Grow();
  uint64_t hash = Hash(text);
  uint64_t slot = hash & mask_;
  for (;; slot = (slot + 1) & mask_) {
    uint32_t entry = slots_[slot];
    if (entry == 0) break;
    if (hashes_[entry - 1] == hash && SameText(texts_[entry - 1], text)) return entry - 1;
  }
  char* copy = text.empty() ? nullptr : Allocate(text.size());
  if (copy) std::memcpy(copy, text.data(), text.size());
  uint32_t id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(copy, text.size());
  hashes_.push_back(hash);
  slots_[slot] = id + 1;
  return id;
}

}  // namespace edict::facts
