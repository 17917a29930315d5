// Evaluating every rule of a plan over one loaded session: the passes over record kinds, matches
// into findings (directly, or through group by / sliding windows), and each rule's outcome by
// rule-catalog S1. Internal to the interpreter; interp.h is the API.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/facts/store.h"
#include "runtime/findings/model.h"
#include "runtime/interp/interp.h"

namespace edict::interp {

class SessionRun {
 public:
  SessionRun(const plan::Plan& plan, Machine& machine, const facts::Session& session);
  SessionEvaluation Run();

  // ---- called by the rules' match sinks ----------------------------------------------------
  bool OnMatch(uint32_t rule, Frame& frame, const value::Value* pending);
  bool running(uint32_t rule) const { return rules_[rule].running; }

 private:
  // The matches of a grouped rule, kept flat (no allocation per match): per match its keys then
  // its group aggregates' arguments, its rows (one per record scan), and its trigger's (t, seq).
  struct GroupedMatches {
    size_t stride = 0;
    std::vector<value::Value> values;
    size_t row_stride = 0;
    std::vector<uint32_t> rows;
    std::vector<std::pair<int64_t, int64_t>> order;
    size_t size() const { return order.size(); }
    const value::Value* at(size_t match) const { return values.data() + match * stride; }
  };

  struct RuleState {
    Frame frame;
    bool skipped = false;                 // needs unavailable: undetermined without evaluation
    std::string reason;
    std::vector<std::string> missing_exemptions;
    bool running = true;                  // false once the findings limit is reached
    std::vector<findings::Finding> findings;
    GroupedMatches matches;
    std::optional<findings::RuleError> error;
  };

  // ---- needs.cpp ---------------------------------------------------------------------------
  void ComputeSessionFacts();
  // Empty when the alternative is available, else why not.
  std::string Unavailable(const plan::Need::Alternative& alternative) const;
  void CheckNeeds(uint32_t rule);

  // ---- session_run.cpp ---------------------------------------------------------------------
  void RunPasses();
  // One pass by its compiled loop (the same rows, rules and order as RunPasses' own loop).
  void RunNativePass(const plan::Pass& pass, PassFn native_pass, const std::vector<bool>& open,
                     const std::vector<value::Value>& pending);
  findings::RuleOutcome Decide(uint32_t rule);
  void RecordError(uint32_t rule, const value::Value& error, const Frame* frame);

  // ---- evidence.cpp ------------------------------------------------------------------------
  findings::Finding NewFinding(uint32_t rule) const;
  findings::Evidence EvidenceOf(facts::KindId kind, uint32_t row, findings::EvidenceRole role) const;
  // Evidence for a finding about the session as a whole: the coverage record, else the header.
  findings::Evidence SessionEvidence() const;
  void FillEntries(uint32_t rule, Frame& frame, findings::Finding& finding);
  // The rule's `evidence` entry: records named by seq; a seq naming no record is a rule error.
  void AddEvidenceEntry(uint32_t rule, const value::Value& seqs, findings::Finding& finding);
  std::optional<std::pair<facts::KindId, uint32_t>> RecordBySeq(int64_t seq);
  void SetWindow(findings::Finding& finding) const;
  void Emit(uint32_t rule, findings::Finding finding);

  // ---- grouping.cpp ------------------------------------------------------------------------
  void KeepMatch(uint32_t rule, Frame& frame);
  void FinishGroups(uint32_t rule);

  const plan::Plan& plan_;
  Machine& machine_;
  const facts::Session& session_;
  const facts::SessionStore& store_;
  std::vector<RuleState> rules_;
  std::vector<findings::LimitHit> limits_;
  // Per session: captured kinds, kinds the `ctx` fallback stands in for, PI types whose hooks
  // all failed, the app.
  std::vector<bool> captured_;
  std::vector<bool> fallback_;
  std::vector<std::string> hooks_failed_;
  findings::AppRef app_;
  // seq → (kind, row), built when an `evidence` entry first names a record.
  std::optional<std::unordered_map<int64_t, std::pair<facts::KindId, uint32_t>>> records_by_seq_;
};

}  // namespace edict::interp
