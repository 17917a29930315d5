// `edict run` (runs EDICT_BINARY): exit codes of findings-1.md, strict and lenient loading, the
// default formats, standard input, and `-o` replacing its target atomically even under SIGKILL.
#include "tests/unit/cli_helpers.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

using namespace edict::cli_testing;

namespace {

std::string Quickstart(const std::string& rest) { return std::string("run ") + kQuickstart + " " + rest; }

// The JSON Lines report's summary (its last line).
nlohmann::json Summary(const std::string& report) {
  size_t end = report.find_last_not_of('\n');
  REQUIRE(end != std::string::npos);
  size_t start = report.rfind('\n', end);
  nlohmann::json summary = nlohmann::json::parse(report.substr(start == std::string::npos ? 0 : start + 1));
  REQUIRE(summary["type"] == "summary");
  return summary;
}

// jiayou-mall 6.3.0's first two lines (header, coverage) and a few of its records.
std::string SessionText(const std::string& id) {
  std::string text = ReadFile(fs::path(EDICT_SOURCE_DIR) / "examples/facts/jiayou-mall-6.3.0.jsonl");
  const std::string from = "\"id\":\"jiayou-630-20250612-0930\"";
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), "\"id\":\"" + id + "\"");
}

const char kBadRecord[] = "{\"type\":\"perm_result\",\"seq\":99,\"t\":\"soon\"}\n";

}  // namespace

TEST_CASE("exit 0 without fail findings, 1 with one") {
  Result clean = Edict(Quickstart("examples/facts/jiayou-mall-6.4.0.jsonl"));
  CHECK(clean.exit_code == 0);
  CHECK(Summary(clean.out)["totals"]["findings"]["fail"] == 0);
  Result dirty = Edict(Quickstart("examples/facts/jiayou-mall-6.3.0.jsonl"));
  CHECK(dirty.exit_code == 1);
  CHECK(Summary(dirty.out)["totals"]["findings"]["fail"] == 2);
}

TEST_CASE("usage errors exit 2") {
  CHECK(Edict(Quickstart("examples/facts/no-such-file.jsonl")).exit_code == 2);
  CHECK(Edict("run examples/facts/jiayou-mall-6.4.0.jsonl").exit_code == 2);  // no --rules
  CHECK(Edict(Quickstart("--format xml examples/facts/jiayou-mall-6.4.0.jsonl")).exit_code == 2);
  Result param = Edict(Quickstart("--param max_reads examples/facts/jiayou-mall-6.4.0.jsonl"));
  CHECK(param.exit_code == 2);
  CHECK(param.err.find("expected name=value") != std::string::npos);
  CHECK(Edict(Quickstart("- - <examples/facts/jiayou-mall-6.4.0.jsonl")).exit_code == 2);
  Result output = Edict(Quickstart("-o /nonexistent-dir/report.json examples/facts/jiayou-mall-6.4.0.jsonl"));
  CHECK(output.exit_code == 2);
  CHECK(output.err.find("cannot write /nonexistent-dir/report.json") != std::string::npos);
}

TEST_CASE("rule errors exit 2: errors in the packs, an unknown profile, a parameter of the wrong type") {
  Result profile = Edict(Quickstart("--profile huawie examples/facts/jiayou-mall-6.4.0.jsonl"));
  CHECK(profile.exit_code == 2);
  CHECK(profile.err.find("did you mean 'huawei'") != std::string::npos);
  Result param = Edict(Quickstart("--param 'max_reads=\"ten\"' examples/facts/jiayou-mall-6.4.0.jsonl"));
  CHECK(param.exit_code == 2);
  CHECK(param.err.find("--param max_reads:1:1: error[E044]") != std::string::npos);
  Result typos = Edict("run --rules examples/mistakes/typos.edict --pack-path stdlib-rules "
                       "examples/facts/jiayou-mall-6.4.0.jsonl");
  CHECK(typos.exit_code == 2);
  CHECK(typos.err.find("2 errors generated.") != std::string::npos);
  CHECK(typos.out.empty());
}

TEST_CASE("an evaluation error in a rule exits 2, and 2 wins over 1") {
  TempDir dir;
  dir.Write("overflow/pack.edict", R"(pack overflow 1.0.0 {
  title: "overflow"
  import appfacts >= 1.0.0
}

rule seq-overflow {
  title: "integer overflow on every record"
  severity: low
  kind: fail
  cite: ["MIIT-164:1/S1"]
  needs: [api_call]
  match c: api_call
  where c.seq * 9223372036854775807 > 0
  subject: {"party": "first"}
  report: "never"
}
)");
  Result run = Edict("run --rules " + (dir.path() / "overflow").string() + " --rules examples/quickstart " +
                     "--pack-path stdlib-rules examples/facts/jiayou-mall-6.3.0.jsonl");
  CHECK(run.exit_code == 2);
  nlohmann::json session = Summary(run.out)["sessions"][0];
  CHECK(session["outcomes"]["seq-overflow"] == "error");
  REQUIRE(!session["rule_errors"].empty());
  CHECK(session["rule_errors"][0]["message"].get<std::string>().find("overflow") != std::string::npos);
  CHECK(Summary(run.out)["totals"]["findings"]["fail"] == 2);  // the other rules' findings are reported
}

TEST_CASE("strict mode: a session that fails to load exits 2; the other sessions' findings are written") {
  TempDir dir;
  std::string broken = dir.Write("broken.jsonl", SessionText("broken") + kBadRecord);
  Result run = Edict(Quickstart(broken + " examples/facts/meiri-news-2.8.1.jsonl"));
  CHECK(run.exit_code == 2);
  CHECK(run.err.find(broken + ":26:") != std::string::npos);
  nlohmann::json summary = Summary(run.out);
  REQUIRE(summary["sessions"].size() == 2);
  CHECK(summary["sessions"][0]["error"].get<std::string>().find(":26:") != std::string::npos);
  CHECK(summary["sessions"][0]["outcomes"].empty());
  CHECK(summary["sessions"][1]["error"].is_null());
  CHECK(summary["totals"]["findings"]["fail"] == 2);  // meiri-news' two findings
  CHECK(run.out.find("\"session\":\"meiri-281-20250613-1402\"") != std::string::npos);
}

TEST_CASE("lenient mode: bad records are skipped and listed, and do not change the exit code") {
  TempDir dir;
  std::string text = SessionText("skips");
  size_t third_line = text.find('\n', text.find('\n') + 1) + 1;
  text.insert(third_line, kBadRecord);  // line 3
  text += "{\"type\":\"screenshot_meta\",\"seq\":500}\n";
  std::string file = dir.Write("skips.jsonl", text);
  Result run = Edict(Quickstart("--lenient " + file));
  CHECK(run.exit_code == 1);
  nlohmann::json summary = Summary(run.out);
  REQUIRE(summary["skipped_records"].size() == 1);
  CHECK(summary["skipped_records"][0]["file"] == file);
  CHECK(summary["skipped_records"][0]["line"] == 3);
  CHECK(summary["unknown_kinds"]["screenshot_meta"] == 1);
  CHECK(summary["sessions"][0]["error"].is_null());
  CHECK(summary["totals"]["findings"]["fail"] == 2);

  Result strict = Edict(Quickstart(file));
  CHECK(strict.exit_code == 2);
}

TEST_CASE("facts from standard input; json when not on a terminal; text and sarif on request") {
  Result run = Edict(Quickstart("- <examples/facts/meiri-news-2.8.1.jsonl"));
  CHECK(run.exit_code == 1);
  CHECK(run.out.rfind("{\"type\":\"finding\"", 0) == 0);
  CHECK(Summary(run.out)["sessions"][0]["file"] == "<stdin>");
  Result text = Edict(Quickstart("--format text examples/facts/meiri-news-2.8.1.jsonl"));
  CHECK(text.out.find("App com.meiri.zixun") != std::string::npos);
  Result sarif = Edict(Quickstart("--format sarif examples/facts/meiri-news-2.8.1.jsonl"));
  CHECK(nlohmann::json::parse(sarif.out)["version"] == "2.1.0");
}

TEST_CASE("-o writes the complete report and leaves no temporary file") {
  TempDir dir;
  std::string target = (dir.path() / "report.jsonl").string();
  Result run = Edict(Quickstart("-o " + target + " " + kSampleFacts));
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());
  CHECK(Summary(ReadFile(target))["totals"]["sessions"] == 3);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) files += entry.is_regular_file() ? 1 : 0;
  CHECK(files == 1);
}

TEST_CASE("-o under SIGKILL: the target is the old report or a complete new one, never a truncated one") {
  TempDir dir;
  // 2000 sessions (about 1.5 s of work): the header's session id, then the rest of the session.
  std::string session = SessionText("s-");
  size_t split = session.find("\"s-\"") + 3;
  std::string big;
  for (int i = 0; i < 2000; ++i) big += session.substr(0, split) + std::to_string(i) + session.substr(split);
  std::string facts = dir.Write("big.jsonl", big);
  std::string target = (dir.path() / "report.jsonl").string();
  const std::string old_report = "the previous report\n";

  int killed_before_end = 0;
  for (int delay_ms : {30, 150, 400, 700, 1000, 1400}) {
    std::ofstream(target, std::ios::binary) << old_report;
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      if (chdir(EDICT_SOURCE_DIR) != 0) _exit(127);
      execl(EDICT_BINARY, EDICT_BINARY, "run", "--rules", "examples/quickstart", "--pack-path", "stdlib-rules", "-o",
            target.c_str(), facts.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed_before_end;
    std::string report = ReadFile(target);
    if (report != old_report) {
      CHECK(Summary(report)["totals"]["sessions"] == 2000);
    }
  }
  CHECK(killed_before_end > 0);  // the input is large enough to be killed mid-run
}

TEST_CASE("a rule that reaches the findings limit is listed in limits_hit") {
  TempDir dir;
  dir.Write("flood/pack.edict", R"(pack flood 1.0.0 {
  title: "flood"
  import appfacts >= 1.0.0
}

rule every-call {
  title: "one finding per call"
  severity: info
  kind: review
  cite: ["MIIT-164:1/S1"]
  needs: [api_call]
  match c: api_call
  subject: {"party": "first"}
  data_types: ["probe." + string(c.seq)]
  report: "call {c.seq}"
}
)");
  std::string text = ReadFile(fs::path(EDICT_SOURCE_DIR) / "examples/facts/jiayou-mall-6.3.0.jsonl");
  std::string facts = text.substr(0, text.find('\n') + 1);
  for (int seq = 1; seq <= 10005; ++seq) {
    facts += "{\"type\":\"api_call\",\"seq\":" + std::to_string(seq) + ",\"t\":" + std::to_string(seq) +
             ",\"api\":{\"class\":\"android.telephony.TelephonyManager\",\"method\":\"getImei\"},"
             "\"data_types\":[\"id.imei\"],\"ret\":{\"status\":\"ok\"}}\n";
  }
  std::string file = dir.Write("flood.jsonl", facts);
  Result run = Edict("run --rules " + (dir.path() / "flood").string() + " --pack-path stdlib-rules " + file);
  CHECK(run.exit_code == 0);  // review findings only
  nlohmann::json summary = Summary(run.out);
  REQUIRE(summary["limits_hit"].size() == 1);
  CHECK(summary["limits_hit"][0]["limit"] == "findings_per_rule");
  CHECK(summary["limits_hit"][0]["value"] == 10000);
  CHECK(summary["limits_hit"][0]["session"] == "jiayou-630-20250612-0930");
  CHECK(summary["totals"]["findings"]["review"] == 10000);
}
