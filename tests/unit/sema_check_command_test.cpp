// `edict check` as a command: exit codes, the text and JSON renderings, and --summary.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace {

struct Output {
  int exit_code = -1;
  std::string out;  // stdout, or stdout and stderr merged
};

Output Run(const std::string& arguments, bool merge_stderr = false) {
  std::string command = std::string("'") + EDICT_BINARY + "' check " + arguments + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  Output output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.out.append(buffer, n);
  int status = pclose(pipe);
  output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

const std::string kPrivacy = "--pack-path stdlib-rules tests/diagnostics/sema/packs/privacy";

}  // namespace

TEST_CASE("exit codes: 0 clean or warnings only, 1 errors, 2 usage") {
  CHECK(Run(kPrivacy).exit_code == 0);
  CHECK(Run("tests/diagnostics/sema/functions.edict").exit_code == 1);
  CHECK(Run("tests/diagnostics/sema/macros.edict").exit_code == 1);
  CHECK(Run("tests/diagnostics/sema/clean.edict").exit_code == 0);
  CHECK(Run("no/such/path.edict").exit_code == 2);
  CHECK(Run("--format xml tests/diagnostics/sema/clean.edict").exit_code == 2);
  CHECK(Run("--pack-path no/such/dir tests/diagnostics/sema/clean.edict").exit_code == 2);
  CHECK(Run("").exit_code == 2);
}

TEST_CASE("text diagnostics: location, source line, caret, help, and the count line") {
  Output output = Run("tests/diagnostics/sema/templates.edict", true);
  CHECK(output.exit_code == 1);
  CHECK(output.out.find("tests/diagnostics/sema/templates.edict:21:21: error[E061]: net has no field 'hots'") !=
        std::string::npos);
  CHECK(output.out.find("   |                     ^~~~~~") != std::string::npos);
  CHECK(output.out.find("= help: did you mean 'host'?") != std::string::npos);
  CHECK(output.out.find("1 error generated.") != std::string::npos);
}

TEST_CASE("--format json prints the diagnostics as an array") {
  Output output = Run("--format json tests/diagnostics/sema/functions.edict");
  auto diagnostics = nlohmann::json::parse(output.out);
  REQUIRE(diagnostics.is_array());
  REQUIRE(diagnostics.size() == 5);
  CHECK(diagnostics[0]["code"] == "W004");
  CHECK(diagnostics[0]["severity"] == "warning");
  CHECK(diagnostics[0]["line"] == 4);
  CHECK(Run("--format json tests/diagnostics/sema/clean.edict").out == "[]\n");
}

TEST_CASE("--summary shows manifests, rules, needs, reads, bindings and entry types") {
  Output text = Run("--summary " + kPrivacy);
  CHECK(text.out.find("pack privacy 1.0.0\n") != std::string::npos);
  CHECK(text.out.find("  import: appfacts >= 1.0 (found 1.0.0)\n") != std::string::npos);
  CHECK(text.out.find("rule rerequest-after-denial\n  title: 用户拒绝权限后短时间内再次申请\n  severity: medium, kind: fail\n") !=
        std::string::npos);
  CHECK(text.out.find("  needs: perm_request, perm_result\n  reads: perm_request, perm_result\n") != std::string::npos);
  CHECK(text.out.find("  match deny: perm_result\n  match ask: perm_request\n") != std::string::npos);
  CHECK(text.out.find("  subject: finding_subject\n") != std::string::npos);
  CHECK(text.out.find("  reads: api_call, consent\n") != std::string::npos);

  auto json = nlohmann::json::parse(Run("--format json --summary " + kPrivacy).out);
  CHECK(json["diagnostics"].empty());
  const auto& rules = json["summary"]["rules"];
  REQUIRE(rules.size() == 2);
  CHECK(rules[1]["id"] == "collect-before-consent");
  CHECK(rules[1]["bindings"][1]["type"] == "string");
  CHECK(rules[1]["entries"]["data_types"] == "list(string)");
  CHECK(rules[1]["join_width"] == 1);
}
