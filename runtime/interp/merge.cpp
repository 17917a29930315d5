// Merging a session's findings group by group.
#include "runtime/interp/merge.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "runtime/findings/order.h"

namespace edict::interp {

std::vector<findings::Finding> MergeFindings(std::vector<std::pair<findings::Finding, findings::CountMerge>> all) {
  std::vector<std::vector<findings::Finding>> groups;
  std::vector<findings::CountMerge> merges;
  std::unordered_map<std::string, size_t> by_key;
  for (auto& [finding, merge] : all) {
    auto [it, inserted] = by_key.try_emplace(findings::DedupKey(finding), groups.size());
    if (inserted) {
      groups.emplace_back();
      merges.push_back(merge);
    }
    groups[it->second].push_back(std::move(finding));
  }
  std::vector<findings::Finding> out;
  out.reserve(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    std::vector<findings::Finding>& group = groups[g];
    if (group.size() == 1) {
      out.push_back(std::move(group[0]));
      continue;
    }
    for (findings::Finding& finding : group) findings::NormalizeEvidence(finding.evidence);
    // The earliest finding keeps its message and subject (MergeFinding's rule); the rest are
    // folded into one finding merged into it.
    std::stable_sort(group.begin(), group.end(), [](const findings::Finding& a, const findings::Finding& b) {
      if (a.evidence.empty() || b.evidence.empty()) return !a.evidence.empty() && b.evidence.empty();
      return findings::EvidenceBefore(a.evidence.front(), b.evidence.front());
    });
    findings::Finding rest = std::move(group[1]);
    for (size_t i = 2; i < group.size(); ++i) {
      findings::Finding& more = group[i];
      rest.evidence.insert(rest.evidence.end(), std::make_move_iterator(more.evidence.begin()),
                           std::make_move_iterator(more.evidence.end()));
      rest.window.count = std::max(rest.window.count, more.window.count);
      for (std::string& note : more.notes) {
        if (std::find(rest.notes.begin(), rest.notes.end(), note) == rest.notes.end()) rest.notes.push_back(std::move(note));
      }
    }
    findings::MergeFinding(group[0], std::move(rest), merges[g]);
    out.push_back(std::move(group[0]));
  }
  return out;
}

}  // namespace edict::interp
