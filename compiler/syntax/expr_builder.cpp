// AstBuilder: CEL expressions. Operator chains are parsed flat (see Edict.g4) and folded here:
// `&&`/`||` into balanced trees as cel-go does, the other binary operators to the left.
#include "compiler/syntax/ast_builder.h"

#include "compiler/ast/printer.h"
#include "compiler/syntax/literals.h"

namespace edict::syntax {

ast::Expr* AstBuilder::NewExpr(ast::ExprKind kind, diag::SourceRange range) {
  auto* expr = context_.arena.Make<ast::Expr>();
  expr->kind = kind;
  expr->range = range;
  return expr;
}

ast::Expr* AstBuilder::Binary(ast::BinaryOp op, ast::Expr* lhs, ast::Expr* rhs, diag::SourceRange range) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kBinary, range);
  expr->binary_op = op;
  expr->args = {lhs, rhs};
  return expr;
}

// Ranges come from the parse tree rather than the operands' nodes, so that they take in brackets:
// the range of `(a) + (b)` is all of it.
diag::SourceRange AstBuilder::Between(antlr4::ParserRuleContext* first, antlr4::ParserRuleContext* last) const {
  return {text_.file(), Range(first).begin, Range(last).end};
}

// `?:` chains are right-associative: `a ? b : c ? d : e` is `a ? b : (c ? d : e)`.
ast::Expr* AstBuilder::BuildExpr(P::ExprContext* ctx) {
  std::vector<P::ConditionalOrContext*> parts = ctx->conditionalOr();
  ast::Expr* result = BuildOr(parts.back());
  for (size_t i = parts.size() / 2; i-- > 0;) {
    ast::Expr* condition = BuildOr(parts[2 * i]);
    ast::Expr* then = BuildOr(parts[2 * i + 1]);
    ast::Expr* conditional = NewExpr(ast::ExprKind::kConditional, Between(parts[2 * i], parts.back()));
    conditional->args = {condition, then, result};
    result = conditional;
  }
  return result;
}

ast::Expr* AstBuilder::Balance(ast::BinaryOp op, const std::vector<ast::Expr*>& terms,
                               const std::vector<diag::SourceRange>& ranges, size_t begin, size_t count) {
  if (count == 1) return terms[begin];
  size_t left = ast::BalancedLeftCount(count);
  return Binary(op, Balance(op, terms, ranges, begin, left), Balance(op, terms, ranges, begin + left, count - left),
                {text_.file(), ranges[begin].begin, ranges[begin + count - 1].end});
}

ast::Expr* AstBuilder::BuildOr(P::ConditionalOrContext* ctx) {
  std::vector<ast::Expr*> terms;
  std::vector<diag::SourceRange> ranges;
  for (P::ConditionalAndContext* term : ctx->conditionalAnd()) {
    terms.push_back(BuildAnd(term));
    ranges.push_back(Range(term));
  }
  return Balance(ast::BinaryOp::kOr, terms, ranges, 0, terms.size());
}

ast::Expr* AstBuilder::BuildAnd(P::ConditionalAndContext* ctx) {
  std::vector<ast::Expr*> terms;
  std::vector<diag::SourceRange> ranges;
  for (P::RelationContext* term : ctx->relation()) {
    terms.push_back(BuildRelation(term));
    ranges.push_back(Range(term));
  }
  return Balance(ast::BinaryOp::kAnd, terms, ranges, 0, terms.size());
}

ast::Expr* AstBuilder::BuildRelation(P::RelationContext* ctx) {
  std::vector<P::AdditionContext*> terms = ctx->addition();
  std::vector<P::RelOpContext*> ops = ctx->relOp();
  ast::Expr* result = BuildAddition(terms[0]);
  for (size_t i = 0; i < ops.size(); ++i) {
    ast::BinaryOp op;
    switch (ops[i]->getStart()->getType()) {
      case P::LESS: op = ast::BinaryOp::kLess; break;
      case P::LESS_EQUALS: op = ast::BinaryOp::kLessEq; break;
      case P::GREATER: op = ast::BinaryOp::kGreater; break;
      case P::GREATER_EQUALS: op = ast::BinaryOp::kGreaterEq; break;
      case P::EQUALS: op = ast::BinaryOp::kEq; break;
      case P::NOT_EQUALS: op = ast::BinaryOp::kNotEq; break;
      default: op = ast::BinaryOp::kIn; break;
    }
    result = Binary(op, result, BuildAddition(terms[i + 1]), Between(terms[0], terms[i + 1]));
  }
  return result;
}

ast::Expr* AstBuilder::BuildAddition(P::AdditionContext* ctx) {
  std::vector<P::MultiplicationContext*> terms = ctx->multiplication();
  std::vector<P::AddOpContext*> ops = ctx->addOp();
  ast::Expr* result = BuildMultiplication(terms[0]);
  for (size_t i = 0; i < ops.size(); ++i) {
    ast::BinaryOp op = ops[i]->PLUS() != nullptr ? ast::BinaryOp::kAdd : ast::BinaryOp::kSub;
    result = Binary(op, result, BuildMultiplication(terms[i + 1]), Between(terms[0], terms[i + 1]));
  }
  return result;
}

ast::Expr* AstBuilder::BuildMultiplication(P::MultiplicationContext* ctx) {
  std::vector<P::UnaryContext*> terms = ctx->unary();
  std::vector<P::MulOpContext*> ops = ctx->mulOp();
  ast::Expr* result = BuildUnary(terms[0]);
  for (size_t i = 0; i < ops.size(); ++i) {
    ast::BinaryOp op = ops[i]->STAR() != nullptr    ? ast::BinaryOp::kMul
                       : ops[i]->SLASH() != nullptr ? ast::BinaryOp::kDiv
                                                    : ast::BinaryOp::kMod;
    result = Binary(op, result, BuildUnary(terms[i + 1]), Between(terms[0], terms[i + 1]));
  }
  return result;
}

// As in cel-go, pairs of `!` or `-` cancel out (`--x` is `x`); an odd count leaves one operator.
ast::Expr* AstBuilder::BuildUnary(P::UnaryContext* ctx) {
  if (auto* member = As<P::MemberExprContext>(ctx)) return BuildMember(member->member());
  std::vector<antlr4::Token*> ops;
  P::MemberContext* operand_ctx;
  ast::UnaryOp op;
  if (auto* negation = As<P::LogicalNotContext>(ctx)) {
    ops = negation->ops;
    operand_ctx = negation->member();
    op = ast::UnaryOp::kNot;
  } else {
    auto* negate = As<P::NegateContext>(ctx);
    ops = negate->ops;
    operand_ctx = negate->member();
    op = ast::UnaryOp::kNegate;
  }
  ast::Expr* operand = BuildMember(operand_ctx);
  if (ops.size() % 2 == 0) return operand;
  ast::Expr* unary = NewExpr(ast::ExprKind::kUnary, {text_.file(), Range(ops.front()).begin, Range(operand_ctx).end});
  unary->unary_op = op;
  unary->operand = operand;
  return unary;
}

std::vector<ast::Expr*> AstBuilder::BuildList(P::ExprListContext* ctx) {
  std::vector<ast::Expr*> items;
  if (ctx == nullptr) return items;
  for (P::ExprContext* item : ctx->expr()) items.push_back(BuildExpr(item));
  return items;
}

ast::Expr* AstBuilder::BuildMember(P::MemberContext* ctx) {
  ast::Expr* result = BuildPrimary(ctx->primary());
  for (P::MemberSuffixContext* suffix : ctx->memberSuffix()) {
    diag::SourceRange range = Between(ctx->primary(), suffix);
    if (auto* select = As<P::SelectSuffixContext>(suffix)) {
      ast::Expr* expr = NewExpr(ast::ExprKind::kSelect, range);
      expr->operand = result;
      antlr4::Token* field = select->field->getStart();
      expr->name = Text(field);
      if (field->getType() == P::ESC_IDENTIFIER) expr->name = expr->name.substr(1, expr->name.size() - 2);
      expr->optional = select->opt != nullptr;
      result = expr;
    } else if (auto* call = As<P::CallSuffixContext>(suffix)) {
      ast::Expr* expr = NewExpr(ast::ExprKind::kCall, range);
      expr->operand = result;
      antlr4::Token* method = call->method->getStart();
      expr->name = Text(method);
      if (method->getType() == P::ESC_IDENTIFIER) expr->name = expr->name.substr(1, expr->name.size() - 2);
      expr->args = BuildList(call->args);
      result = MemberCallOrMacro(expr);
    } else {
      auto* index = As<P::IndexSuffixContext>(suffix);
      ast::Expr* expr = NewExpr(ast::ExprKind::kIndex, range);
      expr->operand = result;
      expr->args = {BuildExpr(index->index)};
      expr->optional = index->opt != nullptr;
      result = expr;
    }
  }
  return result;
}

ast::Expr* AstBuilder::BuildPrimary(P::PrimaryContext* ctx) {
  diag::SourceRange range = Range(ctx);
  if (auto* nested = As<P::NestedContext>(ctx)) return BuildExpr(nested->inner);
  if (auto* literal = As<P::ConstantLiteralContext>(ctx)) return BuildLiteral(literal->literal());
  if (auto* ident = As<P::IdentOrGlobalCallContext>(ctx)) {
    bool call = ident->LPAREN() != nullptr;
    ast::Expr* expr = NewExpr(call ? ast::ExprKind::kCall : ast::ExprKind::kIdent, range);
    expr->name = Text(ident->id);
    expr->leading_dot = ident->leadingDot != nullptr;
    if (!call) return expr;
    expr->args = BuildList(ident->args);
    return GlobalCallOrMacro(expr);
  }
  if (auto* list = As<P::CreateListContext>(ctx)) {
    ast::Expr* expr = NewExpr(ast::ExprKind::kList, range);
    if (list->elems != nullptr) {
      for (P::OptExprContext* element : list->elems->optExpr()) {
        if (element->opt != nullptr) expr->optional_indices.push_back(static_cast<uint32_t>(expr->args.size()));
        expr->args.push_back(BuildExpr(element->value));
      }
    }
    return expr;
  }
  if (auto* map = As<P::CreateMapContext>(ctx)) {
    ast::Expr* expr = NewExpr(ast::ExprKind::kMap, range);
    if (map->entries != nullptr) {
      for (P::MapEntryContext* entry : map->entries->mapEntry()) {
        expr->entries.push_back({BuildExpr(entry->key), BuildExpr(entry->value), entry->opt != nullptr, Range(entry)});
      }
    }
    return expr;
  }
  if (auto* message = As<P::CreateMessageContext>(ctx)) {
    ast::Expr* expr = NewExpr(ast::ExprKind::kMessage, range);
    for (P::IdentContext* id : message->ids) {
      if (!expr->name.empty()) expr->name += '.';
      expr->name += Text(id);
    }
    expr->leading_dot = message->leadingDot != nullptr;
    if (message->fields != nullptr) {
      for (P::FieldInitContext* field : message->fields->fieldInit()) {
        antlr4::Token* name = field->name->getStart();
        std::string text = Text(name);
        if (name->getType() == P::ESC_IDENTIFIER) text = text.substr(1, text.size() - 2);
        expr->fields.push_back({std::move(text), BuildExpr(field->value), field->opt != nullptr, Range(field)});
      }
    }
    return expr;
  }
  auto* aggregate = As<P::AggregateContext>(ctx);
  ast::Expr* expr = NewExpr(ast::ExprKind::kAggregate, range);
  expr->name = Text(aggregate->agg);
  if (aggregate->value != nullptr) expr->value = BuildExpr(aggregate->value);
  for (P::AggBindingContext* binding : aggregate->aggBinding()) {
    expr->bindings.push_back(BuildBinding(binding->name, binding->source, binding));
  }
  if (aggregate->where != nullptr) expr->where = BuildExpr(aggregate->where);
  return expr;
}

ast::Expr* AstBuilder::BuildLiteral(P::LiteralContext* ctx) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kLiteral, Range(ctx));
  ast::Literal& literal = expr->literal;
  std::string written = std::string(text_.TokenText(ctx->getStart()));
  if (ctx->getStop() != ctx->getStart()) written += Text(ctx->getStop());  // `-` and the number
  auto report = [&](diag::DiagId id, std::vector<std::string> args, std::string help) {
    context_.diags.Report(id, expr->range, std::move(args)).help = std::move(help);
  };
  if (auto* number = As<P::IntContext>(ctx)) {
    literal.kind = ast::LiteralKind::kInt;
    if (ParseInt(number->sign != nullptr, Text(number->NUM_INT()->getSymbol()), &literal.int_value) !=
        NumberStatus::kOk) {
      report(diag::DiagId::kIntegerOutOfRange, {written, "a 64-bit int"},
             "ints range from -9223372036854775808 to 9223372036854775807; for more, write a uint (`u` suffix) "
             "or a double");
    }
  } else if (auto* number = As<P::UintContext>(ctx)) {
    literal.kind = ast::LiteralKind::kUint;
    if (ParseUint(Text(number->NUM_UINT()->getSymbol()), &literal.uint_value) != NumberStatus::kOk) {
      report(diag::DiagId::kIntegerOutOfRange, {written, "a 64-bit uint"},
             "uints range from 0 to 18446744073709551615");
    }
  } else if (auto* number = As<P::DoubleContext>(ctx)) {
    literal.kind = ast::LiteralKind::kDouble;
    if (ParseDouble(number->sign != nullptr, Text(number->NUM_FLOAT()->getSymbol()), &literal.double_value) !=
        NumberStatus::kOk) {
      report(diag::DiagId::kDoubleOutOfRange, {written}, "doubles go up to about 1.8e308");
    }
  } else if (As<P::DurationContext>(ctx) != nullptr) {
    literal.kind = ast::LiteralKind::kDuration;
    LiteralError error;
    if (!ParseDuration(written, &literal.int_value, &error)) {
      report(diag::DiagId::kInvalidDuration, {written, error.help}, {});
    }
  } else if (As<P::StringContext>(ctx) != nullptr || As<P::BytesContext>(ctx) != nullptr) {
    literal.kind = As<P::BytesContext>(ctx) != nullptr ? ast::LiteralKind::kBytes : ast::LiteralKind::kString;
    literal.text = DecodeString(ctx->getStart());
  } else if (As<P::BoolTrueContext>(ctx) != nullptr || As<P::BoolFalseContext>(ctx) != nullptr) {
    literal.kind = ast::LiteralKind::kBool;
    literal.bool_value = As<P::BoolTrueContext>(ctx) != nullptr;
  } else {
    literal.kind = ast::LiteralKind::kNull;
  }
  return expr;
}

antlr4::Token* AstBuilder::AsStringLiteral(P::ExprContext* ctx) {
  // expr -> conditionalOr -> conditionalAnd -> relation -> addition -> multiplication -> unary ->
  // member -> primary: each level must hold exactly one child for the whole to be one literal.
  while (true) {
    if (ctx->conditionalOr().size() != 1) return nullptr;
    P::ConditionalOrContext* disjunction = ctx->conditionalOr(0);
    if (disjunction->conditionalAnd().size() != 1) return nullptr;
    P::ConditionalAndContext* conjunction = disjunction->conditionalAnd(0);
    if (conjunction->relation().size() != 1) return nullptr;
    P::RelationContext* relation = conjunction->relation(0);
    if (relation->addition().size() != 1) return nullptr;
    P::AdditionContext* addition = relation->addition(0);
    if (addition->multiplication().size() != 1) return nullptr;
    P::MultiplicationContext* multiplication = addition->multiplication(0);
    if (multiplication->unary().size() != 1) return nullptr;
    auto* member = As<P::MemberExprContext>(multiplication->unary(0));
    if (member == nullptr || !member->member()->memberSuffix().empty()) return nullptr;
    P::PrimaryContext* primary = member->member()->primary();
    if (auto* nested = As<P::NestedContext>(primary)) {
      ctx = nested->inner;
      continue;
    }
    auto* constant = As<P::ConstantLiteralContext>(primary);
    if (constant == nullptr || As<P::StringContext>(constant->literal()) == nullptr) return nullptr;
    return constant->literal()->getStart();
  }
}

}  // namespace edict::syntax
