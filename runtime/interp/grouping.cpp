// `group by` / `window` / `having`: matches are grouped by their keys (CEL equality), ordered by
// the trigger record's (t, seq), and swept with two pointers: each window starts at a member and
// spans [t, t + W) ("more than N in any window W", rule-catalog S6). A group whose `having` holds in
// some window is one finding, with every member of a holding window as evidence and the window of
// largest measure (the first `sum`, else the member count) giving `window.count` and the values
// the finding entries see.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>

#include "runtime/interp/same_storage.h"
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

constexpr size_t kKeyDigests = 256;

// A grouping key's or aggregate argument's value: Machine::Eval's, with a register, a column or a
// memo function (most keys and arguments) read without entering an expression root. Inlined into
// KeepMatch, which reads every match's keys and arguments.
[[gnu::always_inline]] inline Value MatchOperand(Machine& machine, plan::ExprId id, Frame& frame) {
  if (machine.exhausted()) return machine.BudgetError();  // as Machine::Eval
  const plan::Node& node = machine.code().nodes[id];
  switch (node.op) {
    case plan::Op::kRegister:
      return frame[node.a].value;
    case plan::Op::kColumn:
      return machine.ReadColumn(frame[node.a], node.b, node.c);
    case plan::Op::kMemo:
      return machine.Memo(node.a, frame[node.b]);
    default:
      return machine.Eval(id, frame);
  }
}

}  // namespace

uint64_t SessionRun::KeyHashOf(const Value& key, bool& self_equal) {
  if (!key.is_list() && !key.is_map()) {
    self_equal = true;  // only read for an identical key: a string
    return DeepHash(key);
  }
  if (key_digests_.empty()) key_digests_.resize(kKeyDigests);
  const void* storage = Storage(key);
  KeyDigest& digest = key_digests_[Mix(reinterpret_cast<uintptr_t>(storage)) % kKeyDigests];
  if (!Identical(digest.held, key)) digest = {key, DeepHash(key), value::Equal(key, key), Value()};
  self_equal = digest.self_equal;
  return digest.hash;
}

SessionRun::KeyDigest* SessionRun::DigestOf(const Value& key) {
  if ((!key.is_list() && !key.is_map()) || key_digests_.empty()) return nullptr;
  KeyDigest& digest = key_digests_[Mix(reinterpret_cast<uintptr_t>(Storage(key))) % kKeyDigests];
  return Identical(digest.held, key) ? &digest : nullptr;
}

bool SessionRun::KeysEqual(const Value& kept, const Value& key, bool self_equal) {
  if (Identical(kept, key)) return self_equal;
  KeyDigest* digest = DigestOf(key);
  if (digest != nullptr && Identical(digest->equal_key, kept)) return true;
  bool equal = value::Equal(kept, key);
  if (equal && digest != nullptr) digest->equal_key = kept;
  return equal;
}

void SessionRun::KeepMatch(uint32_t rule, Frame& frame) {
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  const plan::Grouping& grouping = plan_rule.grouping;
  keys_.clear();
  for (plan::ExprId key : grouping.keys) {
    Value v = MatchOperand(machine_, key, frame);
    if (v.is_error_or_unknown()) {
      RecordError(rule, v, &frame);
      return;
    }
    keys_.push_back(std::move(v));
  }
  GroupedMatches& matches = rules_[rule].matches;
  uint32_t index = matches.groups_by_keys.Find(keys_, keys_.size());
  if (index == KeyMemo::kNone) {
    index = GroupOf(matches, keys_);
    // A key that is not equal to itself (a NaN in it) is a group of its own at every match.
    bool self_equal = std::all_of(keys_self_equal_.begin(), keys_self_equal_.end(), [](uint8_t equal) { return equal != 0; });
    if (self_equal) matches.groups_by_keys.Remember(keys_, keys_.size(), index);
  }
  MatchGroup& group = matches.groups[index];
  for (const plan::GroupAggregate& aggregate : grouping.aggregates) {
    matches.args.push_back(aggregate.arg != plan::kNone ? MatchOperand(machine_, aggregate.arg, frame) : Value());
  }
  std::pair<int64_t, int64_t> order{0, 0};
  for (const plan::Scan& scan : plan_rule.query.scans) {
    if (scan.source != plan::Scan::Source::kRecords) continue;
    uint32_t row = frame[scan.reg].row;
    auto role = scan.trigger ? findings::EvidenceRole::kTrigger : findings::EvidenceRole::kContext;
    matches.records.push_back(OrderOf({scan.kind, row, role}));
    if (!scan.trigger) continue;
    order.second = matches.records.back().seq;
    const facts::RecordKind& kind = store_.schema().kind(scan.kind);
    const facts::Table& table = store_.records(scan.kind).fields;
    if (kind.t_column >= 0 && table.column(static_cast<size_t>(kind.t_column)).present(row)) {
      order.first = table.column(static_cast<size_t>(kind.t_column)).ints()[row];
    }
  }
  if (group.size() == 0 || order < group.front) {
    if (group.size() > 0) group.front_keys = keys_;
    group.front = order;
  }
  group.members.push_back(static_cast<uint32_t>(matches.order.size()));
  matches.order.push_back(order);
}

uint32_t SessionRun::GroupOf(GroupedMatches& matches, const std::vector<Value>& keys) {
  uint64_t hash = 0;
  keys_self_equal_.resize(keys.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    bool self_equal = false;
    hash = Mix(hash * 31 + KeyHashOf(keys[k], self_equal));
    keys_self_equal_[k] = self_equal;
  }
  if (matches.slots.size() < 2 * (matches.groups.size() + 1)) {
    // Grown at half full; groups are placed again in the order they were found.
    matches.slots.assign(std::bit_ceil(std::max<size_t>(16, 4 * (matches.groups.size() + 1))), {0, 0});
    size_t mask = matches.slots.size() - 1;
    for (uint32_t g = 0; g < matches.groups.size(); ++g) {
      size_t s = matches.groups[g].hash & mask;
      while (matches.slots[s].second != 0) s = (s + 1) & mask;
      matches.slots[s] = {matches.groups[g].hash, g + 1};
    }
  }
  size_t mask = matches.slots.size() - 1;
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    auto& [slot_hash, slot_group] = matches.slots[s];
    if (slot_group == 0) {
      slot_hash = hash;
      slot_group = static_cast<uint32_t>(matches.groups.size() + 1);
      MatchGroup& group = matches.groups.emplace_back();
      group.keys = keys;
      group.hash = hash;
      return slot_group - 1;
    }
    if (slot_hash != hash) continue;
    MatchGroup& group = matches.groups[slot_group - 1];
    bool same = true;
    for (size_t k = 0; k < keys.size() && same; ++k) {
      same = KeysEqual(group.keys[k], keys[k], keys_self_equal_[k] != 0);
    }
    if (same) return slot_group - 1;
  }
}

namespace {

// Puts a group's members in trigger (t, seq) order, keeping match order on ties. Matches arrive in
// scan order, which usually is that order already.
void SortMembers(std::vector<uint32_t>& members, std::span<const std::pair<int64_t, int64_t>> order) {
  auto before = [&](uint32_t a, uint32_t b) { return order[a] < order[b]; };
  if (std::is_sorted(members.begin(), members.end(), before)) return;
  // Members are in match order: their indices break ties as a stable sort would.
  std::sort(members.begin(), members.end(),
            [&](uint32_t a, uint32_t b) { return std::pair(order[a], a) < std::pair(order[b], b); });
}

// The members' group aggregate arguments, moved into `out` in member order: a window sweeps them
// contiguously.
void GatherArgs(std::span<const uint32_t> members, std::span<Value> args, size_t stride, std::vector<Value>& out) {
  out.clear();
  for (uint32_t m : members) {
    for (size_t a = 0; a < stride; ++a) out.push_back(std::move(args[m * stride + a]));
  }
}

// A window's count from its first `sum` of doubles: truncated, clamped to the int range (a
// double beyond it has no int value, and converting one is undefined behaviour), NaN as 0 (which
// the finding then reports as its trigger count, as any count of 0: evidence.cpp).
int64_t SaturatedCount(double sum) {
  if (std::isnan(sum)) return 0;
  if (sum >= 0x1p63) return INT64_MAX;
  if (sum < -0x1p63) return INT64_MIN;
  return static_cast<int64_t>(sum);
}

}  // namespace

void SessionRun::FinishGroups(uint32_t rule) {
  RuleState& state = rules_[rule];
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  const plan::Grouping& grouping = plan_rule.grouping;
  if (state.matches.groups.empty()) return;
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

  size_t arg_count = grouping.aggregates.size();
  std::vector<facts::KindId> record_kinds;
  for (const plan::Scan& scan : plan_rule.query.scans) {
    if (scan.source == plan::Scan::Source::kRecords) record_kinds.push_back(scan.kind);
  }
  std::vector<Value> best(arg_count);
  GroupedMatches& matches = state.matches;
  std::vector<Value> args;  // a group's, in member order
  for (MatchGroup& group : matches.groups) {
    SortMembers(group.members, matches.order);
    GatherArgs(group.members, matches.args, arg_count, args);
    size_t n = group.size();
    auto start_of = [&](size_t position) { return matches.order[group.members[position]].first; };
    const std::vector<Value>& keys = group.front_keys.empty() ? group.keys : group.front_keys;
    for (size_t k = 0; k < keys.size(); ++k) frame[grouping.key_regs[k]].value = keys[k];
    WindowAggregates window(grouping.aggregates, MemberArgs{args, arg_count}, n);
    // Members of some holding window, as +1 at its start and -1 at its end.
    std::vector<int64_t> held(n + 1, 0);
    int64_t best_measure = 0;
    bool have_best = false;
    size_t j = 0;
    for (size_t i = 0; i < n; ++i) {
      j = std::max(j, i);
      if (grouping.window == plan::kNone) {
        if (i > 0) break;  // the whole group is the one window
        for (; j < n; ++j) window.Add(j);
      } else {
        int64_t start = start_of(i);
        int64_t end = width > 0 && start > INT64_MAX - width ? INT64_MAX : start + width;
        for (; j < n && start_of(j) < end; ++j) window.Add(j);
      }
      if (j == i) continue;  // an empty window (a width of zero or less)
      // The window's aggregates, which `having` and the measure read, are in their registers.
      for (size_t a = 0; a < arg_count; ++a) frame[grouping.aggregates[a].reg].value = window.Result(a, i, j);
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
        const Value& sum = frame[grouping.aggregates[grouping.count_from].reg].value;
        if (sum.is_int()) measure = sum.int_value();
        if (sum.is_uint()) measure = static_cast<int64_t>(std::min<uint64_t>(sum.uint_value(), INT64_MAX));
        if (sum.is_double()) measure = SaturatedCount(sum.double_value());
      }
      if (!have_best || measure > best_measure) {
        for (size_t a = 0; a < arg_count; ++a) best[a] = frame[grouping.aggregates[a].reg].value;
        best_measure = measure;
        have_best = true;
      }
    }
    if (!have_best) continue;
    for (size_t a = 0; a < arg_count; ++a) frame[grouping.aggregates[a].reg].value = best[a];
    findings::Finding finding = NewFinding(rule);
    FillEntries(rule, frame, finding);
    size_t evidence = finding.evidence.size();
    int64_t depth = 0;
    for (size_t k = 0; k < n; ++k) {
      depth += held[k];
      if (depth != 0) evidence += record_kinds.size();
    }
    finding.evidence.reserve(evidence);
    depth = 0;
    for (size_t k = 0; k < n; ++k) {
      depth += held[k];
      if (depth == 0) continue;
      const EvidenceOrder* records = matches.records.data() + size_t{group.members[k]} * record_kinds.size();
      for (size_t r = 0; r < record_kinds.size(); ++r) AddEvidence(record_kinds[r], records[r], finding.evidence);
    }
    finding.window.count = best_measure;
    SetWindow(finding);
    Emit(rule, std::move(finding));
  }
  matches = {};  // not read again: its storage is given back before the next rule's groups
}

}  // namespace edict::interp
