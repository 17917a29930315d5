// The JSON Lines rendering: one finding per line in report order, exactly the fields of
// findings-1.md, and the run summary as the last line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "runtime/findings/fingerprint.h"
#include "runtime/findings/json_encode.h"
#include "runtime/findings/json_writer.h"
#include "tests/findings/sample_run.h"

using namespace edict::findings;
using nlohmann::ordered_json;

namespace {

std::vector<ordered_json> Lines(const RunResult& run) {
  std::ostringstream out;
  JsonLinesWriter writer(out);
  WriteRun(run, writer);
  std::vector<ordered_json> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(ordered_json::parse(line));
  return lines;
}

std::vector<std::string> Keys(const ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

}  // namespace

TEST_CASE("findings come first, one per line, and the summary is the last line") {
  std::vector<ordered_json> lines = Lines(sample::SampleRun());
  REQUIRE(lines.size() == 6);
  for (size_t i = 0; i + 1 < lines.size(); ++i) CHECK(lines[i]["type"] == "finding");
  CHECK(lines.back()["type"] == "summary");
}

TEST_CASE("a finding has exactly the fields of findings-1.md, in its order") {
  std::vector<ordered_json> lines = Lines(sample::SampleRun());
  const ordered_json& finding = lines[0];
  CHECK(Keys(finding) == std::vector<std::string>{"type", "id", "rule", "kind", "severity", "message", "app",
                                                  "subject", "data_types", "permissions", "window", "evidence",
                                                  "cite", "params", "notes"});
  CHECK(Keys(finding["rule"]) == std::vector<std::string>{"id", "pack", "version", "title"});
  CHECK(Keys(finding["app"]) == std::vector<std::string>{"id", "version_code", "session"});
  CHECK(Keys(finding["window"]) == std::vector<std::string>{"first_t", "last_t", "count"});
  CHECK(Keys(finding["evidence"][0]) == std::vector<std::string>{"file", "line", "seq", "type", "role", "t"});
}

TEST_CASE("the summary has exactly the fields of findings-1.md") {
  ordered_json summary = Lines(sample::SampleRun()).back();
  CHECK(Keys(summary) == std::vector<std::string>{"type", "engine", "rulesets", "profile", "params", "sessions",
                                                  "totals", "skipped_records", "unknown_kinds",
                                                  "unknown_data_types", "limits_hit", "timings_ms"});
  // findings-1.md's engine object, plus issue 4's counters: sessions run natively, and expressions
  // the interpreter ran inside them instead (fallbacks, 0 unless code generation lacks an op).
  CHECK(Keys(summary["engine"]) ==
        std::vector<std::string>{"name", "version", "backend", "native_sessions", "fallbacks"});
  CHECK(Keys(summary["sessions"][0]) == std::vector<std::string>{"id", "app", "file", "records", "error",
                                                                 "outcomes", "undetermined_reasons",
                                                                 "rule_errors"});
  CHECK(summary["totals"] == ordered_json::parse(R"({"sessions":4,"records":55,"findings":{"fail":4,"review":1},
      "outcomes":{"violated":4,"passed":5,"not_applicable":3,"undetermined":11,"error":1}})"));
  // Parameters keep their JSON types; durations arrive printed.
  CHECK(summary["params"]["max_reads"] == 10);
  CHECK(summary["params"]["rerequest_window"] == "172800s");
  CHECK(summary["params"]["refuse_texts"][0] == "不同意");
}

TEST_CASE("every session lists every rule's outcome; a failed session has an error and no outcomes") {
  ordered_json sessions = Lines(sample::SampleRun()).back()["sessions"];
  REQUIRE(sessions.size() == 4);
  CHECK(sessions[0]["outcomes"].size() == sample::kRuleCount);
  CHECK(sessions[0]["outcomes"]["policy-missing"] == "undetermined");
  CHECK(sessions[0]["undetermined_reasons"]["policy-missing"] == "policy_doc not captured");
  CHECK(sessions[0]["error"].is_null());
  CHECK(sessions[1]["rule_errors"][0]["line"] == 23);
  CHECK(sessions[2]["error"] == "facts/game-broken.jsonl:1: header: missing field 'schema'");
  CHECK(sessions[2]["outcomes"].empty());
}

TEST_CASE("findings are in rule order, then by first evidence, with evidence in time order") {
  std::vector<ordered_json> lines = Lines(sample::SampleRun());
  std::vector<std::string> order;
  for (size_t i = 0; i + 1 < lines.size(); ++i) order.push_back(lines[i]["rule"]["id"]);
  CHECK(order == std::vector<std::string>{"sdk-collect-before-consent", "sdk-collect-before-consent",
                                          "rerequest-after-denial", "share-before-consent",
                                          "over-declared-permission"});
  CHECK(lines[0]["subject"]["sdk"] == "umeng");  // first evidence t=402 before the OAID read at t=650
  const ordered_json& evidence = lines[0]["evidence"];
  CHECK(evidence[0]["seq"] == 3);
  CHECK(evidence[1]["seq"] == 4);
  CHECK(evidence[2]["role"] == "context");
  // Static records have no time.
  CHECK(lines[4]["evidence"][0]["t"].is_null());
  CHECK(lines[4]["window"]["first_t"].is_null());
}

TEST_CASE("the id is the fingerprint and absent subject fields are left out") {
  RunResult run = sample::SampleRun();
  std::vector<ordered_json> lines = Lines(run);
  const Finding& umeng = run.sessions[0].findings[3];
  CHECK(lines[0]["id"] == Fingerprint("sdk-collect-before-consent", umeng));
  CHECK_FALSE(lines[0]["subject"].contains("org"));
  CHECK(lines[0]["subject"]["party"] == "third");
}

TEST_CASE("invalid UTF-8 from the input does not stop the report") {
  RunResult run = sample::SampleRun();
  run.sessions[0].findings[0].message = "bad \xff byte";
  std::vector<ordered_json> lines = Lines(run);
  REQUIRE(lines.size() == 6);
  CHECK(lines[3]["message"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("a finding naming a rule that does not exist is still written") {
  RunResult run = sample::SampleRun();
  run.sessions[1].findings[0].rule = 99;
  std::vector<ordered_json> lines = Lines(run);
  REQUIRE(lines.size() == 6);
  CHECK(lines[4]["rule"]["id"] == "");
}

TEST_CASE("a finding line is the dump of the finding object, evidence spelled directly included") {
  RunResult run = sample::SampleRun();
  Finding odd = run.sessions[0].findings[0];
  Evidence quoted{"dir \"x\"/会话\xff.jsonl", 3, -2, "api_call", EvidenceRole::kContext, std::nullopt};
  Evidence negative{"dir \"x\"/会话\xff.jsonl", 18446744073709551615ull, 9, "perm\\request", EvidenceRole::kTrigger,
                    -5};
  Evidence other_file{"b.jsonl", 0, 0, "perm\\request", EvidenceRole::kTrigger, 0};
  odd.evidence = {quoted, negative, other_file, quoted};
  Finding none = odd;
  none.evidence.clear();
  std::vector<Finding> findings = {odd, none};
  for (const SessionResult& session : run.sessions) findings.insert(findings.end(), session.findings.begin(), session.findings.end());
  for (const Finding& finding : findings) CHECK(FindingLine(run.info, finding) == Dump(FindingJson(run.info, finding)));
}
