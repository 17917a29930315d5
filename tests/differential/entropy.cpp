// Entropy: splitmix64 for seeds; bytes consumed as few at a time as the range needs.
#include "tests/differential/entropy.h"

namespace edict::differential {

Entropy Entropy::FromSeed(uint64_t seed) {
  Entropy entropy;
  entropy.state_ = seed;
  return entropy;
}

Entropy Entropy::FromBytes(std::span<const uint8_t> bytes) {
  Entropy entropy;
  entropy.seeded_ = false;
  entropy.bytes_.assign(bytes.begin(), bytes.end());
  return entropy;
}

uint64_t Entropy::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

size_t Entropy::Below(size_t n) {
  if (n <= 1) return 0;
  if (seeded_) return static_cast<size_t>(Next() % n);
  uint64_t value = 0;
  for (size_t range = 1; range < n && used_ < bytes_.size(); range <<= 8) value = (value << 8) | bytes_[used_++];
  return static_cast<size_t>(value % n);
}

}  // namespace edict::differential
