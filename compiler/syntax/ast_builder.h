// Turns ANTLR's parse tree into the AST right after parsing (the tree is then thrown away), and
// reports what only shows once tokens are decoded: bad escapes, out-of-range numbers, durations,
// spaced kebab names, misused macros, malformed report templates.
#pragma once

#include <EdictParser.h>

#include <memory>
#include <string>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/parse.h"
#include "compiler/syntax/source_text.h"

namespace edict::syntax {

// `ctx` as the labeled alternative `Ctx` of its rule, or null when it is another one.
template <typename Ctx>
Ctx* As(antlr4::ParserRuleContext* ctx) {
  return dynamic_cast<Ctx*>(ctx);
}

// What every builder of one parse shares.
struct BuildContext {
  const diag::SourceManager& sources;
  diag::DiagnosticEngine& diags;
  ast::AstArena& arena;
  ParseOptions options;
};

class AstBuilder {
 public:
  using P = grammar::EdictParser;

  AstBuilder(const SourceText& text, BuildContext& context) : text_(text), context_(context) {}

  std::unique_ptr<ast::Manifest> BuildManifest(P::PackDeclContext* ctx);
  ast::Decl* BuildDecl(P::TopDeclContext* ctx);
  ast::Expr* BuildExpr(P::ExprContext* ctx);

 private:
  // Declarations (decl_builder.cpp)
  ast::RecordDecl* BuildRecord(ast::DeclKind kind, P::AnyNameContext* name, P::AnyNameContext* base,
                               const std::vector<P::FieldDeclContext*>& fields, antlr4::ParserRuleContext* whole);
  ast::FieldDecl* BuildField(P::FieldDeclContext* ctx);
  ast::TypeExpr* BuildType(P::TypeExprContext* ctx);
  ast::Decl* BuildTypeAlias(P::TypeAliasContext* ctx);
  ast::Decl* BuildValue(ast::DeclKind kind, P::AnyNameContext* name, P::TypeExprContext* type, P::ExprContext* value,
                        antlr4::ParserRuleContext* whole);
  ast::Decl* BuildTable(P::TableDeclContext* ctx);
  ast::Decl* BuildParam(P::ParamDeclContext* ctx);
  ast::Decl* BuildProfile(P::ProfileDeclContext* ctx);
  ast::Decl* BuildFn(P::FnDeclContext* ctx);
  ast::Decl* BuildRule(P::RuleDeclContext* ctx);
  void AddRuleItem(ast::RuleDecl* rule, P::RuleItemContext* item);
  ast::Need BuildNeed(P::NeedItemContext* ctx);
  ast::Binding* BuildBinding(P::AnyNameContext* name, P::ExprContext* source, antlr4::ParserRuleContext* whole);
  ast::Decl* BuildTest(P::TestDeclContext* ctx);
  void AddTestItem(ast::TestDecl* test, P::TestItemContext* item);
  ast::Expectation BuildExpectation(P::ExpectationContext* ctx);
  ast::ExpectValue BuildExpectValue(P::ExpectValueContext* ctx);
  // Reports E020 when `item` was already given (`given` is the first one's range, valid if so).
  bool CheckOnce(const char* item, const char* where, diag::SourceRange* given, diag::SourceRange here);

  // Expressions (expr_builder.cpp)
  struct OperatorChain;
  ast::Expr* BuildBinary(P::BinaryContext* ctx);
  ast::Expr* Fold(const OperatorChain& chain, int level, size_t first, size_t last);
  ast::Expr* Balance(ast::BinaryOp op, const std::vector<ast::Expr*>& terms,
                     const std::vector<diag::SourceRange>& ranges, size_t begin, size_t count);
  ast::Expr* BuildUnary(P::UnaryContext* ctx);
  ast::Expr* BuildMember(P::PrimaryContext* primary, const std::vector<P::MemberSuffixContext*>& suffixes);
  ast::Expr* Select(ast::Expr* operand, P::SelectNameContext* field, bool optional, diag::SourceRange range);
  std::string SelectedName(P::SelectNameContext* ctx) const;
  ast::Expr* BuildPrimary(P::PrimaryContext* ctx);
  ast::Expr* Ident(antlr4::Token* name, bool leading_dot, diag::SourceRange range);
  ast::Expr* GlobalCall(antlr4::Token* name, bool leading_dot, std::vector<ast::Expr*> args, diag::SourceRange range);
  ast::Expr* BuildCallTail(antlr4::Token* name, P::CallTailContext* tail, diag::SourceRange range);
  ast::Expr* BuildAggregate(antlr4::Token* name, P::ExprContext* value, P::AggregationContext* aggregation,
                            diag::SourceRange range);
  ast::Expr* BuildLiteral(P::PrimaryContext* ctx);
  std::vector<ast::Expr*> BuildList(P::ExprListContext* ctx);
  ast::Expr* Binary(ast::BinaryOp op, ast::Expr* lhs, ast::Expr* rhs, diag::SourceRange range);

  // Macros (macro_builder.cpp): the call, or the macro node it stands for.
  ast::Expr* GlobalCallOrMacro(ast::Expr* call);
  ast::Expr* MemberCallOrMacro(ast::Expr* call);

  // Report templates (template_builder.cpp): a `report` entry's string literal.
  ast::Expr* BuildTemplate(antlr4::Token* literal);

  // Tokens and names
  ast::Expr* NewExpr(ast::ExprKind kind, diag::SourceRange range);
  diag::SourceRange Range(antlr4::ParserRuleContext* ctx) const;
  diag::SourceRange Between(antlr4::ParserRuleContext* first, antlr4::ParserRuleContext* last) const;
  diag::SourceRange Range(antlr4::Token* token) const { return text_.TokenRange(token); }
  std::string Text(antlr4::Token* token) const { return std::string(text_.TokenText(token)); }
  std::string Text(antlr4::ParserRuleContext* ctx) const { return Text(ctx->getStart()); }
  std::string Kebab(P::KebabNameContext* ctx, diag::SourceRange* range);
  std::string Dotted(const std::vector<P::AnyNameContext*>& parts);
  // Decodes a STRING or BYTES token; reports E006 and returns "" on a bad escape.
  std::string DecodeString(antlr4::Token* token);
  // A string literal written as the whole expression (possibly in parentheses), or null.
  static antlr4::Token* AsStringLiteral(P::ExprContext* ctx);

  const SourceText& text_;
  BuildContext& context_;
};

}  // namespace edict::syntax
