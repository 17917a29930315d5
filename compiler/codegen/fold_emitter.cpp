// Comprehensions as native loops: the iteration variables are set in the frame, the step (and
// transform) are emitted inline, and interp::FoldState (through the fold helpers) accumulates,
// so the macros' semantics are the interpreter's. Each iteration is one budget step. The state
// lives in the function's frame (only its size is taken from the runtime's header), so a fold
// allocates nothing but its result; a bool step that does not decide the result, and a list
// element bound to the variable, need no helper call. all and exists need no FoldState: their
// result is a slot that starts as the macro's bool, takes the deciding bool or the budget's error,
// and absorbs any other step as `&&`/`||` would (FoldState::Step's rule, by the logical helper).
// A list range's size and elements, and a list column's rows and element table, are read inline;
// a map's size and an absent list's error come from the helpers.
#include "compiler/codegen/expr_emitter.h"
#include "runtime/facts/table.h"
#include "runtime/interp/fold_state.h"

namespace edict::codegen {

using plan::Macro;
using plan::Node;

namespace {

// interp::FoldState::Action
constexpr uint32_t kActionKeep = 1;
constexpr uint32_t kActionTransform = 2;
constexpr uint32_t kActionDone = 3;

bool FoldsBools(uint8_t macro) {
  auto m = static_cast<Macro>(macro);
  return m == Macro::kAll || m == Macro::kExists;
}

// The accumulator of all and exists: the result's slot, set to the macro's starting bool.
llvm::Value* StartBools(ExprEmitter& emitter, uint8_t macro, llvm::Value* slot) {
  bool all = static_cast<Macro>(macro) == Macro::kAll;
  emitter.StoreScalar(slot, static_cast<uint8_t>(value::Kind::kBool), emitter.I64(all ? 1 : 0));
  return slot;
}

}  // namespace

llvm::Value* ExprEmitter::NewFoldState(uint8_t macro, llvm::Value* count) {
  llvm::AllocaInst* state = entry_.CreateAlloca(llvm::ArrayType::get(context_.i8(), sizeof(interp::FoldState)));
  state->setAlignment(llvm::Align(alignof(interp::FoldState)));
  Call(Helper::k_fold_init, {state, I32(macro), count});
  return state;
}

template <typename Bind, typename Keep>
void ExprEmitter::EmitFoldLoop(uint8_t macro, llvm::Value* frame, llvm::Value* state, llvm::Value* count,
                               llvm::Value* range, plan::ExprId step, plan::ExprId transform, Bind&& bind, Keep&& keep) {
  // For all and exists, `state` is the result's slot.
  bool bools = FoldsBools(macro);
  llvm::AllocaInst* counter = entry_.CreateAlloca(context_.i64());
  builder_.CreateStore(I64(0), counter);
  llvm::BasicBlock* test = NewBlock("fold.test");
  llvm::BasicBlock* body = NewBlock("fold.body");
  llvm::BasicBlock* exhausted = NewBlock("fold.budget");
  llvm::BasicBlock* iterate = NewBlock("fold.iterate");
  llvm::BasicBlock* latch = NewBlock("fold.latch");
  llvm::BasicBlock* end = NewBlock("fold.end");
  builder_.CreateBr(test);
  builder_.SetInsertPoint(test);
  llvm::Value* i = builder_.CreateLoad(context_.i64(), counter);
  builder_.CreateCondBr(builder_.CreateICmpSLT(i, count), body, end);
  builder_.SetInsertPoint(body);
  llvm::Value* ok = Call(Helper::k_step, {machine_});
  builder_.CreateCondBr(builder_.CreateICmpNE(ok, I32(0)), iterate, exhausted);
  builder_.SetInsertPoint(exhausted);
  Call(bools ? Helper::k_budget_error : Helper::k_fold_stop_budget, {machine_, state});
  builder_.CreateBr(end);
  builder_.SetInsertPoint(iterate);
  EnterFoldBody();
  bind(i);
  auto m = static_cast<Macro>(macro);
  // A transform's value goes to FoldState, which may end the fold.
  auto transform_into_state = [&](plan::ExprId mapped) {
    llvm::Value* value = Emit(mapped, frame);
    llvm::Value* after = Call(Helper::k_fold_transform, {state, value, range, i});
    builder_.CreateCondBr(builder_.CreateICmpEQ(after, I32(kActionDone)), end, latch);
  };
  if (bools) {
    // The deciding bool is the result; the other one leaves it as it is.
    llvm::BasicBlock* decided = NewBlock("fold.decided");
    Branches to = m == Macro::kAll ? NewBranches(latch, decided, "fold.absorb")
                                   : NewBranches(decided, latch, "fold.absorb");
    EmitBranch(step, frame, to);
    if (EnterOther(to)) {
      Call(Helper::k_logical, {I32(m == Macro::kAll ? 1 : 0), state, to.other});
      builder_.CreateBr(latch);
    }
    builder_.SetInsertPoint(decided);
    StoreScalar(state, static_cast<uint8_t>(value::Kind::kBool), I64(m == Macro::kExists ? 1 : 0));
    builder_.CreateBr(end);
  } else if (m == Macro::kMap || m == Macro::kTransformMap) {
    // The step is the transform: FoldState::Step would hand it to Transform.
    transform_into_state(step);
  } else {
    llvm::BasicBlock* keep_block = NewBlock("fold.keep");
    llvm::BasicBlock* transform_block = NewBlock("fold.transform");
    llvm::BasicBlock* accumulate = NewBlock("fold.accumulate");
    // A filter chooses by a bool step alone: only another value calls the accumulator. The step
    // is emitted as a test, so an inline compare stores no value.
    llvm::Value* step_value = nullptr;
    if (m == Macro::kFilter || m == Macro::kMapFilter || m == Macro::kTransformMapFilter) {
      Branches to = NewBranches(m == Macro::kFilter ? keep_block : transform_block, latch, "fold.other");
      EmitBranch(step, frame, to);
      builder_.SetInsertPoint(accumulate);
      llvm::PHINode* value = builder_.CreatePHI(context_.ptr(), 1);
      if (EnterOther(to)) {
        value->addIncoming(to.other, to.on_other);
        builder_.CreateBr(accumulate);
      }
      builder_.SetInsertPoint(accumulate);
      step_value = value;
    } else {
      step_value = Emit(step, frame);
      builder_.CreateBr(accumulate);
      builder_.SetInsertPoint(accumulate);
    }
    llvm::Value* action = Call(Helper::k_fold_step, {state, step_value, range, i});
    // Branches, not a switch: LLVM's fast instruction selector has no switch and would hand the
    // whole block to the slow one.
    auto branch = [&](uint32_t expected, llvm::BasicBlock* target, const char* otherwise_name) {
      llvm::BasicBlock* otherwise = NewBlock(otherwise_name);
      builder_.CreateCondBr(builder_.CreateICmpEQ(action, I32(expected)), target, otherwise);
      builder_.SetInsertPoint(otherwise);
    };
    branch(kActionKeep, keep_block, "fold.not_keep");
    branch(kActionTransform, transform_block, "fold.not_transform");
    builder_.CreateCondBr(builder_.CreateICmpEQ(action, I32(kActionDone)), end, latch);
    builder_.SetInsertPoint(keep_block);
    keep(i);
    builder_.CreateBr(latch);
    builder_.SetInsertPoint(transform_block);
    if (transform != plan::kNone) {
      transform_into_state(transform);
    } else {
      builder_.CreateBr(latch);
    }
  }
  LeaveFoldBody();
  builder_.SetInsertPoint(latch);
  builder_.CreateStore(builder_.CreateAdd(i, I64(1)), counter);
  builder_.CreateBr(test);
  builder_.SetInsertPoint(end);
}

bool ExprEmitter::StaysPut(plan::ExprId id, llvm::Value* value) const {
  plan::Op op = code_.nodes[id].op;
  return slots_.count(value) != 0 || op == plan::Op::kConst || op == plan::Op::kMemo;
}

llvm::Value* ExprEmitter::EmitFold(const Node& node, llvm::Value* frame) {
  // A copy, as the interpreter makes, of a range the loop could change: it rebinds registers while
  // it reads the range; one that stays put is read in place.
  plan::ExprId range_id = code_.child(node, 0);
  llvm::Value* range = Emit(range_id, frame);
  if (!StaysPut(range_id, range)) {
    llvm::Value* source = range;
    range = NewSlot();
    Assign(range, source);
  }
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* passed = NewBlock("fold.passed");
  llvm::BasicBlock* usable = NewBlock("fold.usable");
  llvm::BasicBlock* invalid = NewBlock("fold.invalid");
  llvm::BasicBlock* run = NewBlock("fold.run");
  llvm::BasicBlock* done = NewBlock("fold.done");
  builder_.CreateCondBr(builder_.CreateICmpUGE(KindOf(range), llvm::ConstantInt::get(context_.i8(), static_cast<uint8_t>(value::Kind::kError))),
                        passed, usable);
  builder_.SetInsertPoint(passed);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(usable);
  // A list's size and elements read inline; a map's size (-1 for any other value) from the helper.
  llvm::BasicBlock* list = NewBlock("fold.list");
  llvm::BasicBlock* other = NewColdBlock("fold.map");
  llvm::Value* list_kind = llvm::ConstantInt::get(context_.i8(), static_cast<uint8_t>(value::Kind::kList));
  builder_.CreateCondBr(builder_.CreateICmpEQ(KindOf(range), list_kind), list, other);
  builder_.SetInsertPoint(list);
  llvm::Value* rep = builder_.CreateLoad(context_.ptr(), Field(range, kValuePayloadOffset));
  llvm::Value* list_size =
      builder_.CreateZExt(builder_.CreateLoad(context_.i32(), Field(rep, kListRepSizeOffset)), context_.i64());
  llvm::Value* list_elements = Field(rep, sizeof(value::ListRep));
  builder_.CreateBr(run);
  builder_.SetInsertPoint(other);
  llvm::Value* map_size = Call(Helper::k_fold_count, {range});
  builder_.CreateCondBr(builder_.CreateICmpSLT(map_size, I64(0)), invalid, run);
  builder_.SetInsertPoint(invalid);
  Call(Helper::k_fold_range_error, {range, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(run);
  llvm::PHINode* count = builder_.CreatePHI(context_.i64(), 2);
  count->addIncoming(list_size, list);
  count->addIncoming(map_size, other);
  // A list's elements (null for a map): the one variable is bound by copying its element.
  llvm::PHINode* elements = nullptr;
  if (node.b == plan::kNone) {
    elements = builder_.CreatePHI(context_.ptr(), 2);
    elements->addIncoming(list_elements, list);
    elements->addIncoming(llvm::ConstantPointerNull::get(context_.ptr()), other);
  }
  bool bools = FoldsBools(node.flags);
  llvm::Value* state = bools ? StartBools(*this, node.flags, slot) : NewFoldState(node.flags, count);
  plan::ExprId transform = node.count > 2 ? code_.child(node, 2) : plan::kNone;
  auto bind = [&](llvm::Value* i) {
    if (elements == nullptr) {
      Call(Helper::k_fold_bind, {frame, range, i, RegisterArg(frame, node.a), RegisterArg(frame, node.b)});
      return;
    }
    llvm::BasicBlock* list = NewBlock("fold.element");
    llvm::BasicBlock* map = NewBlock("fold.key");
    llvm::BasicBlock* bound = NewBlock("fold.bound");
    builder_.CreateCondBr(builder_.CreateIsNotNull(elements), list, map);
    builder_.SetInsertPoint(list);
    llvm::Value* element = builder_.CreateInBoundsGEP(context_.i8(), elements, builder_.CreateMul(i, I64(kValueSize)));
    Assign(CellAt(frame, node.a), element);
    builder_.CreateBr(bound);
    builder_.SetInsertPoint(map);
    Call(Helper::k_fold_bind, {frame, range, i, RegisterArg(frame, node.a), RegisterArg(frame, node.b)});
    builder_.CreateBr(bound);
    builder_.SetInsertPoint(bound);
  };
  EmitFoldLoop(node.flags, frame, state, count, range, code_.child(node, 1), transform, bind,
               [&](llvm::Value* i) { Call(Helper::k_fold_keep, {state, range, i}); });
  if (!bools) Call(Helper::k_fold_end, {state, slot});
  llvm::BasicBlock* finished = builder_.GetInsertBlock();
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  // An error or unknown range is the result as it is.
  llvm::PHINode* result = builder_.CreatePHI(context_.ptr(), 3);
  result->addIncoming(range, passed);
  result->addIncoming(slot, invalid);
  result->addIncoming(slot, finished);
  return result;
}

llvm::Value* ExprEmitter::EmitFoldColumn(const Node& node, llvm::Value* frame) {
  if (llvm::Value* fused = EmitIdSetFold(node, frame)) return fused;
  const plan::ColumnAccess& access = code_.column_access[node.c];
  uint32_t column = code_.columns[access.column].column;
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* done = NewBlock("foldcol.done");
  // The list of the record at the cursor, read inline as Machine::ColumnElements reads it; an
  // absent one's error comes from the helper.
  llvm::Value* cursor = CellAt(frame, access.reg);
  llvm::Value* columns = ColumnsOf(builder_, builder_.CreateLoad(context_.ptr(), Field(cursor, kCellTableOffset)));
  llvm::Value* row =
      builder_.CreateZExt(builder_.CreateLoad(context_.i32(), Field(cursor, kCellRowOffset)), context_.i64());
  if (Nullable(access.column)) {
    llvm::BasicBlock* present = NewBlock("foldcol.present");
    llvm::BasicBlock* absent = NewColdBlock("foldcol.absent");
    builder_.CreateCondBr(IsPresent(PresenceOf(builder_, columns, column), row), present, absent);
    builder_.SetInsertPoint(absent);
    llvm::AllocaInst* elements_at = entry_.CreateAlloca(context_.ptr());
    llvm::AllocaInst* bounds = entry_.CreateAlloca(llvm::ArrayType::get(context_.i32(), 2));
    Call(Helper::k_fold_column_begin, {machine_, cursor, I32(node.c), slot, elements_at, bounds});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(present);
  }
  llvm::Value* offsets = ValuesOf(builder_, columns, column, facts::TypeKind::kList);
  llvm::Value* begin = builder_.CreateLoad(context_.i32(), builder_.CreateInBoundsGEP(context_.i32(), offsets, row));
  llvm::Value* next_row = builder_.CreateAdd(row, I64(1));
  llvm::Value* end = builder_.CreateLoad(context_.i32(), builder_.CreateInBoundsGEP(context_.i32(), offsets, next_row));
  uint64_t table_at = uint64_t{column} * facts::NativeLayout::kColumnSize + facts::NativeLayout::kElements;
  llvm::Value* elements =
      builder_.CreateLoad(context_.ptr(), builder_.CreateConstInBoundsGEP1_64(context_.i8(), columns, table_at));
  llvm::Value* count = builder_.CreateZExt(builder_.CreateSub(end, begin), context_.i64());
  bool bools = FoldsBools(node.flags);
  llvm::Value* state = bools ? StartBools(*this, node.flags, slot) : NewFoldState(node.flags, count);
  llvm::Value* no_range = llvm::ConstantPointerNull::get(context_.ptr());
  auto row_of = [&](llvm::Value* i) { return builder_.CreateAdd(begin, builder_.CreateTrunc(i, context_.i32())); };
  plan::ExprId transform = node.count > 1 ? code_.child(node, 1) : plan::kNone;
  EmitFoldLoop(
      node.flags, frame, state, count, no_range, code_.child(node, 0), transform,
      [&](llvm::Value* i) {
        PointCursor(frame, node.a, elements, row_of(i));
        if (node.b != plan::kNone) Call(Helper::k_set_int, {CellAt(frame, node.b), i});
      },
      [&](llvm::Value* i) { Call(Helper::k_fold_column_keep, {machine_, state, I32(node.c), elements, row_of(i)}); });
  if (!bools) Call(Helper::k_fold_end, {state, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

}  // namespace edict::codegen
