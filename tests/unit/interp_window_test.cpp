// Sliding windows: group aggregates per window, the finding's window and evidence, and a sweep
// that stays linear on a flood of records.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/interp/window.h"
#include "runtime/value/compare.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

std::string Session(const std::vector<std::tuple<int64_t, std::string, std::string>>& launches) {
  std::string text =
      R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"w",)"
      R"("started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
      R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n";
  int64_t seq = 0;
  for (const auto& [t, component, trigger] : launches) {
    text += R"({"type":"launch","seq":)" + std::to_string(++seq) + R"(,"t":)" + std::to_string(t) +
            R"(,"kind":"service","component":")" + component + R"(","target_pkg":"com.example","by":"self","trigger":")" +
            trigger + R"("})" "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("every group aggregate over each window; the holding windows are the evidence") {
  auto compiled = testing::CompilePacks({"tests/plan/windows"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::string text = Session({
      {0, "A", "boot"}, {100, "A", "push"}, {200, "A", "boot"},       // a burst: 3 in 200 ms, 2 triggers
      {5000, "A", "boot"}, {5100, "A", "boot"},                       // 2 only
      {9000, "A", "boot"}, {9100, "A", "boot"}, {9200, "A", "boot"},  // 3, one trigger
      {0, "B", "boot"}, {300, "B", "alarm"}, {700, "B", "push"},      // 3 spread over 700 ms
  });
  testing::Run run = testing::Evaluate(*compiled->plan, "w.jsonl", text);
  REQUIRE(run.sessions.size() == 1);
  auto found = testing::FindingsOf(*compiled->plan, run.sessions[0], "burst");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "3 starts of A in 200ms, 2 triggers");
  CHECK(found[0]->window.count == 3);
  CHECK(found[0]->window.first_t == 0);
  CHECK(found[0]->window.last_t == 200);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{1, 2, 3});
}

TEST_CASE("a flood of 200k records in one group is swept in linear time") {
  auto compiled = testing::CompilePacks({"tests/plan/windows"});
  REQUIRE(compiled->plan != nullptr);
  std::vector<std::tuple<int64_t, std::string, std::string>> launches;
  for (int64_t i = 0; i < 200000; ++i) launches.emplace_back(i, "A", i % 2 ? "push" : "boot");
  testing::Run run = testing::Evaluate(*compiled->plan, "flood.jsonl", Session(launches));
  REQUIRE(run.sessions.size() == 1);
  auto found = testing::FindingsOf(*compiled->plan, run.sessions[0], "burst");
  REQUIRE(found.size() == 1);
  // 1 ms apart, every full 1 s window spans 999 ms: only the last 500 windows (the session ends)
  // span less than 500 ms. The largest holds 500 starts, and those are the evidence.
  CHECK(found[0]->window.count == 500);
  CHECK(found[0]->evidence.size() == 500);
  CHECK(found[0]->window.first_t == 199500);
  CHECK(found[0]->message == "500 starts of A in 499ms, 2 triggers");
}

TEST_CASE("window aggregates over members' flat arguments: incremental and recomputed agree") {
  using plan::GroupAggregateKind;
  using value::Value;
  std::vector<plan::GroupAggregate> aggregates(5);
  aggregates[0].kind = GroupAggregateKind::kCount;
  aggregates[1].kind = GroupAggregateKind::kSum;
  aggregates[1].zero = Value::Int(0);
  aggregates[2].kind = GroupAggregateKind::kMin;
  aggregates[3].kind = GroupAggregateKind::kMax;
  aggregates[4].kind = GroupAggregateKind::kDistinct;
  // Member p's arguments are args[p * 5 + a].
  std::vector<int64_t> ints = {4, 1, 7, 7, 2, 9};
  std::vector<Value> args;
  for (int64_t v : ints) {
    for (Value arg : {Value(), Value::Int(v), Value::Int(v), Value::Int(v), Value::Int(v % 3)}) args.push_back(arg);
  }
  interp::MemberArgs flat{args, aggregates.size()};
  interp::WindowAggregates window(aggregates, flat, ints.size());
  // Windows of three members sliding over the six.
  size_t last = 0;
  for (size_t first = 0; first + 3 <= ints.size(); ++first) {
    for (; last < first + 3; ++last) window.Add(last);
    for (size_t a = 0; a < aggregates.size(); ++a) {
      Value incremental = window.Result(a, first, last);
      Value recomputed = interp::WindowAggregate(aggregates[a], a, flat, first, last);
      CHECK(value::Equal(incremental, recomputed));
    }
    CHECK(window.Result(1, first, last).int_value() == ints[first] + ints[first + 1] + ints[first + 2]);
    CHECK(window.Result(2, first, last).int_value() == std::min({ints[first], ints[first + 1], ints[first + 2]}));
    CHECK(window.Result(3, first, last).int_value() == std::max({ints[first], ints[first + 1], ints[first + 2]}));
    window.Remove(first);
  }
  CHECK(interp::WindowAggregate(aggregates[4], 4, flat, 0, ints.size()).int_value() == 3);  // 1, 1, 1, 1, 2, 0
}

TEST_CASE("incremental min and max of uints, durations and strings agree with recomputed ones") {
  using plan::GroupAggregateKind;
  using value::Value;
  std::vector<plan::GroupAggregate> aggregates(2);
  aggregates[0].kind = GroupAggregateKind::kMin;
  aggregates[1].kind = GroupAggregateKind::kMax;
  std::vector<std::vector<Value>> columns = {
      {Value::Uint(4), Value::Uint(1), Value::Uint(7), Value::Uint(7), Value::Uint(2), Value::Uint(9)},
      {Value::Duration(-4), Value::Duration(1), Value::Duration(-7), Value::Duration(-7), Value::Duration(2),
       Value::Duration(-9)},
      {Value::String("d"), Value::String("a"), Value::String("g"), Value::String("g"), Value::String("b"),
       Value::String("i")},
  };
  for (const std::vector<Value>& values : columns) {
    std::vector<Value> args;
    for (const Value& v : values) args.insert(args.end(), {v, v});
    interp::MemberArgs flat{args, aggregates.size()};
    interp::WindowAggregates window(aggregates, flat, values.size());
    size_t last = 0;
    for (size_t first = 0; first + 3 <= values.size(); ++first) {
      for (; last < first + 3; ++last) window.Add(last);
      for (size_t a = 0; a < aggregates.size(); ++a) {
        Value incremental = window.Result(a, first, last);
        Value recomputed = interp::WindowAggregate(aggregates[a], a, flat, first, last);
        CHECK_MESSAGE(value::Equal(incremental, recomputed), "window at ", first, " of kind ", int(values[0].kind()));
      }
      window.Remove(first);
    }
  }
}

TEST_CASE("exact sums over sliding windows: each window's own total, an overflow only where it is") {
  using plan::GroupAggregateKind;
  using value::Value;
  std::vector<plan::GroupAggregate> aggregates(2);
  aggregates[0].kind = GroupAggregateKind::kSum;
  aggregates[0].zero = Value::Int(0);
  aggregates[1].kind = GroupAggregateKind::kSum;
  aggregates[1].zero = Value::Uint(0);
  std::vector<int64_t> ints = {INT64_MAX, 1, -1, -5, INT64_MAX, -3};
  std::vector<Value> args;
  for (int64_t v : ints) args.insert(args.end(), {Value::Int(v), Value::Uint(static_cast<uint64_t>(v < 0 ? -v : v))});
  interp::MemberArgs flat{args, aggregates.size()};
  interp::WindowAggregates window(aggregates, flat, ints.size());
  std::vector<std::string> sums;
  size_t last = 0;
  for (size_t first = 0; first + 2 <= ints.size(); ++first) {
    for (; last < first + 2; ++last) window.Add(last);
    for (size_t a = 0; a < aggregates.size(); ++a) {
      Value recomputed = interp::WindowAggregate(aggregates[a], a, flat, first, last);
      Value incremental = window.Result(a, first, last);
      CHECK(incremental.kind() == recomputed.kind());
      CHECK(value::Equal(incremental, recomputed) == (!incremental.is_error()));
    }
    Value sum = window.Result(0, first, last);
    sums.push_back(sum.is_error() ? "overflow" : std::to_string(sum.int_value()));
    window.Remove(first);
  }
  CHECK(sums ==
        std::vector<std::string>{"overflow", "0", "-6", std::to_string(INT64_MAX - 5), std::to_string(INT64_MAX - 3)});
  CHECK(window.Result(1, 4, 6).uint_value() == static_cast<uint64_t>(INT64_MAX) + 3);
}

TEST_CASE("a window that never slides: every member enters, then leaves from the front") {
  using plan::GroupAggregateKind;
  using value::Value;
  std::vector<plan::GroupAggregate> aggregates(4);
  aggregates[0].kind = GroupAggregateKind::kCount;
  aggregates[1].kind = GroupAggregateKind::kSum;
  aggregates[1].zero = Value::Duration(0);
  aggregates[2].kind = GroupAggregateKind::kMin;
  aggregates[3].kind = GroupAggregateKind::kDistinct;
  std::vector<int64_t> nanos = {7, 3, 9, 3, 5};
  std::vector<Value> args;
  for (int64_t v : nanos) args.insert(args.end(), {Value(), Value::Duration(v), Value::Duration(v), Value::Int(v)});
  interp::MemberArgs flat{args, aggregates.size()};
  interp::WindowAggregates window(aggregates, flat, nanos.size());
  for (size_t p = 0; p < nanos.size(); ++p) window.Add(p);
  std::vector<std::vector<int64_t>> results;
  for (size_t first = 0; first < nanos.size(); ++first) {
    results.push_back({window.Result(0, first, nanos.size()).int_value(),
                       window.Result(1, first, nanos.size()).duration_nanos(),
                       window.Result(2, first, nanos.size()).duration_nanos(),
                       window.Result(3, first, nanos.size()).int_value()});
    window.Remove(first);
  }
  CHECK(results ==
        std::vector<std::vector<int64_t>>{{5, 27, 3, 4}, {4, 20, 3, 3}, {3, 17, 3, 3}, {2, 8, 3, 2}, {1, 5, 5, 1}});
}

TEST_CASE("incremental min and max of timestamps order by seconds, then nanos") {
  using plan::GroupAggregateKind;
  using value::Value;
  std::vector<plan::GroupAggregate> aggregates(2);
  aggregates[0].kind = GroupAggregateKind::kMin;
  aggregates[1].kind = GroupAggregateKind::kMax;
  std::vector<Value> stamps = {Value::Timestamp(10, 500), Value::Timestamp(10, 200), Value::Timestamp(9, 900),
                               Value::Timestamp(10, 900), Value::Timestamp(10, 200), Value::Timestamp(11, 0)};
  std::vector<Value> args;
  for (const Value& v : stamps) args.insert(args.end(), {v, v});
  interp::MemberArgs flat{args, aggregates.size()};
  interp::WindowAggregates window(aggregates, flat, stamps.size());
  std::vector<std::pair<int64_t, int32_t>> extremes;
  size_t last = 0;
  for (size_t first = 0; first + 3 <= stamps.size(); ++first) {
    for (; last < first + 3; ++last) window.Add(last);
    for (size_t a = 0; a < aggregates.size(); ++a) {
      Value incremental = window.Result(a, first, last);
      CHECK(value::Equal(incremental, interp::WindowAggregate(aggregates[a], a, flat, first, last)));
      extremes.emplace_back(incremental.timestamp_seconds(), incremental.timestamp_nanos());
    }
    window.Remove(first);
  }
  CHECK(extremes == std::vector<std::pair<int64_t, int32_t>>{
                        {9, 900}, {10, 500}, {9, 900}, {10, 900}, {9, 900}, {10, 900}, {10, 200}, {11, 0}});
}

TEST_CASE("members found out of time order: one window of every member, evidence in (t, seq) order") {
  auto compiled = testing::CompilePacks({"tests/plan/windows"});
  REQUIRE(compiled->plan != nullptr);
  // In the file out of time order; D is a group of one, which no window holds.
  std::string text = Session({{300, "C", "boot"}, {100, "C", "push"}, {50, "D", "boot"}, {200, "C", "boot"}});
  testing::Run run = testing::Evaluate(*compiled->plan, "o.jsonl", text);
  REQUIRE(run.sessions.size() == 1);
  auto found = testing::FindingsOf(*compiled->plan, run.sessions[0], "burst");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "3 starts of C in 200ms, 2 triggers");
  CHECK(found[0]->window.count == 3);
  CHECK(found[0]->window.first_t == 100);
  CHECK(found[0]->window.last_t == 300);
  std::vector<std::pair<int64_t, int64_t>> evidence_order;  // (t, seq), as the evidence lists it
  for (const findings::Evidence& evidence : found[0]->evidence) {
    evidence_order.emplace_back(evidence.t.value_or(-1), evidence.seq);
  }
  CHECK(evidence_order == std::vector<std::pair<int64_t, int64_t>>{{100, 2}, {200, 4}, {300, 1}});
  for (const findings::Evidence& evidence : found[0]->evidence) {
    CHECK(evidence.type == "launch");
    CHECK(evidence.file.str() == "o.jsonl");
    CHECK(evidence.role == findings::EvidenceRole::kTrigger);
  }
}

TEST_CASE("a window that slides past its first member: the holding window is the evidence and the count") {
  auto compiled = testing::CompilePacks({"tests/plan/windows"});
  REQUIRE(compiled->plan != nullptr);
  // [0, 1000) holds four starts but spans 800 ms; [600, 1600) holds three within 200 ms.
  std::string text = Session({{0, "E", "boot"}, {600, "E", "push"}, {700, "E", "boot"}, {800, "E", "push"}});
  testing::Run run = testing::Evaluate(*compiled->plan, "s.jsonl", text);
  REQUIRE(run.sessions.size() == 1);
  auto found = testing::FindingsOf(*compiled->plan, run.sessions[0], "burst");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message == "3 starts of E in 200ms, 2 triggers");
  CHECK(found[0]->window.count == 3);
  CHECK(found[0]->window.first_t == 600);
  CHECK(testing::Seqs(*found[0]) == std::vector<int64_t>{2, 3, 4});
}

TEST_CASE("a budget spent by the matches: finishing finds nothing, the rule errs; one step more finds all") {
  auto compiled = testing::CompilePacks({"tests/plan/windows"});
  REQUIRE(compiled->plan != nullptr);
  std::vector<std::tuple<int64_t, std::string, std::string>> launches;
  for (int64_t i = 0; i < 40; ++i) launches.emplace_back(i * 10, "A", i % 2 ? "push" : "boot");
  std::string text = Session(launches);
  testing::Run full = testing::Evaluate(*compiled->plan, "b.jsonl", text);
  auto expected = testing::FindingsOf(*compiled->plan, full.sessions[0], "burst");
  REQUIRE(expected.size() == 1);
  CHECK(expected[0]->window.count == 40);
  // A step per launch scanned: 40 are enough; with 39 the last launch is not matched.
  testing::Run enough = testing::Evaluate(*compiled->plan, "b.jsonl", text, {.base = 40, .per_record = 0});
  CHECK(enough.sessions[0].limits.empty());
  auto found = testing::FindingsOf(*compiled->plan, enough.sessions[0], "burst");
  REQUIRE(found.size() == 1);
  CHECK(testing::Seqs(*found[0]) == testing::Seqs(*expected[0]));
  CHECK(found[0]->window.count == 40);
  CHECK(found[0]->message == expected[0]->message);

  testing::Run spent = testing::Evaluate(*compiled->plan, "b.jsonl", text, {.base = 39, .per_record = 0});
  const interp::SessionEvaluation& session = spent.sessions[0];
  CHECK(session.stats.matches == 39);
  REQUIRE(session.limits.size() == 1);
  CHECK(session.limits[0].limit == "eval_steps");
  CHECK(session.result.summary.rule_errors.size() == 1);
  CHECK(testing::FindingsOf(*compiled->plan, session, "burst").empty());
}
