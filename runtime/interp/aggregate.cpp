// Aggregates over queries: count, exists, min, max, sum, distinct. `exists` absorbs errors like
// `||` (one true tuple decides); the others are strict (an error on any tuple is the result). A
// count or exists whose conditions are all filters and time bounds, and a min or max of the scan's
// own `t` under the same conditions, are answered by binary search.
#include <memory>
#include <unordered_set>

#include "runtime/interp/machine.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/errors.h"
#include "runtime/value/logic.h"

namespace edict::interp {

using plan::AggregateKind;
using value::Value;

namespace {

Value NoValues(AggregateKind kind) {
  return Value::Error(value::ErrorCode::kInvalidArgument,
                      std::string(kind == AggregateKind::kMin ? "min" : "max") + " of no values");
}

// The result of a counted or extreme_of_t aggregate from the bounded slices [first, last) of its
// index's ok and erred rows (`index` null: both are empty). Inlined into AnswerByRange, so that the
// interpreter's path costs what it did before native code shared it (Machine::AnswerRange).
[[gnu::always_inline]] inline Value FromSlices(Machine& machine, const plan::Aggregate& aggregate,
                                               const ScanIndex* index, std::pair<size_t, size_t> ok,
                                               std::pair<size_t, size_t> erred, Frame& frame) {
  AggregateKind kind = aggregate.kind;
  auto [ok_first, ok_last] = ok;
  auto [err_first, err_last] = erred;
  bool clean = ok_last > ok_first;
  if (kind == AggregateKind::kExists && clean) return Value::Bool(true);
  if (err_last > err_first) return index->errors.at(index->erred.all.rows[err_first]);
  if (kind == AggregateKind::kExists) return Value::Bool(false);
  if (kind == AggregateKind::kCount) return Value::Int(static_cast<int64_t>(ok_last - ok_first));
  if (!clean) return NoValues(kind);
  const plan::Scan& scan = aggregate.query.scans[0];
  Cell& cell = frame[scan.reg];
  cell.table = &machine.store()->records(scan.kind).fields;
  cell.row = index->ok.all.rows[kind == AggregateKind::kMin ? ok_first : ok_last - 1];
  // The value reads the scan's own t column: read as Machine::Eval reads it, without the dispatch.
  if (machine.exhausted()) return machine.BudgetError();
  const plan::Node& read = machine.code().nodes[aggregate.value];
  return machine.ReadColumn(cell, read.b, read.c);
}

// A tally as the general path's sink.
class TallySink final : public MatchSink {
 public:
  explicit TallySink(Tally& tally) : tally_(tally) {}
  bool Match(Frame& frame, const Value* pending) override { return tally_.Match(frame, pending); }

 private:
  Tally& tally_;
};

// min, max, sum and distinct (exists and count are a Tally's).
class AggregateSink : public MatchSink {
 public:
  AggregateSink(Machine& machine, const plan::Aggregate& aggregate) : machine_(machine), aggregate_(aggregate) {
    if (aggregate.kind == AggregateKind::kSum) result_ = aggregate.zero;
  }

  bool Match(Frame& frame, const Value* pending) override {
    if (pending != nullptr) {
      error_ = *pending;
      return false;
    }
    switch (aggregate_.kind) {
      case AggregateKind::kCount:
      case AggregateKind::kExists:  // a Tally's (ByQuery)
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax:
        return Extreme(machine_.Eval(aggregate_.value, frame));
      case AggregateKind::kSum:
        return Add(machine_.Eval(aggregate_.value, frame));
      case AggregateKind::kDistinct:
        return Distinct(machine_.Eval(aggregate_.value, frame));
    }
    return false;
  }

  Value Result() const {
    switch (aggregate_.kind) {
      case AggregateKind::kExists:
      case AggregateKind::kCount:  // a Tally's (ByQuery)
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax:
        if (!error_.is_null()) return error_;
        return have_ ? result_ : NoValues(aggregate_.kind);
      case AggregateKind::kSum:
        return error_.is_null() ? result_ : error_;
      case AggregateKind::kDistinct:
        if (!error_.is_null()) return error_;
        if (distinct_ == nullptr) return Value::Int(0);
        return Value::Int(static_cast<int64_t>(distinct_->hashed.size() + distinct_->other.size()));
    }
    return Value();
  }

 private:
  bool Fail(const Value& error) {
    error_ = error;
    return false;
  }

  bool Extreme(Value v) {
    if (v.is_error_or_unknown()) return Fail(v);
    if (!have_) {
      result_ = std::move(v);
      have_ = true;
      return true;
    }
    value::Order order = value::Compare(v, result_);
    if (order == value::Order::kIncomparable) {
      Value args[] = {result_, v};
      return Fail(value::NoMatchingOverload(aggregate_.kind == AggregateKind::kMin ? "min" : "max", args));
    }
    bool better = aggregate_.kind == AggregateKind::kMin ? order == value::Order::kLess : order == value::Order::kGreater;
    if (better) result_ = std::move(v);
    return true;
  }

  bool Add(const Value& v) {
    static const std::optional<value::Function> kAdd = value::Function::Find("_+_", value::CallStyle::kGlobal);
    Value args[] = {result_, v};
    result_ = kAdd->Call(args);
    if (result_.is_error_or_unknown()) return Fail(result_);
    return true;
  }

  bool Distinct(Value v) {
    if (v.is_error_or_unknown()) return Fail(v);
    if (distinct_ == nullptr) distinct_ = std::make_unique<Seen>();
    if (Hashable(v)) {
      distinct_->hashed.insert(std::move(v));
      return true;
    }
    for (const Value& seen : distinct_->other) {
      if (value::Equal(seen, v)) return true;
    }
    distinct_->other.push_back(std::move(v));
    return true;
  }

  Machine& machine_;
  const plan::Aggregate& aggregate_;
  bool have_ = false;
  Value result_;
  Value error_;
  // distinct's values, made on its first: the other kinds (most aggregates, one sink per call)
  // neither build nor destroy them.
  struct Seen {
    std::unordered_set<Value, KeyHash, KeyEqual> hashed;
    std::vector<Value> other;
  };
  std::unique_ptr<Seen> distinct_;
};

// The general path, inlined into Machine::Aggregate as it was before native code shared it
// (Machine::AggregateByQuery).
[[gnu::always_inline]] inline Value ByQuery(Machine& machine, const plan::Aggregate& aggregate, Frame& frame) {
  if (aggregate.kind == AggregateKind::kExists || aggregate.kind == AggregateKind::kCount) {
    Tally tally;
    tally.exists = aggregate.kind == AggregateKind::kExists;
    if (Machine::OneIndexedScan(aggregate.query)) {
      machine.RunIndexedScan(aggregate.query, frame, tally);
    } else {
      TallySink sink(tally);
      machine.RunQuery(aggregate.query, frame, sink);
    }
    return tally.Result();
  }
  AggregateSink sink(machine, aggregate);
  if (Machine::OneIndexedScan(aggregate.query)) {
    machine.RunIndexedScan(aggregate.query, frame, static_cast<MatchSink&>(sink));
  } else {
    machine.RunQuery(aggregate.query, frame, sink);
  }
  return sink.Result();
}

}  // namespace

Value Machine::Aggregate(uint32_t index, Frame& frame) {
  if (!Step()) return BudgetError();
  const plan::Aggregate& aggregate = plan_->aggregates[index];
  Value answered;
  if ((aggregate.counted || aggregate.extreme_of_t) && AnswerByRange(aggregate, frame, answered)) return answered;
  return ByQuery(*this, aggregate, frame);
}

Value Machine::AggregateByQuery(const plan::Aggregate& aggregate, Frame& frame) {
  return ByQuery(*this, aggregate, frame);
}

// The general path's result, read off the bounded slices of the scan's index: every row in them is a
// tuple (clean ones first, in t order, then those whose filters erred), so exists is true on a clean
// row, the strict aggregates take the first erred row's error, min and max the first and last clean t.
bool Machine::AnswerByRange(const plan::Aggregate& aggregate, Frame& frame, Value& result) {
  const plan::Scan& scan = aggregate.query.scans[0];
  Value pending;
  if (!aggregate.query.pre.empty() && !CheckAll(aggregate.query.pre, frame, pending)) {
    result = FromSlices(*this, aggregate, nullptr, {0, 0}, {0, 0}, frame);
    return true;
  }
  if (!pending.is_null()) return false;
  ScanIndex& index = Index(scan, frame);
  Range range = Bounds(scan, frame);
  uint64_t every_bound = scan.bounds.size() >= 64 ? ~uint64_t{0} : (uint64_t{1} << scan.bounds.size()) - 1;
  if ((range.valid & every_bound) != every_bound) return false;
  result = FromSlices(*this, aggregate, &index, Slice(index.ok.all, range), Slice(index.erred.all, range), frame);
  return true;
}

void Machine::AnswerRange(const plan::Aggregate& aggregate, const ScanIndex* index, const Range& range, Value& out) {
  std::pair<size_t, size_t> ok{0, 0}, erred{0, 0};
  if (index != nullptr) {
    ok = Slice(index->ok.all, range);
    erred = Slice(index->erred.all, range);
  }
  out = FromSlices(*this, aggregate, index, ok, erred, *current_frame_);
}

}  // namespace edict::interp
