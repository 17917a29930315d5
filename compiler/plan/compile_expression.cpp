// Standalone CEL expressions: parse, check against declared variables, lower to expression code.
#include <cctype>

#include "compiler/plan/lowerer.h"
#include "compiler/sema/check.h"

namespace edict::plan {
namespace {

// Reads a CEL type spelling ("list(map(string, dyn))") from `text` at `pos`; null when malformed.
const sema::Type* ParseType(sema::TypeContext& types, std::string_view text, size_t& pos) {
  auto skip = [&] {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  };
  skip();
  size_t start = pos;
  while (pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_' || text[pos] == '.')) {
    ++pos;
  }
  std::string name(text.substr(start, pos - start));
  skip();
  auto expect = [&](char c) {
    skip();
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  if (name == "list" || name == "map") {
    if (!expect('(')) return nullptr;
    const sema::Type* first = ParseType(types, text, pos);
    if (first == nullptr) return nullptr;
    if (name == "list") return expect(')') ? types.List(first) : nullptr;
    if (!expect(',')) return nullptr;
    const sema::Type* second = ParseType(types, text, pos);
    if (second == nullptr || !expect(')')) return nullptr;
    return types.Map(first, second);
  }
  if (name == "google.protobuf.Duration") return types.Duration();
  if (name == "google.protobuf.Timestamp") return types.Timestamp();
  return types.Builtin(name);
}

// Checker diagnostics that without the checker happen (or not) at run time instead: type errors,
// and references to names and functions nothing declares.
bool IsDynamicError(diag::DiagId id) {
  switch (id) {
    case diag::DiagId::kUnknownName:
    case diag::DiagId::kUnknownFunction:
    case diag::DiagId::kTypeMismatch:
    case diag::DiagId::kNoMatchingOverload:
    case diag::DiagId::kIncomparable:
    case diag::DiagId::kBranchMismatch:
    case diag::DiagId::kNotAMacroTarget:
    case diag::DiagId::kNotIndexable:
    case diag::DiagId::kNoFields:
    case diag::DiagId::kBadMapKey:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::unique_ptr<CompiledExpression> CompileExpression(std::string_view text, const std::vector<Variable>& variables,
                                                      const ExpressionOptions& options,
                                                      const ConstantEvaluator& evaluator, diag::SourceManager& sources,
                                                      diag::DiagnosticEngine& diags) {
  auto program = std::make_unique<sema::Program>();
  std::map<std::string, const sema::Type*> declared;
  bool ok = true;
  for (const Variable& variable : variables) {
    size_t pos = 0;
    const sema::Type* type = ParseType(program->types, variable.type, pos);
    if (type == nullptr || pos != variable.type.size()) {
      diags.Report(diag::DiagId::kUnknownType, {}, {variable.type});
      ok = false;
      continue;
    }
    declared[variable.name] = type;
  }
  diag::FileId file = sources.Add("<expression>", std::string(text));
  ast::AstArena arena;
  size_t errors = diags.error_count();
  ast::Expr* expr = syntax::ParseExpression(sources, file, arena, diags, options.parse);
  if (!ok || expr == nullptr || diags.error_count() > errors) return nullptr;

  auto compiled = std::make_unique<CompiledExpression>();
  if (options.check_types) {
    compiled->type = sema::ToString(sema::CheckExpression(*program, expr, declared, sources, diags));
    if (diags.error_count() > errors) return nullptr;
  } else {
    diag::DiagnosticEngine checker_diags;
    sema::CheckExpression(*program, expr, declared, sources, checker_diags);
    for (const diag::Diagnostic& d : checker_diags.diagnostics()) {
      if (d.severity != diag::Severity::kError || IsDynamicError(d.id)) continue;
      diags.Report(d.id, d.range) = d;
    }
    if (diags.error_count() > errors) return nullptr;
    compiled->type = "dyn";
  }

  Lowerer lowerer(*program, compiled->code, nullptr, evaluator, diags);
  lowerer.set_check_types(options.check_types);
  Frame frame;
  lowerer.set_frame(&frame);
  for (const auto& [name, type] : declared) {
    Register reg = frame.New(name);
    compiled->variables.emplace_back(name, reg);
    Lowered variable;
    variable.node = CodeBuilder(compiled->code).Emit(Op::kRegister, {}, reg);
    variable.deps.AddRegister(reg);
    lowerer.BindVariable(name, variable);
  }
  compiled->root = lowerer.Value(lowerer.Lower(expr));
  if (lowerer.failed()) return nullptr;
  compiled->frame_size = frame.size();
  return compiled;
}

}  // namespace edict::plan
