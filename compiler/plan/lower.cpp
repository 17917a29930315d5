// Lowering a whole program: the schema, the conventions the engine relies on, the parameters of
// the chosen profile, every rule, and the passes that let rules share a scan.
#include <algorithm>

#include "compiler/plan/conventions.h"
#include "compiler/plan/lowerer.h"

namespace edict::plan {
namespace {

const sema::Symbol* FindSymbol(const sema::Program& program, sema::SymbolKind kind, std::string_view name) {
  for (const sema::Symbol& symbol : program.symbols) {
    if (symbol.kind == kind && symbol.name == name) return &symbol;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> Strings(const value::Value& list) {
  std::vector<std::string> out;
  if (!list.is_list()) return out;
  for (const value::Value& item : list.list_elements()) {
    if (item.is_string()) out.emplace_back(item.string_value());
  }
  return out;
}

bool Lowerer::LowerProgram(const LowerOptions& options, diag::SourceManager& sources) {
  sources_ = &sources;
  Frame top;
  frame_ = &top;
  std::vector<std::string> data_types;
  if (const sema::Symbol* known = FindSymbol(program_, sema::SymbolKind::kSet, kKnownDataTypesSet)) {
    data_types = Strings(ConstantValue(*known));
  }
  schema_ = BuildSchema(program_, std::move(data_types), diags_);
  if (schema_.schema == nullptr) return false;
  plan_->schema = std::move(schema_.schema);
  for (const auto& [kind, field] : kContextFallbacks) {
    if (auto id = plan_->schema->FindKind(kind)) plan_->context_fallbacks.emplace_back(*id, std::string(field));
  }
  if (const sema::Symbol* pi = FindSymbol(program_, sema::SymbolKind::kSet, kPersonalInfoSet)) {
    plan_->personal_info = Strings(ConstantValue(*pi));
  }
  if (!LowerParams(options, sources)) return false;
  for (const sema::RuleInfo& info : program_.rules) {
    for (const ast::Need& need : info.decl->needs) {
      for (const std::string& path : need.alternatives) {
        bool kind = path.find('.') == std::string::npos && plan_->schema->FindKind(path);
        auto& guards = plan_->header_guards;
        if (!kind && std::find(guards.begin(), guards.end(), path) == guards.end()) guards.push_back(path);
      }
    }
  }
  for (const sema::RuleInfo& info : program_.rules) LowerRule(info);
  frame_ = nullptr;
  for (uint32_t r = 0; r < plan_->rules.size(); ++r) {
    const Query& query = plan_->rules[r].query;
    if (query.scans.empty() || query.scans[0].source != Scan::Source::kRecords) {
      plan_->standalone.push_back(r);
      continue;
    }
    facts::KindId kind = query.scans[0].kind;
    auto pass = std::find_if(plan_->passes.begin(), plan_->passes.end(), [&](const Pass& p) { return p.kind == kind; });
    if (pass == plan_->passes.end()) {
      plan_->passes.push_back(Pass{kind, {}});
      pass = plan_->passes.end() - 1;
    }
    pass->rules.push_back(r);
  }
  return !failed_;
}

std::unique_ptr<Plan> Lower(sema::Program& program, const LowerOptions& options, const ConstantEvaluator& evaluator,
                            diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  auto plan = std::make_unique<Plan>();
  Lowerer lowerer(program, plan->code, plan.get(), evaluator, diags);
  if (!lowerer.LowerProgram(options, sources)) return nullptr;
  return plan;
}

}  // namespace edict::plan
