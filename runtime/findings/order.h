// The deterministic orders of a report: evidence by (t, seq), findings by rule then first evidence.
#pragma once

#include <deque>
#include <span>
#include <vector>

#include "runtime/findings/model.h"

namespace edict::findings {

// Time order of records: static records (no `t`) first, then (t, seq); file and line break the
// remaining ties so the order never depends on the input order.
bool EvidenceBefore(const Evidence& a, const Evidence& b);

// Sorts by EvidenceBefore and keeps one entry per record (file, line); a record that is a trigger
// in any entry stays a trigger.
void NormalizeEvidence(std::vector<Evidence>& evidence);

// Copies of `findings` with normalized evidence, sorted by rule index, then first evidence, then
// the identifying fields, so that equal results always print identically.
std::vector<Finding> InReportOrder(std::span<const Finding> findings);
// The same, reusing the findings instead of copying them.
std::vector<Finding> InReportOrder(std::vector<Finding>&& findings);
// The same order without copying: pointers into `findings`, or, for a finding whose evidence is
// not normalized, into the normalized copy appended to `normalized`.
std::vector<const Finding*> ReportOrder(std::span<const Finding> findings, std::deque<Finding>& normalized);

// The record a finding points at: its first trigger in time order, else its first evidence, else
// null. Expects normalized evidence.
const Evidence* PrimaryEvidence(const Finding& finding);

}  // namespace edict::findings
