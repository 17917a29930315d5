// Rules: bindings (match / sequence / without), where, group by, window, having, unused
// bindings and the join-width bound. Entries are in rule_entries.cpp, needs in needs.cpp.
#include "compiler/sema/checker.h"

namespace edict::sema {

void Checker::CheckRules() {
  for (const auto& pack : program_.packs) {
    std::map<std::string, SourceRange> ids;
    int rules = 0;
    for (const ast::File& file : pack->files) {
      for (const ast::Decl* decl : file.decls) {
        if (decl == nullptr || decl->kind != ast::DeclKind::kRule) continue;
        if (++rules > kMaxRulesPerPack) {
          Report(diag::DiagId::kTooMany, decl->name_range,
                 {"rules", "pack '" + pack->DisplayName() + "'", std::to_string(kMaxRulesPerPack)});
          break;
        }
        auto [it, inserted] = ids.try_emplace(decl->name, decl->name_range);
        if (!inserted) {
          Report(diag::DiagId::kRedeclared, decl->name_range, {"rule", decl->name})
              .notes.push_back({it->second, "the first declaration is here"});
          continue;
        }
        CheckRule(*pack, static_cast<const ast::RuleDecl&>(*decl));
      }
      if (rules > kMaxRulesPerPack) break;
    }
  }
  ctx_ = Context{};
}

void Checker::CheckRule(const Pack& pack, const ast::RuleDecl& rule) {
  RuleInfo info;
  info.decl = &rule;
  info.pack = &pack;
  ctx_ = Context{};
  ctx_.pack = &pack;
  ctx_.owner = &rule;
  ctx_.stream_count = &info.join_width;
  size_t errors_before = diags_.error_count();

  size_t bindings = rule.match.size() + rule.sequence.size() + rule.without.size();
  if (bindings > static_cast<size_t>(kMaxBindingsPerRule)) {
    // Checking the rest would only add errors about the same bindings (the join width).
    Report(diag::DiagId::kTooMany, rule.name_range,
           {"bindings", "rule '" + rule.name + "'", std::to_string(kMaxBindingsPerRule)});
    program_.rules.push_back(std::move(info));
    return;
  }
  CheckRuleBindings(rule, info);
  if (rule.where != nullptr) CheckAs(rule.where, types_.Bool(), "condition of 'where'");
  std::vector<const Type*> key_types;
  for (const ast::GroupKey& key : rule.group_by) key_types.push_back(Check(key.value));
  if (rule.window != nullptr) {
    CheckAs(rule.window, types_.Duration(), "width of 'window'");
    for (const BindingInfo& binding : info.bindings) {
      if (binding.kind != nullptr && binding.kind->Find("t") == nullptr) {
        Report(diag::DiagId::kNoTimeField, binding.binding->source->range, {"'window'", binding.kind->name});
        break;
      }
    }
  }
  bool aggregated = !rule.group_by.empty() || rule.window != nullptr || rule.having != nullptr;
  if (aggregated) {
    ctx_.after_group = true;
    ctx_.group_keys = &rule.group_by;
    ctx_.group_key_types = key_types;
  }
  if (rule.having != nullptr) CheckAs(rule.having, types_.Bool(), "condition of 'having'");
  ctx_.after_group = false;
  CheckRuleEntries(rule, info, aggregated);

  for (const Local& local : ctx_.locals) {
    if (local.used || local.ref.kind != Reference::Kind::kBinding || local.type->IsError()) continue;
    auto it = program_.bindings.find(local.ref.binding);
    if (it != program_.bindings.end() && it->second.role == BindingRole::kMatch) {
      Report(diag::DiagId::kUnusedBinding, local.ref.binding->name_range, {local.name});
    }
  }
  if (info.join_width > kMaxJoinWidth) {
    Report(diag::DiagId::kJoinTooWide, rule.name_range,
           {rule.name, std::to_string(info.join_width), std::to_string(kMaxJoinWidth)});
  }
  ctx_.locals.clear();
  // After an error the reads are incomplete, and an unread need would only echo that error.
  CheckNeeds(rule, info, diags_.error_count() == errors_before);
  program_.rules.push_back(std::move(info));
}

void Checker::CheckRuleBindings(const ast::RuleDecl& rule, RuleInfo& info) {
  auto add = [&](const ast::Binding* binding) {
    auto it = program_.bindings.find(binding);
    if (it != program_.bindings.end()) info.bindings.push_back(it->second);
  };
  for (const ast::Binding* binding : rule.match) {
    if (binding == nullptr) continue;
    Bind(*binding, BindingRole::kMatch, false);
    add(binding);
  }
  if (!rule.match.empty() && !rule.sequence.empty() && rule.sequence[0].binding != nullptr) {
    Report(diag::DiagId::kMatchAndSequence, rule.sequence[0].binding->range);
    return;
  }
  for (const ast::SequenceStep& step : rule.sequence) {
    if (step.binding == nullptr) continue;
    if (step.within != nullptr) CheckAs(step.within, types_.Duration(), "'within'");
    const Type* type = Bind(*step.binding, BindingRole::kSequenceStep, true);
    add(step.binding);
    if (type->kind == TypeKind::kStruct && type->structure->Find("t") == nullptr) {
      Report(diag::DiagId::kNoTimeField, step.binding->source->range, {"a sequence step", type->structure->name});
    }
  }
  for (const ast::SequenceWithout& without : rule.without) {
    if (without.binding == nullptr) continue;
    const Type* type = Bind(*without.binding, BindingRole::kWithout, true);
    add(without.binding);
    if (type->kind == TypeKind::kStruct && type->structure->Find("t") == nullptr) {
      Report(diag::DiagId::kNoTimeField, without.binding->source->range, {"'without'", type->structure->name});
    }
    if (without.when != nullptr) CheckAs(without.when, types_.Bool(), "condition of 'when'");
    // The excluded record exists only inside its own `when`.
    ctx_.locals.pop_back();
  }
}

}  // namespace edict::sema
