// Builtin calls the code generator knows more of than their overload: a string compared with a
// string constant (==, !=, startsWith, endsWith) by an inline length test and word compares
// against the constant's bytes, and lookups by a string in a map or list (`m[k]`, `k in m`,
// `x in list`) through helpers that skip value::Call's dispatch, or, on a constant container, its
// key table (const_table.h), probed once for `k in m ? m[k].field : ...`; `x in` a constant list
// of a few short texts is compared inline like `==`, and an enum column `in` constant texts by its
// code; outside the pass loops `==` and `!=` of other operands call a helper that compares two
// strings without value::Call's dispatch; a list's size is read from its rep. Whatever the inline
// code does not decide (another kind, an owned string, an error or unknown) calls the overload as
// before.
#include <algorithm>
#include <cstring>

#include "compiler/codegen/const_map_emitter.h"
#include "compiler/codegen/expr_emitter.h"
#include "runtime/value/compare.h"
#include "runtime/value/dispatch.h"

namespace edict::codegen {

using plan::Node;
using plan::Op;
using value::Kind;
using value::Overload;

namespace {

// Longer constants would take more than four word compares: they stay calls.
constexpr size_t kMaxInlineText = 32;

// `in` a container of fewer string keys: a scan (inline for a list of short texts, else the
// helper's) costs less than the table's probe.
constexpr size_t kMinTableKeys = 8;

// Enums of at most this many values are tested against a mask of codes.
constexpr size_t kMaxMaskedCodes = 64;

// Whether `a` and `b` (maps) have the same keys in the same order: an entry found by one's key
// table is the other's entry of that key.
bool SameKeys(const value::Value& a, const value::Value& b) {
  if (a.map().size() != b.map().size()) return false;
  for (size_t i = 0; i < a.map().size(); ++i) {
    if (!value::Equal(a.map().key(i), b.map().key(i))) return false;
  }
  return true;
}

}  // namespace

llvm::Value* ExprEmitter::EmitKnownCall(const Node& node, llvm::Value* frame) {
  auto overload = static_cast<Overload>(node.a);
  if (node.count == 1 && (overload == Overload::size_list || overload == Overload::list_size)) return EmitListSize(node, frame);
  if (node.count != 2) return nullptr;
  Helper lookup = Helper::kCount;
  switch (overload) {
    case Overload::equals:
    case Overload::not_equals:
    case Overload::starts_with_string:
    case Overload::ends_with_string:
      // Equality is symmetric; the other two take the constant as the argument, not the receiver.
      for (uint32_t child = overload == Overload::equals || overload == Overload::not_equals ? 0 : 1; child < 2; ++child) {
        const Node& operand = code_.nodes[code_.child(node, child)];
        if (operand.op != Op::kConst) continue;
        const value::Value& text = code_.constants[operand.a];
        if (text.is_string() && text.string_value().size() <= kMaxInlineText) return EmitTextCompare(node, frame, child);
      }
      // The pass loops compare ints, durations and bools inline first (EmitInlineCompare).
      if (hot_ || (overload != Overload::equals && overload != Overload::not_equals)) return nullptr;
      {
        llvm::Value* left = Emit(code_.child(node, 0), frame);
        llvm::Value* right = Emit(code_.child(node, 1), frame);
        llvm::Value* slot = NewSlot();
        Call(Helper::k_equals, {I32(node.a), left, right, slot});
        return slot;
      }
    case Overload::index_map:
      lookup = Helper::k_index_map;
      break;
    case Overload::in_map:
      lookup = Helper::k_in_map;
      break;
    case Overload::in_list:
      if (llvm::Value* codes = EmitEnumIn(node, frame)) return codes;
      if (llvm::Value* texts = EmitTextIn(node, frame)) return texts;
      lookup = Helper::k_in_list;
      break;
    default:
      return nullptr;
  }
  if (llvm::Value* found = EmitConstLookup(node, frame)) return found;
  llvm::Value* first = Emit(code_.child(node, 0), frame);
  llvm::Value* second = Emit(code_.child(node, 1), frame);
  llvm::Value* slot = NewSlot();
  Call(lookup, {first, second, slot});
  return slot;
}

// The container is the receiver of `[]` and the argument of `in`; one call, as the helper was.
llvm::Value* ExprEmitter::EmitConstLookup(const Node& node, llvm::Value* frame) {
  bool index = static_cast<Overload>(node.a) == Overload::index_map;
  const Node& container = code_.nodes[code_.child(node, index ? 0 : 1)];
  if (container.op != Op::kConst) return nullptr;
  const value::Value& constant = code_.constants[container.a];
  if (index ? !constant.is_map() : ConstStringKeys(constant) < kMinTableKeys) return nullptr;
  llvm::Constant* keys = ConstKeyTable(context_, constant);
  if (keys == nullptr) return nullptr;
  llvm::Value* left = Emit(code_.child(node, 0), frame);
  llvm::Value* right = Emit(code_.child(node, 1), frame);
  llvm::Value* slot = NewSlot();
  if (index) return Call(Helper::k_const_index, {keys, left, right, slot});
  Call(Helper::k_const_in, {keys, left, right, I32(node.a), slot});
  return slot;
}

// `m[k].field` (not has()) on a constant map: one call in place of the index and select helpers.
llvm::Value* ExprEmitter::EmitConstSelect(const Node& node, llvm::Value* frame) {
  if ((node.flags & 1) != 0) return nullptr;
  const Node& operand = code_.nodes[code_.child(node, 0)];
  if (operand.op != Op::kCall || operand.count != 2 || static_cast<Overload>(operand.a) != Overload::index_map) return nullptr;
  const Node& container = code_.nodes[code_.child(operand, 0)];
  const value::Value& field = code_.constants[node.a];
  if (container.op != Op::kConst || !field.is_string()) return nullptr;
  const value::Value& map = code_.constants[container.a];
  llvm::Constant* fields = ConstFieldTable(context_, map, field.string_value());
  llvm::Constant* keys = fields == nullptr ? nullptr : ConstKeyTable(context_, map);
  if (keys == nullptr) return nullptr;
  llvm::Value* map_value = Emit(code_.child(operand, 0), frame);
  llvm::Value* key = Emit(code_.child(operand, 1), frame);
  llvm::Value* scratch = NewSlot();
  llvm::Value* slot = NewSlot();
  return Call(Helper::k_const_field, {keys, fields, machine_, map_value, key, I32(node.a), scratch, slot});
}

llvm::Value* ExprEmitter::EmitConstEntryTest(const Node& conditional, llvm::Value* frame, llvm::Value*& entry) {
  const Node& test = code_.nodes[code_.child(conditional, 0)];
  const Node& select = code_.nodes[code_.child(conditional, 1)];
  if (test.op != Op::kCall || test.count != 2 || static_cast<Overload>(test.a) != Overload::in_map) return nullptr;
  if (select.op != Op::kSelect || (select.flags & 1) != 0) return nullptr;
  const Node& index = code_.nodes[code_.child(select, 0)];
  if (index.op != Op::kCall || index.count != 2 || static_cast<Overload>(index.a) != Overload::index_map) return nullptr;
  const Node& container = code_.nodes[code_.child(test, 1)];
  const Node& indexed = code_.nodes[code_.child(index, 0)];
  if (container.op != Op::kConst || indexed.op != Op::kConst) return nullptr;
  if (!SameValue(code_.child(test, 0), code_.child(index, 1))) return nullptr;
  const value::Value& tested = code_.constants[container.a];
  const value::Value& map = code_.constants[indexed.a];
  const value::Value& field = code_.constants[select.a];
  if (!tested.is_map() || !map.is_map() || !field.is_string() || !SameKeys(tested, map)) return nullptr;
  if (ConstFieldTable(context_, map, field.string_value()) == nullptr) return nullptr;
  llvm::Constant* keys = ConstKeyTable(context_, tested);
  if (keys == nullptr) return nullptr;
  llvm::Value* key = Emit(code_.child(test, 0), frame);
  llvm::Value* map_value = Emit(code_.child(test, 1), frame);
  llvm::Value* slot = NewSlot();
  entry = Call(Helper::k_const_in_at, {keys, key, map_value, I32(test.a), slot});
  return slot;
}

// The select of EmitConstEntryTest's form in its true branch, which the entry's test dominates.
llvm::Value* ExprEmitter::EmitConstSelectAt(const Node& select, llvm::Value* frame, llvm::Value* entry) {
  const Node& index = code_.nodes[code_.child(select, 0)];
  const value::Value& map = code_.constants[code_.nodes[code_.child(index, 0)].a];
  llvm::Constant* fields = ConstFieldTable(context_, map, code_.constants[select.a].string_value());
  llvm::Value* map_value = Emit(code_.child(index, 0), frame);
  llvm::Value* key = Emit(code_.child(index, 1), frame);
  llvm::Value* scratch = NewSlot();
  llvm::Value* slot = NewSlot();
  return Call(Helper::k_const_field_at, {entry, fields, machine_, map_value, key, I32(select.a), scratch, slot});
}

// Two nodes of one value where the second is evaluated right after the first: the same node, or
// reads of the same register or cursor column (ops are pure).
bool ExprEmitter::SameValue(plan::ExprId a, plan::ExprId b) const {
  if (a == b) return true;
  const Node& first = code_.nodes[a];
  const Node& second = code_.nodes[b];
  if (first.op != second.op || first.a != second.a) return false;
  if (first.op == Op::kRegister) return true;
  return first.op == Op::kColumn && first.b == second.b && first.c == second.c;
}

// A list's element count is its rep's; any other value (an error, an unknown) calls the overload.
llvm::Value* ExprEmitter::EmitListSize(const Node& node, llvm::Value* frame) {
  llvm::Value* list = Emit(code_.child(node, 0), frame);
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* fast = NewBlock("size.list");
  llvm::BasicBlock* slow = NewBlock("size.call");
  llvm::BasicBlock* done = NewBlock("size.done");
  builder_.CreateCondBr(builder_.CreateICmpEQ(KindOf(list), llvm::ConstantInt::get(context_.i8(), static_cast<uint8_t>(Kind::kList))),
                        fast, slow);
  builder_.SetInsertPoint(fast);
  llvm::Value* rep = builder_.CreateLoad(context_.ptr(), Field(list, kValuePayloadOffset));
  llvm::Value* size = builder_.CreateLoad(context_.i32(), Field(rep, kListRepSizeOffset));
  StoreScalar(slot, static_cast<uint8_t>(Kind::kInt), size);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(slow);
  Call(Helper::k_call1, {I32(node.a), list, slot});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return slot;
}

// Only an unowned string (the store's texts, the plan's constants: kind and owns in one 16-bit
// load) is compared inline, its bytes at the payload and its size in the aux; the constant's
// size decides first, so the word loads never pass the string's end.
llvm::Value* ExprEmitter::EmitTextCompare(const Node& node, llvm::Value* frame, uint32_t constant_child) {
  auto overload = static_cast<Overload>(node.a);
  std::string_view text = code_.constants[code_.nodes[code_.child(node, constant_child)].a].string_value();
  llvm::Value* left = Emit(code_.child(node, 0), frame);
  llvm::Value* right = Emit(code_.child(node, 1), frame);
  llvm::Value* subject = constant_child == 0 ? right : left;
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* sized = NewBlock("text.sized");
  llvm::BasicBlock* bytes = NewBlock("text.bytes");
  llvm::BasicBlock* slow = NewBlock("text.call");
  llvm::BasicBlock* done = NewBlock("text.done");
  const Branches* test = TestOf(node);
  llvm::BasicBlock* store = test == nullptr ? NewBlock("text.store") : nullptr;
  bool negated = overload == Overload::not_equals;
  // In a test, the texts' match or mismatch is the branch itself.
  llvm::BasicBlock* mismatch = test == nullptr ? store : negated ? test->on_true : test->on_false;
  llvm::Value* size = UnownedStringSize(subject, sized, slow);
  bool whole = overload == Overload::equals || negated;
  llvm::Value* fits = whole ? builder_.CreateICmpEQ(size, I32(static_cast<uint32_t>(text.size())))
                            : builder_.CreateICmpUGE(size, I32(static_cast<uint32_t>(text.size())));
  builder_.CreateCondBr(fits, bytes, mismatch);
  builder_.SetInsertPoint(bytes);
  llvm::Value* data = builder_.CreateLoad(context_.ptr(), Field(subject, kValuePayloadOffset));
  if (overload == Overload::ends_with_string) {
    llvm::Value* skip = builder_.CreateZExt(builder_.CreateSub(size, I32(static_cast<uint32_t>(text.size()))), context_.i64());
    data = builder_.CreateInBoundsGEP(context_.i8(), data, skip);
  }
  llvm::Value* same = BytesAre(data, text);
  if (test != nullptr) {
    builder_.CreateCondBr(same, negated ? test->on_false : test->on_true, mismatch);
    return JoinOverload(node, left, right, slot, slow, done);
  }
  builder_.CreateBr(store);
  builder_.SetInsertPoint(store);
  llvm::PHINode* matched = builder_.CreatePHI(builder_.getInt1Ty(), 2);
  matched->addIncoming(builder_.getFalse(), sized);
  matched->addIncoming(same, bytes);
  llvm::Value* result = negated ? builder_.CreateNot(matched) : matched;
  return JoinInlineBool(node, left, right, slot, result, slow, done);
}

// `column in [texts]` on an enum column: the row's code against a mask of the texts' codes,
// resolved from the schema now (a text that is no value of the enum matches nothing). An absent
// value is the read's error, which `in` passes through.
llvm::Value* ExprEmitter::EmitEnumIn(const Node& node, llvm::Value* frame) {
  const Node& column = code_.nodes[code_.child(node, 0)];
  const Node& container = code_.nodes[code_.child(node, 1)];
  if (schema_ == nullptr || column.op != Op::kColumn || column.c != plan::kNone || container.op != Op::kConst) return nullptr;
  const plan::ColumnRef& ref = code_.columns[column.b];
  const value::Value& list = code_.constants[container.a];
  if (ref.kind != facts::TypeKind::kEnum || !list.is_list()) return nullptr;
  const std::vector<std::string>& names = schema_->type(ref.type).enum_values;
  if (names.size() > kMaxMaskedCodes) return nullptr;
  uint64_t mask = 0;
  for (const value::Value& element : list.list_elements()) {
    if (!element.is_string()) return nullptr;
    auto it = std::find(names.begin(), names.end(), element.string_value());
    if (it != names.end()) mask |= uint64_t{1} << (it - names.begin());
  }
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* done = nullptr;
  llvm::Value* at = BeginColumnRead(column, Known(column.a, column.b), frame, slot, done);
  llvm::Value* code = builder_.CreateZExt(builder_.CreateLoad(context_.i8(), at), context_.i64());
  llvm::Value* bit = builder_.CreateAnd(builder_.CreateLShr(I64(static_cast<int64_t>(mask)), code), I64(1));
  FinishInlineBool(node, slot, builder_.CreateICmpNE(bit, I64(0)), done);
  builder_.SetInsertPoint(done);
  return slot;
}

// `x in [texts]` on a constant list of fewer than kMinTableKeys strings of up to kMaxInlineText
// bytes: an unowned string's size against each text's, then its bytes, as EmitTextCompare; any
// other value calls the overload.
llvm::Value* ExprEmitter::EmitTextIn(const Node& node, llvm::Value* frame) {
  const Node& container = code_.nodes[code_.child(node, 1)];
  if (container.op != Op::kConst) return nullptr;
  const value::Value& list = code_.constants[container.a];
  if (!list.is_list() || list.list_elements().size() >= kMinTableKeys) return nullptr;
  for (const value::Value& element : list.list_elements()) {
    if (!element.is_string() || element.string_value().size() > kMaxInlineText) return nullptr;
  }
  llvm::Value* left = Emit(code_.child(node, 0), frame);
  llvm::Value* right = Emit(code_.child(node, 1), frame);
  llvm::Value* slot = NewSlot();
  llvm::BasicBlock* sized = NewBlock("in.sized");
  llvm::BasicBlock* slow = NewBlock("in.call");
  llvm::BasicBlock* done = NewBlock("in.done");
  const Branches* test = TestOf(node);
  llvm::BasicBlock* store = test == nullptr ? NewBlock("in.store") : nullptr;
  // In a test, a text that matches is the branch itself.
  llvm::BasicBlock* found_to = test == nullptr ? store : test->on_true;
  llvm::Value* size = UnownedStringSize(left, sized, slow);
  llvm::Value* data = builder_.CreateLoad(context_.ptr(), Field(left, kValuePayloadOffset));
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> outcomes;
  for (const value::Value& element : list.list_elements()) {
    std::string_view text = element.string_value();
    llvm::BasicBlock* bytes = NewBlock("in.bytes");
    llvm::BasicBlock* next = NewBlock("in.next");
    builder_.CreateCondBr(builder_.CreateICmpEQ(size, I32(static_cast<uint32_t>(text.size()))), bytes, next);
    builder_.SetInsertPoint(bytes);
    llvm::Value* same = BytesAre(data, text);
    outcomes.emplace_back(builder_.getTrue(), builder_.GetInsertBlock());
    builder_.CreateCondBr(same, found_to, next);
    builder_.SetInsertPoint(next);
  }
  if (test != nullptr) {
    builder_.CreateBr(test->on_false);
    return JoinOverload(node, left, right, slot, slow, done);
  }
  outcomes.emplace_back(builder_.getFalse(), builder_.GetInsertBlock());
  builder_.CreateBr(store);
  builder_.SetInsertPoint(store);
  llvm::PHINode* found = builder_.CreatePHI(builder_.getInt1Ty(), static_cast<unsigned>(outcomes.size()));
  for (const auto& [value, block] : outcomes) found->addIncoming(value, block);
  return JoinInlineBool(node, left, right, slot, found, slow, done);
}

// Branches to `sized` when `subject` is an unowned string (kind and owns in one 16-bit load), where
// its size is loaded, else to `slow`.
llvm::Value* ExprEmitter::UnownedStringSize(llvm::Value* subject, llvm::BasicBlock* sized, llvm::BasicBlock* slow) {
  llvm::Value* tag = builder_.CreateLoad(llvm::Type::getInt16Ty(context_.context()), subject);
  builder_.CreateCondBr(builder_.CreateICmpEQ(tag, llvm::ConstantInt::get(tag->getType(), static_cast<uint8_t>(Kind::kString))),
                        sized, slow);
  builder_.SetInsertPoint(sized);
  return builder_.CreateLoad(context_.i32(), Field(subject, kValueAuxOffset));
}

// Overlapping little-endian word loads (the hosts the JIT runs on are little-endian) compared with
// the constant's words: 8-byte words from 8 bytes on, two 4- or 2-byte words below, one byte.
llvm::Value* ExprEmitter::BytesAre(llvm::Value* data, std::string_view text) {
  size_t n = text.size();
  if (n == 0) return builder_.getTrue();
  llvm::Value* differ = nullptr;
  auto word = [&](size_t at, size_t width) {
    uint64_t expected = 0;
    std::memcpy(&expected, text.data() + at, width);
    llvm::Type* type = builder_.getIntNTy(static_cast<unsigned>(width * 8));
    llvm::Value* actual = builder_.CreateAlignedLoad(type, Field(data, static_cast<unsigned>(at)), llvm::Align(1));
    llvm::Value* bits = builder_.CreateZExt(builder_.CreateXor(actual, llvm::ConstantInt::get(type, expected)), context_.i64());
    differ = differ == nullptr ? bits : builder_.CreateOr(differ, bits);
  };
  size_t width = n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
  for (size_t at = 0; at + width < n; at += width) word(at, width);
  word(n - width, width);
  return builder_.CreateICmpEQ(differ, I64(0));
}

}  // namespace edict::codegen
