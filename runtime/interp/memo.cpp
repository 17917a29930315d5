// Memo functions' values, cached per session and row, string or scalar (plan.h): the first call
// for a row (a string, a scalar) computes it, every later call of any rule reads it. Plan ops are
// pure, so the cached value, errors included, is what computing it again would give; only
// computing takes evaluation steps.
#include <bit>
#include <utility>

#include "runtime/facts/large_buffer.h"
#include "runtime/interp/cost_profile.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

using value::Value;

namespace {

bool Filled(const uint64_t* filled, uint32_t row) { return (filled[row / 64] >> (row % 64)) & 1; }

size_t FilledWords(uint32_t rows) { return (size_t{rows} + 63) / 64; }

// A block is kept for a session that needs at most a quarter of its rows, give or take a few pages:
// reusing it saves that session's first touches of them.
constexpr uint32_t kKeptRowsFactor = 4;
constexpr uint32_t kKeptRowsSlack = 4096;

}  // namespace

// A zeroed row is a null value (MemoRows): kNull is the zero kind, and the other members are zero.
static_assert(value::Kind::kNull == value::Kind{0});

Machine::MemoRows::~MemoRows() {
  Clear();
  facts::FreeLargeBuffer(block_, bytes_, facts::MapFrom::kHugePage);
}

void Machine::MemoRows::Swap(MemoRows& other) noexcept {
  std::swap(block_, other.block_);
  std::swap(bytes_, other.bytes_);
  std::swap(capacity_, other.capacity_);
  std::swap(rows_, other.rows_);
  std::swap(filled_, other.filled_);
  std::swap(values_, other.values_);
}

void Machine::MemoRows::Size(uint32_t rows) {
  if (rows > capacity_) {
    MemoRows().Swap(*this);
    // Values after the bits, at 16 bytes: a block starts aligned for a Value.
    size_t filled_bytes = (FilledWords(rows) * sizeof(uint64_t) + 15) / 16 * 16;
    bytes_ = filled_bytes + size_t{rows} * sizeof(Value);
    block_ = facts::AllocateLargeBuffer(bytes_, facts::MapFrom::kHugePage);
    capacity_ = rows;
    filled_ = static_cast<uint64_t*>(block_);
    values_ = reinterpret_cast<Value*>(static_cast<char*>(block_) + filled_bytes);
  }
  rows_ = rows;
}

void Machine::MemoRows::Clear() {
  for (size_t word = 0; word < FilledWords(rows_); ++word) {
    uint64_t bits = filled_[word];
    if (bits == 0) continue;
    filled_[word] = 0;
    for (; bits != 0; bits &= bits - 1) values_[word * 64 + std::countr_zero(bits)] = Value();
  }
  rows_ = 0;
}

void Machine::MemoRows::Fit(uint32_t rows) {
  if (capacity_ <= uint64_t{kKeptRowsFactor} * rows + kKeptRowsSlack) return;
  MemoRows().Swap(*this);
}

void Machine::MemoCache::Reset(uint32_t session_rows) {
  MemoRows kept = std::move(rows);
  kept.Clear();
  kept.Fit(session_rows);
  *this = MemoCache();
  rows = std::move(kept);
}

uint32_t Machine::MemoRowsNeeded(const plan::MemoFunction& memo, const facts::SessionStore& store) {
  if (memo.by_string || memo.by_value != value::Kind::kNull) return 0;
  return static_cast<uint32_t>(store.records(memo.kind).fields.rows());
}

size_t Machine::memo_bytes() const {
  size_t bytes = 0;
  for (const MemoCache& cache : memos_) bytes += cache.rows.bytes();
  return bytes;
}

Value Machine::Memo(uint32_t function, const Cell& argument) {
  // A by-row hit as native code's pass loops take it (memo_emitter.cpp).
  const MemoView& view = memos_[function].view;
  if (argument.table == view.table && argument.row < view.rows && Filled(view.filled, argument.row)) {
    ++stats_.memo_hits;
    return view.values[argument.row];
  }
  Value scratch;
  const Value* value = MemoRef(function, argument, scratch);
  return value == &scratch ? std::move(scratch) : *value;
}

const Value* Machine::MemoRef(uint32_t function, const Cell& argument, Value& scratch) {
  const plan::MemoFunction& memo = plan_->memo_functions[function];
  MemoCache& cache = memos_[function];
  if (memo.by_string) return MemoByString(memo, cache, argument.value, scratch);
  if (memo.by_value != value::Kind::kNull) return MemoByValue(memo, cache, argument.value, scratch);
  return MemoByRow(memo, cache, argument, scratch);
}

// Values are borrowed (MemoRef, MemoView): the vectors are sized at the first call and never
// again in the session, and an entry is written only while it is unfilled.
const Value* Machine::MemoByRow(const plan::MemoFunction& memo, MemoCache& cache, const Cell& cursor, Value& scratch) {
  if (cache.table == nullptr) {
    cache.table = &store_->records(memo.kind).fields;
    cache.rows.Size(static_cast<uint32_t>(cache.table->rows()));
    cache.frame = NewFrame(memo.frame_size);
    ExprFn body = nullptr;
    if (compiled_ != nullptr && memo.expr < compiled_->exprs.size() && !cost_profile::Enabled()) {
      body = compiled_->exprs[memo.expr];
    }
    cache.view = {cache.table, cache.rows.values(), cache.rows.filled(), cache.rows.rows(),
                  &stats_.memo_hits, &stats_.memo_misses, body, &cache.frame[memo.param], &cache.frame};
  }
  bool cacheable = cursor.table == cache.table && cursor.row < cache.rows.rows();
  if (cacheable && Filled(cache.rows.filled(), cursor.row)) {
    ++stats_.memo_hits;
    return &cache.rows.values()[cursor.row];
  }
  ++stats_.memo_misses;
  Cell& param = cache.frame[memo.param];
  param.table = cursor.table;
  param.row = cursor.row;
  cost_profile::Scope profiled("memo", memo.name);
  Value& result = cacheable ? cache.rows.values()[cursor.row] : scratch;
  result = Eval(memo.expr, cache.frame);
  if (cacheable) cache.rows.filled()[cursor.row / 64] |= uint64_t{1} << (cursor.row % 64);
  return &result;
}

// A miss of a function of a string or a scalar: the body in the function's frame, given `argument`.
Value Machine::ComputeByArgument(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument) {
  ++stats_.memo_misses;
  if (cache.frame.empty()) cache.frame = NewFrame(memo.frame_size);
  cache.frame[memo.param].value = argument;
  cost_profile::Scope profiled("memo", memo.name);
  return Eval(memo.expr, cache.frame);
}

// An argument that is not a string (an error, an unknown) is no key: the body runs with it, as
// the inlined call's would, and its value is not kept. Map entries never move (unordered_map
// nodes), so a cached value is borrowed like a row's.
const Value* Machine::MemoByString(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument,
                                   Value& scratch) {
  bool cacheable = argument.is_string();
  StringFrontEntry* front = nullptr;
  if (cacheable) {
    std::string_view text = argument.string_value();
    if (cache.string_front.empty()) cache.string_front.resize(size_t{1} << kStringFrontBits);
    if (const Value* hit = FrontHit(cache, text)) return hit;
    front = &cache.string_front[FrontSlot(text.data())];
    auto known = cache.by_string.find(text);
    if (known != cache.by_string.end()) {
      ++stats_.memo_hits;
      *front = {text.data(), text.size(), &known->second, argument};
      return &known->second;
    }
  }
  scratch = ComputeByArgument(memo, cache, argument);
  if (!cacheable) return &scratch;
  std::string_view text = argument.string_value();
  const Value* added = &cache.by_string.emplace(text, std::move(scratch)).first->second;
  *front = {text.data(), text.size(), added, argument};
  return added;
}

// As by string: only a value of the parameter's kind is a key; bits identify it within the kind.
const Value* Machine::MemoByValue(const plan::MemoFunction& memo, MemoCache& cache, const Value& argument,
                                  Value& scratch) {
  bool cacheable = argument.kind() == memo.by_value;
  ValueKey key;
  ValueFrontEntry* front = nullptr;
  if (cacheable) {
    key = KeyOf(argument);
    if (cache.value_front.empty()) {
      cache.value_front.resize(size_t{1} << kValueFrontBits);
      cache.value_kind = memo.by_value;
    }
    if (const Value* hit = FrontHit(cache, key)) return hit;
    front = &cache.value_front[FrontSlot(key)];
    auto known = cache.by_value.find(key);
    if (known != cache.by_value.end()) {
      ++stats_.memo_hits;
      *front = {key, &known->second};
      return &known->second;
    }
  }
  scratch = ComputeByArgument(memo, cache, argument);
  if (!cacheable) return &scratch;
  const Value* added = &cache.by_value.emplace(key, std::move(scratch)).first->second;
  *front = {key, added};
  return added;
}

}  // namespace edict::interp
