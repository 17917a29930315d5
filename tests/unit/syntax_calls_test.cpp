// Global calls, aggregates, member suffixes and operator chains: the grammar parses each in a
// shape that needs little lookahead (Edict.g4), and the AST builder must still give each its AST,
// its source ranges and its syntax errors.
#include <doctest/doctest.h>

#include "tests/unit/syntax_helpers.h"

using namespace edict;
using namespace edict::syntax::testing;

namespace {

// The AST dump of `text`, or its diagnostics when it does not parse.
std::string Dump(const std::string& text) {
  auto parsed = ParseCel(text);
  if (parsed->expr == nullptr) return parsed->Rendered();
  return ast::DumpExpr(*parsed->expr, parsed->sources);
}

std::vector<std::string> Errors(const std::string& text) { return ParseCel(text)->Summary(); }

// The message of the only diagnostic of `text`.
std::string Message(const std::string& text) {
  auto parsed = ParseCel(text);
  REQUIRE(parsed->diags.diagnostics().size() == 1);
  return parsed->diags.diagnostics()[0].message;
}

// Binary operators, names and literals with their byte ranges: `+[0,5)(a[0,1) b[4,5))`.
std::string Spans(const ast::Expr& e) {
  std::string out;
  std::vector<const ast::Expr*> operands;
  switch (e.kind) {
    case ast::ExprKind::kBinary:
      out = ast::OperatorText(e.binary_op);
      operands = {e.args[0], e.args[1]};
      break;
    case ast::ExprKind::kConditional:
      out = "?:";
      operands = {e.args[0], e.args[1], e.args[2]};
      break;
    case ast::ExprKind::kUnary:
      out = e.unary_op == ast::UnaryOp::kNot ? "!" : "-";
      operands = {e.operand};
      break;
    default:
      out = ast::PrintExpr(e);
  }
  out += "[" + std::to_string(e.range.begin) + "," + std::to_string(e.range.end) + ")";
  if (operands.empty()) return out;
  for (size_t i = 0; i < operands.size(); ++i) {
    out += i == 0 ? "(" : " ";
    out += Spans(*operands[i]);
  }
  return out + ")";
}

std::string Spans(const std::string& text) {
  auto parsed = ParseCel(text);
  if (parsed->expr == nullptr) return parsed->Rendered();
  return Spans(*parsed->expr);
}

}  // namespace

TEST_CASE("a global call takes no, one or several arguments") {
  CHECK(Dump("f()") == "Call f @1:1\n");
  CHECK(Dump("f(a)") == "Call f @1:1\n  Ident a @1:3\n");
  CHECK(Dump("f(a, b + 1, [c])") ==
        "Call f @1:1\n"
        "  Ident a @1:3\n"
        "  Binary + @1:6\n"
        "    Ident b @1:6\n"
        "    Literal int 1 @1:10\n"
        "  List @1:13\n"
        "    Ident c @1:14\n");
  // The call's range runs to its closing parenthesis.
  CHECK(Spans("f(a, b)") == "f(a, b)[0,7)");
  CHECK(Spans("f() + g(x)") == "+[0,10)(f()[0,3) g(x)[6,10))");
}

TEST_CASE("an aggregate has bindings, optionally a value before `for`, and optionally a filter") {
  CHECK(Dump("count(x: xs)") == "Aggregate count @1:1\n  Binding x @1:7\n    source: Ident xs @1:10\n");
  CHECK(Dump("count(x: xs, y: ys where x == y)") ==
        "Aggregate count @1:1\n"
        "  Binding x @1:7\n"
        "    source: Ident xs @1:10\n"
        "  Binding y @1:14\n"
        "    source: Ident ys @1:17\n"
        "  where: Binary == @1:26\n"
        "    Ident x @1:26\n"
        "    Ident y @1:31\n");
  CHECK(Dump("min(x.t for x: xs)") ==
        "Aggregate min @1:1\n"
        "  value: Select t @1:5\n"
        "    Ident x @1:5\n"
        "  Binding x @1:13\n"
        "    source: Ident xs @1:16\n");
  CHECK(Dump("max(a ? b : c for x: xs where x > 0)") ==
        "Aggregate max @1:1\n"
        "  value: Conditional @1:5\n"
        "    Ident a @1:5\n"
        "    Ident b @1:9\n"
        "    Ident c @1:13\n"
        "  Binding x @1:19\n"
        "    source: Ident xs @1:22\n"
        "  where: Binary > @1:31\n"
        "    Ident x @1:31\n"
        "    Literal int 0 @1:35\n");
  CHECK(Spans("count(x: xs) + 1") == "+[0,16)(count(x: xs)[0,12) 1[15,16))");
  // Any name can be bound, reserved words included, as before `for` took part in the choice.
  CHECK(Dump("count(for: xs)") == "Aggregate count @1:1\n  Binding for @1:7\n    source: Ident xs @1:12\n");
}

TEST_CASE("aggregates nest inside call arguments, and calls inside aggregates") {
  CHECK(Dump("f(count(x: xs where g(x, y)), 1)") ==
        "Call f @1:1\n"
        "  Aggregate count @1:3\n"
        "    Binding x @1:9\n"
        "      source: Ident xs @1:12\n"
        "    where: Call g @1:21\n"
        "      Ident x @1:23\n"
        "      Ident y @1:26\n"
        "  Literal int 1 @1:31\n");
  CHECK(Dump("sum(f(x) for x: g(xs, count(y: ys)))") ==
        "Aggregate sum @1:1\n"
        "  value: Call f @1:5\n"
        "    Ident x @1:7\n"
        "  Binding x @1:14\n"
        "    source: Call g @1:17\n"
        "      Ident xs @1:19\n"
        "      Aggregate count @1:23\n"
        "        Binding y @1:29\n"
        "          source: Ident ys @1:32\n");
  CHECK(Dump("f(min(a for a: ys), count(b: bs))") ==
        "Call f @1:1\n"
        "  Aggregate min @1:3\n"
        "    value: Ident a @1:7\n"
        "    Binding a @1:13\n"
        "      source: Ident ys @1:16\n"
        "  Aggregate count @1:21\n"
        "    Binding b @1:27\n"
        "      source: Ident bs @1:30\n");
}

TEST_CASE("with a leading dot, a name is a call or an identifier, never an aggregate") {
  CHECK(Dump(".f(a, b)") == "Call .f @1:1\n  Ident a @1:4\n  Ident b @1:7\n");
  CHECK(Dump(".f()") == "Call .f @1:1\n");
  CHECK(Dump(".a") == "Ident .a @1:1\n");
  CHECK(Errors(".count(x: xs)") == std::vector<std::string>{"E010 1:9 expected ')' to close '(' at 1:7, found ':'"});
}

TEST_CASE("syntax errors around calls and aggregates") {
  auto error = [](const std::string& text) { return Errors(text); };
  using Lines = std::vector<std::string>;
  CHECK(error("f(a") == Lines{"E011 1:2 '(' is never closed"});
  CHECK(error("count(x: xs") == Lines{"E011 1:6 '(' is never closed"});
  CHECK(error("count(x: )") == Lines{"E010 1:10 expected an expression, found ')'"});
  CHECK(error("count(: xs)") == Lines{"E010 1:7 expected an expression or ')' to close '(' at 1:6, found ':'"});
  CHECK(error("count(x: xs, )") == Lines{"E010 1:14 expected a binding (`name: source`), found ')'"});
  CHECK(error("count(x: xs where)") == Lines{"E010 1:18 expected an expression, found ')'"});
  CHECK(error("count(x: xs y)") == Lines{"E010 1:13 expected ',', 'where' or ')' to close '(' at 1:6, found 'y'"});
  CHECK(error("f(a for)") == Lines{"E010 1:8 expected a binding (`name: source`), found ')'"});
  CHECK(error("f(a for x)") == Lines{"E010 1:10 expected ':', found ')'"});
  CHECK(error("min(a for x: xs y)") == Lines{"E010 1:17 expected ',', 'where' or ')' to close '(' at 1:4, found 'y'"});
  CHECK(error("f(x: 1 for)") == Lines{"E010 1:8 expected ',', 'where' or ')' to close '(' at 1:2, found 'for'"});
  // After the first argument `for` could follow, but the message names what a call takes.
  CHECK(error("f(a b)") == Lines{"E010 1:5 expected ',' or ')' to close '(' at 1:2, found 'b'"});
  CHECK(error("size(x where y)") == Lines{"E010 1:8 expected ',' or ')' to close '(' at 1:5, found 'where'"});
  CHECK(error("f(a, b c)") == Lines{"E010 1:8 expected ')' to close '(' at 1:2, found 'c'"});
  CHECK(error("f(a,)") == Lines{"E010 1:5 expected an expression, found ')'"});
  CHECK(error("f(,)") == Lines{"E010 1:3 expected an expression or ')' to close '(' at 1:2, found ','"});
  CHECK(error("f(if)") == Lines{"E010 1:5 expected ':', found ')'"});
  CHECK(error("f(a, if)") == Lines{"E018 1:6 'if' is a reserved word and cannot be used as a name"});
}

TEST_CASE("a mistake inside a call's first argument reads as it does anywhere else") {
  // The parser no longer looks through the first argument to choose between a call and an
  // aggregate, so its errors come from where they are, as in a list or a later argument.
  CHECK(Message("f(a.)") == "expected a field name or '?', found ')'");
  CHECK(Message("f(a.)") == Message("f(b, a.)"));
  CHECK(Message("count(x: f(a.?))") == "expected a field name, found ')'");
  CHECK(Message("f(g(x for))") == "expected a binding (`name: source`), found ')'");
  CHECK(Message("f(a.g(b c))") == "expected ')' to close '(' at 1:6, found 'c'");
  CHECK(Message("f(a in for)") == "expected ',' or ')' to close '(' at 1:2, found 'in'");
}

TEST_CASE("member suffixes: fields, optional fields, method calls and indexes") {
  CHECK(Dump("a.b(c).?d[0]") ==
        "Index @1:1\n"
        "  Select d (optional) @1:1\n"
        "    Call b @1:1\n"
        "      receiver: Ident a @1:1\n"
        "      Ident c @1:5\n"
        "  Literal int 0 @1:11\n");
  CHECK(Dump("a.`b-c`.`d`()") == "Call d @1:1\n  receiver: Select b-c @1:1\n    Ident a @1:1\n");
  CHECK(Spans("a.b.c(d) + 1") == "+[0,12)(a.b.c(d)[0,8) 1[11,12))");
  CHECK(Errors("a.?b(c)") == std::vector<std::string>{"E010 1:5 expected the end of the expression, found '('"});
  CHECK(Errors("(a.)") == std::vector<std::string>{"E010 1:4 expected a field name or '?', found ')'"});
}

TEST_CASE("one flat operator chain gets CEL's precedence, associativity and ranges") {
  CHECK(Spans("a * b + c < d && e || f") ==
        "||[0,23)(&&[0,18)(<[0,13)(+[0,9)(*[0,5)(a[0,1) b[4,5)) c[8,9)) d[12,13)) e[17,18)) f[22,23))");
  CHECK(Spans("a || b && c == d + e * f") ==
        "||[0,24)(a[0,1) &&[5,24)(b[5,6) ==[10,24)(c[10,11) +[15,24)(d[15,16) *[19,24)(e[19,20) f[23,24))))))");
  CHECK(Spans("a - b - c") == "-[0,9)(-[0,5)(a[0,1) b[4,5)) c[8,9))");
  CHECK(Spans("a / b * c % d") == "%[0,13)(*[0,9)(/[0,5)(a[0,1) b[4,5)) c[8,9)) d[12,13))");
  CHECK(Spans("a < b == c in d") == "in[0,15)(==[0,10)(<[0,5)(a[0,1) b[4,5)) c[9,10)) d[14,15))");
  // `&&` and `||` chains are balanced, as cel-go builds them.
  CHECK(Spans("a && b && c && d && e") ==
        "&&[0,21)(&&[0,11)(&&[0,6)(a[0,1) b[5,6)) c[10,11)) &&[15,21)(d[15,16) e[20,21)))");
  CHECK(Spans("a || b && c || d") == "||[0,16)(||[0,11)(a[0,1) &&[5,11)(b[5,6) c[10,11))) d[15,16))");
  // A node's range takes in the brackets around its operands.
  CHECK(Spans("(a + b) * c") == "*[0,11)(+[1,6)(a[1,2) b[5,6)) c[10,11))");
  CHECK(Spans("-a + !b") == "+[0,7)(-[0,2)(a[1,2)) ![5,7)(b[6,7)))");
  CHECK(Spans("x - -1") == "-[0,6)(x[0,1) -1[4,6))");
  CHECK(Spans("a ? b : c ? d : e") == "?:[0,17)(a[0,1) b[4,5) ?:[8,17)(c[8,9) d[12,13) e[16,17)))");
  CHECK(Spans("a + b ? c * d : e") == "?:[0,17)(+[0,5)(a[0,1) b[4,5)) *[8,13)(c[8,9) d[12,13)) e[16,17))");
}
