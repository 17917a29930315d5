// The CEL conformance suite (tests/conformance/cel, cel-spec v0.25.1) through the standalone
// expression API: at least 1,044 of the 1,098 core tests must pass. The other sections run too
// and are counted without a threshold: they are out of scope. Also tests the runner's judgement.
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

#include "tests/unit/conformance_cel.h"

using namespace edict::conformance;

namespace {

const std::string kSuitePath = std::string(EDICT_SOURCE_DIR) + "/tests/conformance/cel/cel-conformance.jsonl";
const std::string kSkipPath = "tests/conformance/cel/skip.txt";
constexpr size_t kSuiteTests = 1714;
constexpr size_t kCoreTests = 1098;
constexpr size_t kCorePassesRequired = 1044;

json Record(const std::string& expr, const json& expect, const json& extra = json::object()) {
  json test = {{"expr", expr}, {"expect", expect}};
  test.update(extra);
  return test;
}

std::string PrimitiveType(int primitive) { return json({{"case", "primitive"}, {"value", primitive}}).dump(); }

struct Tally {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;          // also counted as failed
  size_t at_compile_time = 0;  // also counted as passed

  void Add(const Tally& other) {
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    at_compile_time += other.at_compile_time;
  }
};

std::string Line(const std::string& label, const Tally& tally) {
  std::string text = label + std::to_string(tally.passed) + " passed, " + std::to_string(tally.failed) + " failed";
  std::vector<std::string> details;
  if (tally.at_compile_time > 0) {
    details.push_back(std::to_string(tally.at_compile_time) + " expected errors found by the checker");
  }
  if (tally.skipped > 0) details.push_back(std::to_string(tally.skipped) + " of the failures skipped");
  for (size_t i = 0; i < details.size(); ++i) text += (i == 0 ? " (" : "; ") + details[i];
  if (!details.empty()) text += ")";
  return text;
}

}  // namespace

TEST_CASE("the runner judges values, errors and checked types, and can fail") {
  CHECK(RunTest(Record("1 + 2", {{"value", {{"int", "3"}}}})).passed);
  CHECK_FALSE(RunTest(Record("1 + 2", {{"value", {{"int", "4"}}}})).passed);
  CHECK_FALSE(RunTest(Record("1 + 2", {{"value", {{"uint", "3"}}}})).passed);  // types must match exactly
  CHECK(RunTest(Record("1 / 0", {{"error", "division by zero"}})).passed);
  CHECK_FALSE(RunTest(Record("1 / 1", {{"error", "division by zero"}})).passed);

  // An expected error the checker proves is a pass; an unknown function proves nothing.
  Outcome type_error = RunTest(Record("'a' < 1", {{"error", "no such overload"}}));
  CHECK(type_error.passed);
  CHECK(type_error.at_compile_time);
  CHECK_FALSE(RunTest(Record("nope(1)", {{"error", "no such overload"}})).passed);
  CHECK(RunTest(Record("'a' < 1", {{"error", "no such overload"}}, {{"disable_check", true}})).passed);
  CHECK_FALSE(RunTest(Record("'a' < 1", {{"value", {{"bool", false}}}})).passed);

  json int_x = {{"type_env", {{{"name", "x"}, {"type", PrimitiveType(2)}}}}, {"bindings", {{"x", {{"int", "4"}}}}}};
  CHECK(RunTest(Record("x * 2", {{"value", {{"int", "8"}}}}, int_x)).passed);
  CHECK_FALSE(RunTest(Record("x + 'a'", {{"value", {{"string", "4a"}}}}, int_x)).passed);
  json dyn_x = {{"bindings", {{"x", {{"string", "a"}}}}}};  // no type_env: dyn
  CHECK(RunTest(Record("x + 'b'", {{"value", {{"string", "ab"}}}}, dyn_x)).passed);

  json list_of_one = {{"value", {{"list", {{{"int", "1"}}}}}}};
  CHECK(RunTest(Record("[1].map(x, x)", list_of_one)).passed);
  CHECK_FALSE(RunTest(Record("[1].map(x, x)", list_of_one, {{"disable_macros", true}})).passed);

  json check_only = {{"check_only", true}};
  json list_of_uint =
      json::parse(R"({"case":"listType","value":{"elemType":{"typeKind":{"case":"primitive","value":3}}}})");
  CHECK(RunTest(Record("[1u]", {{"type", list_of_uint}}, check_only)).passed);
  CHECK_FALSE(RunTest(Record("[1]", {{"type", list_of_uint}}, check_only)).passed);
  CHECK(RunTest(Record("1 / 0", json::object(), check_only)).passed);
}

TEST_CASE("cel-spec types map to Edict's type spellings") {
  auto spelling = [](const std::string& type_json) { return CelTypeSpelling(json::parse(type_json)); };
  CHECK(spelling(R"({"case":"primitive","value":1})") == "bool");
  CHECK(spelling(R"({"case":"primitive","value":6})") == "bytes");
  CHECK(spelling(R"({"case":"null","value":0})") == "null_type");
  CHECK(spelling(R"({"case":"dyn","value":{}})") == "dyn");
  CHECK(spelling(R"({"case":"wellKnown","value":2})") == "timestamp");
  CHECK(spelling(R"({"case":"messageType","value":"google.protobuf.Duration"})") == "duration");
  CHECK(spelling(R"({"case":"mapType","value":{"keyType":{"typeKind":{"case":"primitive","value":5}},)"
                 R"("valueType":{"typeKind":{"case":"listType","value":{"elemType":{"typeKind":)"
                 R"({"case":"primitive","value":2}}}}}}})") == "map(string, list(int))");
  CHECK(spelling(R"({"case":"wrapper","value":2})") == std::nullopt);
  CHECK(spelling(R"({"case":"messageType","value":"cel.expr.conformance.proto3.TestAllTypes"})") == std::nullopt);
  CHECK(spelling(R"({"case":"listType","value":{}})") == std::nullopt);
  CHECK(spelling(R"({"case":"primitive","value":9})") == std::nullopt);
}

TEST_CASE("the skip list may only name core tests that build protobuf messages") {
  std::vector<Case> cases = LoadSuite(kSuitePath);
  std::map<std::string, const Case*> suite;
  for (const Case& c : cases) suite.emplace(c.id, &c);
  std::istringstream text(
      "# a comment\n"
      "comparisons/eq_wrapper/eq_bool  builds a message\n"
      "comparisons/eq_wrapper/eq_bool  builds a message\n"
      "basic/self_eval_zeroish/self_eval_int_zero  does not\n"
      "string_ext/char_at/middle_index  extension\n"
      "comparisons/eq_wrapper/eq_int32\n"
      "no/such/test  reason\n");
  SkipList skips = ParseSkipList(text, "skip.txt", suite);
  CHECK(skips.ids == std::set<std::string>{"comparisons/eq_wrapper/eq_bool"});
  REQUIRE(skips.problems.size() == 5);
  CHECK(skips.problems[0] == "skip.txt:3: comparisons/eq_wrapper/eq_bool is listed twice");
  CHECK(skips.problems[1] ==
        "skip.txt:4: basic/self_eval_zeroish/self_eval_int_zero builds no protobuf message: only those tests may be "
        "skipped");
  CHECK(skips.problems[2].find("skip.txt:5: string_ext/char_at/middle_index is no core test") == 0);
  CHECK(skips.problems[3] == "skip.txt:6: comparisons/eq_wrapper/eq_int32 gives no reason");
  CHECK(skips.problems[4] == "skip.txt:7: no test 'no/such/test'");
}

TEST_CASE("the CEL conformance suite: at least 1,044 of the 1,098 core tests pass") {
  std::vector<Case> cases = LoadSuite(kSuitePath);
  REQUIRE(cases.size() == kSuiteTests);
  std::map<std::string, const Case*> suite;
  for (const Case& c : cases) suite.emplace(c.id, &c);
  std::ifstream skip_file(std::string(EDICT_SOURCE_DIR) + "/" + kSkipPath);
  REQUIRE(skip_file);
  SkipList skips = ParseSkipList(skip_file, kSkipPath, suite);
  for (const std::string& problem : skips.problems) FAIL_CHECK(problem);

  // Core failures are always listed; EDICT_CEL_VERBOSE=1 adds the other sections' failures and
  // the core tests whose expected error the checker found before evaluation.
  const char* verbose_env = std::getenv("EDICT_CEL_VERBOSE");
  const bool verbose = verbose_env != nullptr && std::string(verbose_env) == "1";
  std::vector<std::string> other_sections;
  std::map<std::string, Tally> tallies;
  std::ostringstream listing;
  for (const Case& c : cases) {
    const bool core = IsCore(c.section);
    if (!core && !tallies.count(c.section)) other_sections.push_back(c.section);
    Tally& tally = tallies[c.section];
    if (skips.ids.count(c.id)) {
      ++tally.failed;
      ++tally.skipped;
      continue;
    }
    Outcome outcome;
    try {
      outcome = RunTest(c.test);
    } catch (const std::exception& e) {
      outcome.why = std::string("exception: ") + e.what();
    }
    const std::string where = c.id + " (line " + std::to_string(c.line) + "): " + c.test["expr"].get<std::string>();
    if (outcome.passed) {
      ++tally.passed;
      if (outcome.at_compile_time) ++tally.at_compile_time;
      if (outcome.at_compile_time && verbose) listing << "PASS BY A CHECKER ERROR " << where << "\n";
      continue;
    }
    ++tally.failed;
    if (core || verbose) listing << "FAIL " << where << "\n  " << outcome.why << "\n";
  }

  std::cout << listing.str();
  Tally core, others;
  for (const std::string& section : CoreSections()) {
    std::cout << Line(section + ": ", tallies[section]) << "\n";
    core.Add(tallies[section]);
  }
  for (const std::string& section : other_sections) {
    std::cout << Line(section + ": ", tallies[section]) << "  [out of scope]\n";
    others.Add(tallies[section]);
  }
  std::cout << Line("out of scope sections: ", others) << "\n" << Line("core sections: ", core) << "\n";
  std::cout << Line("", core) << "\n";

  CHECK(core.passed + core.failed == kCoreTests);
  CHECK(core.passed >= kCorePassesRequired);
}
