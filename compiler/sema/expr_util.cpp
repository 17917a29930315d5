// Operator spellings and structural equality of expressions.
#include "compiler/sema/expr_util.h"

namespace edict::sema {

const char* BinaryOperatorSpelling(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kOr: return "||";
    case ast::BinaryOp::kAnd: return "&&";
    case ast::BinaryOp::kLess: return "<";
    case ast::BinaryOp::kLessEq: return "<=";
    case ast::BinaryOp::kGreater: return ">";
    case ast::BinaryOp::kGreaterEq: return ">=";
    case ast::BinaryOp::kEq: return "==";
    case ast::BinaryOp::kNotEq: return "!=";
    case ast::BinaryOp::kIn: return "in";
    case ast::BinaryOp::kAdd: return "+";
    case ast::BinaryOp::kSub: return "-";
    case ast::BinaryOp::kMul: return "*";
    case ast::BinaryOp::kDiv: return "/";
    case ast::BinaryOp::kMod: return "%";
  }
  return "?";
}

const char* BinaryOperatorFunction(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kOr: return "_||_";
    case ast::BinaryOp::kAnd: return "_&&_";
    case ast::BinaryOp::kLess: return "_<_";
    case ast::BinaryOp::kLessEq: return "_<=_";
    case ast::BinaryOp::kGreater: return "_>_";
    case ast::BinaryOp::kGreaterEq: return "_>=_";
    case ast::BinaryOp::kEq: return "_==_";
    case ast::BinaryOp::kNotEq: return "_!=_";
    case ast::BinaryOp::kIn: return "@in";
    case ast::BinaryOp::kAdd: return "_+_";
    case ast::BinaryOp::kSub: return "_-_";
    case ast::BinaryOp::kMul: return "_*_";
    case ast::BinaryOp::kDiv: return "_/_";
    case ast::BinaryOp::kMod: return "_%_";
  }
  return "?";
}

std::string DisplayFunctionName(const std::string& function) {
  if (function == "_[_]") return "[]";
  if (function == "@in") return "in";
  if (function == "_?_:_") return "?:";
  if (function.size() >= 2 && function.front() == '_' && function.back() == '_') {
    return function.substr(1, function.size() - 2);
  }
  if (function.size() >= 2 && function.back() == '_') return function.substr(0, function.size() - 1);
  return function;
}

bool SameExpr(const ast::Expr* a, const ast::Expr* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->kind != b->kind || a->name != b->name || a->leading_dot != b->leading_dot ||
      a->test_only != b->test_only || a->optional != b->optional) {
    return false;
  }
  switch (a->kind) {
    case ast::ExprKind::kLiteral:
      return a->literal.kind == b->literal.kind && a->literal.bool_value == b->literal.bool_value &&
             a->literal.int_value == b->literal.int_value && a->literal.uint_value == b->literal.uint_value &&
             a->literal.double_value == b->literal.double_value && a->literal.text == b->literal.text;
    case ast::ExprKind::kUnary:
      if (a->unary_op != b->unary_op) return false;
      break;
    case ast::ExprKind::kBinary:
      if (a->binary_op != b->binary_op) return false;
      break;
    case ast::ExprKind::kComprehension:
      if (a->macro != b->macro || a->vars != b->vars) return false;
      break;
    case ast::ExprKind::kMap:
    case ast::ExprKind::kMessage:
    case ast::ExprKind::kAggregate:
    case ast::ExprKind::kTemplate:
      return false;  // never group keys in practice; not worth comparing
    default:
      break;
  }
  if (!SameExpr(a->operand, b->operand) || a->args.size() != b->args.size()) return false;
  for (size_t i = 0; i < a->args.size(); ++i) {
    if (!SameExpr(a->args[i], b->args[i])) return false;
  }
  return true;
}

}  // namespace edict::sema
