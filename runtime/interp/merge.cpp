// Merging a session's findings group by group. Groups hold indices, so a finding is moved once,
// into the result or into its group's merged evidence.
#include "runtime/interp/merge.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "runtime/findings/order.h"

namespace edict::interp {

void MergeFindings(std::vector<findings::Finding> all, findings::CountMerge merge, std::vector<findings::Finding>& out) {
  std::vector<std::vector<size_t>> groups;
  std::unordered_map<std::string, size_t> by_key;
  by_key.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    auto [it, inserted] = by_key.try_emplace(findings::DedupKey(all[i]), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  for (std::vector<size_t>& group : groups) {
    auto finding = [&](size_t member) -> findings::Finding& { return all[member]; };
    if (group.size() == 1) {
      out.push_back(std::move(finding(group[0])));
      continue;
    }
    for (size_t member : group) findings::NormalizeEvidence(finding(member).evidence);
    // The earliest finding keeps its message and subject (MergeFinding's rule); the rest are
    // folded into one finding merged into it.
    std::stable_sort(group.begin(), group.end(), [&](size_t a, size_t b) {
      const findings::Finding& x = finding(a);
      const findings::Finding& y = finding(b);
      if (x.evidence.empty() || y.evidence.empty()) return !x.evidence.empty() && y.evidence.empty();
      return findings::EvidenceBefore(x.evidence.front(), y.evidence.front());
    });
    size_t evidence = 0;
    for (size_t i = 1; i < group.size(); ++i) evidence += finding(group[i]).evidence.size();
    findings::Finding rest = std::move(finding(group[1]));
    rest.evidence.reserve(evidence);
    for (size_t i = 2; i < group.size(); ++i) {
      findings::Finding& more = finding(group[i]);
      rest.evidence.insert(rest.evidence.end(), std::make_move_iterator(more.evidence.begin()),
                           std::make_move_iterator(more.evidence.end()));
      rest.window.count = std::max(rest.window.count, more.window.count);
      for (std::string& note : more.notes) {
        if (std::find(rest.notes.begin(), rest.notes.end(), note) == rest.notes.end()) rest.notes.push_back(std::move(note));
      }
    }
    findings::MergeFinding(finding(group[0]), std::move(rest), merge);
    out.push_back(std::move(finding(group[0])));
  }
}

}  // namespace edict::interp
