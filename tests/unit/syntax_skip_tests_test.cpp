// ParseOptions::tests off (how RuleSet::Compile parses): `test` declarations are left out of the
// parse, broken ones included, and every other declaration is parsed as with tests on.
#include <doctest/doctest.h>

#include "tests/unit/syntax_helpers.h"

using namespace edict;
using namespace edict::syntax::testing;

namespace {

// A rule, a valid test, a test ANTLR rejects, a test the pre-scan rejects (an unclosed bracket),
// then a function and a constant that must still be parsed.
const char kSource[] = R"(pack probe 1.0.0 {
  title: "probe"
}

rule r {
  title: "t"
  where true
}

test "valid" {
  facts "a.jsonl"
  expect r: passed
}

test "broken" {
  facts "a.jsonl"
  expect r: passed passed
}

test "unclosed" {
  facts [ {"type": "x"}
}

fn f(x: int): int = x + 1

const c: int = f(1)
)";

syntax::ParseOptions WithoutTests() {
  syntax::ParseOptions options;
  options.tests = false;
  return options;
}

std::vector<ast::DeclKind> Kinds(const ast::File& file) {
  std::vector<ast::DeclKind> kinds;
  for (const ast::Decl* decl : file.decls) kinds.push_back(decl->kind);
  return kinds;
}

}  // namespace

TEST_CASE("with tests on, the broken tests are errors") {
  auto parsed = ParseText(kSource);
  CHECK(parsed->Summary().size() == 2);
}

TEST_CASE("with tests off, no test is parsed and the other declarations are") {
  auto parsed = ParseText(kSource, "test.edict", WithoutTests());
  REQUIRE_MESSAGE(parsed->ok(), parsed->Rendered());
  CHECK(parsed->ast.manifest != nullptr);
  CHECK(Kinds(parsed->ast) == std::vector<ast::DeclKind>{ast::DeclKind::kRule, ast::DeclKind::kFn, ast::DeclKind::kConst});

  auto with_tests = ParseText(kSource);
  std::vector<const ast::Decl*> kept;
  for (const ast::Decl* decl : with_tests->ast.decls) {
    if (decl->kind != ast::DeclKind::kTest) kept.push_back(decl);
  }
  REQUIRE(kept.size() == parsed->ast.decls.size());
  for (size_t i = 0; i < kept.size(); ++i) CHECK(ast::EqualDecl(*kept[i], *parsed->ast.decls[i]));
}

TEST_CASE("with tests off, errors outside tests are still reported, one each") {
  std::string source = std::string(kSource) + "\nrule s {\n  where (\n}\n\nfn g(: int = 1\n";
  auto parsed = ParseText(source, "test.edict", WithoutTests());
  std::vector<std::string> summary = parsed->Summary();
  REQUIRE_MESSAGE(summary.size() == 2, parsed->Rendered());
  CHECK(summary[0].find(" 30:1 ") != std::string::npos);
  CHECK(summary[1].find(" 32:5 ") != std::string::npos);
}

TEST_CASE("a file of tests only is an empty file with tests off") {
  auto parsed = ParseText("test \"a\" {\n  facts \"a.jsonl\"\n}\ntest \"b\" {\n  facts [\n}\n", "t.edict", WithoutTests());
  CHECK_MESSAGE(parsed->ok(), parsed->Rendered());
  CHECK(parsed->ast.decls.empty());
}
