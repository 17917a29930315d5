// Literal decoding (every CEL escape, raw and triple-quoted strings, bytes, integer and double
// ranges, durations) and the shape of the trees the parser builds from operators.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace ast = edict::ast;

namespace {

ast::Literal LiteralOf(const std::string& text) {
  auto parsed = ParseCel(text);
  INFO(text << "\n" << parsed->Rendered());
  REQUIRE(parsed->expr != nullptr);
  REQUIRE(parsed->expr->kind == ast::ExprKind::kLiteral);
  return parsed->expr->literal;
}

std::string StringOf(const std::string& text) {
  ast::Literal literal = LiteralOf(text);
  CHECK(literal.kind == (text[0] == 'b' || text[0] == 'B' ? ast::LiteralKind::kBytes : ast::LiteralKind::kString));
  return literal.text;
}

// The tree as a compact S-expression: (&& (&& a b) c).
std::string Shape(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kIdent: return e.name;
    case ast::ExprKind::kLiteral: return ast::PrintExpr(e);
    case ast::ExprKind::kBinary:
      return std::string("(") + ast::OperatorText(e.binary_op) + " " + Shape(*e.args[0]) + " " +
             Shape(*e.args[1]) + ")";
    case ast::ExprKind::kUnary:
      return std::string("(") + (e.unary_op == ast::UnaryOp::kNot ? "!" : "-") + " " + Shape(*e.operand) + ")";
    case ast::ExprKind::kConditional:
      return "(?: " + Shape(*e.args[0]) + " " + Shape(*e.args[1]) + " " + Shape(*e.args[2]) + ")";
    default: return ast::PrintExpr(e);
  }
}

std::string ShapeOf(const std::string& text) {
  auto parsed = ParseCel(text);
  INFO(text << "\n" << parsed->Rendered());
  REQUIRE(parsed->expr != nullptr);
  return Shape(*parsed->expr);
}

}  // namespace

TEST_CASE("string escapes decode as in cel-go") {
  CHECK(StringOf(R"("\a\b\f\n\r\t\v\\\?\"\'\`")") == "\a\b\f\n\r\t\v\\?\"'`");
  CHECK(StringOf(R"('\101\060\000')") == std::string("A0\0", 3));
  CHECK(StringOf(R"("\x41\X42\u4e2d\U0001F62C")") == "AB中😬");
  CHECK(StringOf(R"("\xFF\377")") == "ÿÿ");  // code points in strings
  CHECK(StringOf(R"(b"\xFF\377")") == "\xFF\xFF");  // bytes in bytes literals
  CHECK(StringOf(R"(b"中")") == "中");
  CHECK(StringOf(R"(r"\n\x")") == "\\n\\x");
  CHECK(StringOf(R"(R"\'")") == "\\'");
  CHECK(StringOf(R"(br"\d+")") == "\\d+");
  CHECK(StringOf("'''a\r\nb\rc\"'d'''") == "a\nb\nc\"'d");
  CHECK(StringOf("\"\"\"a\\\"\"\"\"") == "a\"");
  CHECK(StringOf("r'''\\n\r\n'''") == "\\n\n");
  CHECK(StringOf(R"("")") == "");
}

TEST_CASE("integers cover int64 and uint64 exactly") {
  CHECK(LiteralOf("-9223372036854775808").int_value == std::numeric_limits<int64_t>::min());
  CHECK(LiteralOf("- 9223372036854775808").int_value == std::numeric_limits<int64_t>::min());
  CHECK(LiteralOf("9223372036854775807").int_value == std::numeric_limits<int64_t>::max());
  CHECK(LiteralOf("0x7FFFFFFFFFFFFFFF").int_value == std::numeric_limits<int64_t>::max());
  CHECK(LiteralOf("-0x8000000000000000").int_value == std::numeric_limits<int64_t>::min());
  CHECK(LiteralOf("0123").int_value == 123);
  CHECK(LiteralOf("18446744073709551615u").uint_value == std::numeric_limits<uint64_t>::max());
  CHECK(LiteralOf("0xFFFFFFFFFFFFFFFFU").uint_value == std::numeric_limits<uint64_t>::max());
  CHECK(LiteralOf("0u").kind == ast::LiteralKind::kUint);
}

TEST_CASE("doubles: exponents, leading dots, signs, underflow to zero") {
  CHECK(LiteralOf("1e10").double_value == 1e10);
  CHECK(LiteralOf(".5").double_value == 0.5);
  CHECK(LiteralOf("6.02E+23").double_value == 6.02e23);
  CHECK(LiteralOf("-2.5").double_value == -2.5);
  CHECK(std::signbit(LiteralOf("-0.0").double_value));
  CHECK(LiteralOf("1e-400").double_value == 0.0);
  CHECK(LiteralOf("1.7976931348623157e308").double_value == std::numeric_limits<double>::max());
  CHECK(LiteralOf("4.9e-324").double_value == std::numeric_limits<double>::denorm_min());
}

TEST_CASE("duration literals in nanoseconds") {
  CHECK(LiteralOf("48h").int_value == 48LL * 3600 * 1'000'000'000);
  CHECK(LiteralOf("1h30m").int_value == 5400LL * 1'000'000'000);
  CHECK(LiteralOf("250ms").int_value == 250'000'000);
  CHECK(LiteralOf("1m1s1ms1us1ns").int_value == 61'001'001'001);
  CHECK(LiteralOf("0s").int_value == 0);
  CHECK(LiteralOf("2562047h").kind == ast::LiteralKind::kDuration);
  CHECK(ParseCel("2562048h")->Summary() ==
        std::vector<std::string>{"E008 1:1 invalid duration literal '2562048h': durations are limited to about "
                                 "292 years (2^63 nanoseconds)"});
  CHECK(ParseCel("1s1h")->Summary().front().starts_with("E008 1:1 invalid duration literal '1s1h': units go from"));
}

TEST_CASE("&& and || chains are balanced as cel-go balances them") {
  CHECK(ShapeOf("a || b || c || d || e || f") == "(|| (|| (|| a b) c) (|| (|| d e) f))");
  CHECK(ShapeOf("a && b && c && d && e && f && g") == "(&& (&& (&& a b) (&& c d)) (&& (&& e f) g))");
  CHECK(ShapeOf("a && b || c && d") == "(|| (&& a b) (&& c d))");
  CHECK(ShapeOf("(a && b) && c") == "(&& (&& a b) c)");
  CHECK(ShapeOf("a && (b && c)") == "(&& a (&& b c))");
}

TEST_CASE("other binary operators associate to the left, ?: to the right") {
  CHECK(ShapeOf("a - b - c") == "(- (- a b) c)");
  CHECK(ShapeOf("a / b * c % d") == "(% (* (/ a b) c) d)");
  CHECK(ShapeOf("a < b == c") == "(== (< a b) c)");
  CHECK(ShapeOf("1 + 2 * 3 - 4") == "(- (+ 1 (* 2 3)) 4)");
  CHECK(ShapeOf("a in b && c") == "(&& (in a b) c)");
  CHECK(ShapeOf("a ? b : c ? d : e") == "(?: a b (?: c d e))");
  CHECK(ShapeOf("a || b ? c && d : e") == "(?: (|| a b) (&& c d) e)");
}

TEST_CASE("signs fold into literals as CEL's grammar folds them; pairs of ! and - cancel") {
  CHECK(ShapeOf("-1") == "-1");
  CHECK(ShapeOf("4--4") == "(- 4 -4)");
  CHECK(ShapeOf("-(1)") == "(- 1)");
  CHECK(ShapeOf("--1") == "1");
  CHECK(ShapeOf("---1") == "(- 1)");
  CHECK(ShapeOf("-1u") == "(- 1u)");
  CHECK(ShapeOf("-x") == "(- x)");
  CHECK(ShapeOf("--x") == "x");
  CHECK(ShapeOf("!!x") == "x");
  CHECK(ShapeOf("!!!x") == "(! x)");
  CHECK(ShapeOf("-48h") == "(- 48h)");
  CHECK(ShapeOf("-1.5") == "-1.5");
  CHECK(ShapeOf("-1.5.floor()") == "(-1.5).floor()");
}

TEST_CASE("macros become comprehension nodes; has() a presence test") {
  auto has = ParseCel("has(a.b.c)");
  REQUIRE(has->expr != nullptr);
  CHECK(has->expr->kind == ast::ExprKind::kSelect);
  CHECK(has->expr->test_only);
  CHECK(has->expr->name == "c");
  CHECK(has->sources.text(has->expr->range) == "has(a.b.c)");

  auto map = ParseCel("xs.map(x, x > 0, x * 2)");
  REQUIRE(map->expr != nullptr);
  CHECK(map->expr->kind == ast::ExprKind::kComprehension);
  CHECK(map->expr->macro == ast::Macro::kMapFilter);
  CHECK(map->expr->vars == std::vector<std::string>{"x"});
  REQUIRE(map->expr->args.size() == 2);
  CHECK(ast::PrintExpr(*map->expr->args[0]) == "x > 0");
  CHECK(ast::PrintExpr(*map->expr->operand) == "xs");

  auto two = ParseCel("m.transformMap(k, v, v + 1)");
  REQUIRE(two->expr != nullptr);
  CHECK(two->expr->macro == ast::Macro::kTransformMap);
  CHECK(two->expr->vars == std::vector<std::string>{"k", "v"});

  for (const char* call : {"x.has(a.b)", ".has(a.b)", "all(x, p)", "xs.map(x)", "xs.filter(x, p, q)"}) {
    auto parsed = ParseCel(call);
    REQUIRE(parsed->expr != nullptr);
    CHECK(parsed->expr->kind == ast::ExprKind::kCall);
  }
}

TEST_CASE("with macros off, macros are plain calls") {
  edict::syntax::ParseOptions no_macros;
  no_macros.macros = false;
  for (const char* text : {"has(a.b)", "has(a)", "xs.all(x, x > 0)", "xs.map(1, 2)"}) {
    auto parsed = ParseCel(text, no_macros);
    INFO(text);
    REQUIRE(parsed->expr != nullptr);
    CHECK(parsed->expr->kind == ast::ExprKind::kCall);
    CHECK(CelRoundTrip(*parsed->expr, no_macros) == "");
  }
}

TEST_CASE("every node's range is the text it came from") {
  auto parsed = ParseCel("f(a.b[0], -1, {'k': [x]}) + .g(y) * (z ? 1 : 2)");
  REQUIRE(parsed->expr != nullptr);
  auto text = [&](const ast::Expr* e) { return std::string(parsed->sources.text(e->range)); };
  const ast::Expr* sum = parsed->expr;
  CHECK(text(sum) == "f(a.b[0], -1, {'k': [x]}) + .g(y) * (z ? 1 : 2)");
  const ast::Expr* call = sum->args[0];
  CHECK(text(call) == "f(a.b[0], -1, {'k': [x]})");
  CHECK(text(call->args[0]) == "a.b[0]");
  CHECK(text(call->args[0]->operand) == "a.b");
  CHECK(text(call->args[1]) == "-1");
  CHECK(text(call->args[2]) == "{'k': [x]}");
  CHECK(text(call->args[2]->entries[0].value) == "[x]");
  const ast::Expr* product = sum->args[1];
  CHECK(text(product->args[0]) == ".g(y)");
  CHECK(text(product->args[1]) == "z ? 1 : 2");
}
