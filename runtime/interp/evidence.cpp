// Building findings: the rule's metadata, the finding entries (subject, data types, permission
// groups, context evidence, message) evaluated in the match's frame, evidence records and the time
// window.
#include <algorithm>

#include "compiler/plan/conventions.h"
#include "compiler/plan/readable.h"
#include "runtime/interp/session_run.h"

namespace edict::interp {

using value::Value;

namespace {

std::vector<std::string> Strings(const Value& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.emplace_back(v.string_value());
  if (v.is_list()) {
    for (const Value& item : v.list_elements()) out.push_back(item.is_string() ? std::string(item.string_value()) : plan::ReadableValue(item));
  }
  return out;
}

std::string Field(const Value& map, const char* name) {
  const Value* found = map.map().Find(Value::UnownedString(name));
  if (found == nullptr || found->is_null()) return "";
  return found->is_string() ? std::string(found->string_value()) : plan::ReadableValue(*found);
}

findings::Subject SubjectOf(const Value& v) {
  findings::Subject subject;
  subject.party = findings::Party::kFirst;
  if (!v.is_map()) return subject;
  subject.sdk = Field(v, "sdk");
  subject.org = Field(v, "org");
  subject.domain = Field(v, "domain");
  subject.cls = Field(v, "cls");
  subject.mth = Field(v, "mth");
  subject.component = Field(v, "component");
  std::string party = Field(v, "party");
  if (party == "first") {
    subject.party = findings::Party::kFirst;
  } else if (party == "third") {
    subject.party = findings::Party::kThird;
  } else if (!party.empty()) {
    subject.party = findings::Party::kUnknown;
  } else if (!subject.sdk.empty() || !subject.org.empty() || !subject.domain.empty()) {
    subject.party = findings::Party::kThird;  // a named recipient or SDK is someone else
  }
  return subject;
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

findings::Evidence SessionRun::EvidenceOf(facts::KindId kind, uint32_t row, findings::EvidenceRole role) const {
  const facts::RecordKind& record = store_.schema().kind(kind);
  const facts::RecordTable& table = store_.records(kind);
  findings::Evidence evidence;
  evidence.file = session_.file;
  evidence.line = row < table.lines.size() ? table.lines[row] : 0;
  evidence.seq = table.fields.column(record.seq_column).ints()[row];
  evidence.type = record.name;
  evidence.role = role;
  if (record.t_column >= 0) {
    const facts::Column& t = table.fields.column(static_cast<size_t>(record.t_column));
    if (t.present(row)) evidence.t = t.ints()[row] / 1'000'000;
  }
  return evidence;
}

findings::Evidence SessionRun::SessionEvidence() const {
  std::optional<facts::KindId> coverage = store_.schema().FindKind(plan::kCoverageKind);
  if (coverage && store_.records(*coverage).fields.rows() > 0) {
    return EvidenceOf(*coverage, 0, findings::EvidenceRole::kTrigger);
  }
  findings::Evidence evidence;
  evidence.file = session_.file;
  evidence.line = session_.header_line;
  evidence.type = "header";
  evidence.role = findings::EvidenceRole::kTrigger;
  return evidence;
}

std::optional<std::pair<facts::KindId, uint32_t>> SessionRun::RecordBySeq(int64_t seq) {
  if (!records_by_seq_) {
    records_by_seq_.emplace();
    const facts::Schema& schema = store_.schema();
    for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
      const facts::RecordTable& table = store_.records(kind);
      const auto& seqs = table.fields.column(schema.kind(kind).seq_column).ints();
      for (uint32_t row = 0; row < table.fields.rows(); ++row) records_by_seq_->emplace(seqs[row], std::make_pair(kind, row));
    }
  }
  auto found = records_by_seq_->find(seq);
  if (found == records_by_seq_->end()) return std::nullopt;
  return found->second;
}

void SessionRun::AddEvidenceEntry(uint32_t rule, const Value& seqs, findings::Finding& finding) {
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
      for (const findings::Evidence& cited : finding.evidence) {
        if (cited.seq == seq.int_value()) return;
      }
      finding.evidence.push_back(EvidenceOf(record->first, record->second, role));
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

void SessionRun::FillEntries(uint32_t rule, Frame& frame, findings::Finding& finding) {
  const plan::RulePlan& plan_rule = plan_.rules[rule];
  auto eval = [&](plan::ExprId expr) -> std::optional<Value> {
    if (expr == plan::kNone) return std::nullopt;
    Value v = machine_.Eval(expr, frame);
    if (v.is_error_or_unknown()) {
      RecordError(rule, v, nullptr);
      return std::nullopt;
    }
    return v;
  };
  if (auto subject = eval(plan_rule.subject)) finding.subject = SubjectOf(*subject);
  if (auto types = eval(plan_rule.data_types)) finding.data_types = Strings(*types);
  if (auto groups = eval(plan_rule.permissions)) finding.permissions = Strings(*groups);
  if (auto seqs = eval(plan_rule.evidence)) AddEvidenceEntry(rule, *seqs, finding);
  if (plan_rule.report != plan::kNone) {
    Value message = machine_.Eval(plan_rule.report, frame);
    if (message.is_error_or_unknown()) RecordError(rule, message, nullptr);
    finding.message = plan::ReadableValue(message);
  }
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

void SessionRun::Emit(uint32_t rule, findings::Finding finding) {
  RuleState& state = rules_[rule];
  if (state.findings.size() >= kMaxFindingsPerRule) {
    if (state.running) {
      state.running = false;
      limits_.push_back({session_.id, "findings_per_rule", static_cast<int64_t>(kMaxFindingsPerRule)});
    }
    return;
  }
  state.findings.push_back(std::move(finding));
}

}  // namespace edict::interp
