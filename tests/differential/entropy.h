// The generator's source of choices: a seeded pseudo-random stream (the ctest), or a byte string
// (libFuzzer), which reads as zeros once used up so that every choice still terminates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace edict::differential {

class Entropy {
 public:
  static Entropy FromSeed(uint64_t seed);
  static Entropy FromBytes(std::span<const uint8_t> bytes);

  // A number in [0, n); 0 for n <= 1. Choice 0 is always the simplest, so exhausted bytes
  // drive the generator to leaves.
  size_t Below(size_t n);
  bool Chance(unsigned percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t Next();

  bool seeded_ = true;
  uint64_t state_ = 0;
  std::vector<uint8_t> bytes_;
  size_t used_ = 0;
};

}  // namespace edict::differential
