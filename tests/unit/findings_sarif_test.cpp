// The SARIF rendering: severity → level, kind, taxonomies and taxa, locations, code flows and the
// run summary in run.properties. (Schema validity is checked by the findings_sarif_validates test.)
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "runtime/findings/fingerprint.h"
#include "runtime/findings/sarif_writer.h"
#include "runtime/findings/taxonomies.h"
#include "tests/findings/sample_run.h"

using namespace edict::findings;
using nlohmann::json;

namespace {

json Sarif(const RunResult& run) {
  std::ostringstream out;
  SarifWriter writer(out);
  WriteRun(run, writer);
  return json::parse(out.str());
}

}  // namespace

TEST_CASE("severity maps to level as findings-1.md says") {
  CHECK(SarifLevel(Severity::kCritical) == "error");
  CHECK(SarifLevel(Severity::kHigh) == "error");
  CHECK(SarifLevel(Severity::kMedium) == "warning");
  CHECK(SarifLevel(Severity::kLow) == "note");
  CHECK(SarifLevel(Severity::kInfo) == "note");
}

TEST_CASE("only fail results carry a level; review results have level none (SARIF 3.27.10)") {
  CHECK(SarifResultLevel(Kind::kFail, Severity::kCritical) == "error");
  CHECK(SarifResultLevel(Kind::kFail, Severity::kMedium) == "warning");
  CHECK(SarifResultLevel(Kind::kReview, Severity::kHigh) == "none");
}

TEST_CASE("security-severity scores sit in GitHub's bands and info has none") {
  CHECK(SecuritySeverity(Severity::kCritical) == "9.5");
  CHECK(SecuritySeverity(Severity::kHigh) == "8.0");
  CHECK(SecuritySeverity(Severity::kMedium) == "5.5");
  CHECK(SecuritySeverity(Severity::kLow) == "2.0");
  CHECK_FALSE(SecuritySeverity(Severity::kInfo).has_value());
}

TEST_CASE("artifact URIs are valid URI references") {
  CHECK(ArtifactUri("facts/a.jsonl") == "facts/a.jsonl");
  CHECK(ArtifactUri("/data/run 1/a.jsonl") == "file:///data/run%201/a.jsonl");
  CHECK(ArtifactUri("会话.jsonl") == "%E4%BC%9A%E8%AF%9D.jsonl");
  CHECK(ArtifactUri("a#b?.jsonl") == "a%23b%3F.jsonl");
}

TEST_CASE("cite keys split into taxonomy and clause") {
  CHECK(SplitCite("MIIT-164:1/S2").taxonomy == "MIIT-164");
  CHECK(SplitCite("MIIT-164:1/S2").id == "1/S2");
  CHECK(SplitCite("GB/T-35273:6.3").taxonomy == "GB/T-35273");
  CHECK(SplitCite("TAF-124").id == "TAF-124");  // a whole document
  CHECK(FindTaxonomy("CAC-191") != nullptr);
  CHECK(FindTaxonomy("PIPL") == nullptr);
}

TEST_CASE("one run with the driver's rules, every catalog taxonomy and the run summary") {
  json sarif = Sarif(sample::SampleRun());
  CHECK(sarif["version"] == "2.1.0");
  CHECK(sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(sarif["runs"].size() == 1);
  const json& run = sarif["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == sample::kRuleCount);
  CHECK(rules[1]["id"] == "collect-before-consent");
  CHECK(rules[1]["name"] == "CollectBeforeConsent");
  CHECK(rules[1]["shortDescription"]["text"] == "APP在征得用户同意前收集个人信息");
  CHECK(rules[1]["help"]["text"].get<std::string>().find("MIIT-164:1/S2") != std::string::npos);
  CHECK(rules[1]["properties"]["security-severity"] == "8.0");
  CHECK(rules[1]["properties"]["tags"] == json::parse(R"(["privacy","consent","security"])"));

  const json& taxonomies = run["taxonomies"];
  REQUIRE(taxonomies.size() == KnownTaxonomies().size());
  for (size_t i = 0; i < taxonomies.size(); ++i) CHECK(taxonomies[i]["name"] == KnownTaxonomies()[i].name);

  CHECK(run["properties"]["sessions"].size() == 4);
  CHECK(run["properties"]["sessions"][3]["outcomes"]["dual-list-missing"] == "undetermined");
  CHECK(run["properties"]["totals"]["findings"]["review"] == 1);
}

TEST_CASE("results point at rules, taxa, the trigger line and the subject") {
  RunResult sample_run = sample::SampleRun();
  json sarif = Sarif(sample_run);
  const json& run = sarif["runs"][0];
  const json& results = run["results"];
  REQUIRE(results.size() == 5);

  const json& umeng = results[0];
  CHECK(umeng["ruleId"] == "sdk-collect-before-consent");
  CHECK(umeng["ruleIndex"] == sample::kSdkCollectBeforeConsent);
  CHECK(umeng["kind"] == "fail");
  CHECK(umeng["level"] == "error");
  CHECK(umeng["fingerprints"]["appfindings/v1"] ==
        Fingerprint("sdk-collect-before-consent", sample_run.sessions[0].findings[3]));
  CHECK(umeng["properties"]["session"] == "s-01");

  // Every taxon reference resolves to the taxonomy and taxon it names.
  for (const json& result : results) {
    for (const json& taxon : result["taxa"]) {
      const json& taxonomy = run["taxonomies"][taxon["toolComponent"]["index"].get<size_t>()];
      CHECK(taxonomy["name"] == taxon["toolComponent"]["name"]);
      CHECK(taxonomy["taxa"][taxon["index"].get<size_t>()]["id"] == taxon["id"]);
    }
  }
  CHECK(umeng["taxa"][0]["id"] == "1/S4");
  CHECK(umeng["taxa"][0]["toolComponent"]["name"] == "MIIT-164");

  const json& location = umeng["locations"][0];
  CHECK(location["physicalLocation"]["artifactLocation"]["uri"] == "facts/shop-first-run.jsonl");
  CHECK(location["physicalLocation"]["region"]["startLine"] == 4);  // the earliest trigger
  const json& logical = location["logicalLocations"];
  CHECK(logical[0] == json::parse(R"({"name":"com.example.shop","fullyQualifiedName":"com.example.shop","kind":"module"})"));
  CHECK(logical[1]["kind"] == "namespace");
  CHECK(logical[1]["name"] == "umeng");
  CHECK(logical[2]["kind"] == "type");
  CHECK(logical[2]["name"] == "DeviceConfig");
  CHECK(logical[3]["kind"] == "function");
  CHECK(logical[3]["fullyQualifiedName"] == "com.umeng.commonsdk.statistics.common.DeviceConfig.getImei");

  const json& steps = umeng["codeFlows"][0]["threadFlows"][0]["locations"];
  REQUIRE(steps.size() == 3);
  for (size_t i = 0; i < steps.size(); ++i) CHECK(steps[i]["executionOrder"] == i + 1);
  CHECK(steps[0]["properties"]["t"] == 402);
  CHECK(steps[1]["properties"]["t"] == 3100);
  CHECK(steps[2]["importance"] == "important");  // the consent record is context
}

TEST_CASE("a review finding is kind review with level none; the trigger is not the earliest record") {
  json results = Sarif(sample::SampleRun())["runs"][0]["results"];
  const json& review = results[4];
  CHECK(review["ruleId"] == "over-declared-permission");
  CHECK(review["kind"] == "review");
  CHECK(review["level"] == "none");
  CHECK(review["properties"]["severity"] == "low");

  const json& rerequest = results[2];
  CHECK(rerequest["ruleId"] == "rerequest-after-denial");
  // Context (the denial, line 10) comes first in time; the location is the trigger (line 11).
  CHECK(rerequest["locations"][0]["physicalLocation"]["region"]["startLine"] == 11);
  CHECK(rerequest["codeFlows"][0]["threadFlows"][0]["locations"][0]["properties"]["seq"] == 9);
}

TEST_CASE("a cite outside the closed list gets its own taxonomy instead of being dropped") {
  RunResult run = sample::SampleRun();
  run.sessions[1].findings[0].cite.push_back("PIPL:17");
  json sarif = Sarif(run)["runs"][0];
  REQUIRE(sarif["taxonomies"].size() == KnownTaxonomies().size() + 1);
  CHECK(sarif["taxonomies"].back()["name"] == "PIPL");
  CHECK(sarif["taxonomies"].back()["taxa"][0]["id"] == "17");
}

TEST_CASE("a finding without evidence points at its session's header line") {
  RunResult run = sample::SampleRun();
  run.sessions[1].findings[0].evidence.clear();
  json result = Sarif(run)["runs"][0]["results"][4];
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "facts/shop-static.jsonl");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK_FALSE(result.contains("codeFlows"));
}
