// Lowering a rule: metadata, needs, its query (`match` bindings, or a `sequence` desugared into
// scans and time conjuncts with `without` as an anti-join), grouping, and the finding entries.
#include "compiler/plan/conventions.h"
#include "compiler/plan/lowerer.h"

namespace edict::plan {

ExprId Lowerer::EntryValue(const sema::RuleInfo& info, const char* key, Deps* deps) {
  auto it = info.entries.find(key);
  if (it == info.entries.end() || it->second->value == nullptr) return kNone;
  Deps ignored;
  return LowerValue(it->second->value, deps != nullptr ? *deps : ignored);
}

void Lowerer::LowerNeeds(const sema::RuleInfo& info, RulePlan& rule) {
  for (const ast::Need& need : info.decl->needs) {
    Need out;
    out.exemption_only = need.exemption_only;
    for (const std::string& path : need.alternatives) {
      Need::Alternative alternative;
      alternative.text = path;
      std::optional<facts::KindId> kind = path.find('.') == std::string::npos ? plan_->schema->FindKind(path) : std::nullopt;
      if (kind) {
        alternative.kind = *kind;
      } else {
        alternative.header = true;
        alternative.guard = HeaderGuard(path);
      }
      out.alternatives.push_back(std::move(alternative));
    }
    rule.needs.push_back(std::move(out));
  }
}

std::vector<Lowerer::Conjunct> Lowerer::StepConjuncts(Register later, facts::KindId later_kind, Register earlier,
                                                      facts::KindId earlier_kind, const ast::Expr* within) {
  std::vector<Conjunct> conjuncts;
  Conjunct after;
  after.node = builder_.Emit(Op::kCall, {TimeRead(later, later_kind), TimeRead(earlier, earlier_kind)},
                             static_cast<uint32_t>(value::Overload::greater_duration));
  after.deps.AddRegister(later);
  after.deps.AddRegister(earlier);
  conjuncts.push_back(after);
  if (within != nullptr) {
    Conjunct bounded;
    ExprId gap = builder_.Emit(Op::kCall, {TimeRead(later, later_kind), TimeRead(earlier, earlier_kind)},
                               static_cast<uint32_t>(value::Overload::subtract_duration_duration));
    ExprId width = LowerValue(within, bounded.deps);
    bounded.node = builder_.Emit(Op::kCall, {gap, width}, static_cast<uint32_t>(value::Overload::less_duration));
    bounded.deps.AddRegister(later);
    bounded.deps.AddRegister(earlier);
    conjuncts.push_back(bounded);
  }
  return conjuncts;
}

void Lowerer::LowerGrouping(const ast::RuleDecl& decl, RulePlan& rule) {
  rule.grouped = true;
  Grouping& grouping = rule.grouping;
  for (size_t i = 0; i < decl.group_by.size(); ++i) {
    const ast::GroupKey& key = decl.group_by[i];
    Deps ignored;
    grouping.keys.push_back(LowerValue(key.value, ignored));
    Register reg = frame_->New(key.name.empty() ? "key" + std::to_string(i) : key.name);
    grouping.key_regs.push_back(reg);
    Lowered value = ValueOf(builder_.Emit(Op::kRegister, {}, reg), {});
    value.deps.AddRegister(reg);
    env_[{&key, 0}] = value;
  }
  if (decl.window != nullptr) {
    Deps ignored;
    grouping.window = LowerValue(decl.window, ignored);
  }
  in_group_ = true;
  if (decl.having != nullptr) {
    Deps ignored;
    grouping.having = LowerValue(decl.having, ignored);
  }
}

void Lowerer::LowerRule(const sema::RuleInfo& info) {
  const ast::RuleDecl& decl = *info.decl;
  RulePlan rule;
  rule.id = decl.name;
  rule.pack = info.pack->name;
  rule.version = info.pack->version;
  rule.title = info.title;
  rule.review = info.kind == sema::RuleKind::kReview;
  rule.severity = static_cast<uint8_t>(info.severity);
  rule.cite = info.cite;
  rule.join_width = info.join_width;
  if (sources_ != nullptr && decl.name_range.valid()) {
    rule.file = sources_->path(decl.name_range.file);
    rule.line = sources_->Locate(decl.name_range.file, decl.name_range.begin).line;
  }
  Frame frame;
  std::set<uint32_t> params;
  frame_ = &frame;
  rule_ = &rule;
  params_used_ = &params;
  in_group_ = false;
  group_aggregate_exprs_.clear();

  if (auto tags = info.entries.find("tags"); tags != info.entries.end() && tags->second->value != nullptr) {
    rule.tags = Strings(FoldExpr(tags->second->value));
  }
  LowerNeeds(info, rule);
  rule.reads_collecting_kind = info.reads.count(std::string(kCollectingKind)) > 0;
  rule.applies = EntryValue(info, "applies");
  rule.undetermined = EntryValue(info, "undetermined");
  rule.reason = EntryValue(info, "reason");

  std::vector<const ast::Binding*> bindings;
  std::vector<Scan> scans;
  std::vector<Conjunct> conjuncts;
  Deps ignored;
  if (!decl.match.empty()) {
    bindings.assign(decl.match.begin(), decl.match.end());
    scans = BindScans(bindings, ignored);
  } else if (!decl.sequence.empty()) {
    for (const ast::SequenceStep& step : decl.sequence) {
      if (step.binding == nullptr) continue;
      bindings.push_back(step.binding);
      size_t before = scans.size();
      std::vector<Scan> one = BindScans({step.binding}, ignored);
      if (one.empty() || one[0].source != Scan::Source::kRecords) continue;
      scans.push_back(std::move(one[0]));
      if (before > 0) {
        for (Conjunct& c : StepConjuncts(scans.back().reg, scans.back().kind, scans[before - 1].reg,
                                         scans[before - 1].kind, step.within)) {
          conjuncts.push_back(std::move(c));
        }
      }
    }
  }
  for (Conjunct& conjunct : SplitConjuncts(decl.where)) conjuncts.push_back(std::move(conjunct));
  if (!decl.without.empty() && scans.size() >= 1) {
    const Scan& first = scans.front();
    const Scan& last = scans.back();
    for (const ast::SequenceWithout& without : decl.without) {
      if (without.binding == nullptr) continue;
      conjuncts.push_back(Without(without, first.reg, first.kind, last.reg, last.kind));
    }
  }
  for (auto it = scans.rbegin(); it != scans.rend(); ++it) {
    if (it->source == Scan::Source::kRecords) {
      it->trigger = true;
      break;
    }
  }
  rule.query = PlanQuery(std::move(scans), std::move(conjuncts), true);

  if (!decl.group_by.empty() || decl.window != nullptr || decl.having != nullptr) LowerGrouping(decl, rule);
  rule.subject = EntryValue(info, "subject");
  rule.data_types = EntryValue(info, "data_types");
  rule.permissions = EntryValue(info, "permissions");
  rule.report = EntryValue(info, "report");
  rule.evidence = EntryValue(info, "evidence");
  in_group_ = false;
  Unbind(bindings);
  for (const ast::GroupKey& key : decl.group_by) env_.erase({&key, 0});

  rule.params.assign(params.begin(), params.end());
  rule.frame_size = frame.size();
  rule.register_names = frame.names;
  frame_ = nullptr;
  rule_ = nullptr;
  params_used_ = nullptr;
  plan_->rules.push_back(std::move(rule));
}

}  // namespace edict::plan
