// AstBuilder: CEL expressions. Operator chains are parsed flat (see Edict.g4) and folded here by
// precedence: `&&`/`||` into balanced trees as cel-go does, the other binary operators to the left.
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
  const std::vector<P::BinaryContext*>& parts = ctx->parts;
  ast::Expr* result = BuildBinary(parts.back());
  for (size_t i = parts.size() / 2; i-- > 0;) {
    ast::Expr* condition = BuildBinary(parts[2 * i]);
    ast::Expr* then = BuildBinary(parts[2 * i + 1]);
    ast::Expr* conditional = NewExpr(ast::ExprKind::kConditional, Between(parts[2 * i], parts.back()));
    conditional->args = {condition, then, result};
    result = conditional;
  }
  return result;
}

namespace {

// CEL's precedence levels, loosest first.
enum Level { kOrLevel, kAndLevel, kRelationLevel, kAdditionLevel, kMultiplicationLevel, kOperandLevel };

struct Operator {
  ast::BinaryOp op;
  Level level;
};

Operator OperatorFor(size_t token_type) {
  using P = grammar::EdictParser;
  switch (token_type) {
    case P::LOGICAL_OR: return {ast::BinaryOp::kOr, kOrLevel};
    case P::LOGICAL_AND: return {ast::BinaryOp::kAnd, kAndLevel};
    case P::LESS: return {ast::BinaryOp::kLess, kRelationLevel};
    case P::LESS_EQUALS: return {ast::BinaryOp::kLessEq, kRelationLevel};
    case P::GREATER: return {ast::BinaryOp::kGreater, kRelationLevel};
    case P::GREATER_EQUALS: return {ast::BinaryOp::kGreaterEq, kRelationLevel};
    case P::EQUALS: return {ast::BinaryOp::kEq, kRelationLevel};
    case P::NOT_EQUALS: return {ast::BinaryOp::kNotEq, kRelationLevel};
    case P::IN: return {ast::BinaryOp::kIn, kRelationLevel};
    case P::PLUS: return {ast::BinaryOp::kAdd, kAdditionLevel};
    case P::MINUS: return {ast::BinaryOp::kSub, kAdditionLevel};
    case P::STAR: return {ast::BinaryOp::kMul, kMultiplicationLevel};
    case P::SLASH: return {ast::BinaryOp::kDiv, kMultiplicationLevel};
    default: return {ast::BinaryOp::kMod, kMultiplicationLevel};
  }
}

}  // namespace

// A flat `a op b op c ...` (operands built left to right, as written), folded by precedence.
struct AstBuilder::OperatorChain {
  std::vector<ast::Expr*> operands;
  std::vector<diag::SourceRange> ranges;  // of each operand as written, brackets included
  std::vector<Operator> operators;        // operators[i] stands between operands i and i + 1
};

ast::Expr* AstBuilder::BuildBinary(P::BinaryContext* ctx) {
  const std::vector<P::UnaryContext*>& operands = ctx->operands;
  if (operands.size() == 1) return BuildUnary(operands[0]);
  OperatorChain chain;
  for (P::UnaryContext* operand : operands) {
    chain.operands.push_back(BuildUnary(operand));
    chain.ranges.push_back(Range(operand));
  }
  for (antlr4::Token* op : ctx->ops) chain.operators.push_back(OperatorFor(op->getType()));
  return Fold(chain, kOrLevel, 0, operands.size() - 1);
}

// Operands `first`..`last` of `chain` at precedence `level`: `&&` and `||` make balanced trees as
// cel-go does, the other levels associate to the left. A node's range runs from its first operand
// to its last.
ast::Expr* AstBuilder::Fold(const OperatorChain& chain, int level, size_t first, size_t last) {
  if (level == kOperandLevel) return chain.operands[first];
  std::vector<size_t> splits;  // operator indexes of this level
  for (size_t i = first; i < last; ++i) {
    if (chain.operators[i].level == level) splits.push_back(i);
  }
  if (splits.empty()) return Fold(chain, level + 1, first, last);
  auto range = [&](size_t from, size_t to) {
    return diag::SourceRange{text_.file(), chain.ranges[from].begin, chain.ranges[to].end};
  };
  std::vector<ast::Expr*> terms;
  std::vector<diag::SourceRange> term_ranges;
  size_t begin = first;
  for (size_t k = 0; k <= splits.size(); ++k) {
    size_t end = k < splits.size() ? splits[k] : last;
    ast::Expr* term = Fold(chain, level + 1, begin, end);
    if (level == kOrLevel || level == kAndLevel) {
      terms.push_back(term);
      term_ranges.push_back(range(begin, end));
    } else if (terms.empty()) {
      terms.push_back(term);
    } else {
      terms[0] = Binary(chain.operators[splits[k - 1]].op, terms[0], term, range(first, end));
    }
    begin = end + 1;
  }
  if (level == kOrLevel || level == kAndLevel) {
    return Balance(level == kOrLevel ? ast::BinaryOp::kOr : ast::BinaryOp::kAnd, terms, term_ranges, 0, terms.size());
  }
  return terms[0];
}

ast::Expr* AstBuilder::Balance(ast::BinaryOp op, const std::vector<ast::Expr*>& terms,
                               const std::vector<diag::SourceRange>& ranges, size_t begin, size_t count) {
  if (count == 1) return terms[begin];
  size_t left = ast::BalancedLeftCount(count);
  return Binary(op, Balance(op, terms, ranges, begin, left), Balance(op, terms, ranges, begin + left, count - left),
                {text_.file(), ranges[begin].begin, ranges[begin + count - 1].end});
}

// As in cel-go, pairs of `!` or `-` cancel out (`--x` is `x`); an odd count leaves one operator.
ast::Expr* AstBuilder::BuildUnary(P::UnaryContext* ctx) {
  if (auto* member = As<P::MemberExprContext>(ctx)) return BuildMember(member->operand, member->suffixes);
  std::vector<antlr4::Token*> ops;
  ast::Expr* operand;
  ast::UnaryOp op;
  if (auto* negation = As<P::LogicalNotContext>(ctx)) {
    ops = negation->ops;
    operand = BuildMember(negation->operand, negation->suffixes);
    op = ast::UnaryOp::kNot;
  } else {
    auto* negate = As<P::NegateContext>(ctx);
    ops = negate->ops;
    operand = BuildMember(negate->operand, negate->suffixes);
    op = ast::UnaryOp::kNegate;
  }
  if (ops.size() % 2 == 0) return operand;
  ast::Expr* unary = NewExpr(ast::ExprKind::kUnary, {text_.file(), Range(ops.front()).begin, Range(ctx).end});
  unary->unary_op = op;
  unary->operand = operand;
  return unary;
}

std::vector<ast::Expr*> AstBuilder::BuildList(P::ExprListContext* ctx) {
  std::vector<ast::Expr*> items;
  if (ctx == nullptr) return items;
  for (P::ExprContext* item : ctx->items) items.push_back(BuildExpr(item));
  return items;
}

ast::Expr* AstBuilder::BuildMember(P::PrimaryContext* primary, const std::vector<P::MemberSuffixContext*>& suffixes) {
  ast::Expr* result = BuildPrimary(primary);
  for (P::MemberSuffixContext* suffix : suffixes) {
    diag::SourceRange range = Between(primary, suffix);
    auto* member = As<P::SelectOrCallSuffixContext>(suffix);
    if (member == nullptr) {
      auto* index = As<P::IndexSuffixContext>(suffix);
      ast::Expr* expr = NewExpr(ast::ExprKind::kIndex, range);
      expr->operand = result;
      expr->args = {BuildExpr(index->index)};
      expr->optional = index->opt != nullptr;
      result = expr;
    } else if (member->open == nullptr) {
      result = Select(result, member->name, member->opt != nullptr, range);
    } else {
      ast::Expr* expr = NewExpr(ast::ExprKind::kCall, range);
      expr->operand = result;
      expr->name = SelectedName(member->name);
      expr->args = BuildList(member->args);
      result = MemberCallOrMacro(expr);
    }
  }
  return result;
}

// A field or method name after a dot, without the backquotes of an escaped one.
std::string AstBuilder::SelectedName(P::SelectNameContext* ctx) const {
  antlr4::Token* token = ctx->getStart();
  std::string name = Text(token);
  if (token->getType() == P::ESC_IDENTIFIER) name = name.substr(1, name.size() - 2);
  return name;
}

ast::Expr* AstBuilder::Select(ast::Expr* operand, P::SelectNameContext* field, bool optional, diag::SourceRange range) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kSelect, range);
  expr->operand = operand;
  expr->name = SelectedName(field);
  expr->optional = optional;
  return expr;
}

ast::Expr* AstBuilder::BuildPrimary(P::PrimaryContext* ctx) {
  // The alternatives are tried most frequent first: each failed dynamic_cast costs.
  diag::SourceRange range = Range(ctx);
  if (auto* ident = As<P::IdentOrCallContext>(ctx)) {
    antlr4::Token* name = ctx->getStart();
    if (ident->open == nullptr) return Ident(name, /*leading_dot=*/false, range);
    return BuildCallTail(name, ident->tail, range);
  }
  if (As<P::ConstantLiteralContext>(ctx) != nullptr) return BuildLiteral(ctx);
  if (auto* nested = As<P::NestedContext>(ctx)) return BuildExpr(nested->inner);
  if (auto* ident = As<P::DotIdentOrCallContext>(ctx)) {
    antlr4::Token* name = ident->id->getStart();
    if (ident->LPAREN() == nullptr) return Ident(name, /*leading_dot=*/true, range);
    return GlobalCall(name, /*leading_dot=*/true, BuildList(ident->args), range);
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
  auto* message = As<P::CreateMessageContext>(ctx);
  ast::Expr* expr = NewExpr(ast::ExprKind::kMessage, range);
  for (P::IdentContext* id : message->ids) {
    if (!expr->name.empty()) expr->name += '.';
    expr->name += Text(id);
  }
  expr->leading_dot = message->leadingDot != nullptr;
  if (message->fields != nullptr) {
    for (P::FieldInitContext* field : message->fields->fieldInit()) {
      expr->fields.push_back({SelectedName(field->name), BuildExpr(field->value), field->opt != nullptr, Range(field)});
    }
  }
  return expr;
}

ast::Expr* AstBuilder::Ident(antlr4::Token* name, bool leading_dot, diag::SourceRange range) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kIdent, range);
  expr->name = Text(name);
  expr->leading_dot = leading_dot;
  return expr;
}

ast::Expr* AstBuilder::GlobalCall(antlr4::Token* name, bool leading_dot, std::vector<ast::Expr*> args,
                                  diag::SourceRange range) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kCall, range);
  expr->name = Text(name);
  expr->leading_dot = leading_dot;
  expr->args = std::move(args);
  return GlobalCallOrMacro(expr);
}

// `name(` and what follows: a global call (or the macro it stands for), or an aggregate.
ast::Expr* AstBuilder::BuildCallTail(antlr4::Token* name, P::CallTailContext* tail, diag::SourceRange range) {
  if (auto* over = As<P::AggregateOverContext>(tail)) return BuildAggregate(name, nullptr, over->aggregation(), range);
  auto* arguments = As<P::ArgumentsOrAggregateOfContext>(tail);
  if (arguments == nullptr) return GlobalCall(name, /*leading_dot=*/false, {}, range);
  if (arguments->of != nullptr) return BuildAggregate(name, arguments->first, arguments->of, range);
  std::vector<ast::Expr*> args{BuildExpr(arguments->first)};
  for (ast::Expr* arg : BuildList(arguments->rest)) args.push_back(arg);
  return GlobalCall(name, /*leading_dot=*/false, std::move(args), range);
}

ast::Expr* AstBuilder::BuildAggregate(antlr4::Token* name, P::ExprContext* value, P::AggregationContext* aggregation,
                                      diag::SourceRange range) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kAggregate, range);
  expr->name = Text(name);
  if (value != nullptr) expr->value = BuildExpr(value);
  for (P::AggBindingContext* binding : aggregation->aggBinding()) {
    expr->bindings.push_back(BuildBinding(binding->name, binding->source, binding));
  }
  if (aggregation->where != nullptr) expr->where = BuildExpr(aggregation->where);
  return expr;
}

// A literal is one token, or a sign and a number.
ast::Expr* AstBuilder::BuildLiteral(P::PrimaryContext* ctx) {
  ast::Expr* expr = NewExpr(ast::ExprKind::kLiteral, Range(ctx));
  ast::Literal& literal = expr->literal;
  antlr4::Token* token = ctx->getStop();
  bool negative = ctx->getStart() != token;
  std::string written = std::string(text_.TokenText(ctx->getStart()));
  if (negative) written += Text(token);  // `-` and the number
  auto report = [&](diag::DiagId id, std::vector<std::string> args, std::string help) {
    context_.diags.Report(id, expr->range, std::move(args)).help = std::move(help);
  };
  switch (token->getType()) {
    case P::NUM_INT:
      literal.kind = ast::LiteralKind::kInt;
      if (ParseInt(negative, Text(token), &literal.int_value) != NumberStatus::kOk) {
        report(diag::DiagId::kIntegerOutOfRange, {written, "a 64-bit int"},
               "ints range from -9223372036854775808 to 9223372036854775807; for more, write a uint (`u` suffix) "
               "or a double");
      }
      break;
    case P::NUM_UINT:
      literal.kind = ast::LiteralKind::kUint;
      if (ParseUint(Text(token), &literal.uint_value) != NumberStatus::kOk) {
        report(diag::DiagId::kIntegerOutOfRange, {written, "a 64-bit uint"}, "uints range from 0 to 18446744073709551615");
      }
      break;
    case P::NUM_FLOAT:
      literal.kind = ast::LiteralKind::kDouble;
      if (ParseDouble(negative, Text(token), &literal.double_value) != NumberStatus::kOk) {
        report(diag::DiagId::kDoubleOutOfRange, {written}, "doubles go up to about 1.8e308");
      }
      break;
    case P::DURATION: {
      literal.kind = ast::LiteralKind::kDuration;
      LiteralError error;
      if (!ParseDuration(written, &literal.int_value, &error)) {
        report(diag::DiagId::kInvalidDuration, {written, error.help}, {});
      }
      break;
    }
    case P::STRING:
    case P::BYTES:
      literal.kind = token->getType() == P::BYTES ? ast::LiteralKind::kBytes : ast::LiteralKind::kString;
      literal.text = DecodeString(token);
      break;
    case P::TRUE:
    case P::FALSE:
      literal.kind = ast::LiteralKind::kBool;
      literal.bool_value = token->getType() == P::TRUE;
      break;
    default:
      literal.kind = ast::LiteralKind::kNull;
  }
  return expr;
}

antlr4::Token* AstBuilder::AsStringLiteral(P::ExprContext* ctx) {
  // expr -> binary -> unary -> primary: each level must hold exactly one child for the whole to be
  // one literal.
  while (true) {
    if (ctx->parts.size() != 1) return nullptr;
    P::BinaryContext* binary = ctx->parts[0];
    if (binary->operands.size() != 1) return nullptr;
    auto* member = As<P::MemberExprContext>(binary->operands[0]);
    if (member == nullptr || !member->suffixes.empty()) return nullptr;
    P::PrimaryContext* primary = member->operand;
    if (auto* nested = As<P::NestedContext>(primary)) {
      ctx = nested->inner;
      continue;
    }
    if (As<P::ConstantLiteralContext>(primary) == nullptr || primary->getStart()->getType() != P::STRING) return nullptr;
    return primary->getStart();
  }
}

}  // namespace edict::syntax
