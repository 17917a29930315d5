// The text report: grouped by app, most severe first, and never calling a session with undecided
// rules compliant. (The full layout is pinned by tests/findings/sample.txt.)
#include <doctest/doctest.h>

#include <sstream>

#include "runtime/findings/text_writer.h"
#include "tests/findings/sample_run.h"

using namespace edict::findings;

namespace {

std::string Text(const RunResult& run, bool color = false) {
  std::ostringstream out;
  TextWriter writer(out, color);
  WriteRun(run, writer);
  return out.str();
}

size_t Find(const std::string& text, const std::string& needle, size_t from = 0) {
  size_t at = text.find(needle, from);
  REQUIRE_MESSAGE(at != std::string::npos, "missing: " << needle);
  return at;
}

}  // namespace

TEST_CASE("findings are grouped by app with the most severe first") {
  std::string text = Text(sample::SampleRun());
  size_t shop = Find(text, "App com.example.shop (version 412) — 5 findings");
  size_t critical = Find(text, "[CRITICAL] 未经用户同意向第三方发送个人信息");
  size_t high = Find(text, "[HIGH] SDK在征得用户同意前收集个人信息");
  size_t medium = Find(text, "[MEDIUM] 用户拒绝权限后短时间内再次申请");
  size_t low = Find(text, "[LOW] 声明与业务功能无关的权限");
  size_t game = Find(text, "App com.example.game — no findings, but not shown to be compliant");
  CHECK(shop < critical);
  CHECK(critical < high);
  CHECK(high < medium);
  CHECK(medium < low);
  CHECK(low < game);
}

TEST_CASE("each finding shows its evidence lines and citations") {
  std::string text = Text(sample::SampleRun());
  Find(text, "    facts/shop-first-run.jsonl:4 seq=3 api_call t=0.402s\n");
  Find(text, "    facts/shop-first-run.jsonl:8 seq=7 consent t=5.210s (context)\n");
  Find(text, "    facts/shop-static.jsonl:3 seq=2 perm_decl\n");
  Find(text, "  cites: MIIT-164:1/S4, MIIT-164:1/S5, CAC-191:3.1\n");
  Find(text, "  subject: third party, sdk umeng, class com.umeng.commonsdk.statistics.common.DeviceConfig, "
             "method getImei\n");
  Find(text, "  permissions: android.permission-group.LOCATION\n");
  Find(text, "  params: rerequest_window=172800s\n");
}

TEST_CASE("undecided rules are counted and explained, never read as compliant") {
  std::string text = Text(sample::SampleRun());
  size_t quiet = Find(text, "g-02  com.example.game  facts/game-quiet.jsonl  3 records");
  size_t counts = Find(text, "outcomes: 0 violated, 3 passed, 2 not applicable, 3 undetermined, 0 errors\n", quiet);
  size_t warning =
      Find(text, "3 of 8 rules could not be decided, so this session is not shown to be compliant:\n", counts);
  Find(text, "      share-before-consent: net not captured\n", warning);
  CHECK(text.find("compliant.") == std::string::npos);
  Find(text, "failed to load: facts/game-broken.jsonl:1: header: missing field 'schema'");
  Find(text, "collect-frequency-excessive at facts/shop-static.jsonl:23: integer overflow");
}

TEST_CASE("a fully decided app without findings just says so") {
  RunResult run = sample::SampleRun();
  run.sessions.erase(run.sessions.begin() + 2);  // the game session that failed to load
  for (RuleOutcome& outcome : run.sessions[2].summary.outcomes) {
    if (outcome.outcome == Outcome::kUndetermined) outcome = {Outcome::kPassed, ""};
  }
  std::string text = Text(run);
  Find(text, "App com.example.game — no findings\n");
  CHECK(text.find("g-02  com.example.game  facts/game-quiet.jsonl  3 records\n    outcomes: 0 violated, 6 passed, "
                  "2 not applicable, 0 undetermined, 0 errors\n") != std::string::npos);
}

TEST_CASE("the totals close the report") {
  std::string text = Text(sample::SampleRun());
  size_t totals = Find(text, "Totals\n  4 sessions, 55 records\n  findings: 4 fail, 1 review\n");
  CHECK(totals > Find(text, "Sessions\n"));
  Find(text, "  skipped 1 record:\n    facts/shop-first-run.jsonl:9: unknown field");
  Find(text, "  unknown record kinds: screenshot_meta ×3\n");
}

TEST_CASE("the totals say how many sessions native code evaluated, and its fallbacks") {
  CHECK(Text(sample::SampleRun()).find("native code") == std::string::npos);  // all interpreted
  RunResult run = sample::SampleRun();
  run.end.native = {3, 0};
  Find(Text(run), "  native code: 3 sessions, 0 fallbacks (expressions the interpreter ran instead)\n");
}

TEST_CASE("colour only when asked") {
  CHECK(Text(sample::SampleRun(), false).find('\x1b') == std::string::npos);
  std::string coloured = Text(sample::SampleRun(), true);
  Find(coloured, "\x1b[1;35m[CRITICAL]\x1b[0m");
  Find(coloured, "\x1b[1;31m[HIGH]\x1b[0m");
}
