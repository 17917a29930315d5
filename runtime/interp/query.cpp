// Running queries: scans in join order, each conjunct checked at the first scan that can decide
// it. An inner record scan reads a per-session index of its filtered rows: a hash bucket for its
// key, then a search on `t` for its bounds (from where the last one of those rows ended: probes
// mostly come in time order), so a windowed join visits only the window.
#include <algorithm>
#include <bit>

#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"
#include "runtime/value/errors.h"

namespace edict::interp {

using plan::Query;
using plan::Scan;
using value::Value;

namespace {

const Value* Pending(const Value& pending) { return pending.is_null() ? nullptr : &pending; }

// Residual conjunct i is decided by the binary search when every bound it gave had a valid value
// (bit b of `bounds_valid`), and is then not evaluated.
bool Decided(const Scan& scan, size_t i, uint64_t bounds_valid) {
  if (scan.residual_bound[i] == plan::kNone) return false;
  for (size_t b = 0; b < scan.bounds.size(); ++b) {
    if (scan.bounds[b].conjunct == i && (b >= 64 || !((bounds_valid >> b) & 1))) return false;
  }
  return true;
}

// Decided for the first 64 conjuncts, bit by bit: the same for every row of a level's visit.
uint64_t DecidedResiduals(const Scan& scan, uint64_t bounds_valid) {
  uint64_t decided = 0;
  size_t residuals = std::min<size_t>(scan.residual.size(), 64);
  for (size_t i = 0; i < residuals; ++i) decided |= uint64_t{scan.residual_bound[i] != plan::kNone} << i;
  if (decided == 0) return 0;
  // Every bound valid (the usual case): all of them decide.
  if (scan.bounds.size() < 64 && bounds_valid == (uint64_t{1} << scan.bounds.size()) - 1) return decided;
  for (size_t b = 0; b < scan.bounds.size(); ++b) {
    size_t conjunct = scan.bounds[b].conjunct;
    if (conjunct < 64 && (b >= 64 || !((bounds_valid >> b) & 1))) decided &= ~(uint64_t{1} << conjunct);
  }
  return decided;
}

// The partition point of `t[begin, end)` under `below` (true of a prefix), searched outward from
// `hint`: steps doubling away from it until one crosses the point, then a binary search within the
// last step, so a point near the hint costs a few calls of `below` rather than log2 of the size.
template <class Below>
size_t PartitionNear(std::span<const int64_t> t, size_t begin, size_t hint, Below below) {
  size_t end = t.size();
  hint = std::clamp(hint, begin, end);
  size_t lo = begin, hi = end;  // the point is in [lo, hi]
  if (hint < end && below(t[hint])) {
    lo = hint + 1;
    for (size_t step = 1; hint + step < end; step *= 2) {
      if (!below(t[hint + step])) {
        hi = hint + step;
        break;
      }
      lo = hint + step + 1;
    }
  } else {
    hi = hint;
    for (size_t step = 1; step <= hint - begin; step *= 2) {
      if (below(t[hint - step])) {
        lo = hint - step + 1;
        break;
      }
      hi = hint - step;
    }
  }
  if (lo == hi) return lo;  // the usual case: the first step crossed the point
  return static_cast<size_t>(std::partition_point(t.begin() + lo, t.begin() + hi, below) - t.begin());
}

// The rows of an indexed scan in the bounded slices of its index, in the machine's order: the ok
// part, then the erred part, each by the probe's bucket and then the unkeyed rows when `keyed`,
// else all its rows. `visit(row, error)` (the erred part's row error, else null) false stops.
template <class Visit>
[[gnu::always_inline]] inline bool VisitIndexedRows(Machine& machine, ScanIndex& index, const Machine::Range& range,
                                                    bool keyed, const Value& probe, Visit visit) {
  auto visit_slice = [&](const ScanIndex::Rows& rows, bool erred) {
    auto [first, last] = machine.Slice(rows, range);
    for (size_t i = first; i < last; ++i) {
      uint32_t row = rows.rows[i];
      if (!visit(row, erred ? &index.errors[row] : nullptr)) return false;
    }
    return true;
  };
  for (int part_index = 0; part_index < 2; ++part_index) {
    ScanIndex::Part& part = part_index == 0 ? index.ok : index.erred;
    if (part.all.rows.empty()) continue;  // no row, so no bucket to look up
    if (!keyed) {
      if (!visit_slice(part.all, part_index != 0)) return false;
      continue;
    }
    auto bucket = part.buckets.find(probe);
    if (bucket != part.buckets.end() && !visit_slice(bucket->second, part_index != 0)) return false;
    if (!visit_slice(part.unkeyed, part_index != 0)) return false;
  }
  return true;
}

// Adds a row to the bucket of `key` (hashable), once however often a list key names it.
void AddToBucket(ScanIndex::Part& part, Value&& key, uint32_t row, int64_t t) {
  ScanIndex::Rows& bucket = part.buckets[std::move(key)];
  if (bucket.rows.empty() || bucket.rows.back() != row) bucket.Add(row, t);
}

// Files a row whose filters were not false: into the part their `pending` error (or null) says,
// with its error and t, and by its key (null when the scan has none; moved from) into buckets.
void AddRow(ScanIndex& index, const Scan& scan, uint32_t row, int64_t t, const Value* pending, Value* key) {
  ScanIndex::Part& part = pending == nullptr ? index.ok : index.erred;
  if (pending != nullptr) index.errors[row] = *pending;
  part.all.Add(row, t);
  if (key == nullptr) return;
  if (!scan.key_is_list) {
    if (Hashable(*key)) {
      AddToBucket(part, std::move(*key), row, t);
    } else {
      part.unkeyed.Add(row, t);
    }
    return;
  }
  std::vector<Value> keys;
  bool hashable = key->is_list();
  if (hashable) {
    for (Value element : key->list_elements()) {
      hashable = hashable && Hashable(element);
      keys.push_back(std::move(element));
    }
  }
  if (!hashable) {
    part.unkeyed.Add(row, t);
    return;
  }
  for (Value& element : keys) AddToBucket(part, std::move(element), row, t);
}

// The index a native build fills (IndexRun::driver), and its kind's t column.
struct NativeIndex {
  ScanIndex* index;
  const Scan* scan;
  std::span<const int64_t> times;
};

void AddNativeRow(IndexRun* run, uint32_t row, const Value* pending, const Value* key) {
  auto& native = *static_cast<NativeIndex*>(run->driver);
  Value owned = key != nullptr ? *key : Value();  // the native code's value: borrowed, or its slot
  AddRow(*native.index, *native.scan, row, native.times.empty() ? 0 : native.times[row], pending,
         key != nullptr ? &owned : nullptr);
}

// A conjunct's value that is no bool, folded into `pending`. Out of line: rules' conjuncts are bools.
[[gnu::noinline]] void CombineNotBool(Value& pending, const Value& v) {
  Combine(pending, v.is_error_or_unknown() ? v : value::NoMatchingOverload("_&&_", std::span<const Value>(&v, 1)));
}

// CheckAll of one conjunct, inlined into the loops that check a scan's residuals one by one.
[[gnu::always_inline]] inline bool CheckOne(Machine& machine, plan::ExprId conjunct, Frame& frame, Value& pending) {
  Value v = machine.Eval(conjunct, frame);
  if (v.is_bool()) return v.bool_value();
  CombineNotBool(pending, v);
  return true;
}

// CheckAll, inlined into the loops that check every row's filters.
[[gnu::always_inline]] inline bool CheckEach(Machine& machine, std::span<const plan::ExprId> conjuncts, Frame& frame,
                                             Value& pending) {
  for (plan::ExprId id : conjuncts) {
    if (!CheckOne(machine, id, frame, pending)) return false;
  }
  return true;
}

// The first 64 residual conjuncts that `decided` (DecidedResiduals) leaves to evaluate, bit by bit.
uint64_t Unresolved(const Scan& scan, uint64_t decided) {
  size_t residuals = scan.residual.size();
  return ~decided & (residuals >= 64 ? ~uint64_t{0} : (uint64_t{1} << residuals) - 1);
}

// The residual conjuncts left to evaluate (`checked`: Unresolved; past the first 64, those
// Decided says), in order, folded into `pending`: false when one is false. Inlined into the loops
// that check every row's residuals.
[[gnu::always_inline]] inline bool ResidualsHold(Machine& machine, const Scan& scan, Frame& frame, uint64_t checked,
                                                 uint64_t bounds_valid, Value& pending) {
  for (uint64_t left = checked; left != 0; left &= left - 1) {
    if (!CheckOne(machine, scan.residual[std::countr_zero(left)], frame, pending)) return false;
  }
  for (size_t i = 64; i < scan.residual.size(); ++i) {
    if (!Decided(scan, i, bounds_valid) && !CheckOne(machine, scan.residual[i], frame, pending)) return false;
  }
  return true;
}

// Machine::Bounds, inlined into the indexed scans that take it on every visit.
[[gnu::always_inline]] inline Machine::Range BoundsOf(Machine& machine, const Scan& scan, Frame& frame) {
  Machine::Range range;
  for (size_t i = 0; i < scan.bounds.size(); ++i) {
    const plan::Bound& bound = scan.bounds[i];
    Value v = machine.Eval(bound.value, frame);
    if (!v.is_duration()) continue;
    int64_t t = v.duration_nanos();
    if (bound.lower) {
      if (bound.strict && t == INT64_MAX) {
        range.lo = INT64_MAX;
        range.hi = INT64_MIN;
      } else {
        range.lo = std::max(range.lo, bound.strict ? t + 1 : t);
      }
    } else {
      if (bound.strict && t == INT64_MIN) {
        range.lo = INT64_MAX;
        range.hi = INT64_MIN;
      } else {
        range.hi = std::min(range.hi, bound.strict ? t - 1 : t);
      }
    }
    if (i < 64) range.valid |= uint64_t{1} << i;
  }
  return range;
}

// The residual conjuncts of a scan of `index` left to evaluate (Unresolved), kept in the index for
// the usual case: every bound valid.
[[gnu::always_inline]] inline uint64_t IndexedChecked(ScanIndex& index, const Scan& scan, uint64_t bounds_valid) {
  if (scan.bounds.size() >= 64 || bounds_valid != (uint64_t{1} << scan.bounds.size()) - 1) {
    return Unresolved(scan, DecidedResiduals(scan, bounds_valid));
  }
  if (index.decided_scan != &scan) {
    index.decided_scan = &scan;
    index.checked = Unresolved(scan, DecidedResiduals(scan, bounds_valid));
  }
  return index.checked;
}

}  // namespace

bool Machine::CheckAll(std::span<const plan::ExprId> conjuncts, Frame& frame, Value& pending) {
  return CheckEach(*this, conjuncts, frame, pending);
}

void Machine::RunQuery(const Query& query, Frame& frame, MatchSink& sink, const Value* pending) {
  Value carried = pending != nullptr ? *pending : Value();
  if (!CheckAll(query.pre, frame, carried)) return;
  Level(query, 0, frame, sink, Pending(carried));
}

bool Machine::Level(const Query& query, size_t k, Frame& frame, MatchSink& sink, const Value* pending) {
  if (k == query.scans.size()) return sink.Match(frame, pending);
  const Scan& scan = query.scans[k];
  if (scan.source != Scan::Source::kRecords) return LevelElements(query, k, frame, sink, pending);
  if (scan.indexed) return LevelIndexed(query, k, frame, sink, pending);
  size_t rows = store_->records(scan.kind).fields.rows();
  for (uint32_t row = 0; row < rows; ++row) {
    if (!EnterRow(query, k, row, frame, sink, pending)) return false;
  }
  return true;
}

bool Machine::EnterRow(const Query& query, size_t k, uint32_t row, Frame& frame, MatchSink& sink,
                       const Value* pending) {
  if (++steps_ > budget_) return false;
  const Scan& scan = query.scans[k];
  ++stats_.records;
  Cell& cell = frame[scan.reg];
  cell.table = &store_->records(scan.kind).fields;
  cell.row = row;
  Value carried = pending != nullptr ? *pending : Value();
  if (!CheckEach(*this, scan.filters, frame, carried)) return true;
  if (!scan.residual.empty() && !Residual(scan, frame, 0, carried)) return true;
  return Level(query, k + 1, frame, sink, Pending(carried));
}

bool Machine::ContinueAt(const Query& query, size_t k, Frame& frame, MatchSink& sink, const Value* pending) {
  return Level(query, k, frame, sink, pending);
}

bool Machine::Residual(const Scan& scan, Frame& frame, uint64_t bounds_valid, Value& pending) {
  uint64_t checked = Unresolved(scan, DecidedResiduals(scan, bounds_valid));
  return ResidualsHold(*this, scan, frame, checked, bounds_valid, pending);
}

bool Machine::Descend(const Query& query, size_t k, Frame& frame, MatchSink& sink, const Value* pending,
                      uint64_t checked, uint64_t bounds_valid, const Value* row_error) {
  if (++steps_ > budget_) return false;
  Value carried = pending != nullptr ? *pending : Value();
  if (row_error != nullptr) Combine(carried, *row_error);
  if (!ResidualsHold(*this, query.scans[k], frame, checked, bounds_valid, carried)) return true;
  return Level(query, k + 1, frame, sink, Pending(carried));
}

Machine::Range Machine::Bounds(const Scan& scan, Frame& frame) { return BoundsOf(*this, scan, frame); }

std::pair<size_t, size_t> Machine::SearchSlice(const ScanIndex::Rows& rows, const Range& range) {
  int64_t lo = range.lo, hi = range.hi;
  uint64_t comparisons = 0;
  size_t first = 0, last = rows.t.size();
  // A bound at the end of time holds for every row: no search.
  if (lo != INT64_MIN) {
    first = rows.first_hint = PartitionNear(rows.t, 0, rows.first_hint, [&](int64_t t) {
      ++comparisons;
      return t < lo;
    });
  }
  if (hi != INT64_MAX) {
    last = rows.last_hint = PartitionNear(rows.t, first, rows.last_hint, [&](int64_t t) {
      ++comparisons;
      return t <= hi;
    });
  }
  stats_.comparisons += comparisons;
  return {first, last};
}

bool Machine::LevelIndexed(const Query& query, size_t k, Frame& frame, MatchSink& sink, const Value* pending) {
  const Scan& scan = query.scans[k];
  ScanIndex& index = Index(scan, frame);
  Range range = BoundsOf(*this, scan, frame);
  if (range.empty()) return true;
  Value probe;
  bool keyed = false;
  if (scan.key != plan::kNone) {
    probe = Eval(scan.probe, frame);
    keyed = Hashable(probe);
  }
  const facts::Table* table = &store_->records(scan.kind).fields;
  uint64_t checked = IndexedChecked(index, scan, range.valid);
  return VisitIndexedRows(*this, index, range, keyed, probe, [&](uint32_t row, const Value* error) {
    ++stats_.comparisons;
    Cell& cell = frame[scan.reg];
    cell.table = table;
    cell.row = row;
    return Descend(query, k, frame, sink, pending, checked, range.valid, error);
  });
}

uint64_t Machine::IndexedResiduals(ScanIndex& index, const Scan& scan, uint64_t bounds_valid) {
  return IndexedChecked(index, scan, bounds_valid);
}

template <class Sink>
[[gnu::always_inline]] inline void Machine::ScanInRange(const Query& query, ScanIndex& index, const Range& range,
                                                        Frame& frame, Sink& sink, const Value& carried) {
  if (range.empty()) return;
  const Scan& scan = query.scans[0];
  Value probe;
  bool keyed = false;
  if (scan.key != plan::kNone) {
    probe = Eval(scan.probe, frame);
    keyed = Hashable(probe);
  }
  uint64_t checked = IndexedChecked(index, scan, range.valid);
  const facts::Table* table = &store_->records(scan.kind).fields;
  Cell& cell = frame[scan.reg];
  VisitIndexedRows(*this, index, range, keyed, probe, [&](uint32_t row, const Value* error) {
    ++stats_.comparisons;
    cell.table = table;
    cell.row = row;
    if (++steps_ > budget_) return false;
    Value pending = carried;
    if (error != nullptr) Combine(pending, *error);
    bool rejected = false;
    for (uint64_t left = checked; left != 0 && !rejected; left &= left - 1) {
      rejected = !CheckOne(*this, scan.residual[std::countr_zero(left)], frame, pending);
    }
    return rejected || sink.Match(frame, Pending(pending));
  });
}

Value Machine::AggregateInRange(const plan::Aggregate& aggregate, ScanIndex& index, const Range& range) {
  Tally tally;
  tally.exists = aggregate.kind == plan::AggregateKind::kExists;
  ScanInRange(aggregate.query, index, range, *current_frame_, tally, Value());
  return tally.Result();
}

// RunQuery, Level, LevelIndexed, Descend and Residual of a query that OneIndexedScan accepts, as one
// loop: the same steps, comparisons, error folding and order, without the calls per row.
template <class Sink>
void Machine::RunIndexedScan(const Query& query, Frame& frame, Sink& sink) {
  Value carried;
  if (!query.pre.empty() && !CheckAll(query.pre, frame, carried)) return;
  const Scan& scan = query.scans[0];
  ScanIndex& index = Index(scan, frame);
  ScanInRange(query, index, BoundsOf(*this, scan, frame), frame, sink, carried);
}
template void Machine::RunIndexedScan(const Query&, Frame&, MatchSink&);
template void Machine::RunIndexedScan(const Query&, Frame&, Tally&);

bool Machine::LevelElements(const Query& query, size_t k, Frame& frame, MatchSink& sink, const Value* pending) {
  const Scan& scan = query.scans[k];
  uint64_t checked = Unresolved(scan, DecidedResiduals(scan, 0));
  if (scan.source == Scan::Source::kColumn) {
    const plan::ColumnAccess& access = code_.column_access[scan.column];
    const plan::ColumnRef& ref = code_.columns[access.column];
    const Cell& owner = frame[access.reg];
    const facts::Column& column = owner.table->column(ref.column);
    if (!column.present(owner.row)) {
      Value carried = pending != nullptr ? *pending : Value();
      Combine(carried, Absent(ref, owner));
      return sink.Match(frame, &carried);
    }
    uint32_t begin = column.offsets()[owner.row], end = column.offsets()[owner.row + 1];
    for (uint32_t row = begin; row < end; ++row) {
      frame[scan.reg].table = &column.elements();
      frame[scan.reg].row = row;
      if (!Descend(query, k, frame, sink, pending, checked, 0, nullptr)) return false;
    }
    return true;
  }
  Value list = Eval(scan.list, frame);
  if (list.is_list()) {
    for (const Value& element : list.list_elements()) {
      frame[scan.reg].value = element;
      if (!Descend(query, k, frame, sink, pending, checked, 0, nullptr)) return false;
    }
    return true;
  }
  if (list.is_map()) {
    for (const Value& key : list.map().keys()) {
      frame[scan.reg].value = key;
      if (!Descend(query, k, frame, sink, pending, checked, 0, nullptr)) return false;
    }
    return true;
  }
  // The elements cannot be known: whatever the remaining conjuncts say, the tuples are in error.
  Value carried = pending != nullptr ? *pending : Value();
  Combine(carried, list.is_error_or_unknown() ? list
                                             : value::NoMatchingOverload("binding", std::span<const Value>(&list, 1)));
  return sink.Match(frame, &carried);
}

ScanIndex& Machine::BuildIndex(const Scan& scan, Frame& frame) {
  std::unique_ptr<ScanIndex>& slot = indexes_[scan.index];
  slot = std::make_unique<ScanIndex>();
  ScanIndex& index = *slot;
  ++stats_.index_builds;
  const facts::Table& table = store_->records(scan.kind).fields;
  // Static kinds have no t: their rows are never sliced by time, so 0 stands in.
  const facts::RecordKind& kind = store_->schema().kind(scan.kind);
  cost_profile::Scope profiled(
      "index", cost_profile::Enabled() ? kind.name + " " + std::to_string(scan.index) + " (" + scan.name + ")" : "");
  std::span<const int64_t> times;
  if (kind.t_column >= 0) times = table.column(static_cast<size_t>(kind.t_column)).ints();
  IndexFn native = nullptr;
  if (compiled_ != nullptr && scan.index < compiled_->indexes.size()) native = compiled_->indexes[scan.index];
  if (native != nullptr) {
    // The native code is that of one scan of this index, whichever asks for it, so it runs in a
    // frame of its own, as large as any owner's; it is the current frame for its aggregates.
    uint32_t size = 1;
    for (const plan::RulePlan& rule : plan_->rules) size = std::max(size, rule.frame_size);
    for (const plan::SessionSlot& slot : plan_->slots) size = std::max(size, slot.frame_size);
    for (const plan::MemoFunction& memo : plan_->memo_functions) size = std::max(size, memo.frame_size);
    Frame own = NewFrame(size);
    NativeIndex driver{&index, &scan, times};
    IndexRun run{this, &table, static_cast<uint32_t>(table.rows()), own.data(), &AddNativeRow, &driver, &steps_,
                 budget_, &stats_.records};
    Frame* outer = current_frame_;
    current_frame_ = &own;
    native(&run);
    current_frame_ = outer;
    return index;
  }
  Cell& cell = frame[scan.reg];
  for (uint32_t row = 0; row < table.rows() && steps_ <= budget_; ++row) {
    ++steps_;
    ++stats_.records;
    cell.table = &table;
    cell.row = row;
    Value pending;
    if (!CheckEach(*this, scan.filters, frame, pending)) continue;
    int64_t t = times.empty() ? 0 : times[row];
    if (scan.key == plan::kNone) {
      AddRow(index, scan, row, t, Pending(pending), nullptr);
      continue;
    }
    Value key = Eval(scan.key, frame);
    AddRow(index, scan, row, t, Pending(pending), &key);
  }
  return index;
}

}  // namespace edict::interp
