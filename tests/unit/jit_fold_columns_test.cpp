// Comprehensions in native code against the interpreter: folds over list columns (a step that is
// `element in <constant set>` runs as one loop over the element ids, known data types decided by
// a bitmap, unknown ones and strings by the step's own test), and folds over list values with
// bool steps, errors and owned elements. Values, errors, budget cut-off and work counters must be
// the interpreter's, in several sessions through one evaluator.
#include <doctest/doctest.h>

#include "runtime/facts/loader.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using value::Value;

namespace {

// The findings' messages of rule `rule`, by subject (the record's seq), from both back ends.
struct Sessions {
  std::vector<std::string> interpreted, native;
};

Sessions RunPack() {
  auto compiled = testing::CompilePacks({"tests/plan/list_folds"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  std::string text = testing::ReadFile("tests/plan/list_folds/sessions.jsonl");
  facts::InputSource source = facts::InputSource::Text("sessions.jsonl", text);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 3);
  // One evaluator per back end for every session: unknown data types are numbered per session.
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code);
  Sessions out;
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation expected = interpreter.Evaluate(session);
    interp::SessionEvaluation actual = jit.Evaluate(session);
    CHECK(actual.stats.fallbacks == 0);
    out.interpreted.push_back(testing::Describe(plan, expected));
    out.native.push_back(testing::Describe(plan, actual));
  }
  return out;
}

bool Has(const std::string& described, const std::string& text) { return described.find(text) != std::string::npos; }

const std::vector<plan::Variable> kVariables = {{"ls", "list(string)"}, {"owned", "list(string)"},
                                                {"l", "list(int)"},     {"mixed", "list(dyn)"},
                                                {"nested", "list(list(int))"}, {"empty", "list(string)"}};

std::map<std::string, Value> Bindings() {
  std::string long_text(40, 'z');  // longer than any inline string: an owned, shared value
  return {
      {"ls", Value::List({Value::String("sms"), Value::String("contacts"), Value::String("x")})},
      {"owned", Value::List({Value::String(long_text + "a"), Value::String(long_text + "b")})},
      {"l", Value::List({Value::Int(1), Value::Int(2), Value::Int(3)})},
      {"mixed", Value::List({Value::Int(1), Value::String("a"), Value::Bool(true)})},
      {"nested", Value::List({Value::List({Value::Int(1)}), Value::List({}), Value::List({Value::Int(2), Value::Int(3)})})},
      {"empty", Value::List({})},
  };
}

std::string Both(const std::string& text) { return testing::ExpressionBothWays(text, kVariables, Bindings()); }

}  // namespace

TEST_CASE("folds over list columns agree: sets, unknown data types, absent lists, errors, budget") {
  Sessions sessions = RunPack();
  for (size_t i = 0; i < sessions.native.size(); ++i) CHECK(sessions.native[i] == sessions.interpreted[i]);
  const std::string& folds = sessions.native[0];
  // Known and unknown data types in the set (x.vendor is no schema id), repeated elements kept.
  CHECK(Has(folds, R"(x.vendor, id.imei, x.vendor x.vendor, x.vendor true false false true, false, false, true true)"));
  // Empty lists give the neutral results.
  CHECK(Has(folds, R"("message":"  false true false  false")"));
  // A step's error: exists absorbs it behind a true, all and filter do not.
  CHECK(Has(folds, R"(true <error: division by zero> contacts, clipboard)"));
  // An absent optional list is the read's error; string lists take the step's own test.
  CHECK(Has(folds, "<error: no such field: data_types>"));
  CHECK(Has(folds, "<error: no such field: refused>"));
  CHECK(Has(folds, R"("message":"x.vendor, sms true false")"));
  // The second session numbers its unknown data types the other way round.
  CHECK(Has(sessions.native[1], R"(x.vendor, sms, x.vendor x.vendor, sms, x.vendor true false false false, true, true, true true)"));
  // The third runs out of budget inside the innermost set fold, at the interpreter's step.
  CHECK(Has(sessions.native[2], "limit eval_steps 100010000"));
  CHECK(Has(sessions.native[2], "evaluation budget of 100010000 steps exhausted"));
}

TEST_CASE("folds over list values agree: bool steps, errors, owned elements") {
  CHECK(Both("ls.exists(e, e == 'contacts')") == "bool true");
  CHECK(Both("ls.all(e, e.size() > 0)") == "bool true");
  CHECK(Both("ls.filter(e, e.size() > 1)") == "list [\"sms\", \"contacts\"]");
  CHECK(Both("empty.exists(e, e == 'a')") == "bool false");
  CHECK(Both("empty.all(e, e == 'a')") == "bool true");
  CHECK(Both("empty.filter(e, e == 'a')") == "list []");
  // Errors and non-bool steps: absorbed by a deciding element, else the result.
  CHECK(Both("l.exists(e, 6 / (e - 1) > 0)") == "bool true");
  CHECK(Both("l.exists(e, 6 / (e - 3) > 100)").find("error") == 0);
  CHECK(Both("l.all(e, 6 / (e - 1) > 0)").find("error") == 0);
  CHECK(Both("l.all(e, 6 / (e - 1) > 100)") == "bool false");
  CHECK(Both("mixed.exists(e, e)") == "bool true");
  CHECK(Both("mixed.all(e, e)").find("error") == 0);
  CHECK(Both("mixed.filter(e, e == 1)").find("list") == 0);
  CHECK(Both("mixed.filter(e, e)").find("error") == 0);
  CHECK(Both("l.map(e, e > 1, e * 2)") == "list [4, 6]");
  Both("l.map(e, e == 2 ? 6 / (e - 2) : e)");
  // Owned elements are shared, not copied bit for bit, and outlive the loop in the result.
  Both("owned.filter(e, e.endsWith('b'))");
  Both("owned.map(e, e + '!')");
  Both("owned.exists(e, e.endsWith('b')) && owned.all(e, e.size() == 41)");
  Both("nested.filter(e, size(e) > 0).map(e, e.exists(x, x > 2))");
  Both("nested.map(e, e.filter(x, x > 1))");
  Both("ls.exists_one(e, e == 'sms')");
  Both("l.exists(i, e, i == 1 && e == 2)");
}
