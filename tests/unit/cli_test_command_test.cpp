// `edict test` (runs EDICT_BINARY): exit 0 when every test passes, 1 when one fails (with where,
// what was expected and what was found), 2 for usage and rule errors; the per-rule table.
#include "tests/unit/cli_helpers.h"

using namespace edict::cli_testing;

namespace {

const char kManifestAndRule[] = R"(pack probe 1.0.0 {
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

rule never {
  title: "never fires"
  severity: low
  kind: review
  cite: ["MIIT-164:5/S5"]
  needs: [perm_result]
  match r: perm_result
  where r.result == "granted_one_time"
  subject: {"party": "first"}
  report: "never"
}
)";

const char kFacts[] =
    R"({"type":"header","schema":"appfacts/1.0","producer":{"name":"t","version":"1"},"session":{"id":"s1","started_at":"2025-06-01T08:00:00Z","mode":"dynamic","driver":"script","consent_method":"ui_click"},"device":{"platform":"android","os_version":"12","api_level":31},"app":{"id":"com.example","category":"06-online-shopping"},"redaction":"hashed"}
{"type":"perm_result","seq":1,"t":1000,"perm":"android.permission.CAMERA","result":"denied","via":"user"}
)";

std::string Probe(const TempDir& dir, const std::string& tests) {
  dir.Write("probe/pack.edict", kManifestAndRule);
  dir.Write("probe/facts.jsonl", kFacts);
  dir.Write("probe/tests.edict", tests);
  return "test --pack-path stdlib-rules " + (dir.path() / "probe").string();
}

}  // namespace

TEST_CASE("all tests pass: exit 0, the count and the table") {
  TempDir dir;
  Result run = Edict(Probe(dir, "test \"camera denied\" {\n  facts \"facts.jsonl\"\n"
                                "  expect denied: 1 finding, permissions [\"android.permission-group.CAMERA\"]\n"
                                "  expect never: passed\n}\n"));
  CHECK(run.exit_code == 0);
  CHECK(run.out ==
        "1 passed, 0 failed\n\n"
        "rule     tests  passed  failed\n"
        "denied       1       1       0\n"
        "never        1       1       0\n");
}

TEST_CASE("a failing test: exit 1, located, with what was expected and what was found") {
  TempDir dir;
  Result run = Edict(Probe(dir, "test \"camera denied\" {\n  facts \"facts.jsonl\"\n"
                                "  expect denied: 2 findings, evidence [1, 2]\n"
                                "  expect never: passed\n}\n"
                                "test \"passes\" {\n  facts \"facts.jsonl\"\n  expect never: passed\n}\n"));
  CHECK(run.exit_code == 1);
  std::string tests = (dir.path() / "probe/tests.edict").string();
  CHECK(run.out ==
        "FAIL " + tests + ":1: camera denied\n" +
        "  " + tests + ":3: expect denied: 2 findings, evidence [1, 2]\n" +
        "    expected 2 findings, found 1\n"
        "    no finding matches this description\n"
        "    found: violated, 1 finding\n"
        "    - app, permissions [android.permission-group.CAMERA], evidence [1]\n"
        "\n"
        "1 passed, 1 failed\n\n"
        "rule     tests  passed  failed\n"
        "denied       1       0       1\n"
        "never        2       2       0\n");
}

TEST_CASE("facts that do not load fail the test") {
  TempDir dir;
  dir.Write("probe/bad.jsonl", std::string(kFacts) + "{\"type\":\"perm_result\",\"seq\":2}\n");
  Result run = Edict(Probe(dir, "test \"bad facts\" {\n  facts \"bad.jsonl\"\n  expect never: passed\n}\n"));
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("the facts do not load: ") != std::string::npos);
  CHECK(run.out.find("bad.jsonl:3:") != std::string::npos);
}

TEST_CASE("usage and rule errors exit 2") {
  CHECK(Edict("test").exit_code == 2);
  CHECK(Edict("test examples/no-such-pack").exit_code == 2);
  TempDir dir;
  Result unknown = Edict(Probe(dir, "test \"typo\" {\n  facts \"facts.jsonl\"\n  expect denid: passed\n}\n"));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("error[E091]: unknown rule 'denid'") != std::string::npos);
  CHECK(unknown.err.find("did you mean 'denied'") != std::string::npos);
  CHECK(unknown.out.empty());
}

TEST_CASE("the example pack's tests pass") {
  Result run = Edict("test --pack-path stdlib-rules examples/quickstart");
  CHECK_MESSAGE(run.exit_code == 0, run.out);
  CHECK(run.out.rfind("7 passed, 0 failed\n", 0) == 0);
}
