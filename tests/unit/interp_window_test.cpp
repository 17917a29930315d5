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
