// The driver's side of a later indexed record scan looped over by native code (native_levels.h):
// LevelIndexed's steps before its rows, then its slices one at a time, in its order and each
// searched on t only when reached, as VisitIndexedRows searches them.
#include "runtime/interp/native_levels.h"

namespace edict::interp {

using value::Value;

namespace {

// The slices of one part of an index: with a key, the probe's bucket then the unkeyed rows;
// without, all the part's rows.
constexpr uint32_t kSlicesPerPart = 2;

// Slice `slice` of `part` as LevelIndexed visits it, or null when there is none (an empty part has
// no bucket to look up).
const ScanIndex::Rows* PartSlice(const ScanIndex::Part& part, uint32_t slice, bool keyed, const Value& key) {
  if (part.all.rows.empty()) return nullptr;
  if (!keyed) return slice == 0 ? &part.all : nullptr;
  if (slice == 1) return &part.unkeyed;
  auto bucket = part.buckets.find(key);
  return bucket != part.buckets.end() ? &bucket->second : nullptr;
}

}  // namespace

LevelStart Machine::BeginLevel(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink,
                               const Value* pending, LevelVisit& visit, Value& key) {
  const plan::Scan& scan = query.scans[k];
  ScanIndex& index = Index(scan, frame);
  Range range = Bounds(scan, frame);
  if (range.empty()) return LevelStart::kDone;
  bool keyed = false;
  if (scan.key != plan::kNone) {
    key = Eval(scan.probe, frame);
    keyed = Hashable(key);
  }
  visit = LevelVisit{.rows = nullptr,
                     .first = 0,
                     .last = 0,
                     .erred = 0,
                     .table = &store_->records(scan.kind).fields,
                     .comparisons = &stats_.comparisons,
                     .index = &index,
                     .range = range,
                     .next_slice = 0,
                     .keyed = keyed};
  if (scan.bounds.size() < 64 && range.valid == (uint64_t{1} << scan.bounds.size()) - 1) [[likely]] {
    return NextLevelSlice(visit, key) ? LevelStart::kRows : LevelStart::kDone;
  }
  // A bound that was no duration leaves its conjunct to evaluate, which native code does not: the
  // rows are visited here.
  uint64_t checked = IndexedResiduals(index, scan, range.valid);
  while (NextLevelSlice(visit, key)) {
    for (uint64_t i = visit.first; i < visit.last; ++i) {
      uint32_t row = visit.rows[i];
      ++stats_.comparisons;
      Cell& cell = frame[scan.reg];
      cell.table = visit.table;
      cell.row = row;
      const Value* error = visit.erred != 0 ? &index.errors[row] : nullptr;
      if (!Descend(query, k, frame, sink, pending, checked, range.valid, error)) return LevelStart::kStop;
    }
  }
  return LevelStart::kDone;
}

bool Machine::NextLevelSlice(LevelVisit& visit, const Value& key) {
  while (visit.next_slice < 2 * kSlicesPerPart) {
    uint32_t slice = visit.next_slice++;
    bool erred = slice >= kSlicesPerPart;
    const ScanIndex::Rows* rows =
        PartSlice(erred ? visit.index->erred : visit.index->ok, slice % kSlicesPerPart, visit.keyed, key);
    if (rows == nullptr) continue;
    auto [first, last] = Slice(*rows, visit.range);
    // An empty slice visits no row: the next one is searched at once, as the machine does.
    if (first == last) continue;
    visit.rows = rows->rows.data();
    visit.first = first;
    visit.last = last;
    visit.erred = erred ? 1 : 0;
    return true;
  }
  return false;
}

}  // namespace edict::interp
