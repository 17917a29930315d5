// `edict eval` (runs EDICT_BINARY): a value prints as CEL and exits 0, a CEL error exits 1, a
// syntax or type error is located and exits 2, as do usage errors.
#include "tests/unit/cli_helpers.h"

using namespace edict::cli_testing;

TEST_CASE("a value prints as CEL source") {
  Result sum = Edict("eval '1 + 2 * 3'");
  CHECK(sum.exit_code == 0);
  CHECK(sum.out == "7\n");
  CHECK(Edict("eval 'timestamp(\"2025-06-01T08:00:00Z\") + 48h'").out == "timestamp(\"2025-06-03T08:00:00Z\")\n");
  CHECK(Edict("eval '\"家\" + \"优\"'").out == "\"家优\"\n");
  CHECK(Edict("eval '{\"a\": [1, 2.5, null]}' --type").out == "{\"a\": [1, 2.5, null]} : map(string, list(dyn))\n");
  CHECK(Edict("eval -- '-1'").out == "-1\n");
}

TEST_CASE("variables take the value and the type of their CEL expression") {
  Result run = Edict("eval 'size(xs) > 2 && d < 1h' --var 'xs=[1, 2, 3]' --var d=30m --type");
  CHECK(run.exit_code == 0);
  CHECK(run.out == "true : bool\n");
  Result typed = Edict("eval 'n + 1' --var 'n=\"one\"'");
  CHECK(typed.exit_code == 2);
  CHECK(typed.err.find("<expression>:1:1: error[E063]: no overload of '+' accepts (string, int)") != std::string::npos);
}

TEST_CASE("a CEL error exits 1") {
  Result run = Edict("eval '1 / 0'");
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());
  CHECK(run.err == "edict eval: the expression evaluates to an error: division by zero\n");
  CHECK(Edict("eval '9223372036854775807 + 1'").exit_code == 1);
}

TEST_CASE("syntax and type errors are located and exit 2") {
  Result syntax = Edict("eval '1 +'");
  CHECK(syntax.exit_code == 2);
  CHECK(syntax.err.rfind("<expression>:1:4: error[E010]", 0) == 0);
  CHECK(syntax.err.find(" 1 | 1 +\n   |    ^\n") != std::string::npos);
  Result unknown = Edict("eval 'sise([1])'");
  CHECK(unknown.exit_code == 2);
  Result var = Edict("eval 'x' --var 'x=1 +'");
  CHECK(var.exit_code == 2);
  CHECK(var.err.rfind("--var x:1:4: error[E010]", 0) == 0);
}

TEST_CASE("usage errors exit 2") {
  CHECK(Edict("eval").exit_code == 2);
  Result var = Edict("eval x --var x");
  CHECK(var.exit_code == 2);
  CHECK(var.err.find("expected name=value") != std::string::npos);
}
