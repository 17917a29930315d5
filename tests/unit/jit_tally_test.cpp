// exists and count as a Tally (runtime/interp/machine.h): what it keeps of tuples and their errors,
// and the answers of tests/plan/tallies — over one indexed scan (RunIndexedScan<Tally>) and over a
// join (the general path's TallySink) — in both engines, at every budget.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/interp/machine.h"
#include "runtime/value/errors.h"
#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;
using value::Value;

namespace {

std::string Consent(int seq, int t, const std::string& action, const std::string& version) {
  return R"({"type":"consent","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"doc":"privacy_policy","action":")" + action + R"(","method":"ui_click")" +
         (version.empty() ? "" : R"(,"policy_version":")" + version + "\"") + "}\n";
}

std::string Request(int seq, int t) { return testing::RequestLine(seq, t, R"(["android.permission.CAMERA"])"); }

// An erring line (no policy_version) first, two versioned lines, one the filter drops; requests
// before, between and after them.
std::string Facts() {
  return testing::HeaderLine() + Request(1, 0) + Consent(2, 2, "shown", "") + Request(3, 5) +
         Consent(4, 10, "agreed", "v1") + Consent(5, 10, "shown", "v2") + Request(6, 10) +
         Consent(7, 20, "rejected", "x3") + Request(8, 40);
}

// Every finding's rule, subject and message, sorted.
std::vector<std::string> Answers(const plan::Plan& plan, const interp::SessionEvaluation& session) {
  std::vector<std::string> answers;
  for (const findings::Finding& finding : session.result.findings) {
    answers.push_back(plan.rules[finding.rule].id + " " + finding.subject.sdk + ": " + finding.message);
  }
  std::sort(answers.begin(), answers.end());
  return answers;
}

Value Error(const std::string& message) { return Value::Error(value::ErrorCode::kInvalidArgument, message); }

}  // namespace

TEST_CASE("a tally's exists is true on a clean tuple whatever erred, else the first error") {
  interp::Frame frame;
  Value first = Error("first"), second = Error("second");
  interp::Tally exists;
  exists.exists = true;
  CHECK(exists.Result().is_bool());
  CHECK_FALSE(exists.Result().bool_value());
  CHECK(exists.Match(frame, &first));
  CHECK(exists.Match(frame, &second));
  CHECK(exists.Result().error_message() == "first");
  CHECK_FALSE(exists.Match(frame, nullptr));  // found: the query stops
  CHECK(exists.Result().is_bool());
  CHECK(exists.Result().bool_value());
}

TEST_CASE("a tally's count counts clean tuples and stops at the first error, its result") {
  interp::Frame frame;
  Value error = Error("erred");
  interp::Tally count;
  CHECK(count.Result().int_value() == 0);
  CHECK(count.Match(frame, nullptr));
  CHECK(count.Match(frame, nullptr));
  CHECK(count.Result().int_value() == 2);
  CHECK_FALSE(count.Match(frame, &error));
  CHECK(count.Result().error_message() == "erred");
}

TEST_CASE("exists and count over one indexed scan and over a join give their answers in both engines") {
  testing::NativeFixture fixture = testing::CompileNative("tests/plan/tallies");
  const plan::Plan& plan = fixture.plan();
  size_t one_scan = 0, joined = 0;
  for (const plan::Aggregate& aggregate : plan.aggregates) {
    REQUIRE_FALSE(aggregate.counted);
    if (interp::Machine::OneIndexedScan(aggregate.query)) ++one_scan;
    if (aggregate.query.scans.size() == 2) ++joined;
  }
  CHECK(one_scan == 4);
  CHECK(joined == 2);

  auto loaded = testing::LoadInPlace(plan, Facts());
  const std::string no_field = "<error: no such field: policy_version>";
  std::vector<std::string> expected = {
      "versioned-after-two request 1: 0 false",
      "versioned-after-two request 3: 0 false",
      "versioned-after-two request 6: 2 true",
      "versioned-after-two request 8: 2 true",
      "versioned-before request 1: 0 false",
      "versioned-before request 3: " + no_field + " " + no_field,
      "versioned-before request 6: " + no_field + " true",
      "versioned-before request 8: " + no_field + " true",
      "versioned-pairs-before request 1: 0 false",
      "versioned-pairs-before request 3: 0 false",
      "versioned-pairs-before request 6: " + no_field + " true",
      "versioned-pairs-before request 8: " + no_field + " true",
  };
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  CHECK(Answers(plan, interpreter.Evaluate(loaded->sessions[0])) == expected);
  CHECK(Answers(plan, jit.Evaluate(loaded->sessions[0])) == expected);
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 40);
}
