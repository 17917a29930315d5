// The record of a session with a given seq, for the `evidence` rule entry. A direct table indexed
// by seq when the session's seqs are dense enough (they are numbered in file order), else a hash.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/facts/store.h"

namespace edict::interp {

class RecordsBySeq {
 public:
  using Record = std::pair<facts::KindId, uint32_t>;  // kind, row

  explicit RecordsBySeq(const facts::SessionStore& store);
  // The first record (by kind, then row) with this seq.
  std::optional<Record> Find(int64_t seq) const;
  bool dense() const { return !table_.empty(); }

 private:
  int64_t first_seq_ = 0;
  std::vector<Record> table_;  // by seq - first_seq_; a hole has kind kNoRecord
  std::unordered_map<int64_t, Record> by_seq_;
};

}  // namespace edict::interp
