// `group by` / `window` / `having`: matches are grouped by their keys (CEL equality), ordered by
// the trigger record's (t, seq), and swept with two pointers: each window starts at a member and
// spans [t, t + W) ("more than N in any window W", rule-catalog S6). A group whose `having` holds in
// some window is one finding, with every member of a holding window as evidence and the window of
// largest measure (the first `sum`, else the member count) giving `window.count` and the values
// the finding entries see.
#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "runtime/interp/session_run.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/errors.h"

namespace edict::interp {

using value::Value;

namespace {

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// A hash consistent with CEL equality (1 == 1u == 1.0; maps regardless of order).
uint64_t DeepHash(const Value& v) {
  switch (v.kind()) {
    case value::Kind::kBool:
    case value::Kind::kInt:
    case value::Kind::kUint:
    case value::Kind::kString:
      return value::HashKey(v);
    case value::Kind::kDouble: {
      Value key = v;
      return Hashable(key) ? value::HashKey(key) : Mix(std::hash<double>{}(v.double_value()));
    }
    case value::Kind::kDuration: return Mix(static_cast<uint64_t>(v.duration_nanos()) ^ 0xd1);
    case value::Kind::kTimestamp: return Mix(static_cast<uint64_t>(v.timestamp_seconds()) * 31 + v.timestamp_nanos());
    case value::Kind::kList: {
      uint64_t h = 0x9e37;
      for (const Value& element : v.list_elements()) h = Mix(h * 31 + DeepHash(element));
      return h;
    }
    case value::Kind::kMap: {
      uint64_t h = 0x7f4a;
      for (size_t i = 0; i < v.map().size(); ++i) h += Mix(DeepHash(v.map().key(i)) * 31 + DeepHash(v.map().value(i)));
      return h;
    }
    default:
      return static_cast<uint64_t>(v.kind());
  }
}

// Exact sums of ints, uints and durations; doubles by addition; anything else is the error `+` gives.
class Summer {
 public:
  explicit Summer(const Value& zero) : result_(zero) {}
  void Add(const Value& v) {
    if (result_.is_error_or_unknown()) return;
    if (v.kind() == result_.kind() && (v.is_int() || v.is_duration())) {
      exact_ += v.is_int() ? v.int_value() : v.duration_nanos();
      integral_ = true;
      return;
    }
    if (v.kind() == result_.kind() && v.is_uint()) {
      exact_ += static_cast<__int128>(v.uint_value());
      integral_ = true;
      return;
    }
    static const std::optional<value::Function> kAdd = value::Function::Find("_+_", value::CallStyle::kGlobal);
    Value args[] = {Current(), v};
    result_ = kAdd->Call(args);
    exact_ = 0;
    integral_ = false;
  }
  Value Current() const {
    if (!integral_) return result_;
    __int128 total = exact_;
    if (result_.is_int()) total += result_.int_value();
    if (result_.is_duration()) total += result_.duration_nanos();
    if (result_.is_uint()) total += static_cast<__int128>(result_.uint_value());
    if (result_.is_uint()) {
      if (total < 0 || total > static_cast<__int128>(UINT64_MAX)) return value::IntegerOverflow();
      return Value::Uint(static_cast<uint64_t>(total));
    }
    if (total < INT64_MIN || total > INT64_MAX) return value::IntegerOverflow();
    return result_.is_int() ? Value::Int(static_cast<int64_t>(total)) : Value::Duration(static_cast<int64_t>(total));
  }

 private:
  Value result_;
  __int128 exact_ = 0;
  bool integral_ = false;
};

// One group aggregate over the members of a window; `arg(m)` is member m's argument.
template <typename Arg>
Value WindowAggregate(const plan::GroupAggregate& aggregate, std::span<const size_t> members, Arg&& arg) {
  switch (aggregate.kind) {
    case plan::GroupAggregateKind::kCount:
      return Value::Int(static_cast<int64_t>(members.size()));
    case plan::GroupAggregateKind::kSum: {
      Summer sum(aggregate.zero);
      for (size_t m : members) sum.Add(arg(m));
      return sum.Current();
    }
    case plan::GroupAggregateKind::kMin:
    case plan::GroupAggregateKind::kMax: {
      Value best;
      bool have = false;
      for (size_t m : members) {
        const Value& v = arg(m);
        if (v.is_error_or_unknown()) return v;
        if (!have) {
          best = v;
          have = true;
          continue;
        }
        value::Order order = value::Compare(v, best);
        if (order == value::Order::kIncomparable) {
          Value args[] = {best, v};
          return value::NoMatchingOverload(aggregate.kind == plan::GroupAggregateKind::kMin ? "min" : "max", args);
        }
        if (order == (aggregate.kind == plan::GroupAggregateKind::kMin ? value::Order::kLess : value::Order::kGreater)) {
          best = v;
        }
      }
      return best;
    }
    case plan::GroupAggregateKind::kDistinct: {
      std::vector<Value> seen;
      for (size_t m : members) {
        const Value& v = arg(m);
        if (v.is_error_or_unknown()) return v;
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return value::Equal(s, v); })) seen.push_back(v);
      }
      return Value::Int(static_cast<int64_t>(seen.size()));
    }
  }
  return Value();
}

}  // namespace

void SessionRun::KeepMatch(uint32_t rule, Frame& frame) {
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  const plan::Grouping& grouping = plan_rule.grouping;
  GroupedMatches& matches = rules_[rule].matches;
  size_t mark = matches.values.size();
  for (plan::ExprId key : grouping.keys) {
    Value v = machine_.Eval(key, frame);
    if (v.is_error_or_unknown()) {
      matches.values.resize(mark);
      RecordError(rule, v, &frame);
      return;
    }
    matches.values.push_back(std::move(v));
  }
  for (const plan::GroupAggregate& aggregate : grouping.aggregates) {
    matches.values.push_back(aggregate.arg != plan::kNone ? machine_.Eval(aggregate.arg, frame) : Value());
  }
  matches.stride = grouping.keys.size() + grouping.aggregates.size();
  std::pair<int64_t, int64_t> order{0, 0};
  size_t scans = 0;
  for (const plan::Scan& scan : plan_rule.query.scans) {
    if (scan.source != plan::Scan::Source::kRecords) continue;
    ++scans;
    uint32_t row = frame[scan.reg].row;
    matches.rows.push_back(row);
    if (!scan.trigger) continue;
    const facts::RecordKind& kind = store_.schema().kind(scan.kind);
    const facts::Table& table = store_.records(scan.kind).fields;
    order.second = table.column(kind.seq_column).ints()[row];
    if (kind.t_column >= 0 && table.column(static_cast<size_t>(kind.t_column)).present(row)) {
      order.first = table.column(static_cast<size_t>(kind.t_column)).ints()[row];
    }
  }
  matches.row_stride = scans;
  matches.order.push_back(order);
}

void SessionRun::FinishGroups(uint32_t rule) {
  RuleState& state = rules_[rule];
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  const plan::Grouping& grouping = plan_rule.grouping;
  const GroupedMatches& matches = state.matches;
  if (matches.size() == 0) return;
  size_t key_count = grouping.keys.size();
  Frame& frame = state.frame;

  int64_t width = 0;
  if (grouping.window != plan::kNone) {
    Value w = machine_.Eval(grouping.window, frame);
    if (!w.is_duration()) {
      RecordError(rule, w.is_error_or_unknown() ? w : value::NoMatchingOverload("window", std::span<const Value>(&w, 1)),
                  nullptr);
      return;
    }
    width = w.duration_nanos();
  }

  std::vector<std::vector<size_t>> groups;
  std::unordered_map<uint64_t, std::vector<size_t>> by_hash;
  for (size_t i = 0; i < matches.size(); ++i) {
    uint64_t hash = 0;
    const Value* keys = matches.at(i);
    for (size_t k = 0; k < key_count; ++k) hash = Mix(hash * 31 + DeepHash(keys[k]));
    std::vector<size_t>& candidates = by_hash[hash];
    size_t group = groups.size();
    for (size_t g : candidates) {
      const Value* first = matches.at(groups[g][0]);
      bool same = true;
      for (size_t k = 0; k < key_count && same; ++k) same = value::Equal(first[k], keys[k]);
      if (same) {
        group = g;
        break;
      }
    }
    if (group == groups.size()) {
      groups.emplace_back();
      candidates.push_back(group);
    }
    groups[group].push_back(i);
  }

  for (std::vector<size_t>& members : groups) {
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      return matches.order[a] < matches.order[b];
    });
    size_t n = members.size();
    std::vector<std::pair<size_t, size_t>> windows;
    if (grouping.window == plan::kNone) {
      windows.emplace_back(0, n);
    } else {
      size_t j = 0;
      for (size_t i = 0; i < n; ++i) {
        int64_t start = matches.order[members[i]].first;
        int64_t end = width > 0 && start > INT64_MAX - width ? INT64_MAX : start + width;
        j = std::max(j, i);
        while (j < n && matches.order[members[j]].first < end) ++j;
        if (j > i) windows.emplace_back(i, j);
      }
    }
    for (size_t k = 0; k < key_count; ++k) frame[grouping.key_regs[k]].value = matches.at(members[0])[k];
    auto set_aggregates = [&](size_t i, size_t j) {
      std::span<const size_t> window(members.data() + i, j - i);
      for (size_t a = 0; a < grouping.aggregates.size(); ++a) {
        auto arg = [&](size_t m) -> const Value& { return matches.at(m)[key_count + a]; };
        frame[grouping.aggregates[a].reg].value = WindowAggregate(grouping.aggregates[a], window, arg);
      }
    };
    std::vector<bool> evidence(n, false);
    int64_t best_measure = 0;
    std::optional<std::pair<size_t, size_t>> best;
    for (auto [i, j] : windows) {
      set_aggregates(i, j);
      if (grouping.having != plan::kNone) {
        Value holds = machine_.Eval(grouping.having, frame);
        if (holds.is_error_or_unknown()) RecordError(rule, holds, nullptr);
        if (!holds.is_bool() || !holds.bool_value()) continue;
      }
      std::fill(evidence.begin() + static_cast<ptrdiff_t>(i), evidence.begin() + static_cast<ptrdiff_t>(j), true);
      int64_t measure = static_cast<int64_t>(j - i);
      if (grouping.count_from != plan::kNone) {
        const Value& sum = frame[grouping.aggregates[grouping.count_from].reg].value;
        if (sum.is_int()) measure = sum.int_value();
        if (sum.is_uint()) measure = static_cast<int64_t>(std::min<uint64_t>(sum.uint_value(), INT64_MAX));
        if (sum.is_double()) measure = static_cast<int64_t>(sum.double_value());
      }
      if (!best || measure > best_measure) {
        best = std::make_pair(i, j);
        best_measure = measure;
      }
    }
    if (!best) continue;
    set_aggregates(best->first, best->second);
    findings::Finding finding = NewFinding(rule);
    FillEntries(rule, frame, finding);
    for (size_t k = 0; k < n; ++k) {
      if (!evidence[k]) continue;
      const uint32_t* rows = matches.rows.data() + members[k] * matches.row_stride;
      size_t record = 0;
      for (const plan::Scan& scan : plan_rule.query.scans) {
        if (scan.source != plan::Scan::Source::kRecords) continue;
        auto role = scan.trigger ? findings::EvidenceRole::kTrigger : findings::EvidenceRole::kContext;
        finding.evidence.push_back(EvidenceOf(scan.kind, rows[record++], role));
      }
    }
    finding.window.count = best_measure;
    SetWindow(finding);
    Emit(rule, std::move(finding));
  }
}

}  // namespace edict::interp
