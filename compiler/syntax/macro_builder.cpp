// AstBuilder: CEL's macros. `has(a.b)` becomes a presence test and the comprehension macros
// (`all`, `exists`, `exists_one`, `map`, `filter`, and the two-variable `existsOne`,
// `transformList`, `transformMap`) become kComprehension nodes, matched by name and argument
// count as cel-go does; anything else stays a call. Off when ParseOptions::macros is false.
#include <string_view>

#include "compiler/syntax/ast_builder.h"

namespace edict::syntax {

namespace {

struct MacroShape {
  std::string_view name;
  size_t args;
  size_t vars;
  ast::Macro macro;
};

// cel-go's standard macros, then its two-variable comprehensions (ext.TwoVarComprehensions).
constexpr MacroShape kMacros[] = {
    {"all", 2, 1, ast::Macro::kAll},
    {"exists", 2, 1, ast::Macro::kExists},
    {"exists_one", 2, 1, ast::Macro::kExistsOne},
    {"map", 2, 1, ast::Macro::kMap},
    {"map", 3, 1, ast::Macro::kMapFilter},
    {"filter", 2, 1, ast::Macro::kFilter},
    {"all", 3, 2, ast::Macro::kAll},
    {"exists", 3, 2, ast::Macro::kExists},
    {"existsOne", 3, 2, ast::Macro::kExistsOne},
    {"transformList", 3, 2, ast::Macro::kMap},
    {"transformList", 4, 2, ast::Macro::kMapFilter},
    {"transformMap", 3, 2, ast::Macro::kTransformMap},
    {"transformMap", 4, 2, ast::Macro::kTransformMap},
};

}  // namespace

ast::Expr* AstBuilder::GlobalCallOrMacro(ast::Expr* call) {
  if (!context_.options.macros || call->leading_dot || call->name != "has" || call->args.size() != 1) return call;
  ast::Expr* arg = call->args[0];
  if (arg->kind != ast::ExprKind::kSelect || arg->test_only) {
    context_.diags.Report(diag::DiagId::kBadMacroCall, arg->range, {"invalid argument to has() macro"}).help =
        "has() tests whether a field is set: write has(message.field)";
    return call;
  }
  arg->test_only = true;
  arg->range = call->range;
  return arg;
}

ast::Expr* AstBuilder::MemberCallOrMacro(ast::Expr* call) {
  if (!context_.options.macros) return call;
  const MacroShape* shape = nullptr;
  for (const MacroShape& candidate : kMacros) {
    if (candidate.name == call->name && candidate.args == call->args.size()) shape = &candidate;
  }
  if (shape == nullptr) return call;
  ast::Expr* macro = NewExpr(ast::ExprKind::kComprehension, call->range);
  macro->macro = shape->macro;
  macro->operand = call->operand;
  for (size_t i = 0; i < shape->vars; ++i) {
    ast::Expr* var = call->args[i];
    if (var->kind != ast::ExprKind::kIdent || var->leading_dot) {
      context_.diags.Report(diag::DiagId::kBadMacroCall, var->range, {"argument must be a simple name"}).help =
          std::string("the first argument of ") + call->name + "() names the iteration variable, e.g. x in " +
          "list." + call->name + "(x, ...)";
      return call;
    }
    macro->vars.push_back(var->name);
  }
  macro->args.assign(call->args.begin() + static_cast<std::ptrdiff_t>(shape->vars), call->args.end());
  return macro;
}

}  // namespace edict::syntax
