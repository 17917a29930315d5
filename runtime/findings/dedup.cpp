// Merging findings that report the same violation.
#include "runtime/findings/dedup.h"

#include <algorithm>
#include <utility>

#include "runtime/findings/fingerprint.h"
#include "runtime/findings/order.h"

namespace edict::findings {
namespace {

std::optional<int64_t> EarlierTime(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

std::optional<int64_t> LaterTime(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// Evidence is normalized by the caller, so the front is the earliest record.
bool StartsEarlier(const Finding& a, const Finding& b) {
  if (a.evidence.empty() || b.evidence.empty()) return !a.evidence.empty();
  return EvidenceBefore(a.evidence.front(), b.evidence.front());
}

}  // namespace

std::string DedupKey(const Finding& finding) {
  std::string key = finding.app.session;
  key += '\x1f';
  key += std::to_string(finding.rule);
  key += '\x1f';
  key += FingerprintInput("", finding);
  return key;
}

void MergeFinding(Finding& into, Finding from, CountMerge count_merge) {
  NormalizeEvidence(into.evidence);
  NormalizeEvidence(from.evidence);
  if (StartsEarlier(from, into)) {
    into.message = std::move(from.message);
    into.subject = std::move(from.subject);
    into.params = std::move(from.params);
  }

  Window window;
  window.first_t = EarlierTime(into.window.first_t, from.window.first_t);
  window.last_t = LaterTime(into.window.last_t, from.window.last_t);
  const int64_t larger_count = std::max(into.window.count, from.window.count);

  into.evidence.insert(into.evidence.end(), std::make_move_iterator(from.evidence.begin()),
                       std::make_move_iterator(from.evidence.end()));
  NormalizeEvidence(into.evidence);
  int64_t triggers = 0;
  for (const Evidence& item : into.evidence) {
    window.first_t = EarlierTime(window.first_t, item.t);
    window.last_t = LaterTime(window.last_t, item.t);
    if (item.role == EvidenceRole::kTrigger) ++triggers;
  }
  window.count = count_merge == CountMerge::kLargest ? larger_count : triggers;
  into.window = window;

  for (std::string& note : from.notes) {
    if (std::find(into.notes.begin(), into.notes.end(), note) == into.notes.end()) {
      into.notes.push_back(std::move(note));
    }
  }
  for (std::string& cite : from.cite) {
    if (std::find(into.cite.begin(), into.cite.end(), cite) == into.cite.end()) {
      into.cite.push_back(std::move(cite));
    }
  }
}

void Deduplicator::Add(Finding finding, CountMerge count_merge) {
  std::string key = DedupKey(finding);
  auto [it, inserted] = index_by_key_.try_emplace(std::move(key), findings_.size());
  if (inserted) {
    NormalizeEvidence(finding.evidence);
    findings_.push_back(std::move(finding));
  } else {
    MergeFinding(findings_[it->second], std::move(finding), count_merge);
  }
}

std::vector<Finding> Deduplicator::Take() {
  index_by_key_.clear();
  return std::exchange(findings_, {});
}

}  // namespace edict::findings
