// The evaluation budget: runaway evaluation (nested comprehensions are exponential) stops with
// an error instead of running for ever, in sessions, standalone expressions and constant folding.
#include <doctest/doctest.h>

#include "runtime/value/format.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

const char kNested[] =
    "l.map(a0, l.map(a1, l.map(a2, l.map(a3, l.map(a4, l.map(a5, l.map(a6, l.map(a7, a7))))))))";

const char kBudgetSession[] =
    R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"b",)"
    R"("started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},)"
    R"("device":{"platform":"android","os_version":"12"},"app":{"id":"com.example"},"redaction":"hashed"})" "\n"
    R"({"type":"api_call","seq":1,"t":5,"api":{"class":"C","method":"m"},"data_types":["id.imei","id.imsi",)"
    R"("id.iccid","id.serial","id.oaid","contacts","sms","call_log","calendar","clipboard"]})" "\n";

}  // namespace

TEST_CASE("a standalone expression stops at its budget, at run time or when folded") {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression(kNested, {{"l", "list(int)"}}, {}, sources, diags);
  REQUIRE(compiled != nullptr);
  std::vector<value::Value> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(value::Value::Int(i));
  value::Value result = interp::Evaluate(*compiled, {{"l", value::Value::List(ten)}});
  REQUIRE(result.is_error());
  CHECK(result.error_message() == "evaluation budget of 10000000 steps exhausted");

  // Over a constant list, each level folds to a constant while compiling, and the work is
  // linear: the budget is for runaway evaluation, not for large results.
  std::string constant = kNested;
  for (size_t at = constant.find("l."); at != std::string::npos; at = constant.find("l.", at)) {
    constant.replace(at, 1, "[0,1,2,3,4,5,6,7,8,9]");
  }
  auto folded = interp::CompileExpression(constant + ".size()", {}, {}, sources, diags);
  REQUIRE(folded != nullptr);
  value::Value size = interp::Evaluate(*folded, {});
  CHECK((size.is_int() && size.int_value() == 10));
}

TEST_CASE("the budget counts comprehension iterations, not nodes") {
  // 111,110 iterations of a 200-node step: far within 10,000,000 steps, although it evaluates
  // some 20,000,000 nodes (the unit both back ends count alike: native code counts no nodes).
  std::string sum = "a4";
  for (int i = 0; i < 99; ++i) sum += " + a4";
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression("l.map(a0, l.map(a1, l.map(a2, l.map(a3, l.map(a4, " + sum + ")))))",
                                            {{"l", "list(int)"}}, {}, sources, diags);
  REQUIRE(compiled != nullptr);
  std::vector<value::Value> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(value::Value::Int(i));
  value::Value result = interp::Evaluate(*compiled, {{"l", value::Value::List(ten)}});
  REQUIRE(result.is_list());
  CHECK(result.list_elements().size() == 10);
}

namespace {

// tests/plan/budget over kBudgetSession with `budget`: the runaway rule errs at the budget, the
// simple one keeps its finding, and the limit is reported with the session's budget.
void CheckStopsAtBudget(interp::StepBudget budget, int64_t expected) {
  auto compiled = testing::CompilePacks({"tests/plan/budget"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  testing::Run run = testing::Evaluate(*compiled->plan, "b.jsonl", kBudgetSession, budget);
  REQUIRE(run.sessions.size() == 1);
  const interp::SessionEvaluation& session = run.sessions[0];
  CHECK(testing::OutcomeOf(*compiled->plan, session, "nested") == findings::Outcome::kError);
  CHECK(testing::OutcomeOf(*compiled->plan, session, "simple") == findings::Outcome::kViolated);
  REQUIRE(session.limits.size() == 1);
  CHECK(session.limits[0].limit == "eval_steps");
  CHECK(session.limits[0].value == expected);
  bool reported = false;
  for (const auto& error : session.result.summary.rule_errors) {
    reported = reported || (error.rule == "nested" && error.message.find("evaluation budget") == 0);
  }
  CHECK(reported);
}

}  // namespace

TEST_CASE("a session that exhausts its budget keeps its findings and reports the limit") {
  CheckStopsAtBudget({}, static_cast<int64_t>(interp::kSessionStepsBase + interp::kSessionStepsPerRecord));
}

TEST_CASE("an evaluator given a smaller budget stops there, as the fuzz harnesses need") {
  CheckStopsAtBudget({.base = 5000, .per_record = 100}, 5100);
}
