// Finding records by seq: one pass over every kind's seq column.
#include "runtime/interp/records_by_seq.h"

#include <algorithm>
#include <limits>
#include <span>

namespace edict::interp {
namespace {

constexpr facts::KindId kNoRecord = std::numeric_limits<facts::KindId>::max();

// A table at most this many times the record count (plus slack for tiny sessions) is used directly.
constexpr uint64_t kDenseFactor = 4;
constexpr uint64_t kDenseSlack = 4096;

// The seqs of a kind's records, by row.
std::span<const int64_t> SeqsOf(const facts::SessionStore& store, facts::KindId kind) {
  const facts::Table& table = store.records(kind).fields;
  return table.column(store.schema().kind(kind).seq_column).ints().first(table.rows());
}

}  // namespace

RecordsBySeq::RecordsBySeq(const facts::SessionStore& store) {
  const facts::Schema& schema = store.schema();
  int64_t low = std::numeric_limits<int64_t>::max();
  int64_t high = std::numeric_limits<int64_t>::min();
  for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
    for (int64_t seq : SeqsOf(store, kind)) {
      low = std::min(low, seq);
      high = std::max(high, seq);
    }
  }
  uint64_t records = store.record_count();
  // The span in unsigned arithmetic: high - low may not fit an int64_t.
  bool dense = records > 0 && static_cast<uint64_t>(high) - static_cast<uint64_t>(low) <
                                  kDenseFactor * records + kDenseSlack;
  if (dense) {
    first_seq_ = low;
    table_.assign(static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1, Record{kNoRecord, 0});
  } else {
    by_seq_.reserve(records);
  }
  for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
    std::span<const int64_t> seqs = SeqsOf(store, kind);
    for (uint32_t row = 0; row < seqs.size(); ++row) {
      if (!dense) {
        by_seq_.emplace(seqs[row], Record{kind, row});
        continue;
      }
      Record& slot = table_[static_cast<uint64_t>(seqs[row]) - static_cast<uint64_t>(first_seq_)];
      if (slot.first == kNoRecord) slot = Record{kind, row};
    }
  }
}

std::optional<RecordsBySeq::Record> RecordsBySeq::Find(int64_t seq) const {
  if (!dense()) {
    auto found = by_seq_.find(seq);
    if (found == by_seq_.end()) return std::nullopt;
    return found->second;
  }
  if (seq < first_seq_) return std::nullopt;
  uint64_t index = static_cast<uint64_t>(seq) - static_cast<uint64_t>(first_seq_);
  if (index >= table_.size() || table_[index].first == kNoRecord) return std::nullopt;
  return table_[index];
}

}  // namespace edict::interp
