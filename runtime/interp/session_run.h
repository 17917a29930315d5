// Evaluating every rule of a plan over one loaded session: the passes over record kinds, matches
// into findings (directly, or through group by / sliding windows), and each rule's outcome by
// rule-catalog S1. Internal to the interpreter; interp.h is the API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/facts/large_buffer.h"
#include "runtime/facts/store.h"
#include "runtime/findings/model.h"
#include "runtime/interp/interp.h"
#include "runtime/interp/key_memo.h"
#include "runtime/interp/merged_matches.h"
#include "runtime/interp/records_by_seq.h"

namespace edict::interp {

class SessionRun {
 public:
  SessionRun(const plan::Plan& plan, Machine& machine, const facts::Session& session);
  SessionEvaluation Run();

  // ---- called by the rules' match sinks ----------------------------------------------------
  bool OnMatch(uint32_t rule, Frame& frame, const value::Value* pending);
  bool running(uint32_t rule) const { return rules_[rule].running; }

 private:
  // A grouped rule's matches of one key: the key once, and its members, as indices of the rule's
  // matches (GroupedMatches).
  struct MatchGroup {
    std::vector<value::Value> keys;  // the first match's, which later matches are compared with
    // The keys of the member first in (t, seq) order, which the finding entries see, when that
    // is not the first match (equal keys may differ in form: 1 and 1.0).
    std::vector<value::Value> front_keys;
    std::pair<int64_t, int64_t> front;
    uint64_t hash = 0;  // of the keys
    std::vector<uint32_t> members;  // in match order until FinishGroups sorts them
    size_t size() const { return members.size(); }
  };

  // A grouped rule's matches in the order they are found, whatever their group: per match its
  // group aggregates' arguments, its trigger's (t, seq) and its records (one per record scan) as
  // their evidence reads them, taken while the scan has the record's columns in cache. One array
  // each for all groups, so the matches' storage grows in large blocks without a copy
  // (facts/large_buffer.h) rather than a vector per group.
  struct GroupedMatches {
    facts::LargeArray<value::Value, facts::MapFrom::kHugePage> args;
    facts::LargeArray<std::pair<int64_t, int64_t>, facts::MapFrom::kHugePage> order;
    facts::LargeArray<EvidenceOrder, facts::MapFrom::kHugePage> records;
    std::vector<MatchGroup> groups;  // in the order their keys were first found
    // The groups by key hash, open addressing: (hash, group + 1), or 0 for a free slot. Probing
    // meets the groups of one hash in the order they were found.
    std::vector<std::pair<uint64_t, uint32_t>> slots;
    KeyMemo groups_by_keys;  // a key met again names its group without hashing or comparing it
  };

  struct RuleState {
    Frame frame;
    bool skipped = false;                 // needs unavailable: undetermined without evaluation
    std::string reason;
    std::vector<std::string> missing_exemptions;
    bool running = true;                  // false once the findings limit is reached
    uint64_t emitted = 0;                 // findings before deduplication, which the limit counts
    std::vector<findings::Finding> findings;  // a grouped rule's, merged at the end
    MergedMatches merged;                 // an ungrouped rule's, merged as they are found
    GroupedMatches matches;
    std::optional<findings::RuleError> error;
  };

  // A match's finding entries, evaluated in its frame. The key's entries are kept as values, which
  // name the finding; they are spelled out as text (SpellKey) only for a key not met before and
  // for the entries of a finding's front match.
  struct MatchEntries {
    // The subject entry's value and the values the data types and permission groups list, one
    // vector: the subject, then `data_types` values, then the permission groups'. The subject is
    // null when the entry is absent or errs (the app, first party).
    std::vector<value::Value> key;
    size_t data_types = 0;  // how many of `key` after the subject
    std::vector<EvidenceRef> evidence;  // the `evidence` entry's records
    std::optional<value::Value> report;
    bool report_deferred = false;  // not evaluated yet: MergeMatch evaluates it for a new front
  };

  // The key's entries as the finding lists them.
  struct SpelledKey {
    findings::Subject subject;
    std::vector<std::string> data_types;
    std::vector<std::string> permissions;
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
  findings::Evidence EvidenceOf(const EvidenceRef& ref) const;
  // The evidence of a record of `kind` (kHeaderEvidence: the header) read by OrderOf.
  findings::Evidence EvidenceOf(facts::KindId kind, const EvidenceOrder& record) const;
  // The same, appended to `out` in place.
  void AddEvidence(facts::KindId kind, const EvidenceOrder& record, std::vector<findings::Evidence>& out) const;
  // The file and type every evidence of a record of `kind` (kHeaderEvidence: the header) has.
  const findings::Evidence& EvidenceOfKind(facts::KindId kind) const;
  // What `evidence` reads of its record.
  static void SetRecord(const EvidenceOrder& record, findings::Evidence& evidence);
  // What EvidenceBefore compares of the evidence `ref` stands for: all of it but the file and type.
  EvidenceOrder OrderOf(const EvidenceRef& ref) const;
  // Evidence for a finding about the session as a whole: the coverage record, else the header.
  EvidenceRef SessionEvidence() const;
  // Evaluates the rule's entries; an entry that errs is a rule error and keeps its default.
  // `defer_report`: a report that cannot err is left to MergeMatch. `entries` are overwritten,
  // their storage reused.
  void EvaluateEntries(uint32_t rule, Frame& frame, bool defer_report, MatchEntries& entries);
  // Whether entry `id` may be read without Machine::Eval: the budget lasts, and Eval would not
  // count it as a fallback of native code.
  bool ReadInPlace(plan::ExprId id) const;
  // Entry `id`'s value as Machine::Eval's, borrowed where it can be: a register, or a memo
  // function's cached value (most subjects), read without entering an expression root or copying.
  const value::Value* EntryValue(plan::ExprId id, Frame& frame, value::Value& scratch);
  // Appends the values entry `id` (data types, permission groups) lists to `out`; an error is a
  // rule error and lists none.
  void EntryValues(uint32_t rule, plan::ExprId id, Frame& frame, std::vector<value::Value>& out);
  // The text of the key `entries` hold, into `out`, whose storage is reused.
  static void SpellKey(const MatchEntries& entries, SpelledKey& out);
  // The rule's report in `frame`; an error or unknown is a rule error.
  value::Value Report(uint32_t rule, Frame& frame);
  void FillEntries(uint32_t rule, Frame& frame, findings::Finding& finding);
  // The rule's `evidence` entry: records named by seq; a seq naming no record is a rule error.
  void AddEvidenceEntry(uint32_t rule, const value::Value& seqs, std::vector<EvidenceRef>& evidence);
  std::optional<std::pair<facts::KindId, uint32_t>> RecordBySeq(int64_t seq);
  void SetWindow(findings::Finding& finding) const;
  // Counts a finding against the rule's limit: false (and the rule stops) once it is reached.
  bool CountFinding(uint32_t rule);
  // Stops the rule at its findings limit, recorded once.
  void StopAtLimit(uint32_t rule);
  void Emit(uint32_t rule, findings::Finding finding);

  // ---- merged_matches.cpp ------------------------------------------------------------------
  // The index of the merged finding of `key`'s dedup key, a new one (`inserted`) when none is.
  uint32_t FindingOf(uint32_t rule, const SpelledKey& key, bool& inserted);
  // Folds an ungrouped rule's match into the finding of its dedup key.
  // `frame` is still the match's, for a deferred report. A new front's key is spelled out.
  void MergeMatch(uint32_t rule, MatchEntries& entries, Frame& frame);
  // The rule's merged findings as findings::MergeFinding would have made them from one finding
  // per match: evidence spelled out, normalized when several matches merged, and the window.
  void TakeMerged(uint32_t rule, std::vector<findings::Finding>& out);

  // ---- grouping.cpp ------------------------------------------------------------------------
  void KeepMatch(uint32_t rule, Frame& frame);
  // The index of the group of `keys` (new at the end of `groups` when none is equal).
  uint32_t GroupOf(GroupedMatches& matches, const std::vector<value::Value>& keys);
  // A key's hash, and whether it equals itself (a NaN in it does not), which an identical key of
  // a group then stands for.
  uint64_t KeyHashOf(const value::Value& key, bool& self_equal);
  void FinishGroups(uint32_t rule);

  const plan::Plan& plan_;
  Machine& machine_;
  const facts::Session& session_;
  const facts::SessionStore& store_;
  // Per record kind, then the header: an evidence with only its file (shared) and type, which
  // each evidence of the kind starts as a copy of.
  std::vector<findings::Evidence> evidence_of_kind_;
  std::vector<RuleState> rules_;
  std::vector<findings::LimitHit> limits_;
  // Per session: captured kinds, kinds the `ctx` fallback stands in for, PI types whose hooks
  // all failed, the app.
  std::vector<bool> captured_;
  std::vector<bool> fallback_;
  std::vector<std::string> hooks_failed_;
  findings::AppRef app_;
  std::vector<value::Value> keys_;  // KeepMatch's scratch, so a match allocates no key vector
  MatchEntries match_entries_;      // OnMatch's, so an ungrouped match allocates no entries
  SpelledKey spelled_key_;          // MergeMatch's, likewise
  std::vector<std::pair<EvidenceRef, EvidenceOrder>> match_records_;  // MergeMatch's, likewise
  // A list or map key's hash and self-equality by the address of its storage, direct-mapped.
  // Memo values are borrowed and small string maps shared, so the same storage recurs for every
  // match of a row and across rows; `held` keeps it, so its address names it for the session.
  struct KeyDigest {
    value::Value held;
    uint64_t hash = 0;
    bool self_equal = false;
    // A group's key in another form (other storage) found Equal to `held`, which every later
    // match with `held` then equals without comparing again.
    value::Value equal_key;
  };
  // The digest of a list or map key, when its slot holds it.
  KeyDigest* DigestOf(const value::Value& key);
  // Whether a group's key `kept` equals a match's `key` (CEL equality), `self_equal` being the key's.
  bool KeysEqual(const value::Value& kept, const value::Value& key, bool self_equal);
  std::vector<KeyDigest> key_digests_;  // sized at the first list or map key
  std::vector<uint8_t> keys_self_equal_;  // GroupOf's scratch, per key
  // seq → (kind, row), built when an `evidence` entry first names a record.
  std::optional<RecordsBySeq> records_by_seq_;
};

// Inline: every match and every member of a finding's evidence goes through these.

inline void SessionRun::AddEvidence(facts::KindId kind, const EvidenceOrder& record,
                                    std::vector<findings::Evidence>& out) const {
  SetRecord(record, out.emplace_back(EvidenceOfKind(kind)));
}

inline const findings::Evidence& SessionRun::EvidenceOfKind(facts::KindId kind) const {
  return kind == kHeaderEvidence ? evidence_of_kind_.back() : evidence_of_kind_[kind];
}

inline void SessionRun::SetRecord(const EvidenceOrder& record, findings::Evidence& evidence) {
  evidence.line = record.line;
  evidence.seq = record.seq;
  evidence.role = record.role;
  evidence.t = record.t;
}

inline bool SessionRun::CountFinding(uint32_t rule) {
  RuleState& state = rules_[rule];
  if (state.emitted >= kMaxFindingsPerRule) {
    StopAtLimit(rule);
    return false;
  }
  ++state.emitted;
  return true;
}

inline EvidenceOrder SessionRun::OrderOf(const EvidenceRef& ref) const {
  EvidenceOrder order;
  order.role = ref.role;
  if (ref.kind == kHeaderEvidence) {
    order.line = session_.header_line;
    return order;
  }
  const facts::RecordKind& record = store_.schema().kind(ref.kind);
  const facts::RecordTable& table = store_.records(ref.kind);
  order.line = ref.row < table.lines.size() ? table.lines[ref.row] : 0;
  order.seq = table.fields.column(record.seq_column).ints()[ref.row];
  if (record.t_column >= 0) {
    const facts::Column& t = table.fields.column(static_cast<size_t>(record.t_column));
    if (t.present(ref.row)) order.t = t.ints()[ref.row] / 1'000'000;
  }
  return order;
}

}  // namespace edict::interp
