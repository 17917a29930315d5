// Structural AST equality (see equal.h).
#include "compiler/ast/equal.h"

#include <cstring>

namespace edict::ast {

namespace {

template <typename T, typename Eq>
bool EqualVectors(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!eq(a[i], b[i])) return false;
  }
  return true;
}

template <typename T, typename Eq>
bool EqualPointers(const T* a, const T* b, Eq eq) {
  if (a == nullptr || b == nullptr) return a == b;
  return eq(*a, *b);
}

bool EqualExprPtr(const Expr* a, const Expr* b) { return EqualPointers(a, b, EqualExpr); }
bool EqualTypePtr(const TypeExpr* a, const TypeExpr* b) { return EqualPointers(a, b, EqualType); }

bool EqualLiteral(const Literal& a, const Literal& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case LiteralKind::kNull: return true;
    case LiteralKind::kBool: return a.bool_value == b.bool_value;
    case LiteralKind::kInt: case LiteralKind::kDuration: return a.int_value == b.int_value;
    case LiteralKind::kUint: return a.uint_value == b.uint_value;
    case LiteralKind::kDouble: return std::memcmp(&a.double_value, &b.double_value, sizeof(double)) == 0;
    case LiteralKind::kString: case LiteralKind::kBytes: return a.text == b.text;
  }
  return false;
}

bool EqualBinding(const Binding* a, const Binding* b) {
  return a->name == b->name && EqualExprPtr(a->source, b->source);
}

bool EqualField(const FieldDecl* a, const FieldDecl* b) {
  return a->name == b->name && EqualTypePtr(a->type, b->type) && EqualExprPtr(a->default_value, b->default_value);
}

bool EqualEntry(const Entry& a, const Entry& b) { return a.key == b.key && EqualExprPtr(a.value, b.value); }

bool EqualAssignment(const ProfileDecl::Assignment& a, const ProfileDecl::Assignment& b) {
  return a.param == b.param && EqualExprPtr(a.value, b.value);
}

bool EqualExpectValue(const ExpectValue& a, const ExpectValue& b) {
  return a.kind == b.kind && a.text == b.text && a.number == b.number &&
         EqualVectors(a.items, b.items, EqualExpectValue);
}

bool EqualRule(const RuleDecl& a, const RuleDecl& b) {
  auto need = [](const Need& x, const Need& y) {
    return x.alternatives == y.alternatives && x.exemption_only == y.exemption_only;
  };
  auto step = [](const SequenceStep& x, const SequenceStep& y) {
    return EqualBinding(x.binding, y.binding) && EqualExprPtr(x.within, y.within);
  };
  auto without = [](const SequenceWithout& x, const SequenceWithout& y) {
    return EqualBinding(x.binding, y.binding) && EqualExprPtr(x.when, y.when);
  };
  auto key = [](const GroupKey& x, const GroupKey& y) { return x.name == y.name && EqualExprPtr(x.value, y.value); };
  return EqualVectors(a.entries, b.entries, EqualEntry) && a.has_needs == b.has_needs &&
         EqualVectors(a.needs, b.needs, need) && EqualVectors(a.match, b.match, EqualBinding) &&
         EqualVectors(a.sequence, b.sequence, step) && EqualVectors(a.without, b.without, without) &&
         EqualExprPtr(a.where, b.where) && EqualVectors(a.group_by, b.group_by, key) &&
         EqualExprPtr(a.window, b.window) && EqualExprPtr(a.having, b.having);
}

bool EqualTest(const TestDecl& a, const TestDecl& b) {
  auto expectation = [](const Expectation& x, const Expectation& y) {
    return x.kind == y.kind && x.count == y.count && x.word == y.word && EqualExpectValue(x.value, y.value);
  };
  auto expect = [&](const TestDecl::Expect& x, const TestDecl::Expect& y) {
    return x.rule == y.rule && EqualVectors(x.expectations, y.expectations, expectation);
  };
  return a.facts_path == b.facts_path && a.inline_facts == b.inline_facts &&
         EqualVectors(a.facts, b.facts, EqualExprPtr) && a.profile == b.profile &&
         EqualVectors(a.params, b.params, EqualAssignment) && EqualVectors(a.expects, b.expects, expect);
}

}  // namespace

bool EqualExpr(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::kLiteral: return EqualLiteral(a.literal, b.literal);
    case ExprKind::kIdent: return a.name == b.name && a.leading_dot == b.leading_dot;
    case ExprKind::kSelect:
      return a.name == b.name && a.test_only == b.test_only && a.optional == b.optional &&
             EqualExprPtr(a.operand, b.operand);
    case ExprKind::kIndex:
      return a.optional == b.optional && EqualExprPtr(a.operand, b.operand) &&
             EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kCall:
      return a.name == b.name && a.leading_dot == b.leading_dot && EqualExprPtr(a.operand, b.operand) &&
             EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kList:
      return a.optional_indices == b.optional_indices && EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kMap:
      return EqualVectors(a.entries, b.entries, [](const MapEntry& x, const MapEntry& y) {
        return x.optional == y.optional && EqualExprPtr(x.key, y.key) && EqualExprPtr(x.value, y.value);
      });
    case ExprKind::kMessage:
      return a.name == b.name && a.leading_dot == b.leading_dot &&
             EqualVectors(a.fields, b.fields, [](const FieldInit& x, const FieldInit& y) {
               return x.name == y.name && x.optional == y.optional && EqualExprPtr(x.value, y.value);
             });
    case ExprKind::kUnary: return a.unary_op == b.unary_op && EqualExprPtr(a.operand, b.operand);
    case ExprKind::kBinary: return a.binary_op == b.binary_op && EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kConditional: return EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kComprehension:
      return a.macro == b.macro && a.vars == b.vars && EqualExprPtr(a.operand, b.operand) &&
             EqualVectors(a.args, b.args, EqualExprPtr);
    case ExprKind::kAggregate:
      return a.name == b.name && EqualExprPtr(a.value, b.value) && EqualVectors(a.bindings, b.bindings, EqualBinding) &&
             EqualExprPtr(a.where, b.where);
    case ExprKind::kTemplate:
      return EqualVectors(a.parts, b.parts, [](const TemplatePart& x, const TemplatePart& y) {
        return x.text == y.text && EqualExprPtr(x.hole, y.hole);
      });
  }
  return false;
}

bool EqualType(const TypeExpr& a, const TypeExpr& b) {
  return a.kind == b.kind && a.name == b.name && a.optional == b.optional && a.values == b.values &&
         EqualVectors(a.args, b.args, EqualTypePtr) && EqualVectors(a.fields, b.fields, EqualField);
}

bool EqualDecl(const Decl& a, const Decl& b) {
  if (a.kind != b.kind || a.name != b.name) return false;
  switch (a.kind) {
    case DeclKind::kRecord:
    case DeclKind::kStruct: {
      const auto& x = static_cast<const RecordDecl&>(a);
      const auto& y = static_cast<const RecordDecl&>(b);
      return x.base == y.base && EqualVectors(x.fields, y.fields, EqualField);
    }
    case DeclKind::kTypeAlias:
      return EqualTypePtr(static_cast<const TypeAliasDecl&>(a).type, static_cast<const TypeAliasDecl&>(b).type);
    case DeclKind::kConst:
    case DeclKind::kSet:
    case DeclKind::kLet: {
      const auto& x = static_cast<const ValueDecl&>(a);
      const auto& y = static_cast<const ValueDecl&>(b);
      return EqualTypePtr(x.type, y.type) && EqualExprPtr(x.value, y.value);
    }
    case DeclKind::kTable: {
      const auto& x = static_cast<const TableDecl&>(a);
      const auto& y = static_cast<const TableDecl&>(b);
      return x.key == y.key && EqualVectors(x.columns, y.columns, EqualField) &&
             EqualVectors(x.rows, y.rows, [](const TableDecl::Row& r, const TableDecl::Row& s) {
               return EqualVectors(r.cells, s.cells, EqualExprPtr);
             });
    }
    case DeclKind::kParam: {
      const auto& x = static_cast<const ParamDecl&>(a);
      const auto& y = static_cast<const ParamDecl&>(b);
      return x.note == y.note && EqualTypePtr(x.type, y.type) && EqualExprPtr(x.default_value, y.default_value);
    }
    case DeclKind::kProfile: {
      const auto& x = static_cast<const ProfileDecl&>(a);
      const auto& y = static_cast<const ProfileDecl&>(b);
      return x.base == y.base && x.note == y.note && EqualVectors(x.assignments, y.assignments, EqualAssignment);
    }
    case DeclKind::kFn: {
      const auto& x = static_cast<const FnDecl&>(a);
      const auto& y = static_cast<const FnDecl&>(b);
      return EqualVectors(x.params, y.params,
                          [](const FnDecl::Param& p, const FnDecl::Param& q) {
                            return p.name == q.name && EqualTypePtr(p.type, q.type);
                          }) &&
             EqualTypePtr(x.result, y.result) && EqualExprPtr(x.body, y.body);
    }
    case DeclKind::kRule: return EqualRule(static_cast<const RuleDecl&>(a), static_cast<const RuleDecl&>(b));
    case DeclKind::kTest: return EqualTest(static_cast<const TestDecl&>(a), static_cast<const TestDecl&>(b));
  }
  return false;
}

bool Equal(const File& a, const File& b) {
  if ((a.manifest == nullptr) != (b.manifest == nullptr)) return false;
  if (a.manifest != nullptr) {
    const Manifest& x = *a.manifest;
    const Manifest& y = *b.manifest;
    auto import = [](const Import& p, const Import& q) {
      return p.pack == q.pack && p.op == q.op && p.version == q.version;
    };
    if (x.name != y.name || x.version != y.version || !EqualVectors(x.imports, y.imports, import) ||
        !EqualVectors(x.entries, y.entries, EqualEntry)) {
      return false;
    }
  }
  return EqualVectors(a.decls, b.decls, [](const Decl* x, const Decl* y) { return EqualDecl(*x, *y); });
}

}  // namespace edict::ast
