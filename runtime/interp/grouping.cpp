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
#include "runtime/interp/window.h"
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
    for (size_t k = 0; k < key_count; ++k) frame[grouping.key_regs[k]].value = matches.at(members[0])[k];
    WindowAggregates window(grouping.aggregates, members, [&](size_t a, size_t m) -> const Value& {
      return matches.at(m)[key_count + a];
    });
    // Members of some holding window, as +1 at its start and -1 at its end.
    std::vector<int64_t> held(n + 1, 0);
    int64_t best_measure = 0;
    std::optional<std::vector<Value>> best;
    size_t j = 0;
    for (size_t i = 0; i < n; ++i) {
      j = std::max(j, i);
      if (grouping.window == plan::kNone) {
        if (i > 0) break;  // the whole group is the one window
        for (; j < n; ++j) window.Add(j);
      } else {
        int64_t start = matches.order[members[i]].first;
        int64_t end = width > 0 && start > INT64_MAX - width ? INT64_MAX : start + width;
        for (; j < n && matches.order[members[j]].first < end; ++j) window.Add(j);
      }
      if (j == i) continue;  // an empty window (a width of zero or less)
      std::vector<Value> results;
      for (size_t a = 0; a < grouping.aggregates.size(); ++a) {
        results.push_back(window.Result(a, i, j));
        frame[grouping.aggregates[a].reg].value = results.back();
      }
      window.Remove(i);
      if (grouping.having != plan::kNone) {
        Value holds = machine_.Eval(grouping.having, frame);
        if (holds.is_error_or_unknown()) RecordError(rule, holds, nullptr);
        if (!holds.is_bool() || !holds.bool_value()) continue;
      }
      ++held[i];
      --held[j];
      int64_t measure = static_cast<int64_t>(j - i);
      if (grouping.count_from != plan::kNone) {
        const Value& sum = results[grouping.count_from];
        if (sum.is_int()) measure = sum.int_value();
        if (sum.is_uint()) measure = static_cast<int64_t>(std::min<uint64_t>(sum.uint_value(), INT64_MAX));
        if (sum.is_double()) measure = static_cast<int64_t>(sum.double_value());
      }
      if (!best || measure > best_measure) {
        best = std::move(results);
        best_measure = measure;
      }
    }
    if (!best) continue;
    for (size_t a = 0; a < grouping.aggregates.size(); ++a) frame[grouping.aggregates[a].reg].value = (*best)[a];
    findings::Finding finding = NewFinding(rule);
    FillEntries(rule, frame, finding);
    int64_t depth = 0;
    for (size_t k = 0; k < n; ++k) {
      depth += held[k];
      if (depth == 0) continue;
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
