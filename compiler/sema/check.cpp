// The checker's entry points and the order of its passes.
#include "compiler/sema/check.h"

#include "compiler/sema/checker.h"

namespace edict::sema {

std::unique_ptr<Program> CheckPaths(const std::vector<std::string>& inputs, const LoadOptions& options,
                                    diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  auto program = std::make_unique<Program>();
  if (LoadPacks(inputs, options, *program, sources, diags)) CheckProgram(*program, sources, diags);
  return program;
}

void CheckProgram(Program& program, const diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  Checker(program, sources, diags).Run();
}

const Type* CheckExpression(Program& program, const ast::Expr* expr,
                            const std::map<std::string, const Type*>& variables,
                            const diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  return Checker(program, sources, diags).CheckStandalone(expr, variables);
}

Checker::Checker(Program& program, const diag::SourceManager& sources, diag::DiagnosticEngine& diags)
    : program_(program), sources_(sources), diags_(diags), types_(program.types) {}

void Checker::Run() {
  DeclareSymbols();
  ResolveTypeDecls();
  DeclareHeaderFields();
  CheckDecls();
  CheckProfiles();
  CheckRules();
  CheckTests();
  ReportCycles();
  ReportNonConstantCalls();
}

const Type* Checker::CheckStandalone(const ast::Expr* expr, const std::map<std::string, const Type*>& variables) {
  if (program_.scopes.empty() && !program_.packs.empty()) {
    DeclareSymbols();
    ResolveTypeDecls();
    DeclareHeaderFields();
  }
  Context context;
  context.pack = program_.packs.empty() ? nullptr : program_.packs.back().get();
  for (const auto& [name, type] : variables) {
    Local local;
    local.name = name;
    local.type = type;
    local.used = true;
    local.ref.kind = Reference::Kind::kVariable;
    context.locals.push_back(local);
  }
  ContextSwap swap(*this, std::move(context));
  return Check(expr);
}

diag::Diagnostic& Checker::Report(diag::DiagId id, SourceRange range, std::vector<std::string> args) {
  return diags_.Report(id, range, std::move(args));
}

void Checker::SuggestFrom(diag::Diagnostic& diagnostic, const std::string& name,
                          const std::vector<std::string>& candidates) {
  if (auto match = diag::ClosestMatch(name, candidates)) diagnostic.help = "did you mean '" + *match + "'?";
}

const char* Checker::DeclKindName(ast::DeclKind kind) {
  switch (kind) {
    case ast::DeclKind::kRecord: return "record kind";
    case ast::DeclKind::kStruct: return "struct";
    case ast::DeclKind::kTypeAlias: return "type";
    case ast::DeclKind::kConst: return "const";
    case ast::DeclKind::kSet: return "set";
    case ast::DeclKind::kTable: return "table";
    case ast::DeclKind::kParam: return "param";
    case ast::DeclKind::kProfile: return "profile";
    case ast::DeclKind::kLet: return "let";
    case ast::DeclKind::kFn: return "function";
    case ast::DeclKind::kRule: return "rule";
    case ast::DeclKind::kTest: return "test";
  }
  return "declaration";
}

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "critical";
    case Severity::kHigh: return "high";
    case Severity::kMedium: return "medium";
    case Severity::kLow: return "low";
    case Severity::kInfo: return "info";
  }
  return "info";
}

const char* RuleKindName(RuleKind kind) { return kind == RuleKind::kFail ? "fail" : "review"; }

}  // namespace edict::sema
