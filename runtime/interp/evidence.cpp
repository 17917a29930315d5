// Building findings: the rule's metadata, the finding entries (subject, data types, permission
// groups, context evidence, message) evaluated in the match's frame, evidence records and the time
// window, and the per-rule findings limit.
#include <algorithm>

#include "compiler/plan/conventions.h"
#include "compiler/plan/readable.h"
#include "runtime/interp/session_run.h"

namespace edict::interp {

using value::Value;

namespace {

// A list's element as its entry lists it.
void AppendString(const Value& item, std::vector<std::string>& out) {
  if (item.is_string()) {
    out.emplace_back(item.string_value());
  } else {
    out.push_back(plan::ReadableValue(item));
  }
}

// The field of `subject` an entry `name` names (null: none but "party"), by length first.
std::string* SubjectField(std::string_view name, findings::Subject& subject) {
  switch (name.size()) {
    case 3:
      return name == "sdk" ? &subject.sdk : name == "org" ? &subject.org : name == "cls" ? &subject.cls
                           : name == "mth" ? &subject.mth : nullptr;
    case 6: return name == "domain" ? &subject.domain : nullptr;
    case 9: return name == "component" ? &subject.component : nullptr;
    default: return nullptr;
  }
}

// The subject `v` names (the app, first party, when `v` is no map), assigned in place to keep
// the fields' storage.
void SubjectOf(const Value& v, findings::Subject& subject) {
  subject.party = findings::Party::kFirst;
  for (std::string* field : {&subject.sdk, &subject.org, &subject.domain, &subject.cls, &subject.mth, &subject.component}) {
    field->clear();
  }
  if (!v.is_map()) return;
  // One pass over the entries: the keys are distinct, so this finds what a lookup of each of the
  // seven names would.
  std::string_view party;
  std::string party_text;  // a party that is no string, as text
  const value::MapRep& map = v.map();
  for (size_t i = 0; i < map.size(); ++i) {
    if (!map.key(i).is_string()) continue;
    std::string_view name = map.key(i).string_value();
    const Value& value = map.value(i);
    if (value.is_null()) continue;
    if (name == "party") {
      if (!value.is_string()) party_text = plan::ReadableValue(value);
      party = value.is_string() ? value.string_value() : std::string_view(party_text);
      continue;
    }
    std::string* field = SubjectField(name, subject);
    if (field == nullptr) continue;
    if (value.is_string()) {
      field->assign(value.string_value());
    } else {
      *field = plan::ReadableValue(value);
    }
  }
  if (party == "first") {
    subject.party = findings::Party::kFirst;
  } else if (party == "third") {
    subject.party = findings::Party::kThird;
  } else if (!party.empty()) {
    subject.party = findings::Party::kUnknown;
  } else if (!subject.sdk.empty() || !subject.org.empty() || !subject.domain.empty()) {
    subject.party = findings::Party::kThird;  // a named recipient or SDK is someone else
  }
}

// A template's value is text whatever its parts are (a part that errs is written as "<error: ...>"),
// as is a constant's that is no error: such a report errs only when the budget is already spent.
bool AlwaysText(const Machine& machine, plan::ExprId report) {
  const plan::Node& node = machine.code().nodes[report];
  return node.op == plan::Op::kTemplate || (node.op == plan::Op::kConst && !machine.constant(node.a).is_error_or_unknown());
}

}  // namespace

findings::Finding SessionRun::NewFinding(uint32_t rule) const {
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  findings::Finding finding;
  finding.rule = rule;
  finding.kind = plan_rule.review ? findings::Kind::kReview : findings::Kind::kFail;
  finding.severity = static_cast<findings::Severity>(plan_rule.severity);
  finding.app = app_;
  finding.cite = plan_rule.cite;
  finding.subject.party = findings::Party::kFirst;
  finding.message = plan_rule.title;
  for (uint32_t param : plan_rule.params) {
    finding.params.emplace_back(plan_.params[param].name, ParamValueOf(plan_.params[param].value));
  }
  return finding;
}

findings::Evidence SessionRun::EvidenceOf(const EvidenceRef& ref) const { return EvidenceOf(ref.kind, OrderOf(ref)); }

findings::Evidence SessionRun::EvidenceOf(facts::KindId kind, const EvidenceOrder& record) const {
  findings::Evidence evidence = EvidenceOfKind(kind);
  SetRecord(record, evidence);
  return evidence;
}

EvidenceRef SessionRun::SessionEvidence() const {
  std::optional<facts::KindId> coverage = store_.schema().FindKind(plan::kCoverageKind);
  if (coverage && store_.records(*coverage).fields.rows() > 0) return {*coverage, 0, findings::EvidenceRole::kTrigger};
  return {kHeaderEvidence, 0, findings::EvidenceRole::kTrigger};
}

std::optional<std::pair<facts::KindId, uint32_t>> SessionRun::RecordBySeq(int64_t seq) {
  if (!records_by_seq_) records_by_seq_.emplace(store_);
  return records_by_seq_->Find(seq);
}

void SessionRun::AddEvidenceEntry(uint32_t rule, const Value& seqs, std::vector<EvidenceRef>& evidence) {
  // A rule without record bindings is about what its `evidence` names: those records trigger it.
  bool binds_records = false;
  for (const plan::Scan& scan : plan_.rules[rule].query.scans) {
    binds_records = binds_records || scan.source == plan::Scan::Source::kRecords;
  }
  auto role = binds_records ? findings::EvidenceRole::kContext : findings::EvidenceRole::kTrigger;
  auto add = [&](const Value& seq) {
    if (!seq.is_int()) {
      RecordError(rule, Value::Error(value::ErrorCode::kInvalidArgument,
                                     "evidence: " + plan::ReadableValue(seq) + " is not a record seq"), nullptr);
      return;
    }
    if (auto record = RecordBySeq(seq.int_value())) {
      // The first record with a seq is the one found, so a seq cited again finds the same row.
      for (const EvidenceRef& cited : evidence) {
        if (cited.kind == record->first && cited.row == record->second) return;
      }
      evidence.push_back({record->first, record->second, role});
      return;
    }
    RecordError(rule, Value::Error(value::ErrorCode::kInvalidArgument,
                                   "evidence: no record of the session has seq " + std::to_string(seq.int_value())),
                nullptr);
  };
  if (!seqs.is_list()) {
    add(seqs);
    return;
  }
  for (const Value& seq : seqs.list_elements()) add(seq);
}

bool SessionRun::ReadInPlace(plan::ExprId id) const {
  if (machine_.exhausted()) return false;
  const CompiledCode* compiled = machine_.compiled();
  return compiled == nullptr || (id < compiled->exprs.size() && compiled->exprs[id] != nullptr);
}

const Value* SessionRun::EntryValue(plan::ExprId id, Frame& frame, Value& scratch) {
  if (ReadInPlace(id)) {
    const plan::Node& node = machine_.code().nodes[id];
    if (node.op == plan::Op::kRegister) return &frame[node.a].value;
    if (node.op == plan::Op::kMemo) return machine_.MemoRef(node.a, frame[node.b], scratch);
  }
  scratch = machine_.Eval(id, frame);
  return &scratch;
}

void SessionRun::EntryValues(uint32_t rule, plan::ExprId id, Frame& frame, std::vector<Value>& out) {
  if (id == plan::kNone) return;
  if (ReadInPlace(id)) {
    // A list of registers (`[d]`) with no error or unknown among them is those values, which are
    // read where they are rather than put into a list made only to be read.
    const plan::Code& code = machine_.code();
    const plan::Node& node = code.nodes[id];
    bool in_place = node.op == plan::Op::kList;
    for (uint32_t i = 0; i < node.count && in_place; ++i) {
      const plan::Node& element = code.nodes[code.child(node, i)];
      in_place = element.op == plan::Op::kRegister && !frame[element.a].value.is_error_or_unknown();
    }
    if (in_place) {
      for (uint32_t i = 0; i < node.count; ++i) out.push_back(frame[code.nodes[code.child(node, i)].a].value);
      return;
    }
  }
  Value scratch;
  const Value* v = EntryValue(id, frame, scratch);
  if (v->is_error_or_unknown()) {
    RecordError(rule, *v, nullptr);
    return;
  }
  if (v->is_string()) out.push_back(*v);
  if (v->is_list()) out.insert(out.end(), v->list_elements().begin(), v->list_elements().end());
}

void SessionRun::SpellKey(const MatchEntries& entries, SpelledKey& out) {
  SubjectOf(entries.key.front(), out.subject);
  out.data_types.clear();
  out.permissions.clear();
  for (size_t i = 1; i < entries.key.size(); ++i) {
    AppendString(entries.key[i], i <= entries.data_types ? out.data_types : out.permissions);
  }
}

void SessionRun::EvaluateEntries(uint32_t rule, Frame& frame, bool defer_report, MatchEntries& entries) {
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  // An entry that errs is a rule error and is left out (null).
  auto eval = [&](plan::ExprId expr, Value& scratch) -> const Value* {
    if (expr == plan::kNone) return nullptr;
    const Value* v = EntryValue(expr, frame, scratch);
    if (!v->is_error_or_unknown()) return v;
    RecordError(rule, *v, nullptr);
    return nullptr;
  };
  Value scratch;
  entries.key.clear();
  const Value* subject = eval(plan_rule.subject, scratch);
  if (subject == nullptr) {
    entries.key.emplace_back();
  } else if (subject == &scratch) {
    entries.key.push_back(std::move(scratch));
  } else {
    entries.key.push_back(*subject);
  }
  EntryValues(rule, plan_rule.data_types, frame, entries.key);
  entries.data_types = entries.key.size() - 1;
  EntryValues(rule, plan_rule.permissions, frame, entries.key);
  entries.evidence.clear();
  if (const Value* seqs = eval(plan_rule.evidence, scratch)) AddEvidenceEntry(rule, *seqs, entries.evidence);
  entries.report.reset();
  entries.report_deferred = false;
  if (plan_rule.report != plan::kNone) {
    // Nothing is evaluated between here and MergeMatch, so a report deferred while the budget
    // lasts cannot err there either: it is unobservable unless the match becomes the front.
    if (defer_report && !machine_.exhausted() && AlwaysText(machine_, plan_rule.report)) {
      entries.report_deferred = true;
    } else {
      entries.report = Report(rule, frame);
    }
  }
}

Value SessionRun::Report(uint32_t rule, Frame& frame) {
  Value report = machine_.Eval(plan_.rules[rule].report, frame);
  if (report.is_error_or_unknown()) RecordError(rule, report, nullptr);
  return report;
}

void SessionRun::FillEntries(uint32_t rule, Frame& frame, findings::Finding& finding) {
  MatchEntries entries;
  EvaluateEntries(rule, frame, false, entries);
  SpelledKey key;
  SpellKey(entries, key);
  finding.subject = std::move(key.subject);
  finding.data_types = std::move(key.data_types);
  finding.permissions = std::move(key.permissions);
  for (const EvidenceRef& ref : entries.evidence) finding.evidence.push_back(EvidenceOf(ref));
  if (entries.report) finding.message = plan::ReadableValue(*entries.report);
}

void SessionRun::SetWindow(findings::Finding& finding) const {
  int64_t triggers = 0;
  for (const findings::Evidence& evidence : finding.evidence) {
    if (evidence.role == findings::EvidenceRole::kTrigger) ++triggers;
    if (!evidence.t) continue;
    if (!finding.window.first_t || *evidence.t < *finding.window.first_t) finding.window.first_t = evidence.t;
    if (!finding.window.last_t || *evidence.t > *finding.window.last_t) finding.window.last_t = evidence.t;
  }
  if (finding.window.count == 0) finding.window.count = triggers;
}

void SessionRun::StopAtLimit(uint32_t rule) {
  RuleState& state = rules_[rule];
  if (!state.running) return;
  state.running = false;
  limits_.push_back({session_.id, "findings_per_rule", static_cast<int64_t>(kMaxFindingsPerRule)});
}

void SessionRun::Emit(uint32_t rule, findings::Finding finding) {
  if (CountFinding(rule)) rules_[rule].findings.push_back(std::move(finding));
}

}  // namespace edict::interp
