// The appfindings/1 JSON objects (finding record, session summary, run summary), shared by the
// JSON Lines writer and the SARIF writer, which carries the same objects in property bags.
#pragma once

#include <nlohmann/json.hpp>

#include <span>
#include <string>

#include "runtime/findings/model.h"
#include "runtime/findings/summary.h"

namespace edict::findings {

// Keeps fields in the order of findings-1.md, which is the order people read them in.
using Json = nlohmann::ordered_json;

// The rule a finding names; an empty rule when the index is out of range, so that a bad index from
// the engine shows up in the report instead of crashing the writer.
const RuleInfo& RuleOf(const RunInfo& run, const Finding& finding);

Json ParamsJson(const Params& params);
Json SubjectJson(const Subject& subject);
Json WindowJson(const Window& window);
Json EvidenceJson(const Evidence& evidence);
// `finding` must have normalized evidence (see order.h).
Json FindingJson(const RunInfo& run, const Finding& finding);
// Dump(FindingJson(run, finding)), with the evidence spelled straight into the text: a finding
// may cite tens of thousands of records.
std::string FindingLine(const RunInfo& run, const Finding& finding);
Json SessionSummaryJson(const RunInfo& run, const SessionSummary& session);
Json SummaryJson(const RunInfo& run, const RunTally& tally, const RunEnd& end);

// Compact UTF-8 (no \u escapes for Chinese); invalid UTF-8 from the input is replaced by U+FFFD
// rather than aborting the report.
std::string Dump(const Json& json);

}  // namespace edict::findings
