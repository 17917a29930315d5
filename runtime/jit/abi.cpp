// The runtime helpers of compiled code. Values cross the boundary by pointer; an `out` Value is
// assigned, or built in place once it owns nothing, so a slot reused by a loop releases its old
// value.
#include "runtime/jit/abi.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "compiler/codegen/const_table.h"
#include "runtime/interp/fold_state.h"
#include "runtime/interp/id_set_fold.h"
#include "runtime/interp/machine.h"
#include "runtime/interp/native_levels.h"
#include "runtime/value/call_operands.h"
#include "runtime/value/containers.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/errors.h"
#include "runtime/value/logic.h"
#include "runtime/value/text_hash.h"

using edict::interp::Cell;
using edict::interp::FoldState;
using edict::interp::Machine;
using edict::value::Value;

namespace {

// The layouts the code generator relies on (compiler/codegen/context.h, pass_emitter.cpp,
// index_emitter.cpp).
static_assert(sizeof(Value) == 16 && alignof(Value) == 8);
static_assert(sizeof(Cell) == 32 && offsetof(Cell, table) == 16 && offsetof(Cell, row) == 24);
static_assert(offsetof(edict::interp::PassRun, machine) == 0 && offsetof(edict::interp::PassRun, table) == 8 &&
              offsetof(edict::interp::PassRun, rows) == 16 && offsetof(edict::interp::PassRun, active) == 24 &&
              offsetof(edict::interp::PassRun, cells) == 32 && offsetof(edict::interp::PassRun, frames) == 40 &&
              offsetof(edict::interp::PassRun, resume) == 48 && offsetof(edict::interp::PassRun, steps) == 64 &&
              offsetof(edict::interp::PassRun, budget) == 72 && offsetof(edict::interp::PassRun, records) == 80 &&
              offsetof(edict::interp::PassRun, pre) == 88);
static_assert(offsetof(edict::interp::IndexRun, machine) == 0 && offsetof(edict::interp::IndexRun, table) == 8 &&
              offsetof(edict::interp::IndexRun, rows) == 16 && offsetof(edict::interp::IndexRun, cells) == 24 &&
              offsetof(edict::interp::IndexRun, add) == 32 && offsetof(edict::interp::IndexRun, steps) == 48 &&
              offsetof(edict::interp::IndexRun, budget) == 56 && offsetof(edict::interp::IndexRun, records) == 64);
static_assert(offsetof(edict::interp::MemoView, table) == 0 && offsetof(edict::interp::MemoView, values) == 8 &&
              offsetof(edict::interp::MemoView, filled) == 16 && offsetof(edict::interp::MemoView, rows) == 24 &&
              offsetof(edict::interp::MemoView, hits) == 32);  // codegen/memo_emitter.cpp
static_assert(offsetof(edict::interp::LevelVisit, rows) == 0 && offsetof(edict::interp::LevelVisit, first) == 8 &&
              offsetof(edict::interp::LevelVisit, last) == 16 && offsetof(edict::interp::LevelVisit, erred) == 24 &&
              offsetof(edict::interp::LevelVisit, table) == 32 && offsetof(edict::interp::LevelVisit, comparisons) == 40 &&
              sizeof(edict::interp::LevelVisit) <= 96);  // codegen/row_emitter.cpp
// A list's count follows its 4-byte reference count (codegen's kListRepSizeOffset).
static_assert(sizeof(edict::value::internal::HeapHeader) == 4 && sizeof(edict::value::ListRep) == 16);
static_assert(Machine::kConstantsOffset == 0);

const edict::facts::Table& TableOf(const void* table) { return *static_cast<const edict::facts::Table*>(table); }

// Arguments arrive as pointers (to slots, constants, registers); the builtins take a span.
std::array<Value, edict::value::kMaxArity> Arguments(const Value* const* args, uint32_t count) {
  std::array<Value, edict::value::kMaxArity> values;
  for (uint32_t i = 0; i < count && i < values.size(); ++i) values[i] = *args[i];
  return values;
}

// The range's key for iteration `i`: the index of a list (or a list column: no range), the key
// of a map.
Value KeyOf(const Value* range, int64_t i) {
  if (range != nullptr && range->is_map()) return range->map().key(static_cast<size_t>(i));
  return Value::Int(i);
}

// A map's value under a string key, as MapRep::Find gives it without Find's dispatch on the key's kind.
inline const Value* FindString(const edict::value::MapRep& map, const Value& key) {
  int64_t index = map.IndexOfString(key.string_value());
  return index < 0 ? nullptr : &map.value(static_cast<size_t>(index));
}

// A column the text helpers do not read themselves, as ReadColumn reads it (an absent one: its error).
[[gnu::noinline, gnu::cold]] void ReadColumnCall(Machine* m, const Cell* cursor, uint32_t column_ref, Value* out) {
  *out = m->ReadColumn(*cursor, column_ref, edict::plan::kNone);
}

// `*out = make()` with the result built in `out` itself, no temporary copied: what `out` held (a
// slot reused by a loop) is released first. Only for results made from no Value but the state of
// the machine or of a fold, so that `out` cannot be one of their inputs.
template <typename Make>
inline void Emplace(Value* out, Make&& make) {
  if (out->owns_storage()) [[unlikely]] *out = Value();
  ::new (static_cast<void*>(out)) Value(make());  // the prvalue initialises *out itself
}

// A string column's row as the session pool's text: false when it is absent or too long to be
// held unowned.
inline bool PoolText(Machine* m, const Cell* cursor, uint32_t column, std::string_view& text) {
  const edict::facts::Column& c = cursor->table->column(column);
  uint32_t row = cursor->row;
  if (!c.present(row)) return false;
  text = m->store()->strings().text(c.ids()[row]);
  return text.size() <= static_cast<size_t>(INT32_MAX);
}

// column_string's rare cases: `out` owns a value, or the row has no text to hold unowned.
[[gnu::noinline, gnu::cold]] void ColumnStringCall(Machine* m, const Cell* cursor, uint32_t column_ref, uint32_t column,
                                                   Value* out) {
  std::string_view text;
  if (PoolText(m, cursor, column, text)) {
    *out = Value::UnownedString(text);
  } else {
    ReadColumnCall(m, cursor, column_ref, out);
  }
}

// What a constant's key table does not answer (codegen/const_map_emitter.cpp), out of the lookups'
// way: the overload, or the index and select helpers' answers.
[[gnu::noinline, gnu::cold]] void ConstInCall(const Value* key, const Value* container, uint32_t overload, Value* out) {
  *out = edict::value::Call(static_cast<edict::value::Overload>(overload), *key, *container);
}
[[gnu::noinline, gnu::cold]] const Value* ConstIndexCall(const Value* map, const Value* key, Value* out);
[[gnu::noinline, gnu::cold]] const Value* ConstFieldCall(Machine* m, const Value* map, const Value* key, uint32_t field,
                                                         Value* scratch, Value* out);

}  // namespace

extern "C" {

// ---- Values

void edict_rt_release(Value* value) { *value = Value(); }
void edict_rt_release_n(Value* values, uint32_t count) {
  // At the end most slots own nothing (bools, ints, unowned strings): eight slots' owns bytes (byte
  // 1 of a Value, as compiled code tests it) are tested at once, ORed a word per Value, the last
  // few after a jump to their count, and only a group with an owner is released slot by slot. The
  // slots die with the native function's frame.
  static_assert(std::endian::native == std::endian::little);
  auto word = [](const Value* value) {
    uint64_t w;
    std::memcpy(&w, value, sizeof w);
    return w;
  };
  auto release = [&word](Value* group, Value* end) {
    for (; group != end; ++group) {
      if ((word(group) & 0xff00) != 0) *group = Value();
    }
  };
  Value* end = values + count;
  Value* at = values;
  for (; end - at >= 8; at += 8) {
    uint64_t owns = word(at) | word(at + 1) | word(at + 2) | word(at + 3) | word(at + 4) | word(at + 5) |
                    word(at + 6) | word(at + 7);
    if ((owns & 0xff00) != 0) [[unlikely]] release(at, at + 8);
  }
  uint64_t owns = 0;
  switch (end - at) {
    case 7: owns |= word(at + 6); [[fallthrough]];
    case 6: owns |= word(at + 5); [[fallthrough]];
    case 5: owns |= word(at + 4); [[fallthrough]];
    case 4: owns |= word(at + 3); [[fallthrough]];
    case 3: owns |= word(at + 2); [[fallthrough]];
    case 2: owns |= word(at + 1); [[fallthrough]];
    case 1: owns |= word(at); break;
    default: break;
  }
  if ((owns & 0xff00) != 0) release(at, end);
}
void edict_rt_copy(Value* dst, const Value* src) { *dst = *src; }
const Value* edict_rt_slot(Machine* m, uint32_t slot) { return &m->slot(slot); }
void edict_rt_budget_error(Machine* m, Value* out) { *out = m->BudgetError(); }
uint32_t edict_rt_step(Machine* m) { return m->Step() ? 1 : 0; }

// ---- Leaves over the columnar store

void edict_rt_column(Machine* m, const Cell* cursor, uint32_t column_ref, uint32_t guard, Value* out) {
  *out = m->ReadColumn(*cursor, column_ref, guard);
}
void edict_rt_present(Machine* m, const Cell* cursor, uint32_t column_ref, Value* out) {
  *out = m->Present(*cursor, column_ref);
}
void edict_rt_struct(Machine* m, const Cell* cursor, uint32_t struct_ref, Value* out) {
  *out = m->Struct(*cursor, struct_ref);
}
void edict_rt_list_column(Machine* m, const Cell* cursor, uint32_t column_ref, Value* out) {
  *out = m->ListColumn(*cursor, column_ref);
}
void edict_rt_list_size(Machine* m, const Cell* cursor, uint32_t column_ref, Value* out) {
  *out = m->ListSize(*cursor, column_ref);
}
void edict_rt_list_contains(Machine* m, const Cell* cursor, uint32_t column_ref, const Value* needle, Value* out) {
  *out = m->ListContains(*cursor, column_ref, *needle);
}
uint32_t edict_rt_column_text_is(Machine* m, const void* table, uint32_t column, uint32_t row, const Value* text) {
  const edict::facts::Column& c = TableOf(table).column(column);
  if (!c.present(row)) return 2;
  return m->store()->strings().text(c.ids()[row]) == text->string_value() ? 1 : 0;
}
// ReadColumn's text kinds, told the column, type and kind instead of looking the column ref up:
// Machine::Read's value (an enum's schema text or a data type's name, unowned) read here, without
// Read's dispatch and its return through memory, or ReadColumn's error for an absent one.
void edict_rt_column_text(Machine* m, const Cell* cursor, uint32_t column_ref, uint32_t column, uint32_t type_kind,
                          Value* out) {
  const edict::facts::Column& c = cursor->table->column(column);
  uint32_t row = cursor->row;
  if (!c.present(row)) [[unlikely]] {
    ReadColumnCall(m, cursor, column_ref, out);
    return;
  }
  auto kind = static_cast<edict::facts::TypeKind>(type_kind & 0xff);
  if (kind == edict::facts::TypeKind::kEnum) {
    *out = Value::UnownedString(m->store()->schema().type(type_kind >> 8).enum_values[c.codes()[row]]);
  } else if (kind == edict::facts::TypeKind::kDataType) {
    *out = Value::UnownedString(m->store()->data_types().name(c.ids()[row]));
  } else {
    *out = m->Read(*cursor->table, column, row, kind, type_kind >> 8);
  }
}
// Machine::Read's string case (the session pool's text, unowned) with the text kinds' dispatch and
// the Value's return through memory left out: the reads of the pass loops and evidence. An absent
// value (ReadColumn's error) and a text too long to be held unowned are the machine's, out of the
// way, so that the common case builds its Value in registers; so is an `out` that owns a value (its
// slot is only written here: in a loop, an earlier row's error), so that the common case, with
// nothing to release, calls nothing and needs no frame.
void edict_rt_column_string(Machine* m, const Cell* cursor, uint32_t column_ref, uint32_t column, Value* out) {
  std::string_view text;
  if (!out->owns_storage() && PoolText(m, cursor, column, text)) [[likely]] {
    std::construct_at(out, Value::UnownedString(text));
    return;
  }
  ColumnStringCall(m, cursor, column_ref, column, out);
}
uint32_t edict_rt_string_id(Machine* m, const Value* text) {
  if (m->store() == nullptr || !text->is_string()) return ~uint32_t{0};
  std::optional<uint32_t> id = m->store()->strings().Find(text->string_value());
  return id ? *id : ~uint32_t{0};
}

// ---- Generic CEL

void edict_rt_select(Machine* m, const Value* operand, uint32_t field, uint32_t test_only, Value* out) {
  *out = m->Select(*operand, m->constant(field), test_only != 0);
}
void edict_rt_call(uint32_t overload, const Value* const* args, uint32_t count, Value* out) {
  count = std::min<uint32_t>(count, edict::value::kMaxArity);
  std::array<Value, edict::value::kMaxArity> values = Arguments(args, count);
  *out = edict::value::Call(static_cast<edict::value::Overload>(overload), std::span<const Value>(values.data(), count));
}
void edict_rt_call1(uint32_t overload, const Value* arg, Value* out) {
  *out = edict::value::Call(static_cast<edict::value::Overload>(overload), *arg);
}
void edict_rt_call2(uint32_t overload, const Value* first, const Value* second, Value* out) {
  *out = edict::value::Call(static_cast<edict::value::Overload>(overload), *first, *second);
}
// Strings are equal when their bytes are (value::Call's answer); anything else is value::Call's.
void edict_rt_equals(uint32_t overload, const Value* first, const Value* second, Value* out) {
  if (first->is_string() && second->is_string()) {
    bool equal = edict::value::EqualText(first->string_value(), second->string_value());
    *out = Value::Bool(equal == (overload == static_cast<uint32_t>(edict::value::Overload::equals)));
    return;
  }
  edict_rt_call2(overload, first, second, out);
}
void edict_rt_dispatch(Machine* m, uint32_t set, const Value* const* args, uint32_t count, Value* out) {
  count = std::min<uint32_t>(count, edict::value::kMaxArity);
  std::array<Value, edict::value::kMaxArity> values = Arguments(args, count);
  *out = m->Dispatch(set, std::span<const Value>(values.data(), count));
}
void edict_rt_logical(uint32_t is_and, Value* accumulator, const Value* operand) {
  *accumulator = is_and != 0 ? edict::value::LogicalAnd(*accumulator, *operand)
                             : edict::value::LogicalOr(*accumulator, *operand);
}
void edict_rt_not(const Value* operand, Value* out) { *out = edict::value::LogicalNot(*operand); }
void edict_rt_conditional_error(const Value* condition, Value* out) {
  *out = edict::value::Conditional(*condition, Value(), Value());
}
void edict_rt_list(const Value* const* elements, uint32_t count, Value* out) {
  *out = edict::value::MakeList(std::span<const Value* const>(elements, count));
}
void edict_rt_map(const Value* const* items, uint32_t count, Value* out) {
  *out = edict::value::MakeMap(std::span<const Value* const>(items, count));
}
void edict_rt_template(const Value* const* parts, uint32_t count, Value* out) {
  std::string text;
  for (uint32_t i = 0; i < count; ++i) edict::interp::AppendTemplatePart(text, *parts[i]);
  *out = Value::String(text);
}
void edict_rt_aggregate(Machine* m, uint32_t aggregate, Value* out) {
  Emplace(out, [&] { return m->Aggregate(aggregate, *m->current_frame()); });
}
void edict_rt_set_frame(Machine* m, edict::interp::Frame* frame) { m->set_current_frame(frame); }
// Machine::AnswerByRange's steps around the bounds, which native code evaluates inline
// (codegen/aggregate_emitter.cpp). An aggregate with `pre` conjuncts took its step before them.
[[gnu::always_inline]] static inline edict::interp::ScanIndex* RangeIndex(Machine* m, const edict::plan::Aggregate& a,
                                                                          Value* out) {
  if (a.query.pre.empty() && !m->Step()) {
    *out = m->BudgetError();
    return nullptr;
  }
  const edict::plan::Scan& scan = a.query.scans[0];
  edict::interp::Frame& frame = *m->current_frame();
  edict::interp::ScanIndex* index = &m->Index(scan, frame);
  // Every bound would be the budget error, none a duration.
  if (!scan.bounds.empty() && m->exhausted()) {
    *out = m->AggregateByQuery(a, frame);
    return nullptr;
  }
  return index;
}
edict::interp::ScanIndex* edict_rt_range_index(Machine* m, uint32_t aggregate, Value* out) {
  return RangeIndex(m, m->plan()->aggregates[aggregate], out);
}
// Flags: bit 0, every bound was a duration; bit 1, range_index's work is left to this call (bounds
// that take no steps were evaluated first: nothing can tell).
void edict_rt_range_answer(Machine* m, const edict::interp::ScanIndex* index, uint32_t aggregate, int64_t lo,
                           int64_t hi, uint32_t flags, Value* out) {
  const edict::plan::Aggregate& a = m->plan()->aggregates[aggregate];
  if ((flags & 2) != 0 && (index = RangeIndex(m, a, out)) == nullptr) return;
  if ((flags & 1) == 0) {
    *out = m->AggregateByQuery(a, *m->current_frame());
    return;
  }
  // Every bound was valid (bit 0); no bounds: the whole index.
  Machine::Range range{lo, hi, a.query.scans[0].bounds.empty() ? uint64_t{0} : ~uint64_t{0}};
  m->AnswerRange(a, index, range, *out);
}
// Machine::Aggregate of an aggregate that AggregateInRange takes, past its bounds (codegen/aggregate_emitter.cpp).
// Flags: 2, as range_answer's.
void edict_rt_range_scan(Machine* m, edict::interp::ScanIndex* index, uint32_t aggregate, int64_t lo, int64_t hi,
                         uint64_t valid, uint32_t flags, Value* out) {
  const edict::plan::Aggregate& a = m->plan()->aggregates[aggregate];
  if ((flags & 2) != 0 && (index = RangeIndex(m, a, out)) == nullptr) return;
  Emplace(out, [&] { return m->AggregateInRange(a, *index, Machine::Range{lo, hi, valid}); });
}
uint32_t edict_rt_exhausted(Machine* m) { return m->exhausted() ? 1 : 0; }
uint32_t edict_rt_level_begin(edict::interp::PassRun* run, uint32_t rule, uint32_t level, const Value* pending,
                              edict::interp::LevelVisit* visit, Value* key) {
  return static_cast<uint32_t>(edict::interp::BeginNativeLevel(run, rule, level, pending, *visit, *key));
}
uint32_t edict_rt_level_slice(Machine* m, edict::interp::LevelVisit* visit, const Value* key) {
  return m->NextLevelSlice(*visit, *key) ? 1 : 0;
}
void edict_rt_level_row_error(const edict::interp::LevelVisit* visit, uint32_t row, Value* pending) {
  edict::interp::Combine(*pending, visit->index->errors[row]);
}
// A by-row function's miss, computed as MemoView says. Out of line, so that a hit saves no registers.
[[gnu::noinline]] static const Value* MemoRowMiss(Machine* m, const edict::interp::MemoView& view,
                                                  const edict::facts::Table* table, uint32_t row) {
  ++*view.misses;
  view.param->table = table;
  view.param->row = row;
  edict::interp::Frame* outer = m->current_frame();
  m->set_current_frame(view.frame);
  view.body(m, view.frame->data(), &view.values[row]);
  m->set_current_frame(outer);
  view.filled[row / 64] |= uint64_t{1} << (row % 64);
  return &view.values[row];
}
// A function by string or by value, whose view has no rows: its front cache's hit, else the
// machine's path.
const Value* edict_rt_memo_key(Machine* m, uint32_t function, const Cell* cursor, Value* scratch) {
  if (const Value* hit = m->MemoFrontHit(function, cursor->value)) return hit;
  return m->MemoRef(function, *cursor, *scratch);
}
// A by-row function's hit or miss, and a by-string or by-value function's front-cache hit, without
// the machine's generic path; anything else (the first call, a foreign cursor, a string or value
// the front does not hold, an exhausted budget, an uncompiled or profiled body) is the machine's.
const Value* edict_rt_memo(Machine* m, uint32_t function, const Cell* cursor, Value* scratch) {
  const edict::interp::MemoView& view = *m->memo_view(function);
  uint32_t row = cursor->row;
  if (cursor->table == view.table && row < view.rows) {
    if (((view.filled[row / 64] >> (row % 64)) & 1) != 0) {
      ++*view.hits;
      return &view.values[row];
    }
    if (view.body != nullptr && !m->exhausted()) return MemoRowMiss(m, view, cursor->table, row);
    return m->MemoRef(function, *cursor, *scratch);
  }
  return edict_rt_memo_key(m, function, cursor, scratch);
}
const edict::interp::MemoView* edict_rt_memo_view(Machine* m, uint32_t function) { return m->memo_view(function); }

// ---- Comprehensions

int64_t edict_rt_fold_count(const Value* range) {
  if (range->is_list()) return static_cast<int64_t>(range->list_elements().size());
  if (range->is_map()) return static_cast<int64_t>(range->map().size());
  return -1;
}
void edict_rt_fold_range_error(const Value* range, Value* out) {
  *out = edict::value::NoMatchingOverload("comprehension", std::span<const Value>(range, 1));
}
void edict_rt_fold_bind(Cell* frame, const Value* range, int64_t i, uint32_t reg, uint32_t second) {
  auto index = static_cast<size_t>(i);
  bool two = second != edict::plan::kNone;
  if (range->is_list()) {
    if (two) {
      frame[reg].value = Value::Int(i);
      frame[second].value = range->list_elements()[index];
    } else {
      frame[reg].value = range->list_elements()[index];
    }
    return;
  }
  frame[reg].value = range->map().key(index);
  if (two) frame[second].value = range->map().value(index);
}
uint32_t edict_rt_fold_step(FoldState* state, const Value* step, const Value* range, int64_t i) {
  return static_cast<uint32_t>(state->Step(*step, KeyOf(range, i)));
}
void edict_rt_fold_keep(FoldState* state, const Value* range, int64_t i) {
  auto index = static_cast<size_t>(i);
  state->Keep(range->is_list() ? range->list_elements()[index] : range->map().key(index));
}
void edict_rt_fold_column_keep(Machine* m, FoldState* state, uint32_t access, const void* elements, uint32_t row) {
  state->Keep(m->ColumnElement(access, TableOf(elements), row));
}
uint32_t edict_rt_fold_transform(FoldState* state, const Value* mapped, const Value* range, int64_t i) {
  return static_cast<uint32_t>(state->Transform(*mapped, KeyOf(range, i)));
}
void edict_rt_fold_stop_budget(Machine* m, FoldState* state) { state->Stop(m->BudgetError()); }
uint32_t edict_rt_fold_column_begin(Machine* m, const Cell* owner, uint32_t access, Value* out,
                                    const edict::facts::Table** elements, uint32_t* bounds) {
  Value absent = m->ColumnElements(*owner, access, *elements, bounds[0], bounds[1]);
  if (absent.is_null()) return 1;
  *out = std::move(absent);
  return 0;
}
void edict_rt_set_int(Value* value, int64_t i) { *value = Value::Int(i); }
void edict_rt_fold_init(void* memory, uint32_t macro, int64_t count) {
  new (memory) FoldState(static_cast<edict::plan::Macro>(macro), static_cast<size_t>(count));
}
const Value* edict_rt_fold_elements(const Value* range) {
  return range->is_list() ? range->list_elements().data() : nullptr;
}
void edict_rt_fold_end(FoldState* state, Value* out) {
  Emplace(out, [state] { return state->Finish(); });
  state->~FoldState();
}
void edict_rt_fold_id_set(Machine* m, const Cell* owner, uint32_t access, uint32_t macro, const uint64_t* known,
                          uint32_t known_count, const Value* set, uint32_t overload, uint32_t element_ref, Value* out) {
  edict::interp::IdSetFold fold{static_cast<edict::plan::Macro>(macro), access, element_ref, known, known_count,
                                static_cast<edict::value::Overload>(overload), set};
  *out = edict::interp::FoldIdSet(*m, *owner, fold);
}

// ---- The fused pass loop

void edict_rt_filter_pending(Value* pending, const Value* v) {
  if (v->is_error_or_unknown()) {
    edict::interp::Combine(*pending, *v);
  } else {
    edict::interp::Combine(*pending, edict::value::NoMatchingOverload("_&&_", std::span<const Value>(v, 1)));
  }
}
void edict_rt_binding_pending(Value* pending, const Value* range) {
  if (range->is_error_or_unknown()) {
    edict::interp::Combine(*pending, *range);
  } else {
    edict::interp::Combine(*pending, edict::value::NoMatchingOverload("binding", std::span<const Value>(range, 1)));
  }
}

// ---- Lookups by a string: the overloads' own answers on a string and a map or list, without
// value::Call's dispatch; any other kinds (errors, unknowns, dyn operands) and a missing key's
// error are value::Call's.

void edict_rt_index_map(const Value* map, const Value* key, Value* out) {
  if (map->is_map() && key->is_string()) {
    if (const Value* found = FindString(map->map(), *key)) {
      *out = *found;
      return;
    }
  }
  *out = edict::value::Call(edict::value::Overload::index_map, *map, *key);
}
void edict_rt_in_map(const Value* key, const Value* map, Value* out) {
  if (map->is_map() && key->is_string()) {
    *out = Value::Bool(FindString(map->map(), *key) != nullptr);
    return;
  }
  *out = edict::value::Call(edict::value::Overload::in_map, *key, *map);
}
void edict_rt_in_list(const Value* element, const Value* list, Value* out) {
  if (list->is_list() && element->is_string()) {
    // value::Equal of a string: only a string with the same bytes.
    std::string_view text = element->string_value();
    bool found = false;
    for (const Value& candidate : list->list_elements()) {
      if (candidate.is_string() && edict::value::EqualText(candidate.string_value(), text)) {
        found = true;
        break;
      }
    }
    *out = Value::Bool(found);
    return;
  }
  *out = edict::value::Call(edict::value::Overload::in_list, *element, *list);
}


// ---- Lookups by a string in constant maps and lists (codegen/const_map_emitter.cpp): the key
// table finds a string's entry; anything else takes the overload or helper the call had before.

// A string key's entry is the answer (-1: absent) and `out` is left as it was; any other key's
// answer is the overload's, in `out`, and the entry -2.
int32_t edict_rt_const_in_at(const uint32_t* keys, const Value* key, const Value* container, uint32_t overload,
                             Value* out) {
  if (key->is_string()) return edict::codegen::const_table::Find(keys, key->string_value());
  ConstInCall(key, container, overload, out);
  return -2;
}
void edict_rt_const_in(const uint32_t* keys, const Value* key, const Value* container, uint32_t overload, Value* out) {
  int32_t entry = edict_rt_const_in_at(keys, key, container, overload, out);
  if (entry != -2) *out = Value::Bool(entry >= 0);
}
const Value* edict_rt_const_index(const uint32_t* keys, const Value* map, const Value* key, Value* out) {
  if (key->is_string()) {
    int32_t entry = edict::codegen::const_table::Find(keys, key->string_value());
    if (entry >= 0) return &map->map().value(static_cast<size_t>(entry));
  }
  return ConstIndexCall(map, key, out);
}
const Value* edict_rt_const_field_at(int32_t entry, const uint32_t* fields, Machine* m, const Value* map,
                                     const Value* key, uint32_t field, Value* scratch, Value* out) {
  if (entry >= 0 && fields[entry] != ~uint32_t{0}) return &map->map().value(static_cast<size_t>(entry)).map().value(fields[entry]);
  return ConstFieldCall(m, map, key, field, scratch, out);
}
const Value* edict_rt_const_field(const uint32_t* keys, const uint32_t* fields, Machine* m, const Value* map,
                                  const Value* key, uint32_t field, Value* scratch, Value* out) {
  int32_t entry = key->is_string() ? edict::codegen::const_table::Find(keys, key->string_value()) : -1;
  return edict_rt_const_field_at(entry, fields, m, map, key, field, scratch, out);
}

}  // extern "C"

namespace {

const Value* ConstIndexCall(const Value* map, const Value* key, Value* out) {
  edict_rt_index_map(map, key, out);
  return out;
}
const Value* ConstFieldCall(Machine* m, const Value* map, const Value* key, uint32_t field, Value* scratch, Value* out) {
  edict_rt_index_map(map, key, scratch);
  edict_rt_select(m, scratch, field, 0, out);
  return out;
}

}  // namespace

namespace edict::jit {

std::vector<std::pair<std::string, void*>> RuntimeSymbols() {
  return {
#define EDICT_RT(name, result, params) {"edict_rt_" #name, reinterpret_cast<void*>(&edict_rt_##name)},
#include "compiler/codegen/runtime.def"
#undef EDICT_RT
  };
}

}  // namespace edict::jit
