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

bool SameRecord(const Evidence& a, const Evidence& b) { return a.line == b.line && a.file == b.file; }

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

namespace {

// Indices of `findings`, each with normalized evidence, in report order.
std::vector<size_t> ReportIndices(std::span<const Finding* const> findings) {
  std::vector<std::string> identity;
  identity.reserve(findings.size());
  for (const Finding* finding : findings) identity.push_back(FingerprintInput("", *finding));
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Finding& a = *findings[x];
    const Finding& b = *findings[y];
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.evidence.empty() != b.evidence.empty()) return a.evidence.empty();
    if (!a.evidence.empty()) {
      if (EvidenceBefore(a.evidence.front(), b.evidence.front())) return true;
      if (EvidenceBefore(b.evidence.front(), a.evidence.front())) return false;
    }
    return identity[x] < identity[y];
  });
  return order;
}

}  // namespace

std::vector<Finding> InReportOrder(std::span<const Finding> findings) {
  return InReportOrder(std::vector<Finding>(findings.begin(), findings.end()));
}

std::vector<Finding> InReportOrder(std::vector<Finding>&& findings) {
  std::vector<const Finding*> items;
  items.reserve(findings.size());
  for (Finding& finding : findings) {
    NormalizeEvidence(finding.evidence);
    items.push_back(&finding);
  }
  std::vector<Finding> ordered;
  ordered.reserve(findings.size());
  for (size_t i : ReportIndices(items)) ordered.push_back(std::move(findings[i]));
  return ordered;
}

std::vector<const Finding*> ReportOrder(std::span<const Finding> findings, std::deque<Finding>& normalized) {
  std::vector<const Finding*> items;
  items.reserve(findings.size());
  for (const Finding& finding : findings) {
    if (IsNormalized(finding.evidence)) {
      items.push_back(&finding);
      continue;
    }
    NormalizeEvidence(normalized.emplace_back(finding).evidence);
    items.push_back(&normalized.back());
  }
  std::vector<const Finding*> ordered;
  ordered.reserve(items.size());
  for (size_t i : ReportIndices(items)) ordered.push_back(items[i]);
  return ordered;
}

const Evidence* PrimaryEvidence(const Finding& finding) {
  for (const Evidence& item : finding.evidence) {
    if (item.role == EvidenceRole::kTrigger) return &item;
  }
  return finding.evidence.empty() ? nullptr : &finding.evidence.front();
}

}  // namespace edict::findings
