// One session, every rule: passes over record kinds shared by the rules that scan them, then
// grouping, then each rule's outcome in the order of rule-catalog S1.
#include "runtime/interp/session_run.h"

#include "compiler/plan/conventions.h"
#include "compiler/plan/readable.h"
#include "runtime/interp/merge.h"
#include "runtime/interp/native_levels.h"

namespace edict::interp {

using value::Value;

namespace {

class RuleSink : public MatchSink {
 public:
  RuleSink(SessionRun& run, uint32_t rule) : run_(run), rule_(rule) {}
  bool Match(Frame& frame, const Value* pending) override { return run_.OnMatch(rule_, frame, pending); }

 private:
  SessionRun& run_;
  uint32_t rule_;
};

// The driver's side of a native pass: what `resume` needs to continue a row of a rule.
struct NativePass {
  SessionRun* run;
  Machine* machine;
  const plan::Plan* plan;
  const plan::Pass* pass;
  std::vector<RuleSink>* sinks;   // per rule of the pass
  std::vector<Frame*> frames;     // per rule of the pass
};

bool ResumeNativeRow(PassRun* run, uint32_t i, uint32_t level, const Value* pending) {
  auto& native = *static_cast<NativePass*>(run->driver);
  uint32_t rule = native.pass->rules[i];
  const plan::Query& query = native.plan->rules[rule].query;
  // Past the last scan the driver's Level would call the rule's sink: OnMatch, called directly.
  bool more = level == query.scans.size()
                  ? native.run->OnMatch(rule, *native.frames[i], pending)
                  : native.machine->ContinueAt(query, level, *native.frames[i], (*native.sinks)[i], pending);
  run->active[i] = native.run->running(rule);
  return more;
}

}  // namespace

LevelStart BeginNativeLevel(PassRun* run, uint32_t i, uint32_t level, const Value* pending, LevelVisit& visit,
                            Value& key) {
  auto& native = *static_cast<NativePass*>(run->driver);
  uint32_t rule = native.pass->rules[i];
  LevelStart start = native.machine->BeginLevel(native.plan->rules[rule].query, level, *native.frames[i],
                                                (*native.sinks)[i], pending, visit, key);
  run->active[i] = native.run->running(rule);
  return start;
}

namespace {

std::string ErrorText(const Value& error) {
  if (error.is_error()) return error.error_message();
  if (error.is_unknown()) return "unknown value: " + error.unknown_attribute();
  return plan::ReadableValue(error);
}

}  // namespace

SessionRun::SessionRun(const plan::Plan& plan, Machine& machine, const facts::Session& session)
    : plan_(plan), machine_(machine), session_(session), store_(*session.store) {
  rules_.resize(plan.rules.size());
  for (size_t r = 0; r < plan.rules.size(); ++r) rules_[r].frame = machine.NewFrame(plan.rules[r].frame_size);
  findings::FileName file(session.file);
  for (facts::KindId kind = 0; kind < store_.schema().kind_count(); ++kind) {
    evidence_of_kind_.push_back({.file = file, .type = store_.schema().kind(kind).name, .t = {}});
  }
  evidence_of_kind_.push_back({.file = file, .type = "header", .t = {}});
  app_.session = session.id;
  facts::Cell id = store_.HeaderValue(plan::kAppIdPath);
  if (auto* text = std::get_if<std::string_view>(&id)) app_.id = std::string(*text);
  facts::Cell version = store_.HeaderValue(plan::kAppVersionCodePath);
  if (auto* code = std::get_if<int64_t>(&version)) app_.version_code = *code;
}

SessionEvaluation SessionRun::Run() {
  ComputeSessionFacts();
  for (uint32_t r = 0; r < rules_.size(); ++r) CheckNeeds(r);
  RunPasses();
  for (uint32_t r = 0; r < rules_.size(); ++r) {
    if (!rules_[r].skipped && plan_.rules[r].grouped) FinishGroups(r);
  }
  if (machine_.exhausted()) {
    // What was found stands; a rule that found nothing may not have been evaluated to its end.
    limits_.push_back({session_.id, "eval_steps", static_cast<int64_t>(machine_.budget())});
    for (uint32_t r = 0; r < rules_.size(); ++r) {
      if (!rules_[r].skipped) RecordError(r, machine_.BudgetError(), nullptr);
    }
  }

  SessionEvaluation out;
  findings::SessionSummary& summary = out.result.summary;
  summary.id = session_.id;
  summary.app = app_.id;
  summary.file = session_.file;
  summary.records = store_.record_count();
  for (uint32_t r = 0; r < rules_.size(); ++r) {
    summary.outcomes.push_back(Decide(r));
    if (rules_[r].error) summary.rule_errors.push_back(*rules_[r].error);
    // Findings of different rules never merge: their keys name the rule.
    if (plan_.rules[r].grouped) {
      MergeFindings(std::move(rules_[r].findings), findings::CountMerge::kLargest, out.result.findings);
    } else {
      TakeMerged(r, out.result.findings);
    }
  }
  out.limits = std::move(limits_);
  out.stats = machine_.stats();
  return out;
}

void SessionRun::RunPasses() {
  // A rule's `pre` conjuncts read no scan: decided once, then its scans run.
  std::vector<Value> pending(rules_.size());
  std::vector<bool> open(rules_.size(), false);
  for (uint32_t r = 0; r < rules_.size(); ++r) {
    if (rules_[r].skipped) continue;
    open[r] = machine_.CheckAll(plan_.rules[r].query.pre, rules_[r].frame, pending[r]);
  }
  const CompiledCode* compiled = machine_.compiled();
  for (size_t p = 0; p < plan_.passes.size(); ++p) {
    const plan::Pass& pass = plan_.passes[p];
    if (compiled != nullptr && p < compiled->passes.size() && compiled->passes[p] != nullptr) {
      RunNativePass(pass, compiled->passes[p], open, pending);
      continue;
    }
    std::vector<uint32_t> active;
    for (uint32_t r : pass.rules) {
      if (open[r]) active.push_back(r);
    }
    if (active.empty()) continue;
    std::vector<RuleSink> sinks;
    sinks.reserve(active.size());
    for (uint32_t r : active) sinks.emplace_back(*this, r);
    size_t rows = store_.records(pass.kind).fields.rows();
    for (uint32_t row = 0; row < rows; ++row) {
      for (size_t i = 0; i < active.size(); ++i) {
        uint32_t r = active[i];
        if (!rules_[r].running) continue;
        const Value* carried = pending[r].is_null() ? nullptr : &pending[r];
        machine_.EnterRow(plan_.rules[r].query, 0, row, rules_[r].frame, sinks[i], carried);
      }
    }
  }
  for (uint32_t r : plan_.standalone) {
    if (!open[r]) continue;
    RuleSink sink(*this, r);
    const plan::Query& query = plan_.rules[r].query;
    if (query.scans.empty()) {
      // No bindings: the condition is about the session as a whole.
      sink.Match(rules_[r].frame, pending[r].is_null() ? nullptr : &pending[r]);
      continue;
    }
    machine_.RunQuery(query, rules_[r].frame, sink, pending[r].is_null() ? nullptr : &pending[r]);
  }
}

void SessionRun::RunNativePass(const plan::Pass& pass, PassFn native_pass, const std::vector<bool>& open,
                               const std::vector<Value>& pending) {
  size_t n = pass.rules.size();
  std::vector<uint8_t> active(n);
  std::vector<Cell*> cells(n);
  std::vector<Value> pre(n);
  std::vector<RuleSink> sinks;
  sinks.reserve(n);
  NativePass native{this, &machine_, &plan_, &pass, &sinks, std::vector<Frame*>(n)};
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    uint32_t r = pass.rules[i];
    active[i] = open[r] && rules_[r].running;
    any = any || active[i];
    cells[i] = rules_[r].frame.data();
    pre[i] = pending[r];
    native.frames[i] = &rules_[r].frame;
    sinks.emplace_back(*this, r);
  }
  if (!any) return;
  PassRun run{&machine_,
              &store_.records(pass.kind).fields,
              static_cast<uint32_t>(store_.records(pass.kind).fields.rows()),
              active.data(),
              cells.data(),
              native.frames.data(),
              &ResumeNativeRow,
              &native,
              machine_.steps_counter(),
              machine_.budget(),
              &machine_.stats().records,
              pre.data()};
  native_pass(&run);
}

bool SessionRun::OnMatch(uint32_t rule, Frame& frame, const Value* pending) {
  RuleState& state = rules_[rule];
  if (pending != nullptr) {
    RecordError(rule, *pending, &frame);
    return true;
  }
  ++machine_.stats().matches;
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  if (plan_rule.grouped) {
    KeepMatch(rule, frame);
    return true;
  }
  MatchEntries& entries = match_entries_;
  EvaluateEntries(rule, frame, true, entries);
  for (const plan::Scan& scan : plan_rule.query.scans) {
    if (scan.source != plan::Scan::Source::kRecords) continue;
    auto role = scan.trigger ? findings::EvidenceRole::kTrigger : findings::EvidenceRole::kContext;
    entries.evidence.push_back({scan.kind, frame[scan.reg].row, role});
  }
  if (entries.evidence.empty()) entries.evidence.push_back(SessionEvidence());
  if (CountFinding(rule)) MergeMatch(rule, entries, frame);
  return state.running;
}

void SessionRun::RecordError(uint32_t rule, const Value& error, const Frame* frame) {
  RuleState& state = rules_[rule];
  if (state.error) return;
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  std::string message = ErrorText(error);
  // Name the record being evaluated: the first scan's, when the error arose under it.
  const plan::Query& query = plan_rule.query;
  if (frame != nullptr && !query.scans.empty() && query.scans[0].source == plan::Scan::Source::kRecords &&
      (*frame)[query.scans[0].reg].table != nullptr) {
    const plan::Scan& scan = query.scans[0];
    findings::Evidence at = EvidenceOf({scan.kind, (*frame)[scan.reg].row, findings::EvidenceRole::kTrigger});
    message += " (evaluating " + at.type + " seq " + std::to_string(at.seq) + ", line " + std::to_string(at.line) + ")";
  }
  state.error = findings::RuleError{plan_rule.id, plan_rule.file, plan_rule.line, std::move(message)};
}

findings::RuleOutcome SessionRun::Decide(uint32_t rule) {
  RuleState& state = rules_[rule];
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  using findings::Outcome;
  if (state.skipped) return {Outcome::kUndetermined, state.reason};
  if (state.emitted > 0) return {Outcome::kViolated, ""};
  Frame& frame = state.frame;
  bool applies = true;
  if (plan_rule.applies != plan::kNone) {
    Value v = machine_.Eval(plan_rule.applies, frame);
    if (v.is_error_or_unknown()) RecordError(rule, v, nullptr);
    applies = v.is_bool() && v.bool_value();
    if (!v.is_bool() && !v.is_error_or_unknown()) applies = false;
  }
  if (applies && plan_rule.undetermined != plan::kNone) {
    Value v = machine_.Eval(plan_rule.undetermined, frame);
    if (v.is_bool() && v.bool_value()) {
      Value reason = plan_rule.reason != plan::kNone ? machine_.Eval(plan_rule.reason, frame) : Value();
      return {Outcome::kUndetermined, reason.is_string() ? std::string(reason.string_value())
                                                         : "the rule's own condition: " + plan::ReadableValue(reason)};
    }
    if (v.is_error_or_unknown()) RecordError(rule, v, nullptr);
  }
  if (state.error) {
    if (!state.missing_exemptions.empty()) {
      return {Outcome::kUndetermined, state.missing_exemptions.front() + " (needed for an exemption)"};
    }
    return {Outcome::kError, ""};
  }
  if (!applies) return {Outcome::kNotApplicable, ""};
  if (plan_rule.reads_collecting_kind && !hooks_failed_.empty()) {
    std::string types;
    for (const std::string& type : hooks_failed_) types += (types.empty() ? "" : ", ") + type;
    return {Outcome::kUndetermined, "hooks failed: every monitored API of " + types + " failed"};
  }
  return {Outcome::kPassed, ""};
}

}  // namespace edict::interp
