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

Value WindowAggregate(const plan::GroupAggregate& aggregate, size_t index, std::span<const size_t> members,
                      const std::vector<std::pair<std::vector<Value>, std::vector<Value>>>& values) {
  switch (aggregate.kind) {
    case plan::GroupAggregateKind::kCount:
      return Value::Int(static_cast<int64_t>(members.size()));
    case plan::GroupAggregateKind::kSum: {
      Summer sum(aggregate.zero);
      for (size_t m : members) sum.Add(values[m].second[index]);
      return sum.Current();
    }
    case plan::GroupAggregateKind::kMin:
    case plan::GroupAggregateKind::kMax: {
      Value best;
      bool have = false;
      for (size_t m : members) {
        const Value& v = values[m].second[index];
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
        const Value& v = values[m].second[index];
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
  GroupedMatch match;
  for (plan::ExprId key : grouping.keys) {
    Value v = machine_.Eval(key, frame);
    if (v.is_error_or_unknown()) {
      RecordError(rule, v, &frame);
      return;
    }
    match.keys.push_back(std::move(v));
  }
  for (const plan::GroupAggregate& aggregate : grouping.aggregates) {
    match.args.push_back(aggregate.arg != plan::kNone ? machine_.Eval(aggregate.arg, frame) : Value());
  }
  for (const plan::Scan& scan : plan_rule.query.scans) {
    if (scan.source != plan::Scan::Source::kRecords) continue;
    uint32_t row = frame[scan.reg].row;
    match.rows.push_back(row);
    if (!scan.trigger) continue;
    const facts::RecordKind& kind = store_.schema().kind(scan.kind);
    const facts::Table& table = store_.records(scan.kind).fields;
    match.seq = table.column(kind.seq_column).ints()[row];
    if (kind.t_column >= 0 && table.column(static_cast<size_t>(kind.t_column)).present(row)) {
      match.t = table.column(static_cast<size_t>(kind.t_column)).ints()[row];
    }
  }
  rules_[rule].matches.push_back(std::move(match));
}

void SessionRun::FinishGroups(uint32_t rule) {
  RuleState& state = rules_[rule];
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  const plan::Grouping& grouping = plan_rule.grouping;
  std::vector<GroupedMatch>& matches = state.matches;
  if (matches.empty()) return;
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
    for (const Value& key : matches[i].keys) hash = Mix(hash * 31 + DeepHash(key));
    std::vector<size_t>& candidates = by_hash[hash];
    size_t group = groups.size();
    for (size_t g : candidates) {
      const std::vector<Value>& keys = matches[groups[g][0]].keys;
      bool same = true;
      for (size_t k = 0; k < keys.size() && same; ++k) same = value::Equal(keys[k], matches[i].keys[k]);
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

  std::vector<std::pair<std::vector<Value>, std::vector<Value>>> values;
  values.reserve(matches.size());
  for (GroupedMatch& match : matches) values.emplace_back(std::move(match.keys), std::move(match.args));

  for (std::vector<size_t>& members : groups) {
    std::stable_sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      return matches[a].t != matches[b].t ? matches[a].t < matches[b].t : matches[a].seq < matches[b].seq;
    });
    size_t n = members.size();
    std::vector<std::pair<size_t, size_t>> windows;
    if (grouping.window == plan::kNone) {
      windows.emplace_back(0, n);
    } else {
      size_t j = 0;
      for (size_t i = 0; i < n; ++i) {
        int64_t start = matches[members[i]].t;
        int64_t end = width > 0 && start > INT64_MAX - width ? INT64_MAX : start + width;
        j = std::max(j, i);
        while (j < n && matches[members[j]].t < end) ++j;
        if (j > i) windows.emplace_back(i, j);
      }
    }
    for (size_t k = 0; k < grouping.key_regs.size(); ++k) frame[grouping.key_regs[k]].value = values[members[0]].first[k];
    auto set_aggregates = [&](size_t i, size_t j) {
      std::span<const size_t> window(members.data() + i, j - i);
      for (size_t a = 0; a < grouping.aggregates.size(); ++a) {
        frame[grouping.aggregates[a].reg].value = WindowAggregate(grouping.aggregates[a], a, window, values);
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
      const GroupedMatch& match = matches[members[k]];
      size_t record = 0;
      for (const plan::Scan& scan : plan_rule.query.scans) {
        if (scan.source != plan::Scan::Source::kRecords) continue;
        auto role = scan.trigger ? findings::EvidenceRole::kTrigger : findings::EvidenceRole::kContext;
        finding.evidence.push_back(EvidenceOf(scan.kind, match.rows[record++], role));
      }
    }
    finding.window.count = best_measure;
    SetWindow(finding);
    Emit(rule, std::move(finding));
  }
}

}  // namespace edict::interp
