// The interning table: open addressing over full hashes and arena records, texts in an append-only arena.
#include "runtime/facts/strings.h"

#include "runtime/facts/name_index.h"

#include <algorithm>
#include <cstring>

namespace edict::facts {
namespace {

constexpr size_t kFirstBlockBytes = 64 * 1024;
constexpr size_t kMaxBlockBytes = size_t{4} << 20;
// A text of more than this gets a block of its own.
constexpr size_t kLargeText = 16 * 1024;
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
    // A large text leaves the current block in use.
    if (bytes > kLargeText) return blocks_.emplace_back(bytes).data();
    block_bytes_ = block_bytes_ == 0 ? kFirstBlockBytes : std::min(block_bytes_ * 2, kMaxBlockBytes);
    cursor_ = blocks_.emplace_back(block_bytes_).data();
    left_ = block_bytes_;
  }
  char* out = cursor_;
  cursor_ += bytes;
  left_ -= bytes;
  return out;
}

bool StringPool::Matches(const char* record, std::string_view text) {
  uint32_t size;
  std::memcpy(&size, record, 4);
  return size == text.size() && value::EqualText(std::string_view(record + kRecordHeader, size), text);
}

uint32_t StringPool::RecordId(const char* record) {
  uint32_t id;
  std::memcpy(&id, record + 4, 4);
  return id;
}

void StringPool::Grow() {
  SlotTable old = std::move(slots_);
  slots_ = SlotTable(old.capacity() == 0 ? kInitialSlots : old.capacity() * 2);
  const uint64_t mask = slots_.mask();
  for (size_t i = 0; i < old.capacity(); ++i) {
    const Slot& entry = old[i];
    if (!entry.record) continue;
    uint64_t slot = entry.hash & mask;
    while (slots_[slot].record) slot = (slot + 1) & mask;
    slots_[slot] = entry;
  }
}

std::optional<uint32_t> StringPool::Find(std::string_view text) const {
  if (slots_.capacity() == 0) return std::nullopt;
  uint64_t hash = Hash(text);
  const uint64_t mask = slots_.mask();
  for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& entry = slots_[slot];
    if (!entry.record) return std::nullopt;
    if (entry.hash == hash && Matches(entry.record, text)) return RecordId(entry.record);
  }
}

uint32_t StringPool::Intern(std::string_view text, uint64_t hash) {
  if ((texts_.size() + 1) * 2 > slots_.capacity()) Grow();
  const uint64_t mask = slots_.mask();
  uint64_t slot = hash & mask;
  for (;; slot = (slot + 1) & mask) {
    const Slot& entry = slots_[slot];
    if (!entry.record) break;
    if (entry.hash == hash && Matches(entry.record, text)) return RecordId(entry.record);
  }
  uint32_t id = static_cast<uint32_t>(texts_.size());
  uint32_t size = static_cast<uint32_t>(text.size());
  char* record = Allocate(kRecordHeader + text.size());
  std::memcpy(record, &size, 4);
  std::memcpy(record + 4, &id, 4);
  if (!text.empty()) std::memcpy(record + kRecordHeader, text.data(), text.size());
  texts_.push_back(std::string_view(record + kRecordHeader, text.size()));
  slots_[slot] = Slot{hash, record};
  return id;
}

}  // namespace edict::facts
