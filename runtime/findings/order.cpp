// Evidence and finding order for every writer.
#include "runtime/findings/order.h"

#include <algorithm>
#include <tuple>

#include "runtime/findings/fingerprint.h"

namespace edict::findings {

bool EvidenceBefore(const Evidence& a, const Evidence& b) {
  // std::optional orders "no value" before every value: static records come first.
  return std::tie(a.t, a.seq, a.file, a.line, a.role) < std::tie(b.t, b.seq, b.file, b.line, b.role);
}

namespace {

bool SameRecord(const Evidence& a, const Evidence& b) { return a.file == b.file && a.line == b.line; }

// Sorted without two entries for one record: what NormalizeEvidence makes, and leaves as it is.
bool IsNormalized(const std::vector<Evidence>& evidence) {
  for (size_t i = 1; i < evidence.size(); ++i) {
    if (!EvidenceBefore(evidence[i - 1], evidence[i]) || SameRecord(evidence[i - 1], evidence[i])) return false;
  }
  return true;
}

}  // namespace

void NormalizeEvidence(std::vector<Evidence>& evidence) {
  // Merged findings arrive normalized, and a normalized list needs neither the sort nor the copy.
  if (IsNormalized(evidence)) return;
  std::sort(evidence.begin(), evidence.end(), EvidenceBefore);
  std::vector<Evidence> unique;
  unique.reserve(evidence.size());
  for (Evidence& item : evidence) {
    // Entries for one record share (t, seq, file, line) and so are adjacent, trigger first.
    if (!unique.empty() && SameRecord(unique.back(), item)) continue;
    unique.push_back(std::move(item));
  }
  evidence = std::move(unique);
}

std::vector<Finding> InReportOrder(std::span<const Finding> findings) {
  return InReportOrder(std::vector<Finding>(findings.begin(), findings.end()));
}

std::vector<Finding> InReportOrder(std::vector<Finding>&& findings) {
  struct Keyed {
    Finding finding;
    std::string identity;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(findings.size());
  for (Finding& finding : findings) {
    NormalizeEvidence(finding.evidence);
    std::string identity = FingerprintInput("", finding);
    keyed.push_back({std::move(finding), std::move(identity)});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.finding.rule != b.finding.rule) return a.finding.rule < b.finding.rule;
    const std::vector<Evidence>& ea = a.finding.evidence;
    const std::vector<Evidence>& eb = b.finding.evidence;
    if (ea.empty() != eb.empty()) return ea.empty();
    if (!ea.empty()) {
      if (EvidenceBefore(ea.front(), eb.front())) return true;
      if (EvidenceBefore(eb.front(), ea.front())) return false;
    }
    return a.identity < b.identity;
  });
  std::vector<Finding> ordered;
  ordered.reserve(keyed.size());
  for (Keyed& entry : keyed) ordered.push_back(std::move(entry.finding));
  return ordered;
}

const Evidence* PrimaryEvidence(const Finding& finding) {
  for (const Evidence& item : finding.evidence) {
    if (item.role == EvidenceRole::kTrigger) return &item;
  }
  return finding.evidence.empty() ? nullptr : &finding.evidence.front();
}

}  // namespace edict::findings
