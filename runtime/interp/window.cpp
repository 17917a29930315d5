// Sliding-window group aggregates: incremental where the values allow, recomputed otherwise.
#include "runtime/interp/window.h"

#include <algorithm>

#include "runtime/value/dispatch.h"
#include "runtime/value/errors.h"

namespace edict::interp {

using plan::GroupAggregateKind;
using value::Value;

namespace {

// An int, uint or duration as the integer an exact sum adds.
__int128 SumPart(const Value& v) {
  return v.is_int() ? v.int_value() : v.is_duration() ? v.duration_nanos() : static_cast<__int128>(v.uint_value());
}

// Exact sums of ints, uints and durations; doubles by addition; anything else is the error `+` gives.
class Summer {
 public:
  explicit Summer(const Value& zero) : result_(zero) {}
  void Add(const Value& v) {
    if (result_.is_error_or_unknown()) return;
    if (v.kind() == result_.kind() && (v.is_int() || v.is_duration() || v.is_uint())) {
      exact_ += SumPart(v);
      integral_ = true;
      return;
    }
    static const std::optional<value::Function> kAdd = value::Function::Find("_+_", value::CallStyle::kGlobal);
    Value args[] = {Current(), v};
    result_ = kAdd->Call(args);
    exact_ = 0;
    integral_ = false;
  }
  Value Current() const { return integral_ ? Exact(result_, exact_) : result_; }

  // `zero` (an int, uint or duration) plus `total`, or an overflow error.
  static Value Exact(const Value& zero, __int128 total) {
    if (zero.is_int()) total += zero.int_value();
    if (zero.is_duration()) total += zero.duration_nanos();
    if (zero.is_uint()) {
      total += static_cast<__int128>(zero.uint_value());
      if (total < 0 || total > static_cast<__int128>(UINT64_MAX)) return value::IntegerOverflow();
      return Value::Uint(static_cast<uint64_t>(total));
    }
    if (total < INT64_MIN || total > INT64_MAX) return value::IntegerOverflow();
    return zero.is_int() ? Value::Int(static_cast<int64_t>(total)) : Value::Duration(static_cast<int64_t>(total));
  }

 private:
  Value result_;
  __int128 exact_ = 0;
  bool integral_ = false;
};

// value::Compare of two values of one ordered kind, inline for the kinds compared as integers.
value::Order CompareSameKind(const Value& a, const Value& b) {
  switch (a.kind()) {
    case value::Kind::kInt:
    case value::Kind::kDuration:
      return a.int_value() < b.int_value()   ? value::Order::kLess
             : a.int_value() > b.int_value() ? value::Order::kGreater
                                             : value::Order::kEqual;
    case value::Kind::kUint:
      return a.uint_value() < b.uint_value()   ? value::Order::kLess
             : a.uint_value() > b.uint_value() ? value::Order::kGreater
                                               : value::Order::kEqual;
    case value::Kind::kTimestamp: {
      auto key = [](const Value& v) { return std::pair(v.timestamp_seconds(), v.timestamp_nanos()); };
      return key(a) < key(b) ? value::Order::kLess : key(a) > key(b) ? value::Order::kGreater : value::Order::kEqual;
    }
    default:
      return value::Compare(a, b);
  }
}

bool Ordered(const Value& v) {
  switch (v.kind()) {
    case value::Kind::kBool: case value::Kind::kInt: case value::Kind::kUint: case value::Kind::kString:
    case value::Kind::kBytes: case value::Kind::kDuration: case value::Kind::kTimestamp:
      return true;
    case value::Kind::kDouble:
      return v.double_value() == v.double_value();  // NaN is unordered
    default:
      return false;
  }
}

}  // namespace

Value WindowAggregate(const plan::GroupAggregate& aggregate, size_t index, const MemberArgs& args, size_t first,
                      size_t last) {
  switch (aggregate.kind) {
    case GroupAggregateKind::kCount:
      return Value::Int(static_cast<int64_t>(last - first));
    case GroupAggregateKind::kSum: {
      Summer sum(aggregate.zero);
      for (size_t p = first; p < last; ++p) sum.Add(args.at(index, p));
      return sum.Current();
    }
    case GroupAggregateKind::kMin:
    case GroupAggregateKind::kMax: {
      Value best;
      bool have = false;
      for (size_t p = first; p < last; ++p) {
        const Value& v = args.at(index, p);
        if (v.is_error_or_unknown()) return v;
        if (!have) {
          best = v;
          have = true;
          continue;
        }
        value::Order order = value::Compare(v, best);
        if (order == value::Order::kIncomparable) {
          Value args[] = {best, v};
          return value::NoMatchingOverload(aggregate.kind == GroupAggregateKind::kMin ? "min" : "max", args);
        }
        if (order == (aggregate.kind == GroupAggregateKind::kMin ? value::Order::kLess : value::Order::kGreater)) {
          best = v;
        }
      }
      return best;
    }
    case GroupAggregateKind::kDistinct: {
      std::vector<Value> seen;
      for (size_t p = first; p < last; ++p) {
        const Value& v = args.at(index, p);
        if (v.is_error_or_unknown()) return v;
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return value::Equal(s, v); })) seen.push_back(v);
      }
      return Value::Int(static_cast<int64_t>(seen.size()));
    }
  }
  return Value();
}

WindowAggregates::WindowAggregates(const std::vector<plan::GroupAggregate>& aggregates, MemberArgs args,
                                   size_t members)
    : aggregates_(aggregates), args_(args), states_(aggregates.size()) {
  for (size_t a = 0; a < aggregates.size(); ++a) {
    State& state = states_[a];
    state.mode = ModeOf(a, members);
    if (state.mode == Mode::kExtreme || state.mode == Mode::kDistinct) tracked_.push_back(a);
    if (state.mode != Mode::kPrefixSum) continue;
    state.prefix.resize(members + 1);
    for (size_t p = 0; p < members; ++p) state.prefix[p + 1] = state.prefix[p] + SumPart(args.at(a, p));
  }
}

WindowAggregates::Mode WindowAggregates::ModeOf(size_t a, size_t members) const {
  const plan::GroupAggregate& aggregate = aggregates_[a];
  auto every = [&](auto&& holds) {
    for (size_t p = 0; p < members; ++p) {
      if (!holds(args_.at(a, p))) return false;
    }
    return true;
  };
  switch (aggregate.kind) {
    case GroupAggregateKind::kCount:
      return Mode::kCount;
    case GroupAggregateKind::kSum: {
      bool exact = every([&](const Value& v) {
        return v.kind() == aggregate.zero.kind() && (v.is_int() || v.is_uint() || v.is_duration());
      });
      return exact ? Mode::kPrefixSum : Mode::kRecompute;
    }
    case GroupAggregateKind::kMin:
    case GroupAggregateKind::kMax: {
      bool ordered = every([&](const Value& v) { return Ordered(v) && v.kind() == args_.at(a, 0).kind(); });
      return ordered ? Mode::kExtreme : Mode::kRecompute;
    }
    case GroupAggregateKind::kDistinct: {
      bool hashable = every([](const Value& v) {
        Value key = v;
        return Hashable(key);
      });
      return hashable ? Mode::kDistinct : Mode::kRecompute;
    }
  }
  return Mode::kRecompute;
}

void WindowAggregates::AddExtreme(size_t a, size_t position) {
  State& state = states_[a];
  const Value& v = args_.at(a, position);
  // Keep positions whose values only get worse towards the back: the front is the extreme.
  value::Order worse = aggregates_[a].kind == GroupAggregateKind::kMin ? value::Order::kGreater : value::Order::kLess;
  while (state.extreme.size() > state.extreme_front && CompareSameKind(args_.at(a, state.extreme.back()), v) == worse) {
    state.extreme.pop_back();
  }
  state.extreme.push_back(position);
}

void WindowAggregates::Add(size_t position) {
  for (size_t a : tracked_) {
    if (states_[a].mode == Mode::kExtreme) {
      AddExtreme(a, position);
      continue;
    }
    Value key = args_.at(a, position);
    Hashable(key);
    ++states_[a].counts[key];
  }
}

void WindowAggregates::Remove(size_t position) {
  for (size_t a : tracked_) {
    State& state = states_[a];
    if (state.mode == Mode::kExtreme) {
      if (state.extreme.size() > state.extreme_front && state.extreme[state.extreme_front] == position) {
        ++state.extreme_front;
      }
      continue;
    }
    Value key = args_.at(a, position);
    Hashable(key);
    auto it = state.counts.find(key);
    if (it != state.counts.end() && --it->second == 0) state.counts.erase(it);
  }
}

Value WindowAggregates::Result(size_t a, size_t first, size_t last) const {
  const State& state = states_[a];
  switch (state.mode) {
    case Mode::kCount: return Value::Int(static_cast<int64_t>(last - first));
    case Mode::kPrefixSum: return Summer::Exact(aggregates_[a].zero, state.prefix[last] - state.prefix[first]);
    case Mode::kExtreme: return args_.at(a, state.extreme[state.extreme_front]);
    case Mode::kDistinct: return Value::Int(static_cast<int64_t>(state.counts.size()));
    case Mode::kRecompute: break;
  }
  return WindowAggregate(aggregates_[a], a, args_, first, last);
}

}  // namespace edict::interp
