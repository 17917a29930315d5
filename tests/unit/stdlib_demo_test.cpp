// The demo (`make demo`): the standard library over the three apps of examples/apps. Its text
// report is compared byte for byte with examples/apps/EXPECTED.txt (runs EDICT_BINARY with
// --deterministic); examples/apps/EXPECTED.md justifies every finding from the catalog. After an
// intended change: `edict run --rules stdlib-rules/cn-app-privacy --deterministic --format text
// examples/apps/*.jsonl > examples/apps/EXPECTED.txt`, and review the diff against EXPECTED.md.
#include "tests/unit/cli_helpers.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

using namespace edict::cli_testing;
using nlohmann::json;

namespace {

constexpr char kDemoRun[] =
    "run --rules stdlib-rules/cn-app-privacy --deterministic --format text examples/apps/lehuo-mall-5.2.1.jsonl "
    "examples/apps/qingbao-news-4.1.0.jsonl examples/apps/xingyun-xiaoxiaole-3.7.2.jsonl";

}  // namespace

TEST_CASE("the demo's text report is the golden one") {
  Result run = Edict(kDemoRun);
  CHECK(run.exit_code == 1);  // fail findings
  CHECK(run.err.empty());
  std::string expected = ReadFile(fs::path(EDICT_SOURCE_DIR) / "examples/apps/EXPECTED.txt");
  REQUIRE_MESSAGE(!expected.empty(), "missing examples/apps/EXPECTED.txt");
  CHECK_MESSAGE(run.out == expected, "EXPECTED.txt differs at " << FirstDifference(expected, run.out));
}

TEST_CASE("the demo apps show what issue 5 asks for") {
  Result run = Edict("run --rules stdlib-rules/cn-app-privacy --deterministic --format json "
                     "examples/apps/lehuo-mall-5.2.1.jsonl examples/apps/qingbao-news-4.1.0.jsonl "
                     "examples/apps/xingyun-xiaoxiaole-3.7.2.jsonl");
  REQUIRE(run.exit_code == 1);
  std::istringstream lines(run.out);
  std::string line;
  std::vector<json> findings;
  json summary;
  while (std::getline(lines, line)) {
    json record = json::parse(line);
    if (record["type"] == "finding") findings.push_back(record);
    if (record["type"] == "summary") summary = record;
  }
  auto has = [&](const std::string& app, const std::string& rule, const std::string& subject_field,
                 const std::string& subject, const std::string& list, const std::string& item) {
    for (const json& f : findings) {
      if (f["app"]["id"] == app && f["rule"]["id"] == rule && f["subject"].value(subject_field, "") == subject &&
          std::find(f[list].begin(), f[list].end(), item) != f[list].end()) {
        return true;
      }
    }
    return false;
  };
  // A shopping app whose Umeng SDK reads the IMEI before consent.
  CHECK(has("com.lehuo.mall", "sdk-collect-before-consent", "sdk", "umeng", "data_types", "id.imei"));
  // A game that asks for location again 10 minutes after the user denied it.
  CHECK(has("com.xingyun.xiaoxiaole", "rerequest-after-denial", "party", "first", "permissions",
            "android.permission-group.LOCATION"));
  // A compliant news app with complete facts: no findings, no rule undetermined.
  for (const json& f : findings) CHECK(f["app"]["id"] != "com.qingbao.news");
  REQUIRE(summary.is_object());
  for (const json& session : summary["sessions"]) {
    if (session["app"] != "com.qingbao.news") continue;
    for (const auto& [rule, outcome] : session["outcomes"].items()) {
      CHECK_MESSAGE(outcome != "undetermined", rule);
      CHECK_MESSAGE(outcome != "error", rule);
    }
  }
  // Every data type the apps use is one the library knows (prefixes included, appfacts-1 §4).
  CHECK(summary["unknown_data_types"].empty());
}
