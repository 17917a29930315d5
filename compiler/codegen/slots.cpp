// The layout of a function's slots. Most slots only ever hold a scalar written inline (a compare,
// a bool test, a column read) and are only loaded: such a slot never owns storage, so it needs no
// zeroing on entry, no release on return and no release test before a loop rewrites it. Only the
// slots anything else reaches (a helper's out or input, a copy, a pointer stored as an argument)
// may own storage: only they are in the slot array, zeroed and released, and addressed afresh in
// each block that uses them; each scalar slot is a stack slot of its own.
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Local.h>

#include <algorithm>
#include <unordered_set>

#include "compiler/codegen/expr_emitter.h"

namespace edict::codegen {

namespace {

// The helper parameters that only read a Value (runtime.def): a slot passed there stays as it is.
// Any other use of a slot by a call may leave storage in it.
// Functions with at most this many owning slots test their owns bytes before calling release_n: up
// to about this many, the inline test (two instructions a slot at O0) costs less than the call.
constexpr uint32_t kTestedOwners = 12;
// Owning slots up to this size are zeroed by a 16-byte store each, larger ones by a call of memset:
// on the stdlib at O0 as cheap for the back end as stores up to 64 bytes (stores throughout cost
// 1 % more), and the native code runs no more instructions than with stores throughout.
// llvm.memset.inline would leave FastISel for SelectionDAG, which costs more than either.
constexpr uint64_t kInlineZeroBytes = 128;

struct Input {
  Helper helper;
  unsigned arg;
};
constexpr Input kInputs[] = {
    {Helper::k_copy, 1},         {Helper::k_logical, 2},          {Helper::k_not, 0},
    {Helper::k_call1, 1},        {Helper::k_call2, 1},            {Helper::k_call2, 2},
    {Helper::k_equals, 1},       {Helper::k_equals, 2},
    {Helper::k_select, 1},       {Helper::k_list_contains, 3},    {Helper::k_conditional_error, 0},
    {Helper::k_fold_count, 0},   {Helper::k_fold_range_error, 0}, {Helper::k_fold_elements, 0},
    {Helper::k_fold_bind, 1},    {Helper::k_fold_step, 1},        {Helper::k_fold_step, 2},
    {Helper::k_fold_keep, 1},    {Helper::k_fold_transform, 1},   {Helper::k_fold_transform, 2},
    {Helper::k_string_id, 1},    {Helper::k_filter_pending, 1},   {Helper::k_binding_pending, 1},
    {Helper::k_index_map, 0},    {Helper::k_index_map, 1},        {Helper::k_in_map, 0},
    {Helper::k_in_map, 1},       {Helper::k_in_list, 0},          {Helper::k_in_list, 1},
    {Helper::k_const_in, 1},     {Helper::k_const_in, 2},         {Helper::k_const_index, 1},
    {Helper::k_const_index, 2},  {Helper::k_const_field, 3},      {Helper::k_const_field, 4},
    {Helper::k_const_in_at, 1},  {Helper::k_const_in_at, 2},      {Helper::k_const_field_at, 3},
    {Helper::k_const_field_at, 4},
};

void ZeroOwners(ModuleContext& context, llvm::IRBuilder<>& entry, llvm::Value* slots, uint64_t bytes) {
  if (bytes > kInlineZeroBytes) {
    entry.CreateMemSet(slots, entry.getInt8(0), bytes, llvm::Align(8));
    return;
  }
  llvm::GlobalVariable* zero = context.zero_value();
  llvm::Value* value = entry.CreateAlignedLoad(zero->getValueType(), zero, zero->getAlign());
  for (uint64_t offset = 0; offset < bytes; offset += kValueSize) {
    entry.CreateAlignedStore(value, entry.CreateConstInBoundsGEP1_64(entry.getInt8Ty(), slots, offset), llvm::Align(8));
  }
}

// A scalar slot need not be in the array (nothing releases it, and a result in it is not within
// the owning slots): on a stack slot of its own, its address is a frame index in every block. An
// address computed in the entry block is a register that the O0 register allocator spills there
// and reloads in every block that uses it.
void MoveToOwnAlloca(llvm::GetElementPtrInst* slot, llvm::Type* value_type) {
  auto* own = new llvm::AllocaInst(value_type, slot->getPointerAddressSpace(), nullptr, llvm::Align(8), "",
                                   slot->getIterator());
  slot->replaceAllUsesWith(own);
  slot->eraseFromParent();
}

// Where `use` of a value needs it: before its user, or for a phi at the end of the incoming block.
llvm::Instruction* UsePoint(const llvm::Use& use) {
  auto* user = llvm::cast<llvm::Instruction>(use.getUser());
  if (auto* phi = llvm::dyn_cast<llvm::PHINode>(user)) return phi->getIncomingBlock(use)->getTerminator();
  return user;
}

// An owning slot's address computed in the entry block is a register that the O0 register
// allocator spills there and reloads in every other block that uses it. Computed again in each
// such block, just before its first use there, it costs no spill, and the loads and stores of
// that block fold it into their addresses.
void ComputeAddressInEachBlock(llvm::GetElementPtrInst* slot) {
  // Each block but the entry that uses the slot, with its first use there, then its own address.
  llvm::SmallVector<std::pair<llvm::BasicBlock*, llvm::Instruction*>, 8> local;
  auto local_of = [&local](llvm::BasicBlock* block) {
    return std::find_if(local.begin(), local.end(), [block](const auto& entry) { return entry.first == block; });
  };
  for (const llvm::Use& use : slot->uses()) {
    llvm::Instruction* point = UsePoint(use);
    if (point->getParent() == slot->getParent()) continue;
    auto* known = local_of(point->getParent());
    if (known == local.end()) {
      local.emplace_back(point->getParent(), point);
    } else if (point->comesBefore(known->second)) {
      known->second = point;
    }
  }
  for (auto& [block, point] : local) {
    llvm::Instruction* address = slot->clone();
    address->insertBefore(point);
    point = address;
  }
  for (llvm::Use& use : llvm::make_early_inc_range(slot->uses())) {
    auto* known = local_of(UsePoint(use)->getParent());
    if (known != local.end()) use.set(known->second);
  }
  if (slot->use_empty()) slot->eraseFromParent();
}

}  // namespace

// Whether argument `arg` of `call` only reads the Value it points at.
bool ExprEmitter::ReadsOnly(const llvm::CallInst& call, unsigned arg) {
  if (llvm::isa<llvm::MemCpyInst>(call)) return arg == 1;
  const llvm::Value* callee = call.getCalledOperand();
  for (const Input& input : kInputs) {
    if (input.arg == arg && context_.helper(input.helper).getCallee() == callee) return true;
  }
  return false;
}

bool ExprEmitter::MayOwn(llvm::Instruction* slot) {
  std::unordered_set<const llvm::Value*> own_releases;
  for (const SlotRelease& release : slot_releases_) {
    if (release.slot == slot) own_releases.insert(release.call);
  }
  std::vector<const llvm::Value*> pending{slot};
  std::unordered_set<const llvm::Value*> seen{slot};
  while (!pending.empty()) {
    const llvm::Value* pointer = pending.back();
    pending.pop_back();
    for (const llvm::User* user : pointer->users()) {
      if (llvm::isa<llvm::LoadInst>(user) || llvm::isa<llvm::ICmpInst>(user) || llvm::isa<llvm::PtrToIntInst>(user) ||
          own_releases.count(user) != 0) {
        continue;
      }
      if (const auto* store = llvm::dyn_cast<llvm::StoreInst>(user)) {
        if (store->getValueOperand() == pointer) return true;
        continue;
      }
      if (const auto* call = llvm::dyn_cast<llvm::CallInst>(user)) {
        for (unsigned arg = 0; arg < call->arg_size(); ++arg) {
          if (call->getArgOperand(arg) == pointer && !ReadsOnly(*call, arg)) return true;
        }
        continue;
      }
      if (llvm::isa<llvm::GetElementPtrInst>(user) || llvm::isa<llvm::PHINode>(user) || llvm::isa<llvm::SelectInst>(user)) {
        if (seen.insert(user).second) pending.push_back(user);
        continue;
      }
      return true;
    }
  }
  return false;
}

void ExprEmitter::LayOutSlots() {
  std::vector<llvm::GetElementPtrInst*> owning;
  std::vector<llvm::GetElementPtrInst*> scalar;
  for (llvm::GetElementPtrInst* slot : slot_order_) (MayOwn(slot) ? owning : scalar).push_back(slot);
  std::unordered_set<const llvm::Value*> scalars(scalar.begin(), scalar.end());
  for (const SlotRelease& release : slot_releases_) {
    if (scalars.count(release.slot) == 0) continue;
    llvm::BasicBlock* call_block = release.call->getParent();
    llvm::BasicBlock* after = release.test->getSuccessor(1);
    auto* owns = llvm::cast<llvm::Instruction>(release.test->getCondition());
    llvm::BranchInst::Create(after, release.test);
    release.test->eraseFromParent();
    // The test and the load of the owns byte it reads.
    auto* load = llvm::cast<llvm::Instruction>(owns->getOperand(0));
    auto* field = llvm::dyn_cast<llvm::GetElementPtrInst>(load->getOperand(0));
    owns->eraseFromParent();
    load->eraseFromParent();
    if (field != nullptr && field != release.slot && field->use_empty()) field->eraseFromParent();
    llvm::DeleteDeadBlock(call_block);
  }
  auto count = static_cast<uint32_t>(owning.size());
  for (uint32_t index = 0; index < count; ++index) {
    owning[index]->setOperand(1, llvm::ConstantInt::get(context_.i64(), uint64_t{index} * kValueSize));
  }
  slot_array_->setAllocatedType(llvm::ArrayType::get(context_.value_type(), std::max<uint32_t>(count, 1)));
  for (llvm::GetElementPtrInst* slot : scalar) MoveToOwnAlloca(slot, context_.value_type());
  SetMoveRanges(count);
  for (llvm::CallInst* call : release_calls_) {
    if (count == 0) {
      call->eraseFromParent();
    } else {
      call->setArgOperand(1, I32(count));
      if (count <= kTestedOwners) TestOwners(call, owning);
    }
  }
  for (llvm::GetElementPtrInst* slot : owning) ComputeAddressInEachBlock(slot);
  // An owning slot starts null (owning nothing); a scalar one is written before it is read.
  if (count != 0) {
    ZeroOwners(context_, entry_, slot_array_, uint64_t{count} * kValueSize);
  } else if (slot_array_->use_empty()) {
    slot_array_->eraseFromParent();
    slot_array_ = nullptr;
  }
}

bool ExprEmitter::MayBeSlot(llvm::Value* pointer) const {
  std::vector<llvm::Value*> pending{pointer};
  std::unordered_set<llvm::Value*> seen{pointer};
  while (!pending.empty()) {
    llvm::Value* value = pending.back();
    pending.pop_back();
    if (slots_.count(value) != 0) return true;
    std::vector<llvm::Value*> sources;
    if (auto* phi = llvm::dyn_cast<llvm::PHINode>(value)) {
      sources.assign(phi->incoming_values().begin(), phi->incoming_values().end());
    } else if (auto* select = llvm::dyn_cast<llvm::SelectInst>(value)) {
      sources = {select->getTrueValue(), select->getFalseValue()};
    }
    for (llvm::Value* source : sources) {
      if (seen.insert(source).second) pending.push_back(source);
    }
  }
  return false;
}

// A result built in an owning slot (a list, a string, an error) would be copied, its count raised,
// and then released, its count lowered: it is moved instead, the slot's owns byte cleared, so that
// release_n passes over it. Anything else (a scalar slot, a borrowed value) is assigned.
void ExprEmitter::MoveOrAssign(llvm::Value* result, llvm::Value* out) {
  llvm::BasicBlock* move = NewBlock("result.move");
  llvm::BasicBlock* assign = NewBlock("result.assign");
  llvm::BasicBlock* done = NewBlock("result.stored");
  llvm::Value* offset = builder_.CreateSub(builder_.CreatePtrToInt(result, context_.i64()),
                                           builder_.CreatePtrToInt(slot_array_, context_.i64()));
  // Within the owning slots, which come first; their size is set once they are laid out.
  result_moves_.push_back(builder_.CreateCondBr(builder_.CreateICmpULT(offset, I64(0)), move, assign));
  builder_.SetInsertPoint(move);
  builder_.CreateMemCpy(out, llvm::Align(8), result, llvm::Align(8), kValueSize);
  builder_.CreateStore(llvm::ConstantInt::get(context_.i8(), 0), Field(result, kValueOwnsOffset));
  builder_.CreateBr(done);
  builder_.SetInsertPoint(assign);
  AssignIf(builder_.CreateLoad(context_.i8(), Field(result, kValueOwnsOffset)), out, result);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void ExprEmitter::SetMoveRanges(uint32_t owning) {
  for (llvm::BranchInst* test : result_moves_) {
    auto* inside = llvm::cast<llvm::Instruction>(test->getCondition());
    if (owning != 0) {
      inside->setOperand(1, I64(int64_t{owning} * kValueSize));
      continue;
    }
    // No slot owns: only the assignment is left.
    llvm::BasicBlock* move = test->getSuccessor(0);
    llvm::BranchInst::Create(test->getSuccessor(1), test);
    test->eraseFromParent();
    llvm::RecursivelyDeleteTriviallyDeadInstructions(inside);
    llvm::DeleteDeadBlock(move);
  }
}

// Most calls of a function with few owning slots end with all of them owning nothing: their owns
// bytes (byte 1 of a Value, tested as release_n tests them) are ORed inline and release_n is called
// only when one is set.
void ExprEmitter::TestOwners(llvm::CallInst* release, const std::vector<llvm::GetElementPtrInst*>& owning) {
  llvm::BasicBlock* test = release->getParent();
  llvm::BasicBlock* call = test->splitBasicBlock(release, "release.owners");
  llvm::BasicBlock* after = call->splitBasicBlock(release->getNextNode(), "released.owners");
  llvm::Instruction* jump = test->getTerminator();
  llvm::IRBuilder<> builder(jump);
  llvm::Value* words = nullptr;
  for (llvm::GetElementPtrInst* slot : owning) {
    llvm::Value* word = builder.CreateLoad(context_.i64(), slot);
    words = words == nullptr ? word : builder.CreateOr(words, word);
  }
  llvm::Value* owns = builder.CreateICmpNE(builder.CreateAnd(words, I64(0xff00)), I64(0));
  builder.CreateCondBr(owns, call, after);
  jump->eraseFromParent();
}

}  // namespace edict::codegen
