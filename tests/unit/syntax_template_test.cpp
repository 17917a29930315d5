// Report templates: a rule's `report` string becomes text parts and CEL holes, the holes located in
// the file, `{{`/`}}` literal braces, and E017 for malformed templates.
#include <doctest/doctest.h>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace ast = edict::ast;

namespace {

const ast::Expr* ReportOf(const Parsed& parsed) {
  const auto* rule = static_cast<const ast::RuleDecl*>(parsed.ast.decls.at(0));
  for (const ast::Entry& entry : rule->entries) {
    if (entry.key == "report") return entry.value;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a report string is split into text and holes") {
  auto parsed = ParseText("rule r {\n  report: \"用户于 {deny.t} 拒绝 {perm_group(deny.perm)}{{x}} }}\"\n}\n");
  REQUIRE(parsed->ok());
  const ast::Expr* report = ReportOf(*parsed);
  REQUIRE(report->kind == ast::ExprKind::kTemplate);
  REQUIRE(report->parts.size() == 5);
  CHECK(report->parts[0].text == "用户于 ");
  CHECK(ast::PrintExpr(*report->parts[1].hole) == "deny.t");
  CHECK(report->parts[2].text == " 拒绝 ");
  CHECK(ast::PrintExpr(*report->parts[3].hole) == "perm_group(deny.perm)");
  CHECK(report->parts[4].text == "{x} }");
  auto plain = ParseText("rule r { report: \"no holes\" }");
  REQUIRE(plain->ok());
  REQUIRE(ReportOf(*plain)->parts.size() == 1);
  CHECK(ReportOf(*plain)->parts[0].text == "no holes");
}

TEST_CASE("holes are located in the file, past escapes in the string") {
  auto parsed = ParseText("rule r {\n  report: \"\\t\\u4e2d {a.b} {m[\\\"k\\\"]}\"\n}\n");
  REQUIRE(parsed->ok());
  const ast::Expr* report = ReportOf(*parsed);
  REQUIRE(report->parts.size() == 4);
  const ast::Expr* first = report->parts[1].hole;
  CHECK(parsed->sources.text(first->range) == "a.b");
  const ast::Expr* second = report->parts[3].hole;
  CHECK(ast::PrintExpr(*second) == "m[\"k\"]");
  CHECK(parsed->sources.text(second->range) == "m[\\\"k\\\"]");
  CHECK(parsed->sources.text(second->args[0]->range) == "\\\"k\\\"");
}

TEST_CASE("only a report entry holding a string literal is a template") {
  auto parsed = ParseText("rule r {\n  title: \"{not a hole}\"\n  report: \"a\" + \"{b}\"\n}\n"
                          "rule s { report: (r\"{x}\\n\") }\n");
  REQUIRE(parsed->ok());
  const auto* rule = static_cast<const ast::RuleDecl*>(parsed->ast.decls[0]);
  CHECK(rule->entries[0].value->kind == ast::ExprKind::kLiteral);
  CHECK(rule->entries[1].value->kind == ast::ExprKind::kBinary);
  const auto* raw = static_cast<const ast::RuleDecl*>(parsed->ast.decls[1]);
  REQUIRE(raw->entries[0].value->kind == ast::ExprKind::kTemplate);
  CHECK(raw->entries[0].value->parts[1].text == "\\n");
}

TEST_CASE("malformed templates") {
  auto errors = [](const std::string& report) {
    return ParseText("rule r {\n  report: " + report + "\n}\n")->Summary();
  };
  CHECK(errors("\"a } b\"") == std::vector<std::string>{"E017 2:14 report template: unmatched '}'"});
  CHECK(errors("\"a { b\"") ==
        std::vector<std::string>{"E017 2:14 report template: '{' opens a hole that is never closed"});
  CHECK(errors("\"a { } b\"") == std::vector<std::string>{"E017 2:14 report template: empty hole '{}'"});
  CHECK(errors("\"{a +}\"") == std::vector<std::string>{"E010 2:16 expected an expression, found '}' ending the hole"});
  CHECK(errors("\"{a # b}\"") == std::vector<std::string>{"E003 2:15 unexpected character '#'"});
  CHECK(errors("\"{has(a)}\"") == std::vector<std::string>{"E016 2:17 invalid argument to has() macro"});
  CHECK(errors("\"\\q {a}\"") == std::vector<std::string>{"E006 2:12 invalid escape sequence '\\q' in string literal"});
}

TEST_CASE("templates print back with braces escaped and holes intact") {
  auto parsed = ParseText("rule r { report: '{{ \"quoted\" {x + \"}\"} { {\"k\": 1}[\"k\"]} \\\\ }}' }");
  REQUIRE(parsed->ok());
  std::string printed = ast::Print(parsed->ast);
  CHECK(printed.find("report: \"{{ \\\"quoted\\\" {x + \\\"}\\\"} { {\\\"k\\\": 1}[\\\"k\\\"]} \\\\ }}\"") !=
        std::string::npos);
  CHECK(FileRoundTrip(parsed->ast) == "");
}
