// Syntax errors in whole files: Edict's own wording, one error per mistake, and recovery at the
// next declaration so that a second broken declaration still gets its own error.
#include <doctest/doctest.h>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;

namespace {

std::vector<std::string> Errors(const std::string& text) { return ParseText(text)->Summary(); }

}  // namespace

TEST_CASE("a mistake gives one error, and parsing resumes at the next declaration") {
  std::string text =
      "rule broken-one {\n"
      "  where a &&\n"
      "}\n"
      "let fine = 1\n"
      "rule broken-two {\n"
      "  title \"x\"\n"
      "}\n"
      "rule fine-too { title: \"ok\" }\n";
  auto parsed = ParseText(text);
  std::vector<std::string> expected = {"E010 3:1 expected an expression, found '}'",
                                       "E010 6:9 expected ':', found string literal \"x\""};
  CHECK(parsed->Summary() == expected);
  // The declarations without errors are still in the AST.
  REQUIRE(parsed->ast.decls.size() == 2);
  CHECK(parsed->ast.decls[0]->name == "fine");
  CHECK(parsed->ast.decls[1]->name == "fine-too");
}

TEST_CASE("a file that starts with a byte order mark is located as it is") {
  std::vector<std::string> expected = {"E010 2:9 expected ':', found string literal \"x\""};
  CHECK(Errors("\xEF\xBB\xBFrule r {\n  title \"x\"\n}\n") == expected);
  expected = {"E007 1:12 integer literal 99999999999999999999 does not fit in a 64-bit int"};
  CHECK(Errors("\xEF\xBB\xBFlet big = 99999999999999999999\n") == expected);
}

TEST_CASE("lexical and bracket problems are reported per declaration too") {
  std::string text =
      "rule a {\n"
      "  title: \"unterminated\n"
      "}\n"
      "rule b {\n"
      "  where f(x]\n"
      "}\n"
      "rule c { where # }\n"
      "rule d { where (x }\n";
  std::vector<std::string> expected = {"E004 2:10 unterminated string literal",
                                       "E010 5:12 expected ')' to close '(' at 5:10, found ']'",
                                       "E003 7:16 unexpected character '#'",
                                       "E010 8:19 expected ')' to close '(' at 8:16, found '}'"};
  CHECK(Errors(text) == expected);
}

TEST_CASE("an unclosed brace is reported where it opens") {
  CHECK(Errors("rule a {\n  title: \"x\"\nrule b {}\n") ==
        std::vector<std::string>{"E011 1:8 '{' is never closed"});
  CHECK(Errors("let x = [1, 2\n") == std::vector<std::string>{"E011 1:9 '[' is never closed"});
  CHECK(Errors("let x = 1)\n") == std::vector<std::string>{"E012 1:10 unmatched ')'"});
}

TEST_CASE("errors are worded in Edict's terms") {
  CHECK(Errors("let n = size(x where y)") ==
        std::vector<std::string>{"E010 1:16 expected ',' or ')' to close '(' at 1:13, found 'where'"});
  CHECK(Errors("rule r {\n  ?\n}") ==
        std::vector<std::string>{"E010 2:3 expected a rule item (`key: value`, needs, match, sequence, where, "
                                 "group by, window or having) or '}' to close '{' at 1:8, found '?'"});
  CHECK(Errors("record r {\n  a int\n}") == std::vector<std::string>{"E010 2:5 expected ':', found 'int'"});
  CHECK(Errors("table t(a: int) { 1 }") ==
        std::vector<std::string>{"E010 1:19 expected '(' or '}' to close '{' at 1:17, found '1'"});
  CHECK(Errors("param p: int = 1 note 5") ==
        std::vector<std::string>{"E010 1:23 expected a string literal, found '5'"});
  CHECK(Errors("test \"t\" {\n  expect r: 1\n}") ==
        std::vector<std::string>{"E010 3:1 expected an expectation (`1 finding`, `subject \"...\"`, an outcome), "
                                 "found '}'"});
  CHECK(Errors("let x = a in") == std::vector<std::string>{"E010 1:13 expected an expression, found end of file"});
  CHECK(Errors("let x = if") ==
        std::vector<std::string>{"E018 1:9 'if' is a reserved word and cannot be used as a name"});
}

TEST_CASE("where a declaration runs into the next one, the error says so") {
  CHECK(Errors("fn f(a: int) = a +\ntype t = int\n") ==
        std::vector<std::string>{"E010 2:1 expected an expression, found 'type', which starts the next declaration"});
}

TEST_CASE("text that is not a declaration") {
  CHECK(Errors("foo bar") ==
        std::vector<std::string>{"E019 1:1 expected a declaration (pack, record, rule, ...), found 'foo'"});
  CHECK(Errors("let m = 1 2") ==
        std::vector<std::string>{"E019 1:11 expected a declaration (pack, record, rule, ...), found '2'"});
  CHECK(Errors("rule a {}\npack late 1.0.0 {}") ==
        std::vector<std::string>{"E019 2:1 expected a declaration (pack, record, rule, ...), found 'pack'"});
}

TEST_CASE("kebab-case names must not have spaces around '-'") {
  CHECK(Errors("rule rerequest - after {}") ==
        std::vector<std::string>{"E015 1:6 'rerequest-after' must be written without spaces around '-'"});
  CHECK(Errors("profile strict: base -line {}") ==
        std::vector<std::string>{"E015 1:17 'base-line' must be written without spaces around '-'"});
  auto parsed = ParseText("rule a-b-48h {}\ntest \"t\" { expect a-b-48h: passed }");
  REQUIRE(parsed->ok());
  CHECK(parsed->ast.decls[0]->name == "a-b-48h");
}

TEST_CASE("items a declaration holds once are reported when repeated") {
  auto parsed = ParseText(
      "rule r {\n  where a\n  where b\n  needs: [x]\n  needs: [y]\n  window 1m\n  window 2m\n  having a\n"
      "  having b\n  match a: k\n  match b: k\n  group by a\n  group by b\n  sequence a: k then b: k\n"
      "  sequence c: k then d: k\n}\n"
      "test \"t\" {\n  facts \"a\"\n  facts [1]\n  profile a\n  profile b\n}\n"
      "profile p {\n  note \"a\"\n  note \"b\"\n}\n");
  std::vector<std::string> expected = {
      "E020 3:3 'where' is given more than once in a rule",    "E020 5:3 'needs' is given more than once in a rule",
      "E020 7:3 'window' is given more than once in a rule",   "E020 9:3 'having' is given more than once in a rule",
      "E020 11:3 'match' is given more than once in a rule",   "E020 13:3 'group by' is given more than once in a rule",
      "E020 15:3 'sequence' is given more than once in a rule", "E020 19:3 'facts' is given more than once in a test",
      "E020 21:11 'profile' is given more than once in a test",
      "E020 25:3 'note' is given more than once in a profile"};
  CHECK(parsed->Summary() == expected);
  for (const edict::diag::Diagnostic& d : parsed->diags.diagnostics()) {
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0].message == "first given here");
  }
}

TEST_CASE("invalid UTF-8 is reported at the first bad byte, before anything else") {
  auto parsed = ParseText("rule a {\n  title: \"caf\xC3\x28\"\n}\n");
  CHECK(parsed->Summary() == std::vector<std::string>{"E002 2:14 the file is not valid UTF-8 (invalid byte 0xC3)"});
  CHECK(parsed->ast.decls.empty());
}

TEST_CASE("an empty file and a file of comments are valid and empty") {
  for (const char* text : {"", "// nothing\n/* at all */\n", "\xEF\xBB\xBF// with a byte order mark\n"}) {
    auto parsed = ParseText(text);
    CHECK(parsed->ok());
    CHECK(parsed->ast.decls.empty());
    CHECK(parsed->ast.manifest == nullptr);
  }
}

TEST_CASE("diagnostic ranges cover the offending text") {
  auto parsed = ParseText("let x = \"a\\qb\"");
  REQUIRE(parsed->diags.diagnostics().size() == 1);
  const edict::diag::Diagnostic& d = parsed->diags.diagnostics()[0];
  CHECK(parsed->sources.text(d.range) == "\\q");
  CHECK(d.message == "invalid escape sequence '\\q' in string literal");
}
