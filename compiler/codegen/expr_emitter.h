// Emitting one expression tree as straight IR inside a function: control flow for the logical
// operators, conditionals and comprehensions, inline reads and compares where the kinds allow,
// runtime helpers for everything else. A node's value is a pointer: to a slot of the function's
// slot array (those that may own storage are released in one call when it returns, slots.cpp),
// or borrowed (a constant, a session slot, a register). All code copies, releases, tests bools and
// orders ints, durations and timestamps inline, reads scalar columns, tests presence and compares
// enum columns with constants inline (facts::NativeLayout, also on a table known only at run
// time), and reads text columns or compares them with constants with one lean helper call; a
// string value is compared with a string constant (==, !=, startsWith, endsWith) inline everywhere;
// hot code (the pass loops), whose tables are known, also inlines string and int equalities; a text
// column read again where its first read dominates takes that read's value. A value only tested
// (a conjunct, a conditional's condition, a comprehension's step) is emitted as a test: inline
// compares and presence tests branch on what they computed instead of storing a Value. What stays
// a helper call outside the pass loops keeps the IR small enough to compile a large rule set quickly.
#pragma once

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/codegen/context.h"
#include "compiler/plan/plan.h"

namespace edict::codegen {

class ExprEmitter {
 public:
  // Creates the function's entry block (slots, loop-invariant values) and its body block, where
  // emission starts. `schema` (may be null) resolves enum constants at compile time.
  ExprEmitter(ModuleContext& context, const plan::Code& code, const facts::Schema* schema, llvm::Function* function);
  // `machine` (an interp::Machine*) must be defined in the entry block, or be an argument.
  void Begin(llvm::Value* machine);

  llvm::IRBuilder<>& builder() { return builder_; }
  // Code of the fused pass loops, run per row: equalities of ints, durations and bools and memo
  // hits inline too, which the rest of the code leaves to helpers to keep the IR small.
  void set_hot(bool hot) { hot_ = hot; }
  // Code emitted between these runs repeatedly: a slot may still hold the last iteration's value.
  // Such a loop may bind any register: reads before it or in it are not reused across its edges
  // (EarlierRead).
  void EnterLoop() {
    ++loop_depth_;
    ForgetReads();
  }
  void LeaveLoop() {
    --loop_depth_;
    ForgetReads();
  }
  // Code here runs once per call, before the body.
  llvm::IRBuilder<>& entry() { return entry_; }
  ModuleContext& context() { return context_; }

  // Emits node `id` in `frame` (an interp::Cell array); returns a pointer to its value.
  llvm::Value* Emit(plan::ExprId id, llvm::Value* frame);
  // Where a test of a value goes: a bool to `on_true` or `on_false`, anything else to `on_other`,
  // whose phi `other` takes the value.
  struct Branches {
    llvm::BasicBlock* on_true;
    llvm::BasicBlock* on_false;
    llvm::BasicBlock* on_other;
    llvm::PHINode* other;
  };
  // `on_other` a new cold block, its phi still without incoming values.
  Branches NewBranches(llvm::BasicBlock* on_true, llvm::BasicBlock* on_false, const char* other_name);
  // Emits node `id` as a test, as Emit and then BranchOnValue would, but the inline paths of
  // compares, `has`, `!`, `&&` and `||` branch on what they computed without storing it in a
  // Value. Leaves the builder in a block that has branched.
  void EmitBranch(plan::ExprId id, llvm::Value* frame, const Branches& to);
  // Branches on `value` at the current block.
  void BranchOnValue(llvm::Value* value, const Branches& to);
  // Moves the builder to `to.on_other` when anything branches there; else removes that block.
  bool EnterOther(const Branches& to);
  // Values another emitter keeps per row (shared_filters.h): while set, Emit(id) takes a non-null
  // Supply(id, frame) as the node's value instead of emitting the node.
  class RowValues {
   public:
    virtual llvm::Value* Supply(plan::ExprId id, llvm::Value* frame) = 0;

   protected:
    ~RowValues() = default;
  };
  void set_row_values(RowValues* row_values) { row_values_ = row_values; }
  // Rows of register `reg` come from `table` (a loop-invariant value of the entry block): its
  // columns' data are fetched once and read inline.
  void SetKnownTable(plan::Register reg, llvm::Value* table);
  // The cursor of register `reg` in `frame` was just pointed at `row` (an i32 that dominates the
  // code emitted after it): until ClearKnownTables or anything that may rebind the register,
  // reads of its columns take that value instead of loading the cursor's row.
  void SetKnownRow(llvm::Value* frame, plan::Register reg, llvm::Value* row);
  void ClearKnownTables();
  // Closes the entry block; call once after the body is complete.
  void Finish();

  // ---- Building blocks, also for the pass emitter.
  llvm::Value* NewSlot();
  llvm::Value* KindOf(llvm::Value* value);
  llvm::Value* IsBool(llvm::Value* value, bool expected);  // kind is bool and the payload `expected`
  void Assign(llvm::Value* dst, llvm::Value* src);         // *dst = *src
  void Release(llvm::Value* value);                        // if it owns storage
  void StoreScalar(llvm::Value* slot, uint8_t kind, llvm::Value* payload, llvm::Value* aux = nullptr);
  // Moves `result` into `out` (a null Value).
  void StoreResult(llvm::Value* result, llvm::Value* out);
  // Releases the slots that may own storage: call on the function's single return path.
  void ReleaseSlots();
  llvm::BasicBlock* NewBlock(const char* name);
  // A block of a slow path, laid out after the code around it (LayOutBlocks).
  llvm::BasicBlock* NewColdBlock(const char* name);
  llvm::Value* Call(Helper helper, std::initializer_list<llvm::Value*> args);
  llvm::Value* I32(uint32_t v);
  llvm::Value* I64(int64_t v);
  llvm::Value* CellAt(llvm::Value* frame, uint32_t reg);
  // Register `reg` of `frame` as an i32 operand of a helper (plan::kNone stays itself).
  llvm::Value* RegisterArg(llvm::Value* frame, uint32_t reg);
  // Aggregate `aggregate` as an i32 operand of a helper.
  llvm::Value* AggregateArg(uint32_t aggregate);
  // Emission of a body shared by trees alike up to their registers (register_families.h): in
  // `frame`, register registers[k] is the one whose number is at index k of `map` (an i32 array
  // the caller passes) and aggregate aggregates[k] the one at index registers.size() + k, read
  // once on entry. Register 0 is every tree's header cursor.
  void MapRegisters(llvm::Value* frame, llvm::Value* map, const std::vector<plan::Register>& registers,
                    const std::vector<uint32_t>& aggregates);
  // Whether `value`, the value of node `id`, stays put while a loop that rebinds registers reads
  // it: a slot of this function (written only by the node's own code), a constant, or a memo
  // value (borrowed from the session's cache, or in a slot).
  bool StaysPut(plan::ExprId id, llvm::Value* value) const;
  // Points register `reg`'s cursor at `row` (an i32) of `table`.
  void PointCursor(llvm::Value* frame, uint32_t reg, llvm::Value* table, llvm::Value* row);
  // Adds `count` to the machine's memo hits, as `count` hits of memo function `function` would
  // (memo_emitter.cpp).
  void CountMemoHits(uint32_t function, uint32_t count);

 private:
  struct KnownColumn {
    llvm::Value* data = nullptr;
    llvm::Value* presence = nullptr;  // the presence words, null for a column that is never absent
  };

  void AssignIf(llvm::Value* owns, llvm::Value* dst, llvm::Value* src);
  // Slots (slots.cpp): whether a slot may ever own storage (anything but inline scalar writes and
  // loads reaches it), and their layout at Finish: those that may come first, the only ones
  // zeroed on entry and released on return; the others lose their inline release tests.
  bool MayOwn(llvm::Instruction* slot);
  bool ReadsOnly(const llvm::CallInst& call, unsigned arg);
  void LayOutSlots();
  void LayOutBlocks();
  void TestOwners(llvm::CallInst* release, const std::vector<llvm::GetElementPtrInst*>& owning);
  // The function's result when it may be one of its slots (a phi or select of them): moved out of
  // an owning slot, which is left owning nothing, else assigned (slots.cpp).
  bool MayBeSlot(llvm::Value* pointer) const;
  void MoveOrAssign(llvm::Value* result, llvm::Value* out);
  void SetMoveRanges(uint32_t owning);
  llvm::Value* EmitOp(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitColumn(const plan::Node& node, llvm::Value* frame);
  // A text column read by a helper (EmitColumn) is remembered with its block; a later read of the
  // same cursor's column in the same frame, where that block dominates, reuses its slot unless
  // the cursor may have moved since: rebound by a bind or a fold, or any register by a row loop, a
  // cursor pointed elsewhere or an aggregate (column_reads.cpp).
  llvm::Value* EarlierRead(const plan::Node& column, llvm::Value* frame);
  void RememberRead(const plan::Node& column, llvm::Value* frame, llvm::Value* slot);
  void ForgetReads() {
    text_reads_.clear();
    known_row_.reset();
  }
  void ForgetReadsOf(uint32_t reg);
  // Before and after emitting `node`: the reads its evaluation may invalidate.
  void ForgetRebound(const plan::Node& node);
  // A fold's loop binds only its variables, which ForgetRebound covers: other reads survive it.
  void EnterFoldBody() { ++loop_depth_; }
  void LeaveFoldBody() { --loop_depth_; }
  // Whether every path into `at` known so far passes `block`; false when that takes long to tell.
  static bool Dominates(const llvm::BasicBlock* block, const llvm::BasicBlock* at);
  llvm::Value* EmitCall(const plan::Node& node, llvm::Value* frame);
  // Calls the code generator knows more of (call_emitter.cpp): a string compared with a string
  // constant inline, lookups by a string in a map or list through lean helpers; null otherwise.
  llvm::Value* EmitKnownCall(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitTextCompare(const plan::Node& node, llvm::Value* frame, uint32_t constant_child);
  // `size(list)` and `list.size()`: the list's count read inline.
  llvm::Value* EmitListSize(const plan::Node& node, llvm::Value* frame);
  // `x in [texts]` on a constant list: an enum column's code against the texts' codes, an unowned
  // string against a few short texts inline (call_emitter.cpp); null otherwise.
  llvm::Value* EmitEnumIn(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitTextIn(const plan::Node& node, llvm::Value* frame);
  llvm::Value* UnownedStringSize(llvm::Value* subject, llvm::BasicBlock* sized, llvm::BasicBlock* slow);
  // `m[k]`, `k in m`, `k in list` and `m[k].field` on a constant container with string keys: one
  // helper call with its key table (const_map_emitter.h), a found entry borrowed. Null otherwise.
  llvm::Value* EmitConstLookup(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitConstSelect(const plan::Node& node, llvm::Value* frame);
  // `k in m ? m[k].field : other` on a constant map: the test's helper also returns the key's
  // entry (an i32, in `entry`), which the branch (BranchOnEntry) and the select take without
  // probing again; the returned slot holds the test's value only when the key is no string. Both
  // null when `conditional` is not of that form.
  llvm::Value* EmitConstEntryTest(const plan::Node& conditional, llvm::Value* frame, llvm::Value*& entry);
  llvm::Value* EmitConstSelectAt(const plan::Node& select, llvm::Value* frame, llvm::Value* entry);
  // Branches to `found` or `absent` on a string key's entry; falls through (the builder left in a
  // new block) when the key was another value, whose answer is in the test's slot.
  void BranchOnEntry(llvm::Value* entry, llvm::BasicBlock* found, llvm::BasicBlock* absent);
  bool SameValue(plan::ExprId a, plan::ExprId b) const;
  // i1: the `text.size()` bytes at `data` are `text`'s.
  llvm::Value* BytesAre(llvm::Value* data, std::string_view text);
  llvm::Value* EmitInlineCompare(const plan::Node& node, llvm::Value* frame, bool& emitted);
  // The end of an inline bool with the overload as its fallback: `result` (i1) stored in `slot`,
  // the overload of `node` called on `left` and `right` into it at `slow`; both go on at `done`,
  // where emission continues. Returns `slot`.
  llvm::Value* JoinInlineBool(const plan::Node& node, llvm::Value* left, llvm::Value* right, llvm::Value* slot,
                              llvm::Value* result, llvm::BasicBlock* slow, llvm::BasicBlock* done);
  // JoinInlineBool's overload at `slow` alone, for code that has already stored or branched on its result.
  llvm::Value* JoinOverload(const plan::Node& node, llvm::Value* left, llvm::Value* right, llvm::Value* slot,
                            llvm::BasicBlock* slow, llvm::BasicBlock* done);
  // Where `node`'s value goes when it is being emitted as a test (EmitBranch), else null.
  const Branches* TestOf(const plan::Node& node) const;
  // An inline bool `result` (i1) of `node` into `slot`, then on to `done` (if not null); when
  // `node` is being emitted as a test (EmitBranch), a branch on it instead, and `done` is left to
  // other paths.
  void FinishInlineBool(const plan::Node& node, llvm::Value* slot, llvm::Value* result, llvm::BasicBlock* done);
  void EmitLogicalBranch(const plan::Node& node, llvm::Value* frame, const Branches& to);
  void StartAccumulator(bool is_and, llvm::Value* accumulator, llvm::Value* absorbed, bool first);
  llvm::Value* EmitColumnEquality(const plan::Node& node, llvm::Value* frame);
  llvm::Value* BeginColumnRead(const plan::Node& column, const KnownColumn* known, llvm::Value* frame,
                               llvm::Value* slot, llvm::BasicBlock*& done);
  // The row of register `reg`'s cursor in `frame`: the known row (SetKnownRow), else loaded; as an
  // i32, or widened to the i64 index of its column values.
  bool KnowsRow(llvm::Value* frame, uint32_t reg) const;
  llvm::Value* CursorRow(llvm::Value* frame, uint32_t reg);
  llvm::Value* CursorIndex(llvm::Value* frame, uint32_t reg);
  llvm::Value* EmitPresent(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitLogical(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitNot(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitConditional(const plan::Node& node, llvm::Value* frame);
  // The children's values as an array of pointers, for the helpers that take argument lists.
  llvm::Value* EmitArgs(const plan::Node& node, llvm::Value* frame);
  llvm::Value* PointerArray(const std::vector<llvm::Value*>& values);
  llvm::Value* EmitFold(const plan::Node& node, llvm::Value* frame);
  llvm::Value* EmitFoldColumn(const plan::Node& node, llvm::Value* frame);
  // A memo call (memo_emitter.cpp): a by-row hit borrows the cached value, anything else calls.
  llvm::Value* EmitMemo(const plan::Node& node, llvm::Value* frame);
  // The machine's interp::MemoView of memo function `function`, fetched in the entry block once.
  llvm::Value* MemoViewOf(uint32_t function);
  // An aggregate (aggregate_emitter.cpp): a counted or extreme_of_t one with its pre conjuncts and
  // bounds inline, the rest through the machine.
  llvm::Value* EmitAggregate(const plan::Node& node, llvm::Value* frame);
  // A FoldColumn whose step is `element in <constant>` over data types or strings, as one call;
  // null when the fold is not of that form (list_fold_emitter.cpp).
  llvm::Value* EmitIdSetFold(const plan::Node& node, llvm::Value* frame);
  // An interp::FoldState in the function's frame, initialised here for `count` (i64) elements.
  llvm::Value* NewFoldState(uint8_t macro, llvm::Value* count);
  // The loop shared by both folds: `bind(i)` sets the variables, `range` is null for a column.
  template <typename Bind, typename Keep>
  void EmitFoldLoop(uint8_t macro, llvm::Value* frame, llvm::Value* state, llvm::Value* count,
                    llvm::Value* range, plan::ExprId step, plan::ExprId transform, Bind&& bind, Keep&& keep);
  KnownColumn* Known(uint32_t reg, uint32_t column_ref);
  // Reads of the store through facts::NativeLayout (column_reads.cpp), with `builder`: a table's
  // columns (an array of facts::Column), a column's values (by the kind's storage) and its
  // presence words; whether a column ref's column may be absent (the schema's word).
  llvm::Value* ColumnsOf(llvm::IRBuilder<>& builder, llvm::Value* table);
  llvm::Value* ValuesOf(llvm::IRBuilder<>& builder, llvm::Value* columns, uint32_t column, facts::TypeKind kind);
  llvm::Value* PresenceOf(llvm::IRBuilder<>& builder, llvm::Value* columns, uint32_t column);
  bool Nullable(uint32_t column_ref) const;
  // i1: the bit of row `index` (an i64) in presence `words`.
  llvm::Value* IsPresent(llvm::Value* words, llvm::Value* index);
  llvm::Value* Field(llvm::Value* base, unsigned offset);
  // The machine's constants, fetched in the entry block when first needed.
  llvm::Value* Constants();

  ModuleContext& context_;
  const plan::Code& code_;
  const facts::Schema* schema_;
  llvm::Function* function_;
  llvm::Value* machine_ = nullptr;
  llvm::IRBuilder<> entry_;
  llvm::IRBuilder<> builder_;
  llvm::BasicBlock* body_;
  llvm::Value* constants_ = nullptr;
  llvm::AllocaInst* slot_array_ = nullptr;  // sized when the function is finished
  uint32_t slot_count_ = 0;
  std::unordered_set<llvm::Value*> slots_;
  std::vector<llvm::GetElementPtrInst*> slot_order_;  // slots_, in creation order
  // An inline release of a slot (Release): its owns test, which branches to `call` or on.
  struct SlotRelease {
    llvm::Value* slot;
    llvm::BranchInst* test;
    llvm::CallInst* call;
  };
  std::vector<SlotRelease> slot_releases_;
  std::vector<llvm::CallInst*> release_calls_;  // ReleaseSlots' calls, counts set by LayOutSlots
  // MoveOrAssign's tests of whether the result is in the owning slots, their bound set by LayOutSlots.
  std::vector<llvm::BranchInst*> result_moves_;
  bool hot_ = false;
  std::unordered_set<llvm::BasicBlock*> cold_;
  // The node EmitBranch is emitting and where it branches to.
  const plan::Node* branch_node_ = nullptr;
  const Branches* branch_to_ = nullptr;
  RowValues* row_values_ = nullptr;
  int loop_depth_ = 0;
  std::unordered_map<plan::Register, llvm::Value*> known_tables_;
  struct KnownRow {
    llvm::Value* frame;
    plan::Register reg;
    llvm::Value* row;
  };
  std::optional<KnownRow> known_row_;
  // MapRegisters: the frame it maps, and per register its number and its cell, loaded on entry.
  struct MappedRegister {
    llvm::Value* number;
    llvm::Value* cell;
  };
  llvm::Value* mapped_frame_ = nullptr;
  std::unordered_map<plan::Register, MappedRegister> mapped_;
  std::unordered_map<uint32_t, llvm::Value*> mapped_aggregates_;  // aggregate -> its number
  const MappedRegister* Mapped(llvm::Value* frame, uint32_t reg) const;
  std::unordered_map<llvm::Value*, llvm::Value*> row_indexes_;  // a known row -> its i64 index
  std::unordered_map<uint64_t, KnownColumn> known_columns_;  // (reg, column ref)
  std::unordered_map<uint32_t, llvm::Value*> string_ids_;     // constant -> its interned id
  std::unordered_map<uint32_t, llvm::Value*> memo_views_;     // memo function -> its MemoView
  struct TextRead {
    llvm::Value* frame;
    uint32_t reg;
    uint32_t column_ref;
    llvm::BasicBlock* block;
    llvm::Value* slot;
  };
  std::vector<TextRead> text_reads_;
};

}  // namespace edict::codegen
