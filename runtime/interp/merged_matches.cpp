// Merging an ungrouped rule's matches as they are found. The result equals one finding per match
// folded by findings::MergeFinding: the rule's metadata is the same for every match, so it is
// built once per merged finding, and of the entries only the earliest match's are kept.
#include <algorithm>

#include "compiler/plan/readable.h"
#include "runtime/findings/fingerprint.h"
#include "runtime/findings/order.h"
#include "runtime/interp/session_run.h"

namespace edict::interp {

void SessionRun::MergeMatch(uint32_t rule, MatchEntries entries) {
  RuleState& state = rules_[rule];
  // The session, the rule and the app are the same for every finding of `state`.
  std::string key = findings::FingerprintInput("", app_.id, entries.subject, entries.data_types, entries.permissions);
  auto [it, inserted] = state.merged.index_by_key.try_emplace(std::move(key), state.merged.findings.size());
  if (inserted) state.merged.findings.push_back({NewFinding(rule), {}, {}, 0});
  MergedFinding& merged = state.merged.findings[it->second];
  size_t first = merged.evidence.size();
  for (const EvidenceRef& ref : entries.evidence) merged.evidence.emplace_back(ref, OrderOf(ref));
  EvidenceOrder front = merged.evidence[first].second;
  for (size_t i = first + 1; i < merged.evidence.size(); ++i) front = std::min(front, merged.evidence[i].second);
  ++merged.matches;
  if (inserted || front < merged.front) {
    // This match starts earlier than those merged so far: MergeFinding keeps its entries.
    findings::Finding& finding = merged.finding;
    merged.front = front;
    finding.subject = std::move(entries.subject);
    finding.data_types = std::move(entries.data_types);
    finding.permissions = std::move(entries.permissions);
    finding.message = entries.report ? plan::ReadableValue(*entries.report) : plan_.rules[rule].title;
  }
}

void SessionRun::TakeMerged(uint32_t rule, std::vector<findings::Finding>& out) {
  for (MergedFinding& merged : rules_[rule].merged.findings) {
    findings::Finding& finding = merged.finding;
    auto& records = merged.evidence;
    if (merged.matches > 1) {
      // Normalized below; a record cited twice in one role is spelled out once.
      std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      records.erase(std::unique(records.begin(), records.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    records.end());
    }
    finding.evidence.reserve(records.size());
    for (const auto& [ref, order] : records) finding.evidence.push_back(EvidenceOf(ref.kind, order));
    // A finding of one match keeps its evidence in match order, as it was never merged.
    if (merged.matches > 1) findings::NormalizeEvidence(finding.evidence);
    SetWindow(finding);
    out.push_back(std::move(finding));
  }
  rules_[rule].merged = {};
}

}  // namespace edict::interp
