// Text report rendering.
#include "runtime/findings/text_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/findings/json_encode.h"
#include "runtime/findings/order.h"

namespace edict::findings {
namespace {

const char* kBold = "\x1b[1m";
const char* kDim = "\x1b[2m";
const char* kYellow = "\x1b[33m";
const char* kReset = "\x1b[0m";

const char* SeverityStyle(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "\x1b[1;35m";
    case Severity::kHigh: return "\x1b[1;31m";
    case Severity::kMedium: return "\x1b[1;33m";
    case Severity::kLow: return "\x1b[1;36m";
    case Severity::kInfo: return "\x1b[1;34m";
  }
  return kBold;
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return upper;
}

// Milliseconds since session start as seconds with millisecond precision: "t=5.210s".
std::string Seconds(int64_t ms) {
  const char* sign = ms < 0 ? "-" : "";
  uint64_t magnitude = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  return fmt::format("{}{}.{:03}s", sign, magnitude / 1000, magnitude % 1000);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) joined += separator;
    joined += items[i];
  }
  return joined;
}

std::string ParamText(const ParamValue& value) {
  struct Printer {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const std::vector<std::string>& v) const { return fmt::format("[{}]", Join(v, ", ")); }
  };
  return std::visit(Printer{}, value);
}

std::string SubjectText(const Subject& subject) {
  std::vector<std::string> parts;
  switch (subject.party) {
    case Party::kFirst: parts.push_back("the app itself"); break;
    case Party::kThird: parts.push_back("third party"); break;
    case Party::kUnknown: parts.push_back("unknown party"); break;
  }
  if (!subject.sdk.empty()) parts.push_back("sdk " + subject.sdk);
  if (!subject.org.empty()) parts.push_back("org " + subject.org);
  if (!subject.domain.empty()) parts.push_back("domain " + subject.domain);
  if (!subject.cls.empty()) parts.push_back("class " + subject.cls);
  if (!subject.mth.empty()) parts.push_back("method " + subject.mth);
  if (!subject.component.empty()) parts.push_back("component " + subject.component);
  return Join(parts, ", ");
}

std::string WindowText(const Window& window) {
  std::string count = fmt::format("count {}", window.count);
  if (!window.first_t) return count;
  int64_t last = window.last_t.value_or(*window.first_t);
  if (last == *window.first_t) return fmt::format("{}, {}", Seconds(last), count);
  return fmt::format("{} – {}, {}", Seconds(*window.first_t), Seconds(last), count);
}

std::string Plural(uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

// "3 violated, 0 passed, 2 not applicable, 1 undetermined, 0 errors"
std::string OutcomeCounts(const uint64_t (&counts)[std::size(kAllOutcomes)]) {
  std::vector<std::string> parts;
  for (Outcome outcome : kAllOutcomes) {
    uint64_t n = counts[static_cast<size_t>(outcome)];
    if (outcome == Outcome::kError) {
      parts.push_back(Plural(n, "error", "errors"));
    } else {
      std::string name(Name(outcome));
      std::replace(name.begin(), name.end(), '_', ' ');
      parts.push_back(fmt::format("{} {}", n, name));
    }
  }
  return Join(parts, ", ");
}

}  // namespace

std::string TextWriter::Paint(std::string_view text, const char* style) const {
  if (!color_) return std::string(text);
  return fmt::format("{}{}{}", style, text, kReset);
}

void TextWriter::Begin(const RunInfo& run) { run_ = run; }

void TextWriter::AddSession(const SessionResult& session) {
  tally_.Add(session);
  auto group = std::find_if(apps_.begin(), apps_.end(),
                            [&](const AppGroup& g) { return g.app == session.summary.app; });
  if (group == apps_.end()) {
    group = apps_.emplace(apps_.end());
    group->app = session.summary.app;
  }
  for (const RuleOutcome& outcome : session.summary.outcomes) {
    if (outcome.outcome == Outcome::kUndetermined) ++group->undetermined;
  }
  if (session.summary.error) ++group->failed_sessions;
  for (Finding& finding : InReportOrder(session.findings)) {
    if (!group->version_code) group->version_code = finding.app.version_code;
    group->findings.push_back(std::move(finding));
  }
}

void TextWriter::WriteFinding(const Finding& finding) {
  const RuleInfo& rule = RuleOf(run_, finding);
  std::string label = fmt::format("[{}]", Upper(Name(finding.severity)));
  out_ << Paint(label, SeverityStyle(finding.severity)) << ' ' << Paint(rule.title, kBold) << '\n';
  out_ << Paint(fmt::format("  {} · {} · session {}", rule.id, Name(finding.kind), finding.app.session), kDim)
       << '\n';
  if (!finding.message.empty()) out_ << "  " << finding.message << '\n';
  out_ << "  subject: " << SubjectText(finding.subject) << '\n';
  if (!finding.data_types.empty()) out_ << "  data types: " << Join(finding.data_types, ", ") << '\n';
  if (!finding.permissions.empty()) out_ << "  permissions: " << Join(finding.permissions, ", ") << '\n';
  out_ << "  window: " << WindowText(finding.window) << '\n';
  if (!finding.evidence.empty()) {
    out_ << "  evidence:\n";
    for (const Evidence& item : finding.evidence) {
      out_ << fmt::format("    {}:{} seq={} {}", item.file.str(), item.line, item.seq, item.type);
      if (item.t) out_ << " t=" << Seconds(*item.t);
      out_ << (item.role == EvidenceRole::kTrigger ? "" : " (context)") << '\n';
    }
  }
  if (!finding.cite.empty()) out_ << "  cites: " << Join(finding.cite, ", ") << '\n';
  if (!finding.params.empty()) {
    std::vector<std::string> params;
    for (const auto& [name, value] : finding.params) params.push_back(name + "=" + ParamText(value));
    out_ << "  params: " << Join(params, ", ") << '\n';
  }
  for (const std::string& note : finding.notes) out_ << "  note: " << note << '\n';
  out_ << '\n';
}

void TextWriter::WriteSession(const SessionSummary& session) {
  out_ << fmt::format("  {}  {}  {}  {}\n", Paint(session.id, kBold), session.app, session.file,
                      Plural(session.records, "record", "records"));
  if (session.error) {
    out_ << "    " << Paint("failed to load: " + *session.error, SeverityStyle(Severity::kHigh)) << '\n';
    out_ << "    no rule was evaluated\n";
    return;
  }
  uint64_t counts[std::size(kAllOutcomes)] = {};
  for (const RuleOutcome& outcome : session.outcomes) ++counts[static_cast<size_t>(outcome.outcome)];
  out_ << "    outcomes: " << OutcomeCounts(counts) << '\n';

  const uint64_t undetermined = counts[static_cast<size_t>(Outcome::kUndetermined)];
  if (undetermined > 0) {
    out_ << "    "
         << Paint(fmt::format("{} of {} could not be decided, so this session is not shown to be compliant:",
                              undetermined, Plural(session.outcomes.size(), "rule", "rules")),
                  kYellow)
         << '\n';
    for (size_t i = 0; i < session.outcomes.size() && i < run_.rules.size(); ++i) {
      if (session.outcomes[i].outcome != Outcome::kUndetermined) continue;
      const std::string& reason = session.outcomes[i].reason;
      out_ << "      " << run_.rules[i].id << ": " << (reason.empty() ? "no reason given" : reason) << '\n';
    }
  }
  if (!session.rule_errors.empty()) {
    out_ << "    rule errors (these rules were not fully evaluated):\n";
    for (const RuleError& error : session.rule_errors) {
      out_ << fmt::format("      {} at {}:{}: {}\n", error.rule, error.file, error.line, error.message);
    }
  }
}

void TextWriter::WriteTotals(const RunEnd& end) {
  const Totals& totals = tally_.totals();
  uint64_t outcomes[std::size(kAllOutcomes)] = {};
  for (Outcome outcome : kAllOutcomes) outcomes[static_cast<size_t>(outcome)] = totals.count(outcome);
  out_ << Paint("Totals", kBold) << '\n';
  out_ << fmt::format("  {}, {}\n", Plural(totals.sessions, "session", "sessions"),
                      Plural(totals.records, "record", "records"));
  out_ << fmt::format("  findings: {} fail, {} review\n", totals.fail_findings, totals.review_findings);
  out_ << "  outcomes: " << OutcomeCounts(outcomes) << '\n';
  if (!end.skipped_records.empty()) {
    out_ << fmt::format("  skipped {}:\n", Plural(end.skipped_records.size(), "record", "records"));
    for (const SkippedRecord& record : end.skipped_records) {
      out_ << fmt::format("    {}:{}: {}\n", record.file, record.line, record.error);
    }
  }
  auto write_counts = [&](std::string_view title, const NameCounts& counts) {
    if (counts.empty()) return;
    std::vector<std::string> items;
    for (const auto& [name, count] : counts) items.push_back(fmt::format("{} ×{}", name, count));
    out_ << "  " << title << ": " << Join(items, ", ") << '\n';
  };
  write_counts("unknown record kinds", end.unknown_kinds);
  write_counts("unknown data types", end.unknown_data_types);
  for (const LimitHit& hit : end.limits_hit) {
    out_ << fmt::format("  limit reached in session {}: {} = {}\n", hit.session, hit.limit, hit.value);
  }
  if (end.native.sessions > 0) {
    out_ << fmt::format("  native code: {}, {} (expressions the interpreter ran instead)\n",
                        Plural(end.native.sessions, "session", "sessions"),
                        Plural(end.native.fallbacks, "fallback", "fallbacks"));
  }
}

void TextWriter::End(const RunEnd& end) {
  for (AppGroup& group : apps_) {
    std::stable_sort(group.findings.begin(), group.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
    std::string heading = "App " + group.app;
    if (group.version_code) heading += fmt::format(" (version {})", *group.version_code);
    out_ << Paint(heading, kBold) << " — ";
    if (!group.findings.empty()) {
      out_ << Plural(group.findings.size(), "finding", "findings");
    } else if (group.undetermined > 0 || group.failed_sessions > 0) {
      out_ << Paint("no findings, but not shown to be compliant (see the sessions below)", kYellow);
    } else {
      out_ << "no findings";
    }
    out_ << "\n\n";
    for (const Finding& finding : group.findings) WriteFinding(finding);
  }
  out_ << Paint("Sessions", kBold) << '\n';
  for (const SessionSummary& session : tally_.sessions()) WriteSession(session);
  out_ << '\n';
  WriteTotals(end);
  out_.flush();
}

}  // namespace edict::findings
