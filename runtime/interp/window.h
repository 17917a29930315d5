// Group aggregates over a sliding window of a group's members, kept incrementally: members enter
// at the window's end and leave at its start, so a sweep over n members costs O(n) for count, for
// sums of ints, uints or durations (prefix sums, which entering and leaving do not touch), for
// min/max over values of one kind and for distinct hashable values. Anything else is recomputed
// per window: the same result, more slowly.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "compiler/plan/plan.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

// The group aggregates' arguments of a group's members in window order: member p's argument of
// aggregate a is values[p * stride + a].
struct MemberArgs {
  std::span<const value::Value> values;
  size_t stride = 0;
  const value::Value& at(size_t a, size_t p) const { return values[p * stride + a]; }
};

class WindowAggregates {
 public:
  // `members` is the number of members `args` holds.
  WindowAggregates(const std::vector<plan::GroupAggregate>& aggregates, MemberArgs args, size_t members);

  // The member at `position` enters the window's end / leaves its start.
  void Add(size_t position);
  void Remove(size_t position);
  // Aggregate a over the window of positions [first, last), which must be the members added and
  // not removed.
  value::Value Result(size_t a, size_t first, size_t last) const;

 private:
  enum class Mode : uint8_t {
    kCount,      // the window's size
    kPrefixSum,  // an exact sum: the difference of two prefix sums
    kExtreme,    // min/max: a monotonic queue of positions, kept by Add and Remove
    kDistinct,   // counts of distinct values, kept by Add and Remove
    kRecompute,  // WindowAggregate over the window
  };
  struct State {
    Mode mode = Mode::kRecompute;
    std::vector<__int128> prefix;  // sum: prefix[p] is the sum of the arguments before position p
    // min/max: positions whose values are monotonic, from extreme[extreme_front] on (positions
    // enter in increasing order and leave from the front, so a vector needs no ring).
    std::vector<size_t> extreme;
    size_t extreme_front = 0;
    std::unordered_map<value::Value, size_t, KeyHash, KeyEqual> counts;  // distinct
  };

  // How aggregate `a` can follow the window, from its members' arguments.
  Mode ModeOf(size_t a, size_t members) const;
  void AddExtreme(size_t a, size_t position);

  const std::vector<plan::GroupAggregate>& aggregates_;
  MemberArgs args_;
  std::vector<State> states_;
  std::vector<size_t> tracked_;  // the aggregates Add and Remove keep: kExtreme and kDistinct
};

// Group aggregate `index` computed over the members at positions [first, last), from scratch.
value::Value WindowAggregate(const plan::GroupAggregate& aggregate, size_t index, const MemberArgs& args, size_t first,
                             size_t last);

}  // namespace edict::interp
