// The limits on what rules may cost: how many a pack declares, how many bindings and record
// streams one rule has (checked, with located errors), the size of a rule file, and how many
// findings a rule reports per session (the rest are dropped, and the session's evaluation says the
// limit was hit, so the drop is never silent).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "compiler/diag/source.h"
#include "tests/unit/limits_pack.h"

using namespace edict;
using testing::Repeat;

namespace {

// A rule binding `bindings` lifecycle streams, plus `aggregates` count() aggregates over lifecycle
// in its condition. Its name is on line kRuleLine, column kRuleNameColumn.
std::string WideRule(int bindings, int aggregates) {
  std::string match = "l0: lifecycle";
  std::string condition = "l0.seq > 0";
  for (int i = 1; i < bindings; ++i) {
    match += ", l" + std::to_string(i) + ": lifecycle";
    condition += " && l" + std::to_string(i) + ".seq > 0";
  }
  for (int i = 0; i < aggregates; ++i) condition += " && count(a" + std::to_string(i) + ": lifecycle) > 0";
  return "rule wide {\n  title: \"wide\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match " + match +
         "\n  where " + condition + "\n}\n";
}
constexpr int kRuleLine = testing::kLimitsManifestLines + 1;
constexpr int kRuleNameColumn = 6;

// A rule of kSmallRuleLines lines named r<index>.
std::string SmallRule(int index) {
  return "rule r" + std::to_string(index) +
         " {\n  title: \"r\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match l: lifecycle\n"
         "  where l.seq > 0\n}\n";
}
constexpr int kSmallRuleLines = 8;

std::string SmallRules(int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += SmallRule(i);
  return out;
}

// A rule binding one lifecycle stream and `bindings - 1` one-element lists.
std::string ListBindingsRule(int bindings) {
  std::string match = "l: lifecycle";
  std::string condition = "l.seq > 0";
  for (int i = 1; i < bindings; ++i) {
    match += ", x" + std::to_string(i) + ": [l.seq]";
    condition += " && x" + std::to_string(i) + " > 0";
  }
  return "rule lists {\n  title: \"lists\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match " + match +
         "\n  where " + condition + "\n}\n";
}

}  // namespace

TEST_CASE("a rule may join kMaxJoinWidth streams, aggregates included; one more is a located error") {
  REQUIRE(sema::kMaxJoinWidth == 8);
  for (auto [bindings, aggregates] : {std::pair{8, 0}, std::pair{5, 3}, std::pair{1, 7}}) {
    auto checked = testing::CheckLimitsPack(WideRule(bindings, aggregates));
    CAPTURE(bindings);
    CHECK_MESSAGE(checked->rendered.empty(), checked->rendered.front());
  }
  for (auto [bindings, aggregates] : {std::pair{9, 0}, std::pair{8, 1}, std::pair{2, 7}}) {
    auto checked = testing::CheckLimitsPack(WideRule(bindings, aggregates));
    CAPTURE(bindings);
    REQUIRE_MESSAGE(checked->rendered.size() == 1, checked->rendered.back());
    std::string expected = "limits/pack.edict:" + std::to_string(kRuleLine) + ":" + std::to_string(kRuleNameColumn) +
                           ": error[E088]: rule 'wide' combines 9 record streams; too many streams in one rule "
                           "(limit is 8)";
    CHECK(checked->rendered[0].substr(0, expected.size()) == expected);
  }
}

TEST_CASE("a pack may declare kMaxRulesPerPack rules; the next one is a located error") {
  REQUIRE(sema::kMaxRulesPerPack == 10000);
  auto at_limit = testing::CheckLimitsPack(SmallRules(sema::kMaxRulesPerPack));
  CHECK_MESSAGE(at_limit->rendered.empty(), at_limit->rendered.front());
  CHECK(at_limit->program->rules.size() == static_cast<size_t>(sema::kMaxRulesPerPack));

  auto over = testing::CheckLimitsPack(SmallRules(sema::kMaxRulesPerPack + 2));
  REQUIRE_MESSAGE(over->rendered.size() == 1, over->rendered.back());
  int line = kRuleLine + sema::kMaxRulesPerPack * kSmallRuleLines;
  std::string expected = "limits/pack.edict:" + std::to_string(line) + ":" + std::to_string(kRuleNameColumn) +
                         ": error[E058]: too many rules in pack 'limits' (limit is 10000)";
  CHECK(over->rendered[0].substr(0, expected.size()) == expected);
}

TEST_CASE("a rule may have kMaxBindingsPerRule bindings, lists included; one more is a located error") {
  REQUIRE(sema::kMaxBindingsPerRule == 16);
  auto at_limit = testing::CheckLimitsPack(ListBindingsRule(sema::kMaxBindingsPerRule));
  CHECK_MESSAGE(at_limit->rendered.empty(), at_limit->rendered.front());

  auto over = testing::CheckLimitsPack(ListBindingsRule(sema::kMaxBindingsPerRule + 1));
  REQUIRE_MESSAGE(over->rendered.size() == 1, over->rendered.back());
  std::string expected = "limits/pack.edict:" + std::to_string(kRuleLine) + ":" + std::to_string(kRuleNameColumn) +
                         ": error[E058]: too many bindings in rule 'lists' (limit is 16)";
  CHECK(over->rendered[0].substr(0, expected.size()) == expected);
}

TEST_CASE("a rule file may be kMaxSourceBytes long; one byte more is not read") {
  // The manifest, then a comment line padded to the exact size.
  auto padded = [](size_t bytes) {
    size_t padding = bytes - sizeof(testing::kLimitsManifest) + 1 - 4;  // "// " and "\n"
    return "// " + std::string(padding, 'x') + "\n";
  };
  auto at_limit = testing::CheckLimitsPack(padded(diag::kMaxSourceBytes));
  CHECK_MESSAGE(at_limit->rendered.empty(), at_limit->rendered.front());
  size_t longest = 0;
  for (size_t i = 0; i < at_limit->sources.size(); ++i) {
    longest = std::max(longest, at_limit->sources.text(static_cast<diag::FileId>(i)).size());
  }
  CHECK(longest == diag::kMaxSourceBytes);

  auto over = testing::CheckLimitsPack(padded(diag::kMaxSourceBytes + 1));
  REQUIRE(over->rendered.size() == 1);
  CHECK(over->diags.diagnostics()[0].id == diag::DiagId::kCannotReadFile);
  CHECK(over->rendered[0].starts_with("limits/pack.edict: file longer than the limit of 16777216 bytes"));
}

TEST_CASE("a rule reports at most kMaxFindingsPerRule findings per session, and says it stopped") {
  // Findings with equal subjects merge into one; each launch here has its own.
  std::string rule =
      "rule every-launch {\n  title: \"every launch\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n"
      "  match l: lifecycle\n  where l.state == \"launched\"\n"
      "  subject: {\"party\": \"third\", \"sdk\": string(l.seq)}\n}\n";
  auto checked = testing::CheckLimitsPack(rule);
  REQUIRE(checked->rendered.empty());

  using interp::kMaxFindingsPerRule;
  interp::SessionEvaluation at_limit = testing::RunLimitsPack(*checked, testing::LaunchedSession(kMaxFindingsPerRule));
  CHECK(at_limit.result.findings.size() == kMaxFindingsPerRule);
  CHECK(at_limit.limits.empty());

  interp::SessionEvaluation over = testing::RunLimitsPack(*checked, testing::LaunchedSession(kMaxFindingsPerRule + 1));
  CHECK(over.result.findings.size() == kMaxFindingsPerRule);
  REQUIRE(over.limits.size() == 1);
  CHECK(over.limits[0].session == "s-01");
  CHECK(over.limits[0].limit == "findings_per_rule");
  CHECK(over.limits[0].value == static_cast<int64_t>(kMaxFindingsPerRule));
  CHECK(over.result.summary.outcomes.at(0).outcome == findings::Outcome::kViolated);
}
