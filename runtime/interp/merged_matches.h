// An ungrouped rule's matches merged by their dedup key as they are found (findings-1.md
// "Deduplication"), so a match that joins an existing finding adds only its evidence records.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/facts/schema.h"
#include "runtime/findings/model.h"
#include "runtime/interp/key_memo.h"

namespace edict::interp {

// The kind of an EvidenceRef that stands for the session header.
inline constexpr facts::KindId kHeaderEvidence = std::numeric_limits<facts::KindId>::max();

// One evidence record of a match before it is spelled out as findings::Evidence.
struct EvidenceRef {
  facts::KindId kind = kHeaderEvidence;
  uint32_t row = 0;
  findings::EvidenceRole role = findings::EvidenceRole::kTrigger;
  friend bool operator<(const EvidenceRef& a, const EvidenceRef& b) {
    return std::tie(a.kind, a.row, a.role) < std::tie(b.kind, b.row, b.role);
  }
  friend bool operator==(const EvidenceRef& a, const EvidenceRef& b) = default;
};

// findings::EvidenceBefore's key without the file, which is the session's for every evidence.
struct EvidenceOrder {
  std::optional<int64_t> t;
  int64_t seq = 0;
  uint64_t line = 0;
  findings::EvidenceRole role = findings::EvidenceRole::kTrigger;
  // std::tie(t, seq, line, role)'s order, spelled out: evidence is sorted by it.
  friend bool operator<(const EvidenceOrder& a, const EvidenceOrder& b) {
    if (a.t.has_value() != b.t.has_value()) return !a.t.has_value();
    if (a.t && *a.t != *b.t) return *a.t < *b.t;
    if (a.seq != b.seq) return a.seq < b.seq;
    if (a.line != b.line) return a.line < b.line;
    return a.role < b.role;
  }
};

struct MergedFinding {
  // The entries of the match whose earliest evidence is earliest (the first such match on a tie),
  // as findings::MergeFinding keeps them; evidence and window are filled when the run ends.
  findings::Finding finding;
  EvidenceOrder front;  // that match's earliest evidence
  // Every match's records in match order, each with what its evidence reads of it, taken while
  // the match's records are in cache.
  std::vector<std::pair<EvidenceRef, EvidenceOrder>> evidence;
  // The last match's records, each in `evidence`: a later match's record among them (the
  // context record every match of a run cites) is not added again, as the evidence of merged
  // matches lists a record once.
  std::vector<std::pair<EvidenceRef, EvidenceOrder>> last;
  uint32_t matches = 0;
};

// The dedup key's fields of a match as its entries listed them, and the finding they joined.
struct KeyFields {
  uint64_t hash = 0;
  uint32_t finding = UINT32_MAX;  // none yet
  findings::Party party = findings::Party::kUnknown;
  std::string sdk;
  std::string org;
  std::string domain;
  std::vector<std::string> data_types;
  std::vector<std::string> permissions;
};

struct MergedMatches {
  std::vector<MergedFinding> findings;  // in the order their keys were first found
  std::unordered_map<std::string, uint32_t> index_by_key;
  // Every set of the key's fields met, by their hash (open addressing, a free slot's `finding`
  // is UINT32_MAX): a match whose fields equal an earlier match's (equal fields make equal keys)
  // joins its finding without building the key.
  std::vector<KeyFields> field_sets;
  size_t field_sets_used = 0;
  // The finding of a match's key values (MatchEntries::key) by their storage: most matches
  // repeat a key met before, and are merged without spelling it out.
  KeyMemo findings_by_key;
};

}  // namespace edict::interp
