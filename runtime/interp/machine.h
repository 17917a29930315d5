// The interpreter's core: executes plan expression code by an enum switch over the node array
// (Soufflé's design, no virtual visitor), and the queries and aggregates nodes call. One Machine
// per thread: it owns the per-session state (session slots, scan indexes) and its own copy of the
// plan's constants, so threads share only the immutable Plan and never a reference count.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/plan/plan.h"
#include "runtime/facts/large_buffer.h"
#include "runtime/facts/store.h"
#include "runtime/interp/compiled.h"
#include "runtime/value/compare.h"
#include "runtime/value/value.h"

namespace edict::interp {

// A register of a frame: a CEL value, or a cursor on a table row.
struct Cell {
  value::Value value;
  const facts::Table* table = nullptr;
  uint32_t row = 0;
};
using Frame = std::vector<Cell>;

// Work counters, for tests and benchmarks (never timers: they are deterministic).
struct Stats {
  uint64_t records = 0;       // rows a scan visited: streamed, or filtered into an index
  uint64_t comparisons = 0;   // join work: search steps on t plus join candidates examined
  uint64_t index_builds = 0;
  uint64_t matches = 0;       // tuples that satisfied a rule's condition
  // Expression roots evaluated by the interpreter although compiled code was installed (the
  // JIT never falls back: 0 is the expected value).
  uint64_t fallbacks = 0;
  // Memo function calls answered from the session's cache, and those that computed the value.
  uint64_t memo_hits = 0;
  uint64_t memo_misses = 0;
};

// A by-row memo function's cache as native code reads it on a hit (codegen/memo_emitter.cpp):
// a cursor on `table` at a row below `rows` whose `filled` bit is set (bit row % 64 of word
// row / 64) has its value at `values[row]`, borrowed: the cache is sized once per session, at its
// first call, and a row is written only while unfilled, so the value stays put until the next
// session, whatever misses of other rows or functions happen meanwhile. `rows` is 0 until that
// first call (and always, by string or by value). Each hit adds one to `*hits`, the machine's count.
// A miss of such a row may be computed as Machine::Eval would (runtime/jit/abi.cpp's `memo`):
// unless the budget is exceeded, one to `*misses`, the cursor into `*param`, `body` called in
// `frame` (the current frame meanwhile) with `values[row]` as its out, then the row's bit set.
// `body` is null when the function must take the machine's path: its body is not compiled (a
// fallback to count), or the cost profile times misses.
struct MemoView {
  const facts::Table* table = nullptr;
  value::Value* values = nullptr;
  uint64_t* filled = nullptr;
  uint32_t rows = 0;
  uint64_t* hits = nullptr;
  uint64_t* misses = nullptr;
  ExprFn body = nullptr;
  Cell* param = nullptr;
  Frame* frame = nullptr;
};

// What a query reports to whoever runs it: each tuple whose conjuncts hold, with the error or
// unknown one of them produced (null when none did). Return false to stop the query.
class MatchSink {
 public:
  virtual ~MatchSink() = default;
  virtual bool Match(Frame& frame, const value::Value* pending) = 0;
};

// Map keys for hash joins and grouping: bool, int, uint, string (and integral doubles as ints).
struct KeyHash {
  size_t operator()(const value::Value& key) const { return value::HashKey(key); }
};
struct KeyEqual {
  bool operator()(const value::Value& a, const value::Value& b) const { return value::KeyEqual(a, b); }
};
// Turns `key` into its hashable form; false when it has none (it then matches by scanning).
bool Hashable(value::Value& key);

struct LevelVisit;
enum class LevelStart : uint32_t;

// A scan's rows whose filters hold (or err), indexed by key and ordered by (t, seq).
struct ScanIndex {
  // Rows with their t alongside, so a probe's binary search reads one contiguous array. A large
  // index's arrays are in huge pages and grow without a copy (facts/large_buffer.h): fewer page faults.
  struct Rows {
    facts::LargeArray<uint32_t, facts::MapFrom::kHugePage> rows;
    facts::LargeArray<int64_t, facts::MapFrom::kHugePage> t;
    // Where the last Machine::Slice of these rows began and ended: probes mostly come in time
    // order, so the next search starts there. Only a hint; an index belongs to one machine.
    mutable size_t first_hint = 0;
    mutable size_t last_hint = 0;
    void Add(uint32_t row, int64_t row_t) {
      rows.push_back(row);
      t.push_back(row_t);
    }
  };
  struct Part {
    Rows all;
    std::unordered_map<value::Value, Rows, KeyHash, KeyEqual> buckets;
    Rows unkeyed;  // rows whose key is not hashable: candidates for every probe
  };
  Part ok;     // every filter true
  Part erred;  // no filter false, one an error
  std::unordered_map<uint32_t, value::Value> errors;  // erred row → its error
  // The first 64 residual conjuncts left to evaluate when every bound is valid (the usual case:
  // the bounds decide the others), for the scan of this index last visited: scans of one index
  // may differ in residuals.
  const plan::Scan* decided_scan = nullptr;
  uint64_t checked = 0;
};

class Machine {
 public:
  // `constants` must outlive the machine (the plan's, or a thread's copy of them). `plan` is null
  // for standalone expressions and constant folding.
  Machine(const plan::Plan* plan, const plan::Code& code, std::span<const value::Value> constants);

  // Native code to run instead of interpreting (null: interpret everything). Must outlive the
  // machine's use of it.
  void set_compiled(const CompiledCode* compiled) { compiled_ = compiled; }
  const CompiledCode* compiled() const { return compiled_; }

  // Starts a session: clears slots and indexes, evaluates the header guards and the slots.
  // `budget` bounds the session's evaluation steps: rows visited by scans, comprehension
  // iterations and aggregate evaluations (a unit native code counts as cheaply as the interpreter).
  void BeginSession(const facts::SessionStore* store, uint64_t budget);
  // Bounds the steps of what follows (standalone expressions, constant folding).
  void set_budget(uint64_t budget) { budget_ = budget; }
  // The budget ran out: every evaluation since returned an error, and queries stopped.
  bool exhausted() const { return steps_ > budget_; }
  // Takes one step; false once the budget is exceeded.
  bool Step() { return ++steps_ <= budget_; }
  uint64_t* steps_counter() { return &steps_; }
  uint64_t budget() const { return budget_; }
  const value::Value& BudgetError();
  bool header_usable(uint32_t guard) const { return header_usable_[guard]; }
  Stats& stats() { return stats_; }
  // The bytes of the memo tables kept for the next session (MemoRows).
  size_t memo_bytes() const;
  // A frame for an owner with `size` registers; register 0 is the header's cursor.
  Frame NewFrame(uint32_t size) const;

  // Evaluates an expression root: its compiled function when there is one, else the interpreter.
  value::Value Eval(plan::ExprId id, Frame& frame);

  // Runs a query in `frame` (outer registers already set); `pending` is the error or unknown
  // carried in from outside, or null.
  void RunQuery(const plan::Query& query, Frame& frame, MatchSink& sink, const value::Value* pending = nullptr);
  // A query of one indexed record scan (with at most 64 residual conjuncts) runs as RunQuery does,
  // in one loop (RunIndexedScan).
  static bool OneIndexedScan(const plan::Query& query) {
    return query.scans.size() == 1 && query.scans[0].source == plan::Scan::Source::kRecords &&
           query.scans[0].indexed && query.scans[0].residual.size() <= 64;
  }
  // `Sink`: a MatchSink, or a Tally (no virtual call per tuple).
  template <class Sink>
  void RunIndexedScan(const plan::Query& query, Frame& frame, Sink& sink);
  // Enters row `row` of a streamed scan `k` (its filters not yet checked) and descends.
  bool EnterRow(const plan::Query& query, size_t k, uint32_t row, Frame& frame, MatchSink& sink,
                const value::Value* pending);
  // The conjuncts `pre` of a query, folded: false when one is false, else the pending error.
  bool CheckAll(std::span<const plan::ExprId> conjuncts, Frame& frame, value::Value& pending);

  // Reads one scalar (or materialises a struct or list) from a table.
  value::Value Read(const facts::Table& table, uint32_t column, uint32_t row, facts::TypeKind kind,
                    facts::TypeId type) const;

  // ---- The node operations compiled code calls (runtime/jit/abi.cpp): the very functions the
  // interpreter's switch uses, so both back ends share them.
  const value::Value& constant(uint32_t index) const { return constants_[index]; }
  const value::Value* constants() const { return constants_.data(); }
  // Where in a machine native code reads constants() without a call (codegen/context.h).
  static constexpr size_t kConstantsOffset = 0;
  const value::Value& slot(uint32_t index) const { return slots_[index]; }
  const plan::Code& code() const { return code_; }
  const plan::Plan* plan() const { return plan_; }
  const facts::SessionStore* store() const { return store_; }
  // The frame the current expression root runs in (aggregates run their queries in it).
  Frame* current_frame() const { return current_frame_; }
  void set_current_frame(Frame* frame) { current_frame_ = frame; }
  value::Value ReadColumn(const Cell& cursor, uint32_t column_ref, uint32_t guard) const;
  value::Value Present(const Cell& cursor, uint32_t column_ref) const;
  value::Value Struct(const Cell& cursor, uint32_t struct_ref) const;
  value::Value ListColumn(const Cell& cursor, uint32_t column_ref) const;
  value::Value ListSize(const Cell& cursor, uint32_t column_ref) const;
  value::Value ListContains(const Cell& cursor, uint32_t column_ref, const value::Value& needle) const;
  value::Value Select(const value::Value& operand, const value::Value& field, bool test_only) const;
  value::Value Dispatch(uint32_t overload_set, std::span<const value::Value> args) const;
  value::Value Aggregate(uint32_t aggregate, Frame& frame);
  // ---- What native code answering a counted or extreme_of_t aggregate itself uses (the steps of
  // AnswerByRange): the session's index of a scan (built on first use), an aggregate's result from
  // the rows of its index within the bounds (null when `pre` was false: there are then none), and
  // the general path, run as a query.
  ScanIndex& Index(const plan::Scan& scan, Frame& frame) {
    ScanIndex* built = indexes_[scan.index].get();
    return built != nullptr ? *built : BuildIndex(scan, frame);
  }
  // Time bounds of a scan: `valid` has bit i set when bound i had a duration value.
  struct Range {
    int64_t lo = INT64_MIN;
    int64_t hi = INT64_MAX;
    uint64_t valid = 0;
    bool empty() const { return lo > hi; }
  };
  // [first, last) of `rows` (in (t, seq) order) whose t is within `range`; all of them when no
  // bound was valid.
  std::pair<size_t, size_t> Slice(const ScanIndex::Rows& rows, const Range& range) {
    if (range.empty() || rows.t.empty()) return {0, 0};
    if (range.valid == 0) return {0, rows.t.size()};
    return SearchSlice(rows, range);
  }
  void AnswerRange(const plan::Aggregate& aggregate, const ScanIndex* index, const Range& range, value::Value& out);
  // An exists or count aggregate over a query that OneIndexedScan accepts and that has no `pre`, its
  // scan's bounds already evaluated into `range` (by native code, as Bounds evaluates them): the
  // rest of the general path, in the current frame.
  value::Value AggregateInRange(const plan::Aggregate& aggregate, ScanIndex& index, const Range& range);
  value::Value AggregateByQuery(const plan::Aggregate& aggregate, Frame& frame);
  // A memo function's value for the record at `argument`'s cursor (by_string, by_value: for its
  // value): computed (by Eval, so natively when compiled) the first time in the session, then
  // the cached value.
  value::Value Memo(uint32_t function, const Cell& argument);
  // Function `function`'s view, at an address that holds for the session (memos_ is not resized).
  const MemoView* memo_view(uint32_t function) const { return &memos_[function].view; }
  // Memo, borrowing: the cached value, which stays put until the session ends (cached by row, by
  // string or by value alike), or, for an argument that is no key, the value computed into `scratch`.
  const value::Value* MemoRef(uint32_t function, const Cell& argument, value::Value& scratch);
  // By string or by value: the cached value of `argument` when the front cache holds its
  // characters or its key (a hit, counted), else null (MemoRef then answers). Null for a function
  // by row.
  const value::Value* MemoFrontHit(uint32_t function, const value::Value& argument);
  // A list column's element rows [begin, end) for FoldColumn; an error when the list is absent.
  value::Value ColumnElements(const Cell& cursor, uint32_t access, const facts::Table*& elements, uint32_t& begin,
                              uint32_t& end) const;
  // One element of a list column as a CEL value (filter keeps it).
  value::Value ColumnElement(uint32_t access, const facts::Table& elements, uint32_t row) const;
  // Continues a streamed first-scan row at scan `k` (past the last: the sink), native code having
  // run the scans before it; `pending` is what they left (or null). False: the query stopped.
  bool ContinueAt(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink, const value::Value* pending);
  // ---- What native code looping over a later indexed record scan's rows uses (native_levels.cpp):
  // LevelIndexed's start of level `k` (the rows themselves when a bound is no duration), and its
  // next slice of rows; false after the last.
  LevelStart BeginLevel(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink,
                        const value::Value* pending, LevelVisit& visit, value::Value& key);
  bool NextLevelSlice(LevelVisit& visit, const value::Value& key);

 private:
  // ---- eval.cpp ----------------------------------------------------------------------------
  value::Value EvalNode(plan::ExprId id, Frame& frame);
  // An operand: constants, registers and columns read in place, anything else by EvalNode.
  value::Value EvalChild(plan::ExprId id, Frame& frame);
  // An operand where it lives (a constant, a register, a slot: nothing an operand evaluated after
  // it can change), or evaluated into `scratch`.
  const value::Value& Operand(plan::ExprId id, Frame& frame, value::Value& scratch);
  // The ops that hold a value across a nested evaluation, out of EvalNode so its hot cases are
  // leaves and tail calls.
  value::Value EvalCompound(const plan::Node& node, Frame& frame);
  value::Value EvalCall(const plan::Node& node, Frame& frame);
  value::Value EvalDispatch(const plan::Node& node, Frame& frame);
  value::Value EvalLogical(const plan::Node& node, Frame& frame);
  value::Value EvalTemplate(const plan::Node& node, Frame& frame);

  // ---- columns.cpp -------------------------------------------------------------------------
  value::Value Absent(const plan::ColumnRef& ref, const Cell& cursor) const;
  value::Value MaterializeStruct(const facts::Table& table, uint32_t row, facts::TypeId type, uint32_t first) const;
  value::Value MaterializeList(const facts::Column& column, uint32_t row, facts::TypeId list_type) const;

  // ---- fold.cpp ----------------------------------------------------------------------------
  value::Value EvalFold(const plan::Node& node, Frame& frame);
  value::Value EvalFoldColumn(const plan::Node& node, Frame& frame);

  // ---- query.cpp ---------------------------------------------------------------------------
  // The rows of an indexed scan with `t` in [lo, hi]; `valid` has bit i set when bound i had a
  // duration value (only those narrow; the others leave their conjunct to be evaluated).
  Range Bounds(const plan::Scan& scan, Frame& frame);
  // Index's first use in the session: builds the index.
  ScanIndex& BuildIndex(const plan::Scan& scan, Frame& frame);
  // Slice of a valid, non-empty range over non-empty rows: searches from the rows' hints.
  std::pair<size_t, size_t> SearchSlice(const ScanIndex::Rows& rows, const Range& range);
  // RunIndexedScan past `pre` (which left `carried`), the index and the bounds.
  template <class Sink>
  void ScanInRange(const plan::Query& query, ScanIndex& index, const Range& range, Frame& frame, Sink& sink,
                   const value::Value& carried);
  bool Level(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink, const value::Value* pending);
  bool Residual(const plan::Scan& scan, Frame& frame, uint64_t bounds_valid, value::Value& pending);
  // `checked`: the first 64 residual conjuncts the bounds leave to evaluate (bit by bit), computed
  // once per visit of the level.
  bool Descend(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink, const value::Value* pending,
               uint64_t checked, uint64_t bounds_valid, const value::Value* row_error);
  bool LevelIndexed(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink, const value::Value* pending);
  // The first 64 residual conjuncts a scan of `index` with bounds `bounds_valid` leaves to evaluate.
  uint64_t IndexedResiduals(ScanIndex& index, const plan::Scan& scan, uint64_t bounds_valid);
  bool LevelElements(const plan::Query& query, size_t k, Frame& frame, MatchSink& sink, const value::Value* pending);

  // ---- aggregate.cpp -----------------------------------------------------------------------
  // Answers a `counted` or `extreme_of_t` aggregate from its index; false when it must be run as a
  // query (a bound's value was not a duration, or `pre` erred).
  bool AnswerByRange(const plan::Aggregate& aggregate, Frame& frame, value::Value& result);

  // ---- memo.cpp ----------------------------------------------------------------------------
  // One memo function's values in the current session, by row of its kind's table (sized at the
  // first call) or, by_string, by the string's bytes, or, by_value, by the scalar's bits, and the
  // frame it is computed in (it cannot call itself, so one suffices).
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  struct ValueKey {
    uint64_t bits = 0;
    int32_t nanos = 0;  // a timestamp's
    bool operator==(const ValueKey&) const = default;
  };
  struct ValueKeyHash {
    size_t operator()(const ValueKey& key) const { return std::hash<uint64_t>{}(key.bits ^ (uint64_t(key.nanos) << 32)); }
  };
  // The key of `argument`, a value of a by_value function's kind: its bits within the kind.
  static ValueKey KeyOf(const value::Value& argument);
  // by_value's entries by their key's bits, direct-mapped: only a hint, as string_front is.
  struct ValueFrontEntry {
    ValueKey key;
    const value::Value* value = nullptr;
  };
  static constexpr size_t kValueFrontBits = 6;
  // by_string's entries by where the argument's characters are: a session's and a plan's strings
  // are interned, so the same text usually arrives at the same address. `text` holds the string
  // the entry was made for, so its storage stays put and the same address and size are the same
  // text, without reading it (`data` and `size` are its characters', compared without decoding
  // `text`). Only a hint: a miss falls back to the hash.
  struct StringFrontEntry {
    const char* data = nullptr;
    size_t size = 0;
    const value::Value* value = nullptr;
    value::Value text;
  };
  static constexpr size_t kStringFrontBits = 8;
  // Fibonacci hashing: the top bits of the product depend on every bit of the address.
  static size_t FrontSlot(const char* data) {
    return (reinterpret_cast<uintptr_t>(data) * 0x9e3779b97f4a7c15ULL) >> (64 - kStringFrontBits);
  }
  static size_t FrontSlot(const ValueKey& key) {
    return ((key.bits ^ (uint64_t(key.nanos) << 32)) * 0x9e3779b97f4a7c15ULL) >> (64 - kValueFrontBits);
  }
  // A by-row function's values and filled bits (MemoView's; bits, as bytes would crowd the caches)
  // in one zeroed block (facts/large_buffer.h). An unfilled row's value is null, whose bytes are all zero,
  // so sizing the table writes nothing and a page is first touched when a row on it is filled; only
  // filled rows are released. The block outlives its session: a next session with no more rows
  // reuses it, its pages already touched, unless it is far larger than that session needs (Fit).
  class MemoRows {
   public:
    MemoRows() = default;
    MemoRows(MemoRows&& other) noexcept { Swap(other); }
    MemoRows& operator=(MemoRows&& other) noexcept {
      MemoRows(std::move(other)).Swap(*this);
      return *this;
    }
    ~MemoRows();
    // `rows` unfilled rows; the rows of before must have been cleared.
    void Size(uint32_t rows);
    // Releases the filled rows' values and clears their bits: no row is filled.
    void Clear();
    // Frees a cleared block that holds far more than `rows` rows (over four times, and a few pages),
    // so that one large session does not leave its memory with a pooled evaluator for good.
    void Fit(uint32_t rows);
    size_t bytes() const { return bytes_; }
    value::Value* values() const { return values_; }
    uint64_t* filled() const { return filled_; }
    uint32_t rows() const { return rows_; }

   private:
    void Swap(MemoRows& other) noexcept;
    void* block_ = nullptr;
    size_t bytes_ = 0;
    uint32_t capacity_ = 0;  // rows the block holds
    uint32_t rows_ = 0;
    uint64_t* filled_ = nullptr;      // the block's start, words for capacity_ rows
    value::Value* values_ = nullptr;  // after them
  };
  struct MemoCache {
    const facts::Table* table = nullptr;
    MemoRows rows;
    std::unordered_map<std::string, value::Value, StringHash, std::equal_to<>> by_string;
    std::vector<StringFrontEntry> string_front;  // 2^kStringFrontBits, sized at the first call
    std::unordered_map<ValueKey, value::Value, ValueKeyHash> by_value;
    value::Kind value_kind = value::Kind::kNull;  // by_value's, once value_front is sized
    std::vector<ValueFrontEntry> value_front;     // 2^kValueFrontBits, sized at the first call
    Frame frame;
    MemoView view;  // of table and rows, once sized
    // Empties the cache for a new session whose by-row table has `session_rows` rows, keeping the
    // rows' block if it fits them.
    void Reset(uint32_t session_rows);
  };
  // The rows of `memo`'s by-row table in a session of `store` (0 for a function by string or value).
  static uint32_t MemoRowsNeeded(const plan::MemoFunction& memo, const facts::SessionStore& store);
  const value::Value* MemoByRow(const plan::MemoFunction& memo, MemoCache& cache, const Cell& cursor,
                                value::Value& scratch);
  const value::Value* MemoByString(const plan::MemoFunction& memo, MemoCache& cache, const value::Value& argument,
                                   value::Value& scratch);
  // The cached value of `text` when the front holds its characters (a hit, counted), else null.
  const value::Value* FrontHit(const MemoCache& cache, std::string_view text);
  // The cached value of `key` when the front holds it (a hit, counted), else null.
  const value::Value* FrontHit(const MemoCache& cache, const ValueKey& key);
  const value::Value* MemoByValue(const plan::MemoFunction& memo, MemoCache& cache, const value::Value& argument,
                                  value::Value& scratch);
  value::Value ComputeByArgument(const plan::MemoFunction& memo, MemoCache& cache, const value::Value& argument);

  // First: native code reads the constants' address at kConstantsOffset (a span's first word is
  // its data pointer; jit_machine_layout_test checks it).
  std::span<const value::Value> constants_;
  const plan::Plan* plan_;
  const plan::Code& code_;
  const CompiledCode* compiled_ = nullptr;
  Frame* current_frame_ = nullptr;
  const facts::SessionStore* store_ = nullptr;
  std::vector<value::Value> slots_;
  std::vector<std::unique_ptr<ScanIndex>> indexes_;
  std::vector<MemoCache> memos_;  // by memo function
  std::vector<bool> header_usable_;
  Stats stats_;
  uint64_t steps_ = 0;
  uint64_t budget_ = UINT64_MAX;
  value::Value budget_error_;
};

// Combines a conjunct's error or unknown into the pending one: the first unknown wins, else
// the first error (CEL's `&&`, which is commutative in what it absorbs).
void Combine(value::Value& pending, const value::Value& v);
// A template part as text: strings verbatim, other values printed readably.
void AppendTemplatePart(std::string& text, const value::Value& part);

// What an exists or count aggregate keeps of its query's tuples (`exists` absorbs errors like `||`;
// count takes the first), as a sink the indexed scan calls without a virtual call per tuple.
struct Tally {
  bool exists = false;  // else count
  bool found = false;
  int64_t count = 0;
  value::Value error;

  bool Match(Frame&, const value::Value* pending) {
    if (pending != nullptr) {
      if (!exists) {
        error = *pending;
        return false;
      }
      Combine(error, *pending);
      return true;
    }
    if (!exists) {
      ++count;
      return true;
    }
    found = true;
    return false;
  }
  value::Value Result() const {
    if (exists && found) return value::Value::Bool(true);
    if (!error.is_null()) return error;
    return exists ? value::Value::Bool(false) : value::Value::Int(count);
  }
};

// Inline: native code's memo helper tries it on every call of a function by string or by value.
// By string first: most calls are.
inline const value::Value* Machine::MemoFrontHit(uint32_t function, const value::Value& argument) {
  const MemoCache& cache = memos_[function];
  if (!cache.string_front.empty()) return argument.is_string() ? FrontHit(cache, argument.string_value()) : nullptr;
  if (cache.value_front.empty() || argument.kind() != cache.value_kind) return nullptr;
  return FrontHit(cache, KeyOf(argument));
}

inline Machine::ValueKey Machine::KeyOf(const value::Value& argument) {
  switch (argument.kind()) {
    case value::Kind::kBool: return {argument.bool_value(), 0};
    case value::Kind::kUint: return {argument.uint_value(), 0};
    case value::Kind::kDuration: return {static_cast<uint64_t>(argument.duration_nanos()), 0};
    case value::Kind::kTimestamp: return {static_cast<uint64_t>(argument.timestamp_seconds()), argument.timestamp_nanos()};
    default: return {static_cast<uint64_t>(argument.int_value()), 0};
  }
}

inline const value::Value* Machine::FrontHit(const MemoCache& cache, const ValueKey& key) {
  const ValueFrontEntry& front = cache.value_front[FrontSlot(key)];
  if (front.value == nullptr || !(front.key == key)) return nullptr;
  ++stats_.memo_hits;
  return front.value;
}

inline const value::Value* Machine::FrontHit(const MemoCache& cache, std::string_view text) {
  const StringFrontEntry& front = cache.string_front[FrontSlot(text.data())];
  if (front.data != text.data() || front.size != text.size() || front.value == nullptr) return nullptr;
  ++stats_.memo_hits;
  return front.value;
}

}  // namespace edict::interp
