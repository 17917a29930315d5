// The differential comparison sees every field: changing any one field of an evaluation changes
// its description, and the diff names the line that changed.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/differential/compare.h"

using namespace edict;
using namespace edict::differential;

namespace {

RunInfo Info() {
  RunInfo info;
  info.rules.resize(2);
  info.rules[0].id = "first-rule";
  info.rules[1].id = "second-rule";
  return info;
}

Evaluation Sample() {
  Evaluation evaluation;
  findings::SessionSummary& summary = evaluation.result.summary;
  summary.id = "s1";
  summary.app = "com.example";
  summary.file = "facts.jsonl";
  summary.records = 3;
  summary.outcomes = {{Outcome::kViolated, ""}, {Outcome::kUndetermined, "hooks failed"}};
  summary.rule_errors = {{"second-rule", "pack.edict", 12, "division by zero"}};
  evaluation.limits = {{"s1", "eval_steps", 100}};
  Finding finding;
  finding.rule = 0;
  finding.message = "报告 1";
  finding.app = {"com.example", 7, "s1"};
  finding.subject.party = Party::kThird;
  finding.subject.sdk = "umeng";
  finding.data_types = {"id.imei"};
  finding.permissions = {"LOCATION"};
  finding.window = {1000, 2000, 2};
  finding.evidence = {{"facts.jsonl", 2, 1, "ev", EvidenceRole::kTrigger, 1000},
                      {"facts.jsonl", 3, 2, "act", EvidenceRole::kContext, 2000}};
  finding.cite = {"GEN:1"};
  finding.params = {{"pw", std::string("30s")}};
  finding.notes = {"a note"};
  evaluation.result.findings = {finding, finding};
  evaluation.result.findings[1].message = "报告 2";
  return evaluation;
}

}  // namespace

TEST_CASE("every field of an evaluation takes part in the comparison") {
  const RunInfo info = Info();
  const std::string base = Describe(Sample(), info);
  const std::vector<std::pair<const char*, std::function<void(Evaluation&)>>> changes = {
      {"session id", [](Evaluation& e) { e.result.summary.id = "s2"; }},
      {"records", [](Evaluation& e) { e.result.summary.records = 4; }},
      {"load error", [](Evaluation& e) { e.result.summary.error = "bad line"; }},
      {"outcome", [](Evaluation& e) { e.result.summary.outcomes[0].outcome = Outcome::kPassed; }},
      {"reason", [](Evaluation& e) { e.result.summary.outcomes[1].reason = "other"; }},
      {"rule error message", [](Evaluation& e) { e.result.summary.rule_errors[0].message = "overflow"; }},
      {"rule error line", [](Evaluation& e) { e.result.summary.rule_errors[0].line = 13; }},
      {"limit", [](Evaluation& e) { e.limits[0].value = 101; }},
      {"finding rule", [](Evaluation& e) { e.result.findings[0].rule = 1; }},
      {"kind", [](Evaluation& e) { e.result.findings[0].kind = Kind::kReview; }},
      {"severity", [](Evaluation& e) { e.result.findings[0].severity = Severity::kLow; }},
      {"message", [](Evaluation& e) { e.result.findings[0].message = "报告 3"; }},
      {"app version", [](Evaluation& e) { e.result.findings[0].app.version_code.reset(); }},
      {"subject party", [](Evaluation& e) { e.result.findings[0].subject.party = Party::kFirst; }},
      {"subject sdk", [](Evaluation& e) { e.result.findings[0].subject.sdk = "jpush"; }},
      {"subject component", [](Evaluation& e) { e.result.findings[0].subject.component = "c"; }},
      {"data types", [](Evaluation& e) { e.result.findings[0].data_types.push_back("loc"); }},
      {"permissions", [](Evaluation& e) { e.result.findings[0].permissions.clear(); }},
      {"window", [](Evaluation& e) { e.result.findings[0].window.count = 3; }},
      {"evidence seq", [](Evaluation& e) { e.result.findings[0].evidence[1].seq = 9; }},
      {"evidence role", [](Evaluation& e) { e.result.findings[0].evidence[0].role = EvidenceRole::kContext; }},
      {"evidence time", [](Evaluation& e) { e.result.findings[0].evidence[0].t.reset(); }},
      {"evidence order", [](Evaluation& e) { std::swap(e.result.findings[0].evidence[0], e.result.findings[0].evidence[1]); }},
      {"cite", [](Evaluation& e) { e.result.findings[0].cite.clear(); }},
      {"params", [](Evaluation& e) { e.result.findings[0].params[0].second = int64_t{30}; }},
      {"notes", [](Evaluation& e) { e.result.findings[0].notes.clear(); }},
      {"a finding more", [](Evaluation& e) { e.result.findings.push_back(e.result.findings[0]); }},
  };
  for (const auto& [what, change] : changes) {
    Evaluation changed = Sample();
    change(changed);
    INFO(what);
    CHECK(Describe(changed, info) != base);
    CHECK(!Diff("context", base, Describe(changed, info)).empty());
  }
}

TEST_CASE("findings compare as a set: their order in the result carries no meaning") {
  Evaluation swapped = Sample();
  std::swap(swapped.result.findings[0], swapped.result.findings[1]);
  CHECK(Describe(swapped, Info()) == Describe(Sample(), Info()));
}

TEST_CASE("a diff shows only the lines that differ, each side marked") {
  CHECK(Diff("same", "a\nb\n", "a\nb\n").empty());
  CHECK(Diff("ctx", "a\nb\nc\n", "a\nx\nc\n") == "ctx\n- interp b\n+ jit    x\n");
  CHECK(Diff("ctx", "a\n", "a\nb\n") == "ctx\n+ jit    b\n");
}
