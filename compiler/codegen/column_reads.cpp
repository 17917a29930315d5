// Reading the columnar store without a call: a table's column, its values and its presence bits
// are loads at the offsets facts::NativeLayout publishes, on a table known in the entry block
// (a pass or index loop's) as on one a cursor holds at run time (a memo function's parameter, a
// fold variable). Whether a column may be absent is the schema's, so a required column's read
// tests nothing.
#include "compiler/codegen/expr_emitter.h"
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
