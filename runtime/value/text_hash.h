// The hash and equality of string keys: inline and word at a time, as map lookups by string key
// (field selects, `in`, indexing a constant table) hash and compare short strings on every call.
// Only hash tables of this process use the hash, none of which decides an output order.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace edict::value {
namespace internal {

inline uint64_t FoldMultiply(uint64_t a, uint64_t b) {
  unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

inline uint64_t HashText(std::string_view text) {
  constexpr uint64_t kSeed = 0xa0761d6478bd642fULL;
  constexpr uint64_t kStep = 0xe7037ed1a0b428dbULL;
  const char* p = text.data();
  size_t n = text.size();
  uint64_t h = kSeed ^ n;
  while (n > 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = FoldMultiply(h ^ word, kStep);
    p += 8;
    n -= 8;
  }
  // The last 1 to 8 bytes: two overlapping 4-byte reads, or three single bytes below 4.
  uint64_t tail = 0;
  if (n >= 4) {
    uint32_t first, last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    tail = (uint64_t{first} << 32) | last;
  } else if (n > 0) {
    tail = (uint64_t{static_cast<unsigned char>(p[0])} << 16) | (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
           static_cast<unsigned char>(p[n - 1]);
  }
  return FoldMultiply(h ^ tail ^ (uint64_t{n} << 56), kStep ^ kSeed);
}

}  // namespace internal

// Equal bytes: the same address (a plan constant is often the very key) or the same contents,
// texts up to 32 bytes compared by word loads (the last word overlapping the one before it)
// instead of a call to memcmp. The loader's name and string-pool lookups use it too.
inline bool EqualText(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (x == y) return true;
  if (n > 32) return std::memcmp(x, y, n) == 0;
  auto differ64 = [&](size_t at) {
    uint64_t u, v;
    std::memcpy(&u, x + at, 8);
    std::memcpy(&v, y + at, 8);
    return u != v;
  };
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (differ64(i)) return false;
    }
    return !differ64(n - 8);
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, x, 4);
    std::memcpy(&y0, y, 4);
    std::memcpy(&x1, x + n - 4, 4);
    std::memcpy(&y1, y + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

}  // namespace edict::value
