// Merging an ungrouped rule's matches as they are found. The result equals one finding per match
// folded by findings::MergeFinding: the rule's metadata is the same for every match, so it is
// built once per merged finding, and of the entries only the earliest match's are kept.
#include <algorithm>

#include "compiler/plan/readable.h"
#include "runtime/findings/fingerprint.h"
#include "runtime/interp/session_run.h"
#include "runtime/value/text_hash.h"

namespace edict::interp {
namespace {

constexpr size_t kRecentEntries = 128;

// A hash of the fields FingerprintInput keys a finding by, as the entries list them.
uint64_t HashOfKeyFields(const findings::Subject& subject, const std::vector<std::string>& data_types,
                         const std::vector<std::string>& permissions) {
  uint64_t h = static_cast<uint64_t>(subject.party) + 1;
  auto add = [&h](std::string_view text) {
    h = value::internal::FoldMultiply(h ^ value::internal::HashText(text), 0x9e3779b97f4a7c15ULL);
  };
  add(subject.sdk);
  add(subject.org);
  add(subject.domain);
  for (const std::string& type : data_types) add(type);
  h += data_types.size();
  for (const std::string& group : permissions) add(group);
  return h;
}

bool SameKeyFields(const RecentEntries& recent, const findings::Subject& subject,
                   const std::vector<std::string>& data_types, const std::vector<std::string>& permissions) {
  return recent.party == subject.party && recent.sdk == subject.sdk && recent.org == subject.org &&
         recent.domain == subject.domain && recent.data_types == data_types && recent.permissions == permissions;
}

}  // namespace

void SessionRun::MergeMatch(uint32_t rule, MatchEntries& entries, Frame& frame) {
  MergedMatches& matches = rules_[rule].merged;
  if (matches.recent.empty()) matches.recent.resize(kRecentEntries);
  uint64_t hash = HashOfKeyFields(entries.subject, entries.data_types, entries.permissions);
  RecentEntries& recent = matches.recent[hash % kRecentEntries];
  uint32_t index = recent.finding;
  bool inserted = false;
  if (index == UINT32_MAX || recent.hash != hash ||
      !SameKeyFields(recent, entries.subject, entries.data_types, entries.permissions)) {
    // The session, the rule and the app are the same for every finding of `matches`.
    std::string key = findings::FingerprintInput("", app_.id, entries.subject, entries.data_types, entries.permissions);
    auto [it, added] = matches.index_by_key.try_emplace(std::move(key), matches.findings.size());
    if (added) matches.findings.push_back({NewFinding(rule), {}, {}, 0});
    inserted = added;
    index = it->second;
    recent = {hash, index, entries.subject.party, entries.subject.sdk, entries.subject.org, entries.subject.domain,
              entries.data_types, entries.permissions};
  }
  MergedFinding& merged = matches.findings[index];
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
    if (entries.report_deferred) entries.report = Report(rule, frame);
    finding.message = entries.report ? plan::ReadableValue(*entries.report) : plan_.rules[rule].title;
  }
}

void SessionRun::TakeMerged(uint32_t rule, std::vector<findings::Finding>& out) {
  for (MergedFinding& merged : rules_[rule].merged.findings) {
    findings::Finding& finding = merged.finding;
    auto& records = merged.evidence;
    if (merged.matches > 1) {
      // As findings::NormalizeEvidence leaves the spelled-out evidence: every record is of the
      // session's file, so EvidenceOrder orders as EvidenceBefore, and the entries of one record
      // (one line) are adjacent, the first kept.
      std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
      records.erase(std::unique(records.begin(), records.end(),
                                [](const auto& a, const auto& b) { return a.second.line == b.second.line; }),
                    records.end());
    }
    // A finding of one match keeps its evidence in match order, as it was never merged.
    finding.evidence.reserve(records.size());
    for (const auto& [ref, order] : records) finding.evidence.push_back(EvidenceOf(ref.kind, order));
    SetWindow(finding);
    out.push_back(std::move(finding));
  }
  rules_[rule].merged = {};
}

}  // namespace edict::interp
