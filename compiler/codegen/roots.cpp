// Finding the expression roots of a plan: every ExprId its queries, slots, aggregates and rules
// hand to Machine::Eval. A root missed here would be a fallback to the interpreter.
#include <algorithm>

#include "compiler/codegen/emit.h"

namespace edict::codegen {

namespace {

void AddQuery(const plan::Query& query, std::vector<plan::ExprId>& roots) {
  roots.insert(roots.end(), query.pre.begin(), query.pre.end());
  for (const plan::Scan& scan : query.scans) {
    roots.push_back(scan.list);
    // An indexed scan's filters and key are evaluated only where its index is built, inline in
    // that index's loop (index_emitter.h).
    if (!scan.indexed) {
      roots.insert(roots.end(), scan.filters.begin(), scan.filters.end());
      roots.push_back(scan.key);
    }
    roots.push_back(scan.probe);
    for (const plan::Bound& bound : scan.bounds) roots.push_back(bound.value);
    roots.insert(roots.end(), scan.residual.begin(), scan.residual.end());
  }
}

}  // namespace

std::vector<plan::ExprId> ExpressionRoots(const plan::Plan& plan) {
  std::vector<plan::ExprId> roots;
  for (const plan::SessionSlot& slot : plan.slots) roots.push_back(slot.expr);
  for (const plan::MemoFunction& memo : plan.memo_functions) roots.push_back(memo.expr);
  for (const plan::Aggregate& aggregate : plan.aggregates) {
    AddQuery(aggregate.query, roots);
    roots.push_back(aggregate.value);
  }
  for (const plan::RulePlan& rule : plan.rules) {
    roots.insert(roots.end(), {rule.applies, rule.undetermined, rule.reason, rule.subject, rule.data_types,
                               rule.permissions, rule.report, rule.evidence});
    AddQuery(rule.query, roots);
    const plan::Grouping& grouping = rule.grouping;
    roots.insert(roots.end(), grouping.keys.begin(), grouping.keys.end());
    roots.push_back(grouping.window);
    roots.push_back(grouping.having);
    for (const plan::GroupAggregate& aggregate : grouping.aggregates) roots.push_back(aggregate.arg);
  }
  std::erase(roots, plan::kNone);
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  return roots;
}

std::string ExprSymbol(plan::ExprId id) { return "edict_expr_" + std::to_string(id); }
std::string PassSymbol(uint32_t pass) { return "edict_pass_" + std::to_string(pass); }
std::string IndexSymbol(uint32_t index) { return "edict_index_" + std::to_string(index); }

}  // namespace edict::codegen
