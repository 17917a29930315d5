// Group aggregates over a sliding window of a group's members, kept incrementally: members enter
// at the window's end and leave at its start, so a sweep over n members costs O(n) for count, for
// sums of ints, uints or durations, for min/max over values of one kind and for distinct
// hashable values. Anything else is recomputed per window: the same result, more slowly.
#pragma once

#include <deque>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "compiler/plan/plan.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

class WindowAggregates {
 public:
  // `arg(a, m)`: aggregate a's argument for match m; `members` are match indices in window order.
  using Arg = std::function<const value::Value&(size_t, size_t)>;
  WindowAggregates(const std::vector<plan::GroupAggregate>& aggregates, std::span<const size_t> members, Arg arg);

  // The member at `position` (of `members`) enters the window's end / leaves its start.
  void Add(size_t position);
  void Remove(size_t position);
  // Aggregate a over the window of positions [first, last), which must be the members added and
  // not removed.
  value::Value Result(size_t a, size_t first, size_t last) const;

 private:
  struct State {
    bool incremental = false;
    __int128 total = 0;          // sum
    std::deque<size_t> extreme;  // min/max: positions whose values are monotonic
    std::unordered_map<value::Value, size_t, KeyHash, KeyEqual> counts;  // distinct
  };
  const value::Value& At(size_t a, size_t position) const { return arg_(a, members_[position]); }

  const std::vector<plan::GroupAggregate>& aggregates_;
  std::span<const size_t> members_;
  Arg arg_;
  std::vector<State> states_;
};

// One group aggregate computed over a window's members (match indices), from scratch.
value::Value WindowAggregate(const plan::GroupAggregate& aggregate, size_t index, std::span<const size_t> members,
                             const WindowAggregates::Arg& arg);

}  // namespace edict::interp
