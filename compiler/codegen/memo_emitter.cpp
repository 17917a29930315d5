// Memo calls. The `memo` helper (runtime/jit/abi.cpp) borrows the value from the session's cache,
// where it stays put until the session ends, instead of copying it into a slot (the slot holds a
// value only for an argument that is no key). It answers a by-row hit or miss from the machine's
// interp::MemoView (runtime/interp/machine.h), a miss by calling the body's native function in
// place, leaving the rest to Machine::MemoRef; a function by string or by value (whose view has no
// rows) calls `memo_key`, which answers from the front cache. In the pass loops the hit of a by-row
// function is inline too; a miss calls the helper. Elsewhere a hit through the helper costs
// ~20 instructions, which an inline test (~15 IR instructions a call site, 220 sites, and the
// view fetched per call of the function) would not pay for.
#include "compiler/codegen/expr_emitter.h"

namespace edict::codegen {

namespace {

// interp::MemoView's layout (checked by runtime/jit/abi.cpp).
constexpr unsigned kViewTable = 0;
constexpr unsigned kViewValues = 8;
constexpr unsigned kViewFilled = 16;
constexpr unsigned kViewRows = 24;
constexpr unsigned kViewHits = 32;

// By string or by value: the view has no rows, so no inline test could hit.
bool Keyed(const ModuleContext& context, uint32_t function) {
  if (context.plan() == nullptr) return false;
  const plan::MemoFunction& memo = context.plan()->memo_functions[function];
  return memo.by_string || memo.by_value != value::Kind::kNull;
}

}  // namespace

llvm::Value* ExprEmitter::EmitMemo(const plan::Node& node, llvm::Value* frame) {
  llvm::Value* cursor = CellAt(frame, node.b);
  if (Keyed(context_, node.a)) return Call(Helper::k_memo_key, {machine_, I32(node.a), cursor, NewSlot()});
  // Outside the pass loops a hit is not worth ~30 instructions a call (250 calls in the standard
  // library, 27 in its loops): the helper borrows just the same.
  if (!hot_) return Call(Helper::k_memo, {machine_, I32(node.a), cursor, NewSlot()});
  llvm::Value* view = MemoViewOf(node.a);
  // The view's fields are loaded here, not in the entry block: a miss (of any call) may size the
  // cache.
  llvm::Value* table = builder_.CreateLoad(context_.ptr(), Field(cursor, kCellTableOffset));
  llvm::Value* row = builder_.CreateLoad(context_.i32(), Field(cursor, kCellRowOffset));
  llvm::Value* cached_table = builder_.CreateLoad(context_.ptr(), Field(view, kViewTable));
  llvm::Value* rows = builder_.CreateLoad(context_.i32(), Field(view, kViewRows));
  llvm::BasicBlock* test = NewBlock("memo.filled");
  llvm::BasicBlock* hit = NewBlock("memo.hit");
  llvm::BasicBlock* miss = NewColdBlock("memo.miss");
  llvm::BasicBlock* done = NewBlock("memo.done");
  builder_.CreateCondBr(builder_.CreateAnd(builder_.CreateICmpEQ(table, cached_table), builder_.CreateICmpULT(row, rows)),
                        test, miss);
  builder_.SetInsertPoint(test);
  // Bit row % 64 of word row / 64.
  llvm::Value* index = builder_.CreateZExt(row, context_.i64());
  llvm::Value* filled = builder_.CreateLoad(context_.ptr(), Field(view, kViewFilled));
  llvm::Value* word = builder_.CreateLoad(
      context_.i64(), builder_.CreateInBoundsGEP(context_.i64(), filled, builder_.CreateLShr(index, I64(6))));
  llvm::Value* bit = builder_.CreateAnd(builder_.CreateLShr(word, builder_.CreateAnd(index, I64(63))), I64(1));
  builder_.CreateCondBr(builder_.CreateICmpNE(bit, I64(0)), hit, miss);
  builder_.SetInsertPoint(hit);
  CountMemoHits(node.a, 1);
  llvm::Value* values = builder_.CreateLoad(context_.ptr(), Field(view, kViewValues));
  llvm::Value* cached = builder_.CreateInBoundsGEP(context_.value_type(), values, index);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(miss);
  llvm::Value* computed = Call(Helper::k_memo, {machine_, I32(node.a), cursor, NewSlot()});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  llvm::PHINode* result = builder_.CreatePHI(context_.ptr(), 2);
  result->addIncoming(cached, hit);
  result->addIncoming(computed, miss);
  return result;
}

llvm::Value* ExprEmitter::MemoViewOf(uint32_t function) {
  auto [known, added] = memo_views_.try_emplace(function);
  if (added) known->second = entry_.CreateCall(context_.helper(Helper::k_memo_view), {machine_, I32(function)});
  return known->second;
}

void ExprEmitter::CountMemoHits(uint32_t function, uint32_t count) {
  llvm::Value* hits = builder_.CreateLoad(context_.ptr(), Field(MemoViewOf(function), kViewHits));
  builder_.CreateStore(builder_.CreateAdd(builder_.CreateLoad(context_.i64(), hits), I64(count)), hits);
}

}  // namespace edict::codegen
