// Evidence and finding order for every writer.
#include "runtime/findings/order.h"

#include <algorithm>
#include <tuple>

#include "runtime/findings/fingerprint.h"

namespace edict::findings {
namespace {

bool SameRecord(const Evidence& a, const Evidence& b) { return a.file == b.file && a.line == b.line; }

}  // namespace

bool EvidenceBefore(const Evidence& a, const Evidence& b) {
  // std::optional orders "no value" before every value: static records come first.
  return std::tie(a.t, a.seq, a.file, a.line, a.role) < std::tie(b.t, b.seq, b.file, b.line, b.role);
}

void NormalizeEvidence(std::vector<Evidence>& evidence) {
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
  struct Keyed {
    Finding finding;
    std::string identity;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(findings.size());
  for (const Finding& finding : findings) {
    Keyed entry{finding, FingerprintInput("", finding)};
    NormalizeEvidence(entry.finding.evidence);
    keyed.push_back(std::move(entry));
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
