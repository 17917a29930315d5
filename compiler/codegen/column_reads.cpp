// Reading the columnar store without a call: a table's column, its values and its presence bits
// are loads at the offsets facts::NativeLayout publishes, on a table known in the entry block
// (a pass or index loop's) as on one a cursor holds at run time (a memo function's parameter, a
// fold variable). Whether a column may be absent is the schema's, so a required column's read
// tests nothing. A text column read again where its first read dominates reuses that value.
#include <unordered_set>

#include "compiler/codegen/expr_emitter.h"
#include "llvm/IR/CFG.h"
#include "runtime/facts/table.h"

namespace edict::codegen {

using facts::NativeLayout;
using facts::TypeKind;

llvm::Value* ExprEmitter::ColumnsOf(llvm::IRBuilder<>& builder, llvm::Value* table) {
  static_assert(NativeLayout::kTableColumns == 0);
  return builder.CreateLoad(context_.ptr(), table);
}

llvm::Value* ExprEmitter::ValuesOf(llvm::IRBuilder<>& builder, llvm::Value* columns, uint32_t column, TypeKind kind) {
  size_t offset = NativeLayout::kInts;
  switch (kind) {
    case TypeKind::kNum: offset = NativeLayout::kNums; break;
    case TypeKind::kBool:
    case TypeKind::kEnum: offset = NativeLayout::kCodes; break;
    case TypeKind::kString:
    case TypeKind::kDataType: offset = NativeLayout::kIds; break;
    case TypeKind::kList: offset = NativeLayout::kOffsets; break;
    default: break;
  }
  uint64_t at = uint64_t{column} * NativeLayout::kColumnSize + offset;
  return builder.CreateLoad(context_.ptr(), builder.CreateConstInBoundsGEP1_64(context_.i8(), columns, at));
}

llvm::Value* ExprEmitter::PresenceOf(llvm::IRBuilder<>& builder, llvm::Value* columns, uint32_t column) {
  uint64_t at = uint64_t{column} * NativeLayout::kColumnSize + NativeLayout::kPresence;
  return builder.CreateLoad(context_.ptr(), builder.CreateConstInBoundsGEP1_64(context_.i8(), columns, at));
}

namespace {

// A dominance question that needs more blocks than this is answered no: a longer walk would cost
// more compile time than the read it saves.
constexpr size_t kMaxDominanceWalk = 48;

}  // namespace

llvm::Value* ExprEmitter::EarlierRead(const plan::Node& column, llvm::Value* frame) {
  if (column.c != plan::kNone) return nullptr;  // a guarded read has its own errors
  const llvm::BasicBlock* at = builder_.GetInsertBlock();
  for (const TextRead& read : text_reads_) {
    if (read.frame == frame && read.reg == column.a && read.column_ref == column.b && Dominates(read.block, at)) {
      return read.slot;
    }
  }
  return nullptr;
}

void ExprEmitter::RememberRead(const plan::Node& column, llvm::Value* frame, llvm::Value* slot) {
  text_reads_.push_back({frame, column.a, column.b, builder_.GetInsertBlock(), slot});
}

void ExprEmitter::ForgetReadsOf(uint32_t reg) {
  std::erase_if(text_reads_, [reg](const TextRead& read) { return read.reg == reg; });
  if (known_row_ && known_row_->reg == reg) known_row_.reset();
}

void ExprEmitter::ForgetRebound(const plan::Node& node) {
  switch (node.op) {
    case plan::Op::kFold:
    case plan::Op::kFoldColumn:
      ForgetReadsOf(node.a);
      ForgetReadsOf(node.b);
      break;
    case plan::Op::kAggregate:  // evaluated in this frame, where the machine binds its scans' registers
      ForgetReads();
      break;
    default:
      break;
  }
}

// Predecessors only: the emitter adds no edge into a block it has filled but a loop's back edge,
// into the loop's header, which every block of the loop's body is dominated by anyway.
bool ExprEmitter::Dominates(const llvm::BasicBlock* block, const llvm::BasicBlock* at) {
  std::vector<const llvm::BasicBlock*> pending = {at};
  std::unordered_set<const llvm::BasicBlock*> seen = {at};
  while (!pending.empty()) {
    const llvm::BasicBlock* current = pending.back();
    pending.pop_back();
    if (current == block) continue;
    if (llvm::pred_empty(current)) return false;  // the body's start, or a block not reached yet
    for (const llvm::BasicBlock* predecessor : llvm::predecessors(current)) {
      if (!seen.insert(predecessor).second) continue;
      if (seen.size() > kMaxDominanceWalk) return false;
      pending.push_back(predecessor);
    }
  }
  return true;
}

bool ExprEmitter::Nullable(uint32_t column_ref) const {
  const plan::ColumnRef& ref = code_.columns[column_ref];
  return schema_->layout(ref.layout).columns[ref.column].nullable;
}

llvm::Value* ExprEmitter::IsPresent(llvm::Value* words, llvm::Value* index) {
  llvm::Value* word = builder_.CreateLoad(context_.i64(), builder_.CreateInBoundsGEP(context_.i64(), words, builder_.CreateLShr(index, I64(6))));
  llvm::Value* bit = builder_.CreateLShr(word, builder_.CreateAnd(index, I64(63)));
  return builder_.CreateTrunc(bit, llvm::Type::getInt1Ty(context_.context()));
}

}  // namespace edict::codegen
