// Inputs built to exhaust the stack: deep nesting and long operator chains get one located error
// (E013, E014) instead of a crash, while the depths real rules need are accepted.
#include <doctest/doctest.h>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
using edict::syntax::kMaxNesting;
using edict::syntax::kMaxOperatorChain;

namespace {

// `first` followed by `count` copies of `part`.
std::string Repeat(const std::string& part, size_t count, const std::string& first = "") {
  std::string out = first;
  out.reserve(first.size() + part.size() * count);
  for (size_t i = 0; i < count; ++i) out += part;
  return out;
}

// Parses and checks the round trip, which walks the whole tree recursively too.
void CheckAccepted(const std::string& expr) {
  auto parsed = ParseCel(expr);
  INFO(expr.substr(0, 80) << "...\n" << parsed->Rendered());
  REQUIRE(parsed->expr != nullptr);
  CHECK(CelRoundTrip(*parsed->expr) == "");
}

}  // namespace

TEST_CASE("100 000 nested brackets give one error at the bracket past the limit") {
  for (const char* open : {"(", "[", "{1: "}) {
    auto parsed = ParseCel(Repeat(open, 100000) + "1");
    REQUIRE(parsed->diags.diagnostics().size() == 1);
    CHECK(parsed->Summary()[0] ==
          "E013 1:" + std::to_string(kMaxNesting * std::string(open).size() + 1) +
              " expression nested too deeply (limit is 256)");
  }
  // The rule's braces count: the 256th parenthesis is the 257th level.
  auto file = ParseText("rule r {\n  where " + Repeat("(", 100000) + Repeat(")", 100000, "x") + "\n}\n");
  CHECK(file->Summary() == std::vector<std::string>{"E013 2:264 expression nested too deeply (limit is 256)"});
}

TEST_CASE("200 levels of nesting are accepted") {
  CheckAccepted(Repeat("(", 200) + Repeat(")", 200, "1"));
  CheckAccepted(Repeat("[", 200) + Repeat("]", 200, "1"));
  CheckAccepted(Repeat("{1: ", 200) + Repeat("}", 200, "1"));
  CheckAccepted(Repeat("f(", 200) + Repeat(")", 200, "1"));
  CheckAccepted(Repeat("a[", 200) + Repeat("]", 200, "1"));
  CheckAccepted(Repeat("[1].map(x, ", 200) + Repeat(")", 200, "x"));
  CheckAccepted(Repeat("(a ? ", 200) + Repeat(" : c)", 200, "b"));
  auto file = ParseText("rule r {\n  where " + Repeat("(", 200) + Repeat(")", 200, "x") + "\n}\n");
  CHECK(file->ok());
}

TEST_CASE("an operator chain of 100 000 terms gives one error at the operator past the limit") {
  for (const char* op : {" && ", " || ", " + ", " * ", " == ", " ? a : "}) {
    std::string term = op;
    term += "a";
    std::string chain = Repeat(term, 100000, "a");
    auto parsed = ParseCel(chain);
    INFO(op);
    REQUIRE(parsed->diags.diagnostics().size() == 1);
    // `a`, then kMaxOperatorChain times `<op>a`, then a space: the operator past the limit.
    size_t column = 1 + kMaxOperatorChain * (std::string(op).size() + 1) + 2;
    std::string limit = "(limit is " + std::to_string(kMaxOperatorChain) + ")";
    CHECK(parsed->Summary()[0] == "E014 1:" + std::to_string(column) + " too many operands in one expression " + limit);
  }
  CHECK(ParseCel(Repeat(".b", 100000, "a"))->Summary().front().starts_with("E014 "));
  CHECK(ParseCel(Repeat("[0]", 100000, "a"))->Summary().front().starts_with("E014 "));
  CHECK(ParseCel(Repeat("-", 100000) + "1")->Summary().front().starts_with("E014 "));
}

TEST_CASE("chains up to the limit are accepted, balanced for && and ||") {
  CheckAccepted(Repeat(" && a", kMaxOperatorChain, "a"));
  CheckAccepted(Repeat(" || a", kMaxOperatorChain, "a"));
  CheckAccepted(Repeat(" + 1", kMaxOperatorChain, "1"));
  CheckAccepted(Repeat(" ? a : a", kMaxOperatorChain, "a"));
  CheckAccepted(Repeat(".b", kMaxOperatorChain, "a"));
  // A bracket counts as one operand of the chain around it, but what is inside counts too.
  std::string half = Repeat(" + 1", kMaxOperatorChain / 2 - 1, "1");
  CheckAccepted("(" + half + ") + " + half);
  CHECK(ParseCel("(" + half + " + " + half + ") + " + half)->Summary().front().starts_with("E014 "));
}

TEST_CASE("separate expressions and list elements do not add up") {
  std::string chain = Repeat(" && a", kMaxOperatorChain - 10, "a");
  CheckAccepted("[" + chain + ", " + chain + ", " + chain + "]");
  std::string file;
  for (int i = 0; i < 3; ++i) file += "let x" + std::to_string(i) + " = " + chain + "\n";
  CHECK(ParseText(file)->ok());
}

TEST_CASE("negations fold without recursion") {
  auto parsed = ParseCel(Repeat("!", 100001) + "x");
  REQUIRE(parsed->expr != nullptr);
  CHECK(parsed->expr->kind == edict::ast::ExprKind::kUnary);
  CHECK(parsed->expr->operand->kind == edict::ast::ExprKind::kIdent);
}

TEST_CASE("limits hold inside report-template holes, located in the file") {
  auto parsed = ParseText("rule r {\n  report: \"x {" + Repeat("(", 300) + Repeat(")", 300, "1") + "}\"\n}\n");
  CHECK(parsed->Summary() == std::vector<std::string>{"E013 2:271 expression nested too deeply (limit is 256)"});
}
