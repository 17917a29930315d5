// The printer: exact output for the cases that need care (signs, brackets, escapes, non-finite
// doubles), and a seeded property test: random ASTs print to text that parses back Equal.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
namespace ast = edict::ast;

namespace {

class Builder {
 public:
  ast::Expr* Node(ast::ExprKind kind) {
    auto* e = arena_.Make<ast::Expr>();
    e->kind = kind;
    return e;
  }
  ast::Expr* Int(int64_t v) {
    ast::Expr* e = Node(ast::ExprKind::kLiteral);
    e->literal.kind = ast::LiteralKind::kInt;
    e->literal.int_value = v;
    return e;
  }
  ast::Expr* Double(double v) {
    ast::Expr* e = Node(ast::ExprKind::kLiteral);
    e->literal.kind = ast::LiteralKind::kDouble;
    e->literal.double_value = v;
    return e;
  }
  ast::Expr* Text(ast::LiteralKind kind, std::string v) {
    ast::Expr* e = Node(ast::ExprKind::kLiteral);
    e->literal.kind = kind;
    e->literal.text = std::move(v);
    return e;
  }
  ast::Expr* Duration(int64_t nanos) {
    ast::Expr* e = Int(nanos);
    e->literal.kind = ast::LiteralKind::kDuration;
    return e;
  }
  ast::Expr* Ident(std::string name) {
    ast::Expr* e = Node(ast::ExprKind::kIdent);
    e->name = std::move(name);
    return e;
  }
  ast::Expr* Select(ast::Expr* operand, std::string field) {
    ast::Expr* e = Node(ast::ExprKind::kSelect);
    e->operand = operand;
    e->name = std::move(field);
    return e;
  }
  ast::Expr* Unary(ast::UnaryOp op, ast::Expr* operand) {
    ast::Expr* e = Node(ast::ExprKind::kUnary);
    e->unary_op = op;
    e->operand = operand;
    return e;
  }
  ast::Expr* Binary(ast::BinaryOp op, ast::Expr* lhs, ast::Expr* rhs) {
    ast::Expr* e = Node(ast::ExprKind::kBinary);
    e->binary_op = op;
    e->args = {lhs, rhs};
    return e;
  }
  ast::Expr* Conditional(ast::Expr* c, ast::Expr* t, ast::Expr* f) {
    ast::Expr* e = Node(ast::ExprKind::kConditional);
    e->args = {c, t, f};
    return e;
  }
  ast::AstArena& arena() { return arena_; }

 private:
  ast::AstArena arena_;
};

// Random expressions of every kind the parser builds, in the shapes it can build.
class RandomExpr {
 public:
  explicit RandomExpr(uint32_t seed) : rng_(seed) {}

  ast::Expr* Make(Builder& b, int depth) {
    int kinds = depth <= 0 ? 3 : 17;
    switch (Pick(kinds)) {
      case 0: return Literal(b);
      case 1: return Name(b);
      case 2: return Literal(b);
      case 3: return b.Select(Make(b, depth - 1), Field());
      case 4: {
        ast::Expr* e = b.Node(ast::ExprKind::kIndex);
        e->operand = Make(b, depth - 1);
        e->args = {Make(b, depth - 1)};
        e->optional = Pick(4) == 0;
        return e;
      }
      case 5: {
        ast::Expr* e = b.Node(ast::ExprKind::kCall);
        if (Pick(2) == 0) e->operand = Make(b, depth - 1);
        e->leading_dot = e->operand == nullptr && Pick(4) == 0;
        e->name = Choose({"f", "size", "contains", "rule", "g2"});
        for (int i = Pick(4); i > 0; --i) e->args.push_back(Make(b, depth - 1));
        return e;
      }
      case 6: {
        ast::Expr* e = b.Node(ast::ExprKind::kList);
        for (int i = Pick(4); i > 0; --i) {
          if (Pick(4) == 0) e->optional_indices.push_back(static_cast<uint32_t>(e->args.size()));
          e->args.push_back(Make(b, depth - 1));
        }
        return e;
      }
      case 7: {
        ast::Expr* e = b.Node(ast::ExprKind::kMap);
        for (int i = Pick(3); i > 0; --i) {
          e->entries.push_back({Make(b, depth - 1), Make(b, depth - 1), Pick(4) == 0, {}});
        }
        return e;
      }
      case 8: {
        ast::Expr* e = b.Node(ast::ExprKind::kMessage);
        e->name = Choose({"Msg", "google.protobuf.Value", "a.B"});
        e->leading_dot = Pick(3) == 0;
        for (int i = Pick(3); i > 0; --i) e->fields.push_back({Field(), Make(b, depth - 1), Pick(4) == 0, {}});
        return e;
      }
      case 9: return b.Unary(Pick(2) == 0 ? ast::UnaryOp::kNot : ast::UnaryOp::kNegate, Make(b, depth - 1));
      case 10:
      case 11:
      case 12: {
        auto op = static_cast<ast::BinaryOp>(Pick(static_cast<int>(ast::BinaryOp::kMod) + 1));
        return b.Binary(op, Make(b, depth - 1), Make(b, depth - 1));
      }
      case 13: return b.Conditional(Make(b, depth - 1), Make(b, depth - 1), Make(b, depth - 1));
      case 14: return Comprehension(b, depth);
      case 15: {
        ast::Expr* e = b.Node(ast::ExprKind::kAggregate);
        e->name = Choose({"count", "min", "distinct"});
        if (Pick(2) == 0) e->value = Make(b, depth - 1);
        for (int i = 1 + Pick(2); i > 0; --i) {
          auto* binding = b.arena().Make<ast::Binding>();
          binding->name = Choose({"x", "r", "deny"});
          binding->source = Make(b, depth - 1);
          e->bindings.push_back(binding);
        }
        if (Pick(2) == 0) e->where = Make(b, depth - 1);
        return e;
      }
      default: {
        ast::Expr* e = b.Select(Make(b, depth - 1), Field());
        e->test_only = Pick(2) == 0;
        e->optional = !e->test_only && Pick(2) == 0;
        return e;
      }
    }
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string Choose(std::initializer_list<const char*> options) { return *(options.begin() + Pick(options.size())); }
  std::string Field() { return Choose({"b", "t", "in", "as", "null", "where", "weird-name", "x y", "a/b"}); }

  ast::Expr* Name(Builder& b) {
    ast::Expr* e = b.Ident(Choose({"a", "b", "deny", "rule", "test", "_x1"}));
    e->leading_dot = Pick(5) == 0;
    return e;
  }

  ast::Expr* Literal(Builder& b) {
    switch (Pick(8)) {
      case 0: {
        int64_t values[] = {0, 1, -1, 42, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
        return Pick(2) == 0 ? b.Int(values[Pick(6)]) : b.Int(static_cast<int64_t>(rng_()));
      }
      case 1: {
        ast::Expr* e = b.Int(0);
        e->literal.kind = ast::LiteralKind::kUint;
        e->literal.uint_value = static_cast<uint64_t>(rng_()) << 32 | rng_();
        return e;
      }
      case 2: {
        double value;
        do {
          uint64_t bits = static_cast<uint64_t>(rng_()) << 32 | rng_();
          std::memcpy(&value, &bits, sizeof value);
        } while (!std::isfinite(value));
        double specials[] = {0.0, -0.0, 0.5, -2.5, 1e21, 5e-324, 123456789.0};
        return b.Double(Pick(2) == 0 ? value : specials[Pick(7)]);
      }
      case 3: {
        std::string text;
        const char* pieces[] = {"a", "\"", "'", "\\", "{", "}", "\n", "\r", "\t", "\x01", "\x7f", "中", "😬",
                                "\u200b", "\u2028", "`", "?", " "};
        for (int i = Pick(6); i > 0; --i) text += pieces[Pick(18)];
        return b.Text(ast::LiteralKind::kString, text);
      }
      case 4: {
        std::string bytes;
        for (int i = Pick(6); i > 0; --i) bytes += static_cast<char>(Pick(256));
        return b.Text(ast::LiteralKind::kBytes, bytes);
      }
      case 5: return b.Duration(Pick(2) == 0 ? Pick(100000) * 1'000'000'000LL : static_cast<int64_t>(rng_() >> 1));
      case 6: {
        ast::Expr* e = b.Node(ast::ExprKind::kLiteral);
        e->literal.kind = ast::LiteralKind::kBool;
        e->literal.bool_value = Pick(2) == 0;
        return e;
      }
      default: return b.Node(ast::ExprKind::kLiteral);  // null
    }
  }

  ast::Expr* Comprehension(Builder& b, int depth) {
    struct Shape {
      ast::Macro macro;
      size_t vars, args;
    };
    static constexpr Shape kShapes[] = {
        {ast::Macro::kAll, 1, 1},       {ast::Macro::kExists, 1, 1},    {ast::Macro::kExistsOne, 1, 1},
        {ast::Macro::kMap, 1, 1},       {ast::Macro::kMapFilter, 1, 2}, {ast::Macro::kFilter, 1, 1},
        {ast::Macro::kAll, 2, 1},       {ast::Macro::kExists, 2, 1},    {ast::Macro::kExistsOne, 2, 1},
        {ast::Macro::kMap, 2, 1},       {ast::Macro::kMapFilter, 2, 2}, {ast::Macro::kTransformMap, 2, 1},
        {ast::Macro::kTransformMap, 2, 2}};
    const Shape& shape = kShapes[Pick(std::size(kShapes))];
    ast::Expr* e = b.Node(ast::ExprKind::kComprehension);
    e->macro = shape.macro;
    e->operand = Make(b, depth - 1);
    e->vars = shape.vars == 1 ? std::vector<std::string>{"x"} : std::vector<std::string>{"k", "v"};
    for (size_t i = 0; i < shape.args; ++i) e->args.push_back(Make(b, depth - 1));
    return e;
  }

  std::mt19937 rng_;
};

std::string Print(ast::Expr* e) { return ast::PrintExpr(*e); }

}  // namespace

TEST_CASE("signs: negative literals, negated literals, and negations of negations") {
  Builder b;
  using ast::UnaryOp;
  CHECK(Print(b.Int(-1)) == "-1");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Int(1))) == "-(1)");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Int(-1))) == "-(-1)");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Unary(UnaryOp::kNegate, b.Ident("x")))) == "-(-x)");
  CHECK(Print(b.Unary(UnaryOp::kNot, b.Unary(UnaryOp::kNot, b.Ident("x")))) == "!(!x)");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Select(b.Int(1), "f"))) == "-(1.f)");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Double(2.5))) == "-(2.5)");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Duration(60'000'000'000))) == "-1m");
  CHECK(Print(b.Unary(UnaryOp::kNegate, b.Select(b.Int(-1), "f"))) == "-(-1).f");
  CHECK(Print(b.Select(b.Int(-1), "f")) == "(-1).f");
  CHECK(Print(b.Int(std::numeric_limits<int64_t>::min())) == "-9223372036854775808");
  CHECK(Print(b.Binary(ast::BinaryOp::kSub, b.Int(1), b.Int(-1))) == "1 - -1");
}

TEST_CASE("doubles print so that they read back exactly") {
  Builder b;
  CHECK(Print(b.Double(1.0)) == "1.0");
  CHECK(Print(b.Double(0.1)) == "0.1");
  CHECK(Print(b.Double(1e21)) == "1e+21");
  CHECK(Print(b.Double(-0.0)) == "-0.0");
  CHECK(Print(b.Double(std::nan(""))) == "double(\"NaN\")");
  CHECK(Print(b.Double(std::numeric_limits<double>::infinity())) == "double(\"Infinity\")");
  CHECK(Print(b.Double(-std::numeric_limits<double>::infinity())) == "double(\"-Infinity\")");
}

TEST_CASE("strings, bytes and durations are escaped and spelled canonically") {
  Builder b;
  CHECK(Print(b.Text(ast::LiteralKind::kString, "a\"b\\c\n\t\x01\u200b中{}")) ==
        "\"a\\\"b\\\\c\\n\\t\\x01\\u200B中{}\"");
  CHECK(Print(b.Text(ast::LiteralKind::kBytes, std::string("\xff\0a\"", 4))) == "b\"\\xFF\\x00a\\\"\"");
  CHECK(Print(b.Duration(0)) == "0s");
  CHECK(Print(b.Duration(5'400'000'000'000)) == "1h30m");
  CHECK(Print(b.Duration(61'001'001'001)) == "1m1s1ms1us1ns");
  CHECK(Print(b.Select(b.Ident("a"), "weird-name")) == "a.`weird-name`");
}

TEST_CASE("brackets exactly where the structure needs them") {
  Builder b;
  using ast::BinaryOp;
  auto a = [&] { return b.Ident("a"); };
  CHECK(Print(b.Binary(BinaryOp::kSub, a(), b.Binary(BinaryOp::kSub, a(), a()))) == "a - (a - a)");
  CHECK(Print(b.Binary(BinaryOp::kSub, b.Binary(BinaryOp::kSub, a(), a()), a())) == "a - a - a");
  CHECK(Print(b.Binary(BinaryOp::kMul, b.Binary(BinaryOp::kAdd, a(), a()), a())) == "(a + a) * a");
  CHECK(Print(b.Binary(BinaryOp::kAnd, b.Binary(BinaryOp::kAnd, a(), a()), a())) == "a && a && a");
  CHECK(Print(b.Binary(BinaryOp::kAnd, a(), b.Binary(BinaryOp::kAnd, a(), a()))) == "a && (a && a)");
  CHECK(Print(b.Binary(BinaryOp::kAnd, b.Binary(BinaryOp::kOr, a(), a()), a())) == "(a || a) && a");
  CHECK(Print(b.Conditional(b.Conditional(a(), a(), a()), a(), a())) == "(a ? a : a) ? a : a");
  CHECK(Print(b.Conditional(a(), b.Conditional(a(), a(), a()), a())) == "a ? (a ? a : a) : a");
  CHECK(Print(b.Conditional(a(), a(), b.Conditional(a(), a(), a()))) == "a ? a : a ? a : a");
  CHECK(Print(b.Select(b.Binary(BinaryOp::kAdd, a(), a()), "f")) == "(a + a).f");
  CHECK(Print(b.Unary(ast::UnaryOp::kNot, b.Binary(BinaryOp::kEq, a(), a()))) == "!(a == a)");
}

TEST_CASE("random expressions print to text that parses back to the same tree") {
  RandomExpr random(20261128);
  for (int i = 0; i < 3000; ++i) {
    Builder b;
    ast::Expr* expr = random.Make(b, 1 + i % 5);
    INFO("case " << i << ": " << ast::PrintExpr(*expr));
    CHECK(CelRoundTrip(*expr) == "");
  }
}
