// Merging an ungrouped rule's matches as they are found. The result equals one finding per match
// folded by findings::MergeFinding: the rule's metadata is the same for every match, so it is
// built once per merged finding, and of the entries only the earliest match's are kept.
#include <algorithm>
#include <bit>
#include <utility>

#include "compiler/plan/readable.h"
#include "runtime/findings/fingerprint.h"
#include "runtime/interp/session_run.h"
#include "runtime/value/text_hash.h"

namespace edict::interp {
namespace {

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

bool SameKeyFields(const KeyFields& fields, const findings::Subject& subject,
                   const std::vector<std::string>& data_types, const std::vector<std::string>& permissions) {
  return fields.party == subject.party && fields.sdk == subject.sdk && fields.org == subject.org &&
         fields.domain == subject.domain && fields.data_types == data_types && fields.permissions == permissions;
}

// The slot of `matches.field_sets` for fields of `hash`: theirs, or the free one where they go.
KeyFields& SlotOf(MergedMatches& matches, uint64_t hash, const findings::Subject& subject,
                  const std::vector<std::string>& data_types, const std::vector<std::string>& permissions) {
  std::vector<KeyFields>& slots = matches.field_sets;
  if (slots.size() < 2 * (matches.field_sets_used + 1)) {
    // Grown at half full, the field sets placed again.
    size_t size = std::bit_ceil(std::max<size_t>(16, 4 * (matches.field_sets_used + 1)));
    std::vector<KeyFields> old = std::exchange(slots, std::vector<KeyFields>(size));
    for (KeyFields& entry : old) {
      if (entry.finding == UINT32_MAX) continue;
      size_t s = entry.hash & (slots.size() - 1);
      while (slots[s].finding != UINT32_MAX) s = (s + 1) & (slots.size() - 1);
      slots[s] = std::move(entry);
    }
  }
  size_t mask = slots.size() - 1;
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    KeyFields& slot = slots[s];
    if (slot.finding == UINT32_MAX) return slot;
    if (slot.hash == hash && SameKeyFields(slot, subject, data_types, permissions)) return slot;
  }
}

}  // namespace

uint32_t SessionRun::FindingOf(uint32_t rule, const SpelledKey& key, bool& inserted) {
  MergedMatches& matches = rules_[rule].merged;
  uint64_t hash = HashOfKeyFields(key.subject, key.data_types, key.permissions);
  KeyFields& fields = SlotOf(matches, hash, key.subject, key.data_types, key.permissions);
  if (fields.finding == UINT32_MAX) {
    // The session, the rule and the app are the same for every finding of `matches`.
    std::string text = findings::FingerprintInput("", app_.id, key.subject, key.data_types, key.permissions);
    auto [it, added] = matches.index_by_key.try_emplace(std::move(text), matches.findings.size());
    if (added) matches.findings.push_back({NewFinding(rule), {}, {}, {}, 0});
    inserted = added;
    fields = {hash, it->second, key.subject.party, key.subject.sdk, key.subject.org, key.subject.domain,
              key.data_types, key.permissions};
    ++matches.field_sets_used;
  }
  return fields.finding;
}

void SessionRun::MergeMatch(uint32_t rule, MatchEntries& entries, Frame& frame) {
  MergedMatches& matches = rules_[rule].merged;
  bool inserted = false;
  bool spelled = false;
  uint32_t index = matches.findings_by_key.Find(entries.key, entries.data_types);
  if (index == KeyMemo::kNone) {
    SpellKey(entries, spelled_key_);
    spelled = true;
    index = FindingOf(rule, spelled_key_, inserted);
    matches.findings_by_key.Remember(entries.key, entries.data_types, index);
  }
  MergedFinding& merged = matches.findings[index];
  // Past the first match the finding's evidence is sorted and each record listed once at the end
  // (TakeMerged), so a record of the last match needs no second entry.
  std::vector<std::pair<EvidenceRef, EvidenceOrder>>& records = match_records_;
  records.clear();
  for (const EvidenceRef& ref : entries.evidence) {
    auto cited = std::find_if(merged.last.begin(), merged.last.end(), [&](const auto& record) { return record.first == ref; });
    if (cited != merged.last.end()) {
      records.push_back(*cited);
      continue;
    }
    records.emplace_back(ref, OrderOf(ref));
    merged.evidence.push_back(records.back());
  }
  EvidenceOrder front = records.front().second;
  for (size_t i = 1; i < records.size(); ++i) front = std::min(front, records[i].second);
  merged.last.swap(records);  // storage passed around, not allocated per match
  ++merged.matches;
  if (inserted || front < merged.front) {
    // This match starts earlier than those merged so far: MergeFinding keeps its entries.
    findings::Finding& finding = merged.finding;
    merged.front = front;
    if (!spelled) SpellKey(entries, spelled_key_);
    finding.subject = std::move(spelled_key_.subject);
    finding.data_types = std::move(spelled_key_.data_types);
    finding.permissions = std::move(spelled_key_.permissions);
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
      // Matches come in scan order, so the records often are in order already.
      auto before = [](const auto& a, const auto& b) { return a.second < b.second; };
      if (!std::is_sorted(records.begin(), records.end(), before)) std::sort(records.begin(), records.end(), before);
      records.erase(std::unique(records.begin(), records.end(),
                                [](const auto& a, const auto& b) { return a.second.line == b.second.line; }),
                    records.end());
    }
    // A finding of one match keeps its evidence in match order, as it was never merged.
    finding.evidence.reserve(records.size());
    for (const auto& [ref, order] : records) AddEvidence(ref.kind, order, finding.evidence);
    SetWindow(finding);
    out.push_back(std::move(finding));
  }
  rules_[rule].merged = {};
}

}  // namespace edict::interp
