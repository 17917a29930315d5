// Building the appfindings/1 JSON objects with nlohmann_json; a finding's evidence list, which can be
// long, is spelled directly.
#include "runtime/findings/json_encode.h"

#include <algorithm>

#include "runtime/findings/fingerprint.h"

namespace edict::findings {
namespace {

Json OptionalTime(const std::optional<int64_t>& t) { return t ? Json(*t) : Json(nullptr); }

void PutIfPresent(Json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

Json Counts(const NameCounts& counts) {
  Json object = Json::object();
  for (const auto& [name, count] : counts) object[name] = count;
  return object;
}

}  // namespace

const RuleInfo& RuleOf(const RunInfo& run, const Finding& finding) {
  static const RuleInfo kUnknownRule;
  return finding.rule < run.rules.size() ? run.rules[finding.rule] : kUnknownRule;
}

Json ParamsJson(const Params& params) {
  Json object = Json::object();
  for (const auto& [name, value] : params) {
    std::visit([&, &key = name](const auto& v) { object[key] = v; }, value);
  }
  return object;
}

Json SubjectJson(const Subject& subject) {
  Json object = {{"party", Name(subject.party)}};
  PutIfPresent(object, "sdk", subject.sdk);
  PutIfPresent(object, "org", subject.org);
  PutIfPresent(object, "domain", subject.domain);
  PutIfPresent(object, "cls", subject.cls);
  PutIfPresent(object, "mth", subject.mth);
  PutIfPresent(object, "component", subject.component);
  return object;
}

Json WindowJson(const Window& window) {
  return {{"first_t", OptionalTime(window.first_t)},
          {"last_t", OptionalTime(window.last_t)},
          {"count", window.count}};
}

Json EvidenceJson(const Evidence& evidence) {
  return {{"file", evidence.file.str()}, {"line", evidence.line},       {"seq", evidence.seq},
          {"type", evidence.type}, {"role", Name(evidence.role)}, {"t", OptionalTime(evidence.t)}};
}

namespace {

Json FindingJsonWith(const RunInfo& run, const Finding& finding, Json evidence) {
  const RuleInfo& rule = RuleOf(run, finding);
  Json app = {{"id", finding.app.id}};
  if (finding.app.version_code) app["version_code"] = *finding.app.version_code;
  app["session"] = finding.app.session;

  return {{"type", "finding"},
          {"id", Fingerprint(rule.id, finding)},
          {"rule", {{"id", rule.id}, {"pack", rule.pack}, {"version", rule.version}, {"title", rule.title}}},
          {"kind", Name(finding.kind)},
          {"severity", Name(finding.severity)},
          {"message", finding.message},
          {"app", std::move(app)},
          {"subject", SubjectJson(finding.subject)},
          {"data_types", finding.data_types},
          {"permissions", finding.permissions},
          {"window", WindowJson(finding.window)},
          {"evidence", std::move(evidence)},
          {"cite", finding.cite},
          {"params", ParamsJson(finding.params)},
          {"notes", finding.notes}};
}

// EvidenceJson's objects as Dump spells them. Consecutive evidence mostly shares file and type,
// so their spelling is reused.
void AppendEvidence(std::string& out, const std::vector<Evidence>& evidence) {
  const std::string* file = nullptr;
  std::string file_text;
  const std::string* type = nullptr;
  std::string type_text;
  out += '[';
  for (size_t i = 0; i < evidence.size(); ++i) {
    const Evidence& item = evidence[i];
    if (file == nullptr || *file != item.file.str()) file_text = Dump(Json(*(file = &item.file.str())));
    if (type == nullptr || *type != item.type) type_text = Dump(Json(*(type = &item.type)));
    if (i > 0) out += ',';
    out += "{\"file\":";
    out += file_text;
    out += ",\"line\":";
    out += std::to_string(item.line);
    out += ",\"seq\":";
    out += std::to_string(item.seq);
    out += ",\"type\":";
    out += type_text;
    out += ",\"role\":\"";
    out += Name(item.role);
    out += "\",\"t\":";
    out += item.t ? std::to_string(*item.t) : "null";
    out += '}';
  }
  out += ']';
}

}  // namespace

Json FindingJson(const RunInfo& run, const Finding& finding) {
  Json evidence = Json::array();
  for (const Evidence& item : finding.evidence) evidence.push_back(EvidenceJson(item));
  return FindingJsonWith(run, finding, std::move(evidence));
}

std::string FindingLine(const RunInfo& run, const Finding& finding) {
  Json object = FindingJsonWith(run, finding, Json::array());
  std::string line = "{";
  for (const auto& member : object.items()) {
    if (line.size() > 1) line += ',';
    line += Dump(Json(member.key()));
    line += ':';
    if (member.key() == "evidence") {
      AppendEvidence(line, finding.evidence);
    } else {
      line += Dump(member.value());
    }
  }
  line += '}';
  return line;
}

Json SessionSummaryJson(const RunInfo& run, const SessionSummary& session) {
  Json outcomes = Json::object();
  Json reasons = Json::object();
  const size_t decided = std::min(session.outcomes.size(), run.rules.size());
  for (size_t i = 0; i < decided; ++i) {
    const std::string& rule = run.rules[i].id;
    outcomes[rule] = Name(session.outcomes[i].outcome);
    if (session.outcomes[i].outcome == Outcome::kUndetermined) reasons[rule] = session.outcomes[i].reason;
  }
  Json rule_errors = Json::array();
  for (const RuleError& error : session.rule_errors) {
    rule_errors.push_back(
        {{"rule", error.rule}, {"file", error.file}, {"line", error.line}, {"message", error.message}});
  }
  return {{"id", session.id},
          {"app", session.app},
          {"file", session.file},
          {"records", session.records},
          {"error", session.error ? Json(*session.error) : Json(nullptr)},
          {"outcomes", std::move(outcomes)},
          {"undetermined_reasons", std::move(reasons)},
          {"rule_errors", std::move(rule_errors)}};
}

Json SummaryJson(const RunInfo& run, const RunTally& tally, const RunEnd& end) {
  Json rulesets = Json::array();
  for (const Ruleset& ruleset : run.rulesets) {
    rulesets.push_back({{"pack", ruleset.pack}, {"version", ruleset.version}, {"sha256", ruleset.sha256}});
  }
  Json sessions = Json::array();
  for (const SessionSummary& session : tally.sessions()) sessions.push_back(SessionSummaryJson(run, session));

  const Totals& totals = tally.totals();
  Json outcome_totals = Json::object();
  for (Outcome outcome : kAllOutcomes) outcome_totals[std::string(Name(outcome))] = totals.count(outcome);

  Json skipped = Json::array();
  for (const SkippedRecord& record : end.skipped_records) {
    skipped.push_back({{"file", record.file}, {"line", record.line}, {"error", record.error}});
  }
  Json limits = Json::array();
  for (const LimitHit& hit : end.limits_hit) {
    limits.push_back({{"session", hit.session}, {"limit", hit.limit}, {"value", hit.value}});
  }

  return {{"type", "summary"},
          {"engine",
           {{"name", run.engine.name},
            {"version", run.engine.version},
            {"backend", run.engine.backend},
            {"native_sessions", end.native.sessions},
            {"fallbacks", end.native.fallbacks}}},
          {"rulesets", std::move(rulesets)},
          {"profile", run.profile},
          {"params", ParamsJson(run.params)},
          {"sessions", std::move(sessions)},
          {"totals",
           {{"sessions", totals.sessions},
            {"records", totals.records},
            {"findings", {{"fail", totals.fail_findings}, {"review", totals.review_findings}}},
            {"outcomes", std::move(outcome_totals)}}},
          {"skipped_records", std::move(skipped)},
          {"unknown_kinds", Counts(end.unknown_kinds)},
          {"unknown_data_types", Counts(end.unknown_data_types)},
          {"limits_hit", std::move(limits)},
          {"timings_ms",
           {{"compile", end.timings_ms.compile},
            {"load", end.timings_ms.load},
            {"eval", end.timings_ms.eval},
            {"write", end.timings_ms.write}}}};
}

std::string Dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace edict::findings
