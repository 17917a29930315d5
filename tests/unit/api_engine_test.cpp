// The public API end to end: compiling (diagnostics, profiles, parameters), loading facts from
// text (strict and lenient), evaluating, standalone CEL, and the semantics of tests in packs.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "edict/edict.h"

using namespace edict;

namespace {

namespace fs = std::filesystem;

const std::string kSource = EDICT_SOURCE_DIR;

CompileOptions Quickstart() {
  CompileOptions options;
  options.packs = {kSource + "/examples/quickstart"};
  options.pack_path = {kSource + "/stdlib-rules"};
  options.use_environment = false;
  return options;
}

const char kHeader[] =
    R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},)"
    R"("session":{"id":"s1","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script",)"
    R"("consent_method":"ui_click"},)"
    R"("device":{"platform":"android","os_version":"12","api_level":31},)"
    R"("app":{"id":"com.example","category":"06-online-shopping"},"redaction":"hashed"})";

std::string Denial(int seq, int t, const std::string& perm) {
  return R"({"type":"perm_result","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) +
         R"(,"perm":"android.permission.)" + perm + R"(","result":"denied","via":"user"})";
}

// A temporary directory removed at the end of the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("edict-api-test-" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  void Write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

const TestResult* FindTest(const TestReport& report, const std::string& name) {
  for (const TestResult& test : report.tests) {
    if (test.name == name) return &test;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("compile errors come back as located diagnostics, and no rule set") {
  TempDir dir;
  dir.Write("bad.edict",
            "pack bad 1.0.0 {\n  title: \"t\"\n  import appfacts\n}\n"
            "rule r {\n  title: \"t\"\n  severity: low\n  kind: fail\n  needs: [perm_result]\n"
            "  match d: perm_reslt\n  where true\n}\n");
  CompileOptions options;
  options.packs = {(dir.path / "bad.edict").string()};
  options.pack_path = {kSource + "/stdlib-rules"};
  Diagnostics diagnostics;
  CHECK_FALSE(RuleSet::Compile(options, diagnostics).has_value());
  REQUIRE(diagnostics.has_errors());
  const Diagnostic& first = diagnostics.items[0];
  CHECK(first.code == "E099");
  CHECK(first.line == 10);
  CHECK(first.text.find("did you mean 'perm_result'") != std::string::npos);
  CHECK(diagnostics.Render(false).find("generated.") != std::string::npos);
}

TEST_CASE("compiling rules to evaluate leaves their tests unread; running the tests checks them") {
  TempDir dir;
  dir.Write("pack.edict",
            "pack probe 1.0.0 {\n  title: \"t\"\n  import appfacts\n}\n"
            "rule r {\n  title: \"t\"\n  severity: low\n  kind: fail\n  needs: [perm_result]\n"
            "  match d: perm_result\n  where d.result == \"denied\"\n}\n");
  dir.Write("tests.edict",
            "test \"unknown rule\" {\n  facts \"none.jsonl\"\n  expect nosuch: passed\n}\n"
            "test \"syntax\" {\n  facts \"none.jsonl\"\n  expect r passed\n}\n");
  CompileOptions options;
  options.packs = {dir.path.string()};
  options.pack_path = {kSource + "/stdlib-rules"};
  options.use_environment = false;
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  CHECK(diagnostics.items.empty());
  std::string facts = std::string(kHeader) + "\n" + Denial(1, 1000, "CAMERA") + "\n";
  LoadResult loaded = rules->Load(std::vector<Input>{Input::Text("mem.jsonl", facts)});
  REQUIRE(loaded.sessions.size() == 1);
  CHECK(rules->Evaluate(loaded.sessions[0]).result.findings.size() == 1);

  TestOptions test_options;
  test_options.packs = options.packs;
  test_options.pack_path = options.pack_path;
  test_options.use_environment = false;
  std::string rendered = RunTests(test_options).diagnostics.Render(false);
  CHECK(rendered.find("tests.edict:7:12: error[E010]") != std::string::npos);
  dir.Write("tests.edict", "test \"unknown rule\" {\n  facts \"none.jsonl\"\n  expect nosuch: passed\n}\n");
  rendered = RunTests(test_options).diagnostics.Render(false);
  CHECK(rendered.find("tests.edict:3:10: error[E091]: unknown rule 'nosuch'") != std::string::npos);
  CHECK(RuleSet::Compile(options, diagnostics).has_value());
}

TEST_CASE("profiles and parameters are part of the compiled rule set") {
  Diagnostics diagnostics;
  CompileOptions options = Quickstart();
  options.profile = "tencent";
  options.params = {{"rerequest_window", "1h"}};
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  REQUIRE_MESSAGE(rules.has_value(), diagnostics.Render(false));
  const RunInfo& info = rules->info();
  CHECK(info.profile == "tencent");
  CHECK(info.engine.name == "edict");
  REQUIRE(info.rulesets.size() == 2);  // appfacts, then quickstart
  CHECK(info.rulesets[1].pack == "quickstart");
  CHECK(info.rulesets[1].sha256.size() == 64);
  bool window_found = false;
  for (const auto& [name, value] : info.params) {
    if (name == "rerequest_window") window_found = std::get<std::string>(value) == "3600s";
    if (name == "max_reads") CHECK(std::get<int64_t>(value) == 1);
  }
  CHECK(window_found);
  CHECK(rules->PlanText().find("rerequest-after-denial") != std::string::npos);

  options.profile = "huawie";
  CHECK_FALSE(RuleSet::Compile(options, diagnostics).has_value());
  REQUIRE(diagnostics.has_errors());
  CHECK(diagnostics.items[0].code == "E049");
  CHECK(diagnostics.items[0].text.find("did you mean 'huawei'") != std::string::npos);

  options.profile = "baseline";
  options.params = {{"max_reads", "\"ten\""}};
  CHECK_FALSE(RuleSet::Compile(options, diagnostics).has_value());
  CHECK(diagnostics.items[0].code == "E044");
  CHECK(diagnostics.items[0].text.rfind("--param max_reads:1:1:", 0) == 0);
}

TEST_CASE("facts from text: strict mode fails the session, lenient mode skips and lists the record") {
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(Quickstart(), diagnostics);
  REQUIRE(rules.has_value());
  std::string text = std::string(kHeader) + "\n" + Denial(1, 1000, "CAMERA") + "\n{\"type\":\"perm_result\",\"seq\":2}\n";
  std::vector<Input> inputs = {Input::Text("mem.jsonl", text)};

  LoadResult strict = rules->Load(inputs);
  REQUIRE(strict.sessions.size() == 1);
  REQUIRE(strict.sessions[0].error().has_value());
  CHECK(strict.sessions[0].error()->rfind("mem.jsonl:3:", 0) == 0);
  Evaluation failed = rules->Evaluate(strict.sessions[0]);
  CHECK(failed.result.summary.error.has_value());
  CHECK(failed.result.summary.outcomes.empty());

  LoadResult lenient = rules->Load(inputs, LoadMode::kLenient);
  REQUIRE(lenient.sessions.size() == 1);
  CHECK_FALSE(lenient.sessions[0].error().has_value());
  CHECK(lenient.sessions[0].id() == "s1");
  REQUIRE(lenient.skipped.size() == 1);
  CHECK(lenient.skipped[0].line == 3);
  Evaluation evaluation = rules->Evaluate(lenient.sessions[0]);
  CHECK(evaluation.result.summary.outcomes.size() == rules->info().rules.size());

  // A session belongs to the rule set that loaded it; an empty one is no session.
  std::optional<RuleSet> other = RuleSet::Compile(Quickstart(), diagnostics);
  REQUIRE(other.has_value());
  Evaluation foreign = other->Evaluate(lenient.sessions[0]);
  CHECK(foreign.result.summary.error == "the session was loaded by another rule set");
  CHECK(foreign.result.summary.outcomes.empty());
  Evaluation empty = rules->Evaluate(Session());
  CHECK(empty.result.summary.error == "not a loaded session");
}

TEST_CASE("standalone CEL: values, CEL errors, located syntax errors, variables") {
  ExpressionResult sum = EvaluateExpression("1 + 2 * 3", {});
  CHECK(sum.ok);
  CHECK_FALSE(sum.cel_error);
  CHECK(sum.text == "7");
  CHECK(sum.type == "int");

  ExpressionResult overflow = EvaluateExpression("9223372036854775807 + 1", {});
  CHECK(overflow.ok);
  CHECK(overflow.cel_error);
  CHECK(overflow.text.find("overflow") != std::string::npos);

  ExpressionResult syntax = EvaluateExpression("1 +", {});
  CHECK_FALSE(syntax.ok);
  REQUIRE(syntax.diagnostics.has_errors());
  CHECK(syntax.diagnostics.items[0].text.find("<expression>:1:") != std::string::npos);

  ExpressionResult vars = EvaluateExpression("d > 1h && name.startsWith(\"um\")", {{"d", "90m"}, {"name", "\"umeng\""}});
  CHECK(vars.ok);
  CHECK(vars.text == "true");

  ExpressionResult bad_var = EvaluateExpression("x", {{"x", "1 +"}});
  CHECK_FALSE(bad_var.ok);
  REQUIRE(bad_var.diagnostics.has_errors());
  CHECK(bad_var.diagnostics.items[0].text.find("--var x:1:") != std::string::npos);

  ExpressionResult type_error = EvaluateExpression("1 + \"a\"", {});
  CHECK_FALSE(type_error.ok);
  CHECK(type_error.diagnostics.has_errors());
}

TEST_CASE("tests in packs: findings are matched one to one, counts and outcomes checked") {
  TempDir dir;
  fs::path pack = dir.path / "probe";
  fs::create_directories(pack);
  std::ofstream(pack / "pack.edict") << R"(pack probe 1.0.0 {
  title: "probe"
  import appfacts >= 1.0.0
}

rule denied {
  title: "a denial"
  severity: low
  kind: fail
  cite: ["MIIT-164:5/S5"]
  needs: [perm_result]
  match r: perm_result
  where r.result == "denied"
  subject: {"party": "first"}
  permissions: [perm_group(r.perm)]
  report: "denied {r.perm}"
}
)";
  std::ofstream(pack / "facts.jsonl") << kHeader << "\n"
                                      << Denial(1, 1000, "ACCESS_FINE_LOCATION") << "\n"
                                      << Denial(2, 2000, "CAMERA") << "\n";
  const std::string location = "[\"android.permission-group.LOCATION\"]";
  const std::string camera = "[\"android.permission-group.CAMERA\"]";
  std::ofstream(pack / "tests.edict")
      << "test \"both described\" {\n  facts \"facts.jsonl\"\n  expect denied: 2 findings\n"
      << "  expect denied: permissions " << location << ", evidence [1]\n"
      << "  expect denied: permissions " << camera << ", evidence [2], subject \"app\", message \"CAMERA\"\n}\n"
      << "test \"one undescribed finding\" {\n  facts \"facts.jsonl\"\n  expect denied: permissions " << location
      << "\n}\n"
      << "test \"a count allows more\" {\n  facts \"facts.jsonl\"\n  expect denied: 2 findings, permissions "
      << location << "\n}\n"
      << "test \"wrong count\" {\n  facts \"facts.jsonl\"\n  expect denied: 3 findings\n}\n"
      << "test \"wrong outcome\" {\n  facts \"facts.jsonl\"\n  expect denied: passed\n}\n"
      << "test \"one finding described twice\" {\n  facts \"facts.jsonl\"\n  expect denied: 2 findings\n"
      << "  expect denied: permissions " << location << "\n  expect denied: evidence [1]\n}\n"
      << "test \"wrong evidence\" {\n  facts \"facts.jsonl\"\n  expect denied: 2 findings, evidence [1, 2]\n}\n"
      << "test \"inline facts, a duration for t\" {\n  facts [\n    " << kHeader << ",\n"
      << "    {\"type\": \"perm_result\", \"seq\": 7, \"t\": 60s, \"perm\": \"android.permission.CAMERA\", "
      << "\"result\": \"denied\", \"via\": \"user\"}\n  ]\n"
      << "  expect denied: 1 finding, permissions " << camera << ", evidence [7], message \"CAMERA\"\n}\n";

  TestOptions options;
  options.packs = {pack.string()};
  options.pack_path = {kSource + "/stdlib-rules"};
  options.use_environment = false;
  TestReport report = RunTests(options);
  REQUIRE_MESSAGE(!report.diagnostics.has_errors(), report.diagnostics.Render(false));
  REQUIRE(report.tests.size() == 8);
  CHECK(report.passed == 3);
  CHECK(report.failed == 5);

  auto problems = [&](const std::string& name) {
    const TestResult* test = FindTest(report, name);
    REQUIRE(test != nullptr);
    CHECK_MESSAGE(test->error.empty(), test->error);
    std::vector<std::string> out;
    for (const ExpectFailure& failure : test->failures) out.push_back(failure.problem);
    return out;
  };
  CHECK(problems("both described").empty());
  CHECK(problems("a count allows more").empty());
  CHECK(problems("inline facts, a duration for t").empty());
  CHECK(problems("one undescribed finding") ==
        std::vector<std::string>{"1 more finding than the expect lines describe (a count line allows more)"});
  CHECK(problems("wrong count") == std::vector<std::string>{"expected 3 findings, found 2"});
  CHECK(problems("wrong outcome") == std::vector<std::string>{"expected passed, found violated"});
  CHECK(problems("one finding described twice") ==
        std::vector<std::string>{"the findings it describes are described by other expect lines too"});
  CHECK(problems("wrong evidence") == std::vector<std::string>{"no finding matches this description"});

  const TestResult* wrong = FindTest(report, "wrong evidence");
  REQUIRE(wrong->failures.size() == 1);
  const ExpectFailure& failure = wrong->failures[0];
  CHECK(failure.rule == "denied");
  CHECK(failure.line == 31);
  CHECK(failure.expected == "expect denied: 2 findings, evidence [1, 2]");
  CHECK(failure.found ==
        "violated, 2 findings\n"
        "- app, permissions [android.permission-group.LOCATION], evidence [1]\n"
        "- app, permissions [android.permission-group.CAMERA], evidence [2]");

  REQUIRE(report.rules.size() == 1);
  CHECK(report.rules[0].rule == "denied");
  CHECK(report.rules[0].tests == 8);
  CHECK(report.rules[0].passed == 3);
  CHECK(report.rules[0].failed == 5);
}
