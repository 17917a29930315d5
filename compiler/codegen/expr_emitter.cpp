// Node by node: leaves read the store (inline for scalar columns of a known table), generic CEL
// calls the runtime helpers, and the logical operators keep CEL's commutative error absorption:
// a deciding operand ends the evaluation, anything else is folded in by value::LogicalAnd/Or.
#include "compiler/codegen/expr_emitter.h"

#include <llvm/IR/CFG.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "runtime/value/dispatch.h"

namespace edict::codegen {

using plan::Node;
using plan::Op;
using value::Kind;

namespace {

constexpr uint8_t K(Kind kind) { return static_cast<uint8_t>(kind); }

// Compares inlined when both operands have the kind the overload names.
struct InlineCompare {
  value::Overload overload;
  Kind kind;
  llvm::CmpInst::Predicate predicate;
};

constexpr InlineCompare kInlineCompares[] = {
    {value::Overload::less_int64, Kind::kInt, llvm::CmpInst::ICMP_SLT},
    {value::Overload::less_equals_int64, Kind::kInt, llvm::CmpInst::ICMP_SLE},
    {value::Overload::greater_int64, Kind::kInt, llvm::CmpInst::ICMP_SGT},
    {value::Overload::greater_equals_int64, Kind::kInt, llvm::CmpInst::ICMP_SGE},
    {value::Overload::less_duration, Kind::kDuration, llvm::CmpInst::ICMP_SLT},
    {value::Overload::less_equals_duration, Kind::kDuration, llvm::CmpInst::ICMP_SLE},
    {value::Overload::greater_duration, Kind::kDuration, llvm::CmpInst::ICMP_SGT},
    {value::Overload::greater_equals_duration, Kind::kDuration, llvm::CmpInst::ICMP_SGE},
    {value::Overload::less_timestamp, Kind::kTimestamp, llvm::CmpInst::ICMP_SLT},
    {value::Overload::less_equals_timestamp, Kind::kTimestamp, llvm::CmpInst::ICMP_SLE},
    {value::Overload::greater_timestamp, Kind::kTimestamp, llvm::CmpInst::ICMP_SGT},
    {value::Overload::greater_equals_timestamp, Kind::kTimestamp, llvm::CmpInst::ICMP_SGE},
};

}  // namespace

ExprEmitter::ExprEmitter(ModuleContext& context, const plan::Code& code, const facts::Schema* schema,
                         llvm::Function* function)
    : context_(context),
      code_(code),
      schema_(schema),
      function_(function),
      entry_(llvm::BasicBlock::Create(context.context(), "entry", function)),
      builder_(context.context()) {
  body_ = llvm::BasicBlock::Create(context.context(), "body", function);
  builder_.SetInsertPoint(body_);
  slot_array_ = entry_.CreateAlloca(context.value_type());
  slot_array_->setAlignment(llvm::Align(8));
}

void ExprEmitter::Begin(llvm::Value* machine) {
  machine_ = machine;
}

llvm::Value* ExprEmitter::Constants() {
  if (constants_ == nullptr) {
    static_assert(kMachineConstantsOffset == 0, "read at the machine's address");
    constants_ = entry_.CreateLoad(context_.ptr(), machine_);
  }
  return constants_;
}

void ExprEmitter::Finish() {
  if (slots_.empty()) {
    slot_array_->eraseFromParent();
    slot_array_ = nullptr;
  } else {
    LayOutSlots();
  }
  entry_.CreateBr(body_);
  LayOutBlocks();
}

// FastISel keeps the blocks in function order and emits a jump for every branch to a block that
// does not follow its own. Depth first from the entry, each block is followed by one of its
// successors: a cold one (a slow path) only after the rest, a join (several predecessors) after
// the block's other successor, which still has to reach it.
void ExprEmitter::LayOutBlocks() {
  auto rank = [this](llvm::BasicBlock* block) { return cold_.count(block) != 0 ? 2 : llvm::pred_size(block) > 1 ? 1 : 0; };
  std::vector<llvm::BasicBlock*> order;
  std::unordered_set<llvm::BasicBlock*> placed;
  std::vector<llvm::BasicBlock*> pending{&function_->getEntryBlock()};
  while (!pending.empty()) {
    llvm::BasicBlock* block = pending.back();
    pending.pop_back();
    if (!placed.insert(block).second) continue;
    order.push_back(block);
    llvm::SmallVector<llvm::BasicBlock*, 2> next(llvm::successors(block));
    std::stable_sort(next.begin(), next.end(), [&](llvm::BasicBlock* a, llvm::BasicBlock* b) { return rank(a) < rank(b); });
    // The preferred successor last: it is taken first.
    pending.insert(pending.end(), next.rbegin(), next.rend());
  }
  for (llvm::BasicBlock& block : *function_) {
    if (placed.count(&block) == 0) order.push_back(&block);
  }
  for (llvm::BasicBlock* block : order) block->moveBefore(function_->end());
}

llvm::BasicBlock* ExprEmitter::NewBlock(const char* name) {
  return llvm::BasicBlock::Create(context_.context(), name, function_);
}

llvm::BasicBlock* ExprEmitter::NewColdBlock(const char* name) {
  llvm::BasicBlock* block = NewBlock(name);
  cold_.insert(block);
  return block;
}

llvm::Value* ExprEmitter::Call(Helper helper, std::initializer_list<llvm::Value*> args) {
  return builder_.CreateCall(context_.helper(helper), args);
}

llvm::Value* ExprEmitter::I32(uint32_t v) { return llvm::ConstantInt::get(context_.i32(), v); }
llvm::Value* ExprEmitter::I64(int64_t v) { return llvm::ConstantInt::get(context_.i64(), v, true); }

llvm::Value* ExprEmitter::Field(llvm::Value* base, unsigned offset) {
  if (offset == 0) return base;
  return builder_.CreateConstInBoundsGEP1_64(context_.i8(), base, offset);
}

llvm::Value* ExprEmitter::CellAt(llvm::Value* frame, uint32_t reg) {
  if (const MappedRegister* mapped = Mapped(frame, reg)) return mapped->cell;
  return builder_.CreateConstInBoundsGEP1_64(context_.i8(), frame, uint64_t{reg} * kCellSize);
}

llvm::Value* ExprEmitter::RegisterArg(llvm::Value* frame, uint32_t reg) {
  if (const MappedRegister* mapped = Mapped(frame, reg)) return mapped->number;
  return I32(reg);
}

llvm::Value* ExprEmitter::AggregateArg(uint32_t aggregate) {
  if (mapped_frame_ == nullptr) return I32(aggregate);
  auto found = mapped_aggregates_.find(aggregate);
  if (found == mapped_aggregates_.end()) {
    throw std::logic_error("aggregate " + std::to_string(aggregate) + " is not in the shared body's map");
  }
  return found->second;
}

void ExprEmitter::MapRegisters(llvm::Value* frame, llvm::Value* map, const std::vector<plan::Register>& registers,
                               const std::vector<uint32_t>& aggregates) {
  mapped_frame_ = frame;
  auto number_at = [&](size_t k) {
    return entry_.CreateLoad(context_.i32(), entry_.CreateConstInBoundsGEP1_64(context_.i32(), map, k));
  };
  for (size_t k = 0; k < registers.size(); ++k) {
    llvm::Value* number = number_at(k);
    llvm::Value* offset = entry_.CreateMul(entry_.CreateZExt(number, context_.i64()), I64(kCellSize));
    mapped_[registers[k]] = {number, entry_.CreateInBoundsGEP(context_.i8(), frame, offset)};
  }
  for (size_t k = 0; k < aggregates.size(); ++k) mapped_aggregates_[aggregates[k]] = number_at(registers.size() + k);
}

const ExprEmitter::MappedRegister* ExprEmitter::Mapped(llvm::Value* frame, uint32_t reg) const {
  if (mapped_frame_ == nullptr || frame != mapped_frame_ || reg == plan::kNone || reg == plan::kHeaderRegister) {
    return nullptr;
  }
  auto found = mapped_.find(reg);
  // The family's renaming lists every register its tree names; any other would be read at the
  // representative's number in every member's frame.
  if (found == mapped_.end()) {
    throw std::logic_error("register r" + std::to_string(reg) + " is not in the shared body's register map");
  }
  return &found->second;
}

void ExprEmitter::PointCursor(llvm::Value* frame, uint32_t reg, llvm::Value* table, llvm::Value* row) {
  llvm::Value* cursor = CellAt(frame, reg);
  ForgetReadsOf(reg);
  builder_.CreateStore(table, Field(cursor, kCellTableOffset));
  builder_.CreateStore(row, Field(cursor, kCellRowOffset));
}

llvm::Value* ExprEmitter::NewSlot() {
  llvm::Value* slot = entry_.CreateConstInBoundsGEP1_64(context_.i8(), slot_array_, uint64_t{slot_count_++} * kValueSize);
  slots_.insert(slot);
  slot_order_.push_back(llvm::cast<llvm::GetElementPtrInst>(slot));
  return slot;
}

llvm::Value* ExprEmitter::KindOf(llvm::Value* value) { return builder_.CreateLoad(context_.i8(), value); }

llvm::Value* ExprEmitter::IsBool(llvm::Value* value, bool expected) {
  llvm::Value* is_bool = builder_.CreateICmpEQ(KindOf(value), llvm::ConstantInt::get(context_.i8(), K(Kind::kBool)));
  llvm::Value* payload = builder_.CreateLoad(context_.i8(), Field(value, kValuePayloadOffset));
  llvm::Value* matches = expected ? builder_.CreateICmpNE(payload, llvm::ConstantInt::get(context_.i8(), 0))
                                  : builder_.CreateICmpEQ(payload, llvm::ConstantInt::get(context_.i8(), 0));
  return builder_.CreateAnd(is_bool, matches);
}

void ExprEmitter::Release(llvm::Value* value) {
  llvm::Value* owns = builder_.CreateLoad(context_.i8(), Field(value, kValueOwnsOffset));
  llvm::BasicBlock* release = NewBlock("release");
  llvm::BasicBlock* done = NewBlock("released");
  llvm::BranchInst* test =
      builder_.CreateCondBr(builder_.CreateICmpNE(owns, llvm::ConstantInt::get(context_.i8(), 0)), release, done);
  builder_.SetInsertPoint(release);
  auto* call = llvm::cast<llvm::CallInst>(Call(Helper::k_release, {value}));
  if (slots_.count(value) != 0) slot_releases_.push_back({value, test, call});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void ExprEmitter::Assign(llvm::Value* dst, llvm::Value* src) {
  if (dst == src) return;
  AssignIf(builder_.CreateOr(builder_.CreateLoad(context_.i8(), Field(dst, kValueOwnsOffset)),
                             builder_.CreateLoad(context_.i8(), Field(src, kValueOwnsOffset))),
           dst, src);
}

// Copies `src` to `dst` byte for byte unless `owns` (i8) is set, when the helper counts references.
void ExprEmitter::AssignIf(llvm::Value* owns, llvm::Value* dst, llvm::Value* src) {
  llvm::BasicBlock* slow = NewColdBlock("assign.rc");
  llvm::BasicBlock* fast = NewBlock("assign.plain");
  llvm::BasicBlock* done = NewBlock("assigned");
  builder_.CreateCondBr(builder_.CreateICmpNE(owns, llvm::ConstantInt::get(context_.i8(), 0)), slow, fast);
  builder_.SetInsertPoint(slow);
  Call(Helper::k_copy, {dst, src});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(fast);
  builder_.CreateMemCpy(dst, llvm::Align(8), src, llvm::Align(8), kValueSize);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void ExprEmitter::StoreScalar(llvm::Value* slot, uint8_t kind, llvm::Value* payload, llvm::Value* aux) {
  // Outside loops a slot is written once and holds nothing yet.
  if (loop_depth_ > 0) Release(slot);
  // kind and owns (false) in one store, then the aux and the payload.
  builder_.CreateStore(llvm::ConstantInt::get(llvm::Type::getInt16Ty(context_.context()), kind), slot);
  builder_.CreateStore(aux != nullptr ? aux : I32(0), Field(slot, kValueAuxOffset));
  if (payload->getType() == context_.f64()) payload = builder_.CreateBitCast(payload, context_.i64());
  if (payload->getType() != context_.i64()) payload = builder_.CreateZExt(payload, context_.i64());
  builder_.CreateStore(payload, Field(slot, kValuePayloadOffset));
}

void ExprEmitter::StoreResult(llvm::Value* result, llvm::Value* out) {
  ForgetReads();  // the result's slot may go
  if (slots_.count(result) == 0) {
    // `out` owns nothing: only the source decides whether references are counted.
    if (MayBeSlot(result)) {
      MoveOrAssign(result, out);
    } else {
      AssignIf(builder_.CreateLoad(context_.i8(), Field(result, kValueOwnsOffset)), out, result);
    }
    return;
  }
  // A slot of this function, only ever written: the code that fills it fills `out` (null, as the
  // slot would be) instead.
  result->replaceAllUsesWith(out);
  std::erase(slot_order_, result);
  std::erase_if(slot_releases_, [&](const SlotRelease& release) { return release.slot == result; });
  llvm::cast<llvm::Instruction>(result)->eraseFromParent();
  slots_.erase(result);
}

void ExprEmitter::ReleaseSlots() {
  if (!slots_.empty()) release_calls_.push_back(llvm::cast<llvm::CallInst>(Call(Helper::k_release_n, {slot_array_, I32(0)})));
}

void ExprEmitter::SetKnownTable(plan::Register reg, llvm::Value* table) { known_tables_[reg] = table; }

void ExprEmitter::SetKnownRow(llvm::Value* frame, plan::Register reg, llvm::Value* row) {
  known_row_ = KnownRow{frame, reg, row};
}

void ExprEmitter::ClearKnownTables() {
  known_tables_.clear();
  known_row_.reset();
}

bool ExprEmitter::KnowsRow(llvm::Value* frame, uint32_t reg) const {
  return known_row_ && known_row_->frame == frame && known_row_->reg == reg;
}

llvm::Value* ExprEmitter::CursorRow(llvm::Value* frame, uint32_t reg) {
  if (KnowsRow(frame, reg)) return known_row_->row;
  return builder_.CreateLoad(context_.i32(), Field(CellAt(frame, reg), kCellRowOffset));
}

llvm::Value* ExprEmitter::CursorIndex(llvm::Value* frame, uint32_t reg) {
  if (!KnowsRow(frame, reg)) return builder_.CreateZExt(CursorRow(frame, reg), context_.i64());
  // Widened once, where the row is defined: each read reloads the index as it is, where a zext of
  // a reloaded i32 would cost an instruction more at O0.
  llvm::Value*& index = row_indexes_[known_row_->row];
  if (index == nullptr) {
    auto* row = llvm::cast<llvm::Instruction>(known_row_->row);
    index = llvm::IRBuilder<>(row->getParent(), row->getInsertionPointAfterDef().value()).CreateZExt(row, context_.i64());
  }
  return index;
}

ExprEmitter::KnownColumn* ExprEmitter::Known(uint32_t reg, uint32_t column_ref) {
  auto table = known_tables_.find(reg);
  if (table == known_tables_.end()) return nullptr;
  uint64_t key = (uint64_t{reg} << 32) | column_ref;
  auto [it, added] = known_columns_.try_emplace(key);
  if (added) {
    const plan::ColumnRef& ref = code_.columns[column_ref];
    llvm::Value* columns = ColumnsOf(entry_, table->second);
    it->second.data = ValuesOf(entry_, columns, ref.column, ref.kind);
    if (Nullable(column_ref)) it->second.presence = PresenceOf(entry_, columns, ref.column);
  }
  return &it->second;
}

llvm::Value* ExprEmitter::Emit(plan::ExprId id, llvm::Value* frame) {
  if (row_values_ != nullptr) {
    if (llvm::Value* kept = row_values_->Supply(id, frame)) return kept;
  }
  const Node& node = code_.nodes[id];
  ForgetRebound(node);
  llvm::Value* value = EmitOp(node, frame);
  ForgetRebound(node);
  return value;
}

ExprEmitter::Branches ExprEmitter::NewBranches(llvm::BasicBlock* on_true, llvm::BasicBlock* on_false,
                                               const char* other_name) {
  llvm::BasicBlock* other = NewColdBlock(other_name);
  return {on_true, on_false, other, llvm::PHINode::Create(context_.ptr(), 2, "", other)};
}

void ExprEmitter::BranchOnValue(llvm::Value* value, const Branches& to) {
  llvm::BasicBlock* boolean = NewBlock("test.bool");
  to.other->addIncoming(value, builder_.GetInsertBlock());
  builder_.CreateCondBr(builder_.CreateICmpEQ(KindOf(value), llvm::ConstantInt::get(context_.i8(), K(Kind::kBool))),
                        boolean, to.on_other);
  builder_.SetInsertPoint(boolean);
  llvm::Value* payload = builder_.CreateLoad(context_.i8(), Field(value, kValuePayloadOffset));
  builder_.CreateCondBr(builder_.CreateICmpNE(payload, llvm::ConstantInt::get(context_.i8(), 0)), to.on_true, to.on_false);
}

bool ExprEmitter::EnterOther(const Branches& to) {
  if (llvm::pred_empty(to.on_other)) {
    cold_.erase(to.on_other);
    to.on_other->eraseFromParent();
    return false;
  }
  builder_.SetInsertPoint(to.on_other);
  return true;
}

void ExprEmitter::EmitBranch(plan::ExprId id, llvm::Value* frame, const Branches& to) {
  const Node& node = code_.nodes[id];
  if (node.op == Op::kNot) {
    ForgetRebound(node);
    Branches inverted = NewBranches(to.on_false, to.on_true, "not.other");
    EmitBranch(code_.child(node, 0), frame, inverted);
    if (EnterOther(inverted)) {
      llvm::Value* slot = NewSlot();
      Call(Helper::k_not, {inverted.other, slot});
      BranchOnValue(slot, to);
    }
    ForgetRebound(node);
    return;
  }
  if (node.op == Op::kAnd || node.op == Op::kOr) {
    ForgetRebound(node);
    EmitLogicalBranch(node, frame, to);
    ForgetRebound(node);
    return;
  }
  const Node* outer_node = branch_node_;
  const Branches* outer_to = branch_to_;
  branch_node_ = &node;
  branch_to_ = &to;
  llvm::Value* value = Emit(id, frame);
  branch_node_ = outer_node;
  branch_to_ = outer_to;
  // Reached by the paths that stored a value (all of them when nothing branched inline), if any.
  llvm::BasicBlock* stored = builder_.GetInsertBlock();
  if (stored->getTerminator() != nullptr) return;
  if (stored != body_ && llvm::pred_empty(stored)) {
    stored->eraseFromParent();
    return;
  }
  BranchOnValue(value, to);
}

llvm::Value* ExprEmitter::EmitOp(const Node& node, llvm::Value* frame) {
  switch (node.op) {
    case Op::kConst:
      return builder_.CreateConstInBoundsGEP1_64(context_.i8(), Constants(), uint64_t{node.a} * kValueSize);
    case Op::kRegister:
      // Borrowed: every consumer reads it before anything can rebind the register.
      return CellAt(frame, node.a);
    case Op::kSlot:
      return Call(Helper::k_slot, {machine_, I32(node.a)});
    case Op::kColumn:
      return EmitColumn(node, frame);
    case Op::kPresent:
      return EmitPresent(node, frame);
    case Op::kStruct:
    case Op::kListColumn:
    case Op::kListSize: {
      Helper helper = node.op == Op::kStruct       ? Helper::k_struct
                      : node.op == Op::kListColumn ? Helper::k_list_column
                                                   : Helper::k_list_size;
      llvm::Value* slot = NewSlot();
      Call(helper, {machine_, CellAt(frame, node.a), I32(node.b), slot});
      return slot;
    }
    case Op::kListContains: {
      llvm::Value* needle = Emit(code_.child(node, 0), frame);
      llvm::Value* slot = NewSlot();
      Call(Helper::k_list_contains, {machine_, CellAt(frame, node.a), I32(node.b), needle, slot});
      return slot;
    }
    case Op::kSelect: {
      if (llvm::Value* picked = EmitConstSelect(node, frame)) return picked;
      llvm::Value* operand = Emit(code_.child(node, 0), frame);
      llvm::Value* slot = NewSlot();
      Call(Helper::k_select, {machine_, operand, I32(node.a), I32(node.flags & 1), slot});
      return slot;
    }
    case Op::kCall:
      return EmitCall(node, frame);
    case Op::kDispatch: {
      llvm::Value* args = EmitArgs(node, frame);
      llvm::Value* slot = NewSlot();
      Call(Helper::k_dispatch, {machine_, I32(node.a), args, I32(node.count), slot});
      return slot;
    }
    case Op::kAnd:
    case Op::kOr:
      return EmitLogical(node, frame);
    case Op::kNot:
      return EmitNot(node, frame);
    case Op::kConditional:
      return EmitConditional(node, frame);
    case Op::kList:
    case Op::kMap:
    case Op::kTemplate: {
      llvm::Value* parts = EmitArgs(node, frame);
      Helper helper = node.op == Op::kList ? Helper::k_list : node.op == Op::kMap ? Helper::k_map : Helper::k_template;
      llvm::Value* slot = NewSlot();
      Call(helper, {parts, I32(node.count), slot});
      return slot;
    }
    case Op::kBind: {
      llvm::Value* bound = Emit(code_.child(node, 0), frame);
      Assign(CellAt(frame, node.a), bound);
      ForgetReadsOf(node.a);
      return Emit(code_.child(node, 1), frame);
    }
    case Op::kFold:
      return EmitFold(node, frame);
    case Op::kFoldColumn:
      return EmitFoldColumn(node, frame);
    case Op::kAggregate:
      return EmitAggregate(node, frame);
    case Op::kMemo:
      return EmitMemo(node, frame);
  }
  return NewSlot();
}

// A scalar column: the presence test and the value inline; a string, data type or enum through a
// lean helper (its text); an absent value (an error, named by the interpreter's own code) through
// the machine.
llvm::Value* ExprEmitter::EmitColumn(const Node& node, llvm::Value* frame) {
  if (llvm::Value* earlier = EarlierRead(node, frame)) return earlier;
  const plan::ColumnRef& ref = code_.columns[node.b];
  llvm::Value* slot = NewSlot();
  bool inline_kind = ref.kind == facts::TypeKind::kInt || ref.kind == facts::TypeKind::kNum ||
                     ref.kind == facts::TypeKind::kBool || ref.kind == facts::TypeKind::kDuration ||
                     ref.kind == facts::TypeKind::kTimestamp;
  bool text_kind = ref.kind == facts::TypeKind::kString || ref.kind == facts::TypeKind::kDataType ||
                   ref.kind == facts::TypeKind::kEnum;
  if (node.c == plan::kNone && ref.kind == facts::TypeKind::kString) {
    Call(Helper::k_column_string, {machine_, CellAt(frame, node.a), I32(node.b), I32(ref.column), slot});
    RememberRead(node, frame, slot);
    return slot;
  }
  if (node.c == plan::kNone && text_kind && ref.type < (1u << 24)) {
    uint32_t type_kind = ref.type << 8 | static_cast<uint32_t>(ref.kind);
    Call(Helper::k_column_text, {machine_, CellAt(frame, node.a), I32(node.b), I32(ref.column), I32(type_kind), slot});
    RememberRead(node, frame, slot);
    return slot;
  }
  if (node.c != plan::kNone || !inline_kind) {
    Call(Helper::k_column, {machine_, CellAt(frame, node.a), I32(node.b), I32(node.c), slot});
    return slot;
  }
  llvm::BasicBlock* done = nullptr;
  llvm::Value* at = BeginColumnRead(node, Known(node.a, node.b), frame, slot, done);
  switch (ref.kind) {
    case facts::TypeKind::kBool: {
      llvm::Value* code = builder_.CreateLoad(context_.i8(), at);
      FinishInlineBool(node, slot, builder_.CreateICmpNE(code, llvm::ConstantInt::get(context_.i8(), 0)), done);
      builder_.SetInsertPoint(done);
      return slot;
    }
    case facts::TypeKind::kNum: {
      llvm::Value* v = builder_.CreateLoad(context_.f64(), at);
      StoreScalar(slot, K(Kind::kDouble), v);
      break;
    }
    case facts::TypeKind::kTimestamp: {
      llvm::Value* nanos = builder_.CreateLoad(context_.i64(), at);
      // Floor division: nanoseconds in [0, 1e9) also before the epoch.
      llvm::Value* billion = I64(value::kNanosPerSecond);
      llvm::Value* seconds = builder_.CreateSDiv(nanos, billion);
      llvm::Value* rest = builder_.CreateSRem(nanos, billion);
      llvm::Value* negative = builder_.CreateICmpSLT(rest, I64(0));
      rest = builder_.CreateSelect(negative, builder_.CreateAdd(rest, billion), rest);
      seconds = builder_.CreateSelect(negative, builder_.CreateSub(seconds, I64(1)), seconds);
      StoreScalar(slot, K(Kind::kTimestamp), seconds, builder_.CreateTrunc(rest, context_.i32()));
      break;
    }
    default: {
      llvm::Value* v = builder_.CreateLoad(context_.i64(), at);
      StoreScalar(slot, K(ref.kind == facts::TypeKind::kInt ? Kind::kInt : Kind::kDuration), v);
      break;
    }
  }
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

// The presence test of an inline column read: an absent value goes to `slot` through the helper
// (the interpreter's error) and on to `done`; returns the address of the row's value (an int64,
// double, uint8 or uint32, by the column's kind), the builder in the block that reads it and must
// branch to `done`. `known` is null for a table known only at run time.
llvm::Value* ExprEmitter::BeginColumnRead(const Node& column, const KnownColumn* known, llvm::Value* frame,
                                          llvm::Value* slot, llvm::BasicBlock*& done) {
  const plan::ColumnRef& ref = code_.columns[column.b];
  llvm::Value* index = CursorIndex(frame, column.a);
  KnownColumn found;
  if (known == nullptr) {
    llvm::Value* columns = ColumnsOf(builder_, builder_.CreateLoad(context_.ptr(), Field(CellAt(frame, column.a), kCellTableOffset)));
    found.data = ValuesOf(builder_, columns, ref.column, ref.kind);
    if (Nullable(column.b)) found.presence = PresenceOf(builder_, columns, ref.column);
    known = &found;
  }
  llvm::BasicBlock* read = NewBlock("column.read");
  done = NewBlock("column.done");
  if (known->presence == nullptr) {
    builder_.CreateBr(read);
  } else {
    llvm::BasicBlock* absent = NewBlock("column.absent");
    builder_.CreateCondBr(IsPresent(known->presence, index), read, absent);
    builder_.SetInsertPoint(absent);
    Call(Helper::k_column, {machine_, CellAt(frame, column.a), I32(column.b), I32(column.c), slot});
    builder_.CreateBr(done);
  }
  builder_.SetInsertPoint(read);
  llvm::Type* type = ref.kind == facts::TypeKind::kNum                                         ? context_.f64()
                     : ref.kind == facts::TypeKind::kBool || ref.kind == facts::TypeKind::kEnum ? context_.i8()
                     : ref.kind == facts::TypeKind::kString || ref.kind == facts::TypeKind::kDataType
                         ? context_.i32()
                         : context_.i64();
  return builder_.CreateInBoundsGEP(type, known->data, index);
}

// has(): the presence bits inline (a column the schema requires is present); an absent enclosing
// struct (an error) through the machine.
llvm::Value* ExprEmitter::EmitPresent(const Node& node, llvm::Value* frame) {
  const plan::ColumnRef& ref = code_.columns[node.b];
  llvm::Value* slot = NewSlot();
  llvm::Value* index = CursorIndex(frame, node.a);
  llvm::Value* columns = nullptr;
  auto words = [&](uint32_t column_ref) -> llvm::Value* {
    if (!Nullable(column_ref)) return nullptr;
    if (KnownColumn* known = Known(node.a, column_ref)) return known->presence;
    if (columns == nullptr) {
      columns = ColumnsOf(builder_, builder_.CreateLoad(context_.ptr(), Field(CellAt(frame, node.a), kCellTableOffset)));
    }
    return PresenceOf(builder_, columns, code_.columns[column_ref].column);
  };
  llvm::Value* parent = ref.parent == plan::kNone ? nullptr : words(ref.parent);
  llvm::BasicBlock* done = nullptr;
  if (parent != nullptr) {
    llvm::BasicBlock* inside = NewBlock("present.inside");
    llvm::BasicBlock* absent = NewBlock("present.absent");
    done = NewBlock("present.done");
    builder_.CreateCondBr(IsPresent(parent, index), inside, absent);
    builder_.SetInsertPoint(absent);
    Call(Helper::k_present, {machine_, CellAt(frame, node.a), I32(node.b), slot});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(inside);
  }
  llvm::Value* own = words(node.b);
  FinishInlineBool(node, slot, own != nullptr ? IsPresent(own, index) : builder_.getTrue(), done);
  if (done != nullptr) builder_.SetInsertPoint(done);
  return slot;
}

llvm::Value* ExprEmitter::PointerArray(const std::vector<llvm::Value*>& values) {
  llvm::AllocaInst* array = entry_.CreateAlloca(llvm::ArrayType::get(context_.ptr(), std::max<size_t>(values.size(), 1)));
  for (size_t i = 0; i < values.size(); ++i) {
    builder_.CreateStore(values[i], builder_.CreateConstInBoundsGEP1_64(context_.ptr(), array, i));
  }
  return array;
}

llvm::Value* ExprEmitter::EmitArgs(const Node& node, llvm::Value* frame) {
  std::vector<llvm::Value*> values;
  for (uint32_t i = 0; i < node.count; ++i) values.push_back(Emit(code_.child(node, i), frame));
  return PointerArray(values);
}

// Column equalities and compares inline; other calls call the overload, with one or two
// arguments passed directly.
llvm::Value* ExprEmitter::EmitCall(const Node& node, llvm::Value* frame) {
  if (llvm::Value* fused = EmitColumnEquality(node, frame)) return fused;
  if (llvm::Value* known = EmitKnownCall(node, frame)) return known;
  bool emitted = false;
  llvm::Value* compared = EmitInlineCompare(node, frame, emitted);
  if (emitted) return compared;
  if (node.count == 1 || node.count == 2) {
    llvm::Value* first = Emit(code_.child(node, 0), frame);
    llvm::Value* second = node.count == 2 ? Emit(code_.child(node, 1), frame) : nullptr;
    llvm::Value* slot = NewSlot();
    if (second == nullptr) {
      Call(Helper::k_call1, {I32(node.a), first, slot});
    } else {
      Call(Helper::k_call2, {I32(node.a), first, second, slot});
    }
    return slot;
  }
  llvm::Value* args = EmitArgs(node, frame);
  llvm::Value* slot = NewSlot();
  Call(Helper::k_call, {I32(node.a), args, I32(node.count), slot});
  return slot;
}

// `column == "text"`: an enum's code against the constant's code (resolved from the schema now),
// an interned string's id against the constant's id in the session (fetched once per call of the
// function, so only on a known table; on another the helper compares the texts).
llvm::Value* ExprEmitter::EmitColumnEquality(const Node& node, llvm::Value* frame) {
  auto overload = static_cast<value::Overload>(node.a);
  if (node.count != 2 || (overload != value::Overload::equals && overload != value::Overload::not_equals)) return nullptr;
  const Node* column = &code_.nodes[code_.child(node, 0)];
  const Node* constant = &code_.nodes[code_.child(node, 1)];
  if (column->op == Op::kConst) std::swap(column, constant);
  if (column->op != Op::kColumn || constant->op != Op::kConst || column->c != plan::kNone) return nullptr;
  const value::Value& text = code_.constants[constant->a];
  const plan::ColumnRef& ref = code_.columns[column->b];
  if (!text.is_string()) return nullptr;
  if (ref.kind != facts::TypeKind::kEnum && ref.kind != facts::TypeKind::kString) return nullptr;
  if (ref.kind == facts::TypeKind::kEnum && schema_ == nullptr) return nullptr;
  llvm::Value* expected = nullptr;
  llvm::Value* actual = nullptr;
  llvm::Value* slot = NewSlot();
  // Absent: the read's error, which equality passes through.
  llvm::BasicBlock* done = nullptr;
  if (ref.kind == facts::TypeKind::kString && known_tables_.count(column->a) == 0) {
    llvm::Value* cursor = CellAt(frame, column->a);
    llvm::Value* table = builder_.CreateLoad(context_.ptr(), Field(cursor, kCellTableOffset));
    llvm::Value* row = CursorRow(frame, column->a);
    llvm::Value* text_value = builder_.CreateConstInBoundsGEP1_64(context_.i8(), Constants(), uint64_t{constant->a} * kValueSize);
    llvm::Value* is = Call(Helper::k_column_text_is, {machine_, table, I32(ref.column), row, text_value});
    llvm::BasicBlock* present = NewBlock("text.present");
    llvm::BasicBlock* absent = NewBlock("text.absent");
    done = NewBlock("text.done");
    builder_.CreateCondBr(builder_.CreateICmpEQ(is, I32(2)), absent, present);
    builder_.SetInsertPoint(absent);
    Call(Helper::k_column, {machine_, cursor, I32(column->b), I32(column->c), slot});
    builder_.CreateBr(done);
    builder_.SetInsertPoint(present);
    expected = I32(overload == value::Overload::equals ? 1 : 0);
    FinishInlineBool(node, slot, builder_.CreateICmpEQ(is, expected), done);
    builder_.SetInsertPoint(done);
    return slot;
  }
  llvm::Value* at = BeginColumnRead(*column, Known(column->a, column->b), frame, slot, done);
  if (ref.kind == facts::TypeKind::kEnum) {
    const std::vector<std::string>& names = schema_->type(ref.type).enum_values;
    auto it = std::find(names.begin(), names.end(), text.string_value());
    // A constant that is no value of the enum matches no row: 256 is no code.
    expected = I32(it == names.end() ? 256 : static_cast<uint32_t>(it - names.begin()));
    actual = builder_.CreateZExt(builder_.CreateLoad(context_.i8(), at), context_.i32());
  } else {
    auto [it, added] = string_ids_.try_emplace(constant->a);
    if (added) {
      llvm::Value* text_value = entry_.CreateConstInBoundsGEP1_64(context_.i8(), Constants(), uint64_t{constant->a} * kValueSize);
      it->second = entry_.CreateCall(context_.helper(Helper::k_string_id), {machine_, text_value});
    }
    expected = it->second;
    actual = builder_.CreateLoad(context_.i32(), at);
  }
  llvm::Value* equal = overload == value::Overload::equals ? builder_.CreateICmpEQ(actual, expected)
                                                            : builder_.CreateICmpNE(actual, expected);
  FinishInlineBool(node, slot, equal, done);
  builder_.SetInsertPoint(done);
  return slot;
}

// Int, duration and timestamp orderings, and in hot code equality of ints, durations and bools:
// inline when both operands have those kinds at run time, else the overload's own implementation.
llvm::Value* ExprEmitter::EmitInlineCompare(const Node& node, llvm::Value* frame, bool& emitted) {
  auto overload = static_cast<value::Overload>(node.a);
  const InlineCompare* compare = nullptr;
  for (const InlineCompare& candidate : kInlineCompares) {
    if (candidate.overload == overload) compare = &candidate;
  }
  // Outside the pass loops most equalities are of strings: there only the orderings are inline.
  bool equality = hot_ && (overload == value::Overload::equals || overload == value::Overload::not_equals);
  if (node.count != 2 || (compare == nullptr && !equality)) return nullptr;
  emitted = true;
  llvm::Value* left = Emit(code_.child(node, 0), frame);
  llvm::Value* right = Emit(code_.child(node, 1), frame);
  llvm::Value* slot = NewSlot();
  llvm::Value* left_kind = KindOf(left);
  llvm::Value* right_kind = KindOf(right);
  llvm::Value* fast_kinds = nullptr;
  if (compare != nullptr) {
    llvm::Value* kind = llvm::ConstantInt::get(context_.i8(), K(compare->kind));
    fast_kinds = builder_.CreateAnd(builder_.CreateICmpEQ(left_kind, kind), builder_.CreateICmpEQ(right_kind, kind));
  } else {
    auto is = [&](Kind kind) { return builder_.CreateICmpEQ(left_kind, llvm::ConstantInt::get(context_.i8(), K(kind))); };
    fast_kinds = builder_.CreateAnd(builder_.CreateICmpEQ(left_kind, right_kind),
                                    builder_.CreateOr(is(Kind::kInt), builder_.CreateOr(is(Kind::kDuration), is(Kind::kBool))));
  }
  llvm::BasicBlock* fast = NewBlock("cmp.inline");
  llvm::BasicBlock* slow = NewColdBlock("cmp.call");
  llvm::BasicBlock* done = NewBlock("cmp.done");
  builder_.CreateCondBr(fast_kinds, fast, slow);
  builder_.SetInsertPoint(fast);
  llvm::Value* a = builder_.CreateLoad(context_.i64(), Field(left, kValuePayloadOffset));
  llvm::Value* b = builder_.CreateLoad(context_.i64(), Field(right, kValuePayloadOffset));
  llvm::Value* result = nullptr;
  if (compare == nullptr) {
    // Bools are one byte of the payload; the rest of an inline bool's payload is not defined.
    llvm::Value* is_bool = builder_.CreateICmpEQ(left_kind, llvm::ConstantInt::get(context_.i8(), K(Kind::kBool)));
    llvm::Value* mask = builder_.CreateSelect(is_bool, I64(0xff), I64(-1));
    result = builder_.CreateICmpEQ(builder_.CreateAnd(a, mask), builder_.CreateAnd(b, mask));
    if (overload == value::Overload::not_equals) result = builder_.CreateNot(result);
  } else if (compare->kind == Kind::kTimestamp) {
    // (seconds, nanoseconds) in lexicographic order.
    llvm::Value* an = builder_.CreateLoad(context_.i32(), Field(left, kValueAuxOffset));
    llvm::Value* bn = builder_.CreateLoad(context_.i32(), Field(right, kValueAuxOffset));
    llvm::Value* seconds_equal = builder_.CreateICmpEQ(a, b);
    result = builder_.CreateSelect(seconds_equal, builder_.CreateICmp(compare->predicate, an, bn),
                                   builder_.CreateICmp(compare->predicate, a, b));
  } else {
    result = builder_.CreateICmp(compare->predicate, a, b);
  }
  return JoinInlineBool(node, left, right, slot, result, slow, done);
}

void ExprEmitter::FinishInlineBool(const Node& node, llvm::Value* slot, llvm::Value* result, llvm::BasicBlock* done) {
  if (const Branches* test = TestOf(node)) {
    builder_.CreateCondBr(result, test->on_true, test->on_false);
    return;
  }
  StoreScalar(slot, K(Kind::kBool), result);
  if (done != nullptr) builder_.CreateBr(done);
}

const ExprEmitter::Branches* ExprEmitter::TestOf(const Node& node) const {
  return branch_node_ == &node ? branch_to_ : nullptr;
}

llvm::Value* ExprEmitter::JoinInlineBool(const Node& node, llvm::Value* left, llvm::Value* right, llvm::Value* slot,
                                         llvm::Value* result, llvm::BasicBlock* slow, llvm::BasicBlock* done) {
  FinishInlineBool(node, slot, result, done);
  return JoinOverload(node, left, right, slot, slow, done);
}

llvm::Value* ExprEmitter::JoinOverload(const Node& node, llvm::Value* left, llvm::Value* right, llvm::Value* slot,
                                       llvm::BasicBlock* slow, llvm::BasicBlock* done) {
  cold_.insert(slow);
  builder_.SetInsertPoint(slow);
  Call(Helper::k_call2, {I32(node.a), left, right, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

llvm::Value* ExprEmitter::EmitLogical(const Node& node, llvm::Value* frame) {
  bool is_and = node.op == Op::kAnd;
  // The accumulator of absorbed errors and unknowns; a deciding operand is the result itself.
  llvm::Value* accumulator = NewSlot();
  StoreScalar(accumulator, K(Kind::kBool), I64(is_and ? 1 : 0));
  llvm::BasicBlock* done = NewBlock(is_and ? "and.done" : "or.done");
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> results;
  for (uint32_t i = 0; i < node.count; ++i) {
    llvm::Value* operand = Emit(code_.child(node, i), frame);
    // A bool decides or, the neutral one, leaves the accumulator as it is; anything else is
    // absorbed by the helper.
    llvm::BasicBlock* boolean = NewBlock("logic.bool");
    llvm::BasicBlock* absorb = NewColdBlock("logic.absorb");
    llvm::BasicBlock* next = NewBlock("logic.next");
    llvm::Value* zero = llvm::ConstantInt::get(context_.i8(), 0);
    builder_.CreateCondBr(builder_.CreateICmpEQ(KindOf(operand), llvm::ConstantInt::get(context_.i8(), K(Kind::kBool))),
                          boolean, absorb);
    builder_.SetInsertPoint(boolean);
    results.emplace_back(operand, boolean);
    llvm::Value* payload = builder_.CreateLoad(context_.i8(), Field(operand, kValuePayloadOffset));
    builder_.CreateCondBr(is_and ? builder_.CreateICmpEQ(payload, zero) : builder_.CreateICmpNE(payload, zero), done, next);
    builder_.SetInsertPoint(absorb);
    Call(Helper::k_logical, {I32(is_and ? 1 : 0), accumulator, operand});
    builder_.CreateBr(next);
    builder_.SetInsertPoint(next);
  }
  results.emplace_back(accumulator, builder_.GetInsertBlock());
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  llvm::PHINode* result = builder_.CreatePHI(context_.ptr(), results.size());
  for (const auto& [value, block] : results) result->addIncoming(value, block);
  return result;
}

// As EmitLogical, but a deciding operand branches out at once. Only an absorbed operand starts the
// accumulator (true for &&, false for ||) and sets `absorbed`; when none was, the result is the
// neutral bool, and when no operand can be absorbed, neither is emitted.
void ExprEmitter::EmitLogicalBranch(const Node& node, llvm::Value* frame, const Branches& to) {
  bool is_and = node.op == Op::kAnd;
  llvm::AllocaInst* absorbed = entry_.CreateAlloca(context_.i8());
  llvm::StoreInst* none_absorbed = builder_.CreateStore(llvm::ConstantInt::get(context_.i8(), 0), absorbed);
  llvm::Value* accumulator = nullptr;
  for (uint32_t i = 0; i < node.count; ++i) {
    llvm::BasicBlock* next = NewBlock("logic.next");
    Branches operand = is_and ? NewBranches(next, to.on_false, "logic.absorb") : NewBranches(to.on_true, next, "logic.absorb");
    EmitBranch(code_.child(node, i), frame, operand);
    if (EnterOther(operand)) {
      bool first = accumulator == nullptr;
      if (first) accumulator = NewSlot();
      StartAccumulator(is_and, accumulator, absorbed, first);
      Call(Helper::k_logical, {I32(is_and ? 1 : 0), accumulator, operand.other});
      builder_.CreateBr(next);
    }
    builder_.SetInsertPoint(next);
  }
  llvm::BasicBlock* neutral = is_and ? to.on_true : to.on_false;
  if (accumulator == nullptr) {
    none_absorbed->eraseFromParent();
    absorbed->eraseFromParent();
    builder_.CreateBr(neutral);
    return;
  }
  llvm::BasicBlock* tested = NewColdBlock("logic.absorbed");
  llvm::Value* was_absorbed = builder_.CreateLoad(context_.i8(), absorbed);
  builder_.CreateCondBr(builder_.CreateICmpNE(was_absorbed, llvm::ConstantInt::get(context_.i8(), 0)), tested, neutral);
  builder_.SetInsertPoint(tested);
  BranchOnValue(accumulator, to);
}

// The accumulator of EmitLogicalBranch set to the neutral bool by the first operand absorbed (the
// `first` that can be, without testing `absorbed`).
void ExprEmitter::StartAccumulator(bool is_and, llvm::Value* accumulator, llvm::Value* absorbed, bool first) {
  llvm::Value* yes = llvm::ConstantInt::get(context_.i8(), 1);
  llvm::BasicBlock* absorb = NewColdBlock("logic.accumulate");
  if (!first) {
    llvm::BasicBlock* start = NewColdBlock("logic.start");
    builder_.CreateCondBr(builder_.CreateICmpEQ(builder_.CreateLoad(context_.i8(), absorbed), yes), absorb, start);
    builder_.SetInsertPoint(start);
  }
  StoreScalar(accumulator, K(Kind::kBool), I64(is_and ? 1 : 0));
  builder_.CreateStore(yes, absorbed);
  builder_.CreateBr(absorb);
  builder_.SetInsertPoint(absorb);
}

llvm::Value* ExprEmitter::EmitNot(const Node& node, llvm::Value* frame) {
  llvm::Value* operand = Emit(code_.child(node, 0), frame);
  llvm::Value* slot = NewSlot();
  llvm::Value* is_bool = builder_.CreateICmpEQ(KindOf(operand), llvm::ConstantInt::get(context_.i8(), K(Kind::kBool)));
  llvm::BasicBlock* fast = NewBlock("not.inline");
  llvm::BasicBlock* slow = NewColdBlock("not.call");
  llvm::BasicBlock* done = NewBlock("not.done");
  builder_.CreateCondBr(is_bool, fast, slow);
  builder_.SetInsertPoint(fast);
  StoreScalar(slot, K(Kind::kBool), IsBool(operand, false));
  builder_.CreateBr(done);
  builder_.SetInsertPoint(slow);
  Call(Helper::k_not, {operand, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

// A string key's entry decides `k in m` (-1: absent); only another key's (-2) answer is a value.
void ExprEmitter::BranchOnEntry(llvm::Value* entry, llvm::BasicBlock* found, llvm::BasicBlock* absent) {
  llvm::BasicBlock* not_found = NewBlock("entry.none");
  llvm::BasicBlock* other = NewBlock("entry.other");
  builder_.CreateCondBr(builder_.CreateICmpSGE(entry, I32(0)), found, not_found);
  builder_.SetInsertPoint(not_found);
  builder_.CreateCondBr(builder_.CreateICmpEQ(entry, I32(static_cast<uint32_t>(-1))), absent, other);
  builder_.SetInsertPoint(other);
}

llvm::Value* ExprEmitter::EmitConditional(const Node& node, llvm::Value* frame) {
  llvm::Value* entry = nullptr;
  llvm::Value* condition = EmitConstEntryTest(node, frame, entry);
  llvm::BasicBlock* if_true = NewBlock("cond.true");
  llvm::BasicBlock* if_false = NewBlock("cond.false");
  llvm::BasicBlock* done = NewBlock("cond.done");
  Branches branches = NewBranches(if_true, if_false, "cond.invalid");
  if (condition == nullptr) {
    EmitBranch(code_.child(node, 0), frame, branches);
  } else {
    BranchOnEntry(entry, if_true, if_false);
    BranchOnValue(condition, branches);
  }
  builder_.SetInsertPoint(if_true);
  llvm::Value* true_value = entry != nullptr ? EmitConstSelectAt(code_.nodes[code_.child(node, 1)], frame, entry)
                                             : Emit(code_.child(node, 1), frame);
  llvm::BasicBlock* true_end = builder_.GetInsertBlock();
  builder_.CreateBr(done);
  builder_.SetInsertPoint(if_false);
  llvm::Value* false_value = Emit(code_.child(node, 2), frame);
  llvm::BasicBlock* false_end = builder_.GetInsertBlock();
  builder_.CreateBr(done);
  llvm::Value* error = nullptr;
  if (EnterOther(branches)) {
    error = NewSlot();
    Call(Helper::k_conditional_error, {branches.other, error});
    builder_.CreateBr(done);
  }
  builder_.SetInsertPoint(done);
  llvm::PHINode* result = builder_.CreatePHI(context_.ptr(), 3);
  result->addIncoming(true_value, true_end);
  result->addIncoming(false_value, false_end);
  if (error != nullptr) result->addIncoming(error, branches.on_other);
  return result;
}

}  // namespace edict::codegen
