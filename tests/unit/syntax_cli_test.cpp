// `edict parse`: prints what was parsed (canonical source or the AST), reports diagnostics as text
// or JSON, and exits 0, or 2 on an input or syntax error.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code;
  std::string out;
};

// Runs `edict <args>` through the shell; standard error goes to `stderr_path` when given.
Run Edict(const std::string& args, const std::string& stderr_path = "/dev/null") {
  std::string command = std::string(EDICT_BINARY) + " " + args + " 2>" + stderr_path;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A scratch file holding `text`, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& text, const std::string& name) {
    path_ = fs::temp_directory_path() / ("edict-syntax-cli-" + std::to_string(getpid()) + "-" + name);
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("edict parse prints the canonical form of a file") {
  std::string path = SourcePath("tests/syntax/all-constructs.edict");
  Run run = Edict("parse " + path);
  CHECK(run.exit_code == 0);
  auto parsed = ParseText(ReadFile(path), path);
  REQUIRE(parsed->ok());
  CHECK(run.out == edict::ast::Print(parsed->ast));
}

TEST_CASE("edict parse --dump-ast shows the tree with positions") {
  Run run = Edict("parse --dump-ast " + SourcePath("tests/syntax/all-constructs.edict"));
  CHECK(run.exit_code == 0);
  CHECK(run.out.starts_with("File\n  Manifest all-constructs 1.2.0-rc.1 @3:1\n"));
  CHECK(run.out.find("\n  Rule rerequest-after-denial @") != std::string::npos);
}

TEST_CASE("edict parse --expr reads CEL expressions, also from standard input") {
  TempFile expr("1+2*-x", "expr.cel");
  Run run = Edict("parse --expr " + expr.path());
  CHECK(run.exit_code == 0);
  CHECK(run.out == "1 + 2 * -x\n");
  Run piped = Edict("parse --expr - < " + expr.path());
  CHECK(piped.out == "1 + 2 * -x\n");
  TempFile has("has(a.b)", "has.cel");
  Run macros_off = Edict("parse --expr --no-macros --dump-ast " + has.path());
  CHECK(macros_off.out.starts_with("Call has @1:1\n"));
}

TEST_CASE("syntax errors exit with 2, as text on stderr or as a JSON array on stdout") {
  TempFile broken("rule r {\n  where a &&\n}\n", "broken.edict");
  TempFile errors("", "stderr.txt");
  Run text = Edict("parse " + broken.path(), errors.path());
  CHECK(text.exit_code == 2);
  CHECK(text.out.empty());
  std::string rendered = ReadFile(errors.path());
  CHECK(rendered.find(broken.path() + ":3:1: error[E010]: expected an expression, found '}'") == 0);

  Run json = Edict("parse --format json " + broken.path());
  CHECK(json.exit_code == 2);
  nlohmann::json list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["code"] == "E010");
  CHECK(list[0]["line"] == 3);
  CHECK(list[0]["column"] == 1);
}

TEST_CASE("an unreadable input is an input error") {
  TempFile errors("", "stderr.txt");
  Run run = Edict("parse /nonexistent/rules.edict", errors.path());
  CHECK(run.exit_code == 2);
  CHECK(ReadFile(errors.path()).find("error[E001]: cannot read /nonexistent/rules.edict") != std::string::npos);
  CHECK(Edict("parse").exit_code == 2);  // usage: no input
}
