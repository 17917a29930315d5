// Comprehensions over a data-type or string list column whose step is `element in <constant>`
// (`call.data_types.filter(d, d in personal_info)`): one call of interp::FoldIdSet, which loops
// over the elements' ids, instead of a native loop of helper calls per element. The step's value
// for each data type the schema lists is decided now, into a bitmap the module holds; other ids
// (strings, data types a session adds) take the step's own test at run time.
#include <string>
#include <vector>

#include "compiler/codegen/expr_emitter.h"
#include "runtime/value/call_operands.h"

namespace edict::codegen {

using plan::Node;
using plan::Op;

namespace {

// The macros whose only child is the step.
bool StepOnly(plan::Macro macro) {
  return macro == plan::Macro::kAll || macro == plan::Macro::kExists || macro == plan::Macro::kExistsOne ||
         macro == plan::Macro::kMap || macro == plan::Macro::kFilter;
}

}  // namespace

llvm::Value* ExprEmitter::EmitIdSetFold(const Node& node, llvm::Value* frame) {
  if (node.count != 1 || node.b != plan::kNone || !StepOnly(static_cast<plan::Macro>(node.flags))) return nullptr;
  const plan::ColumnAccess& access = code_.column_access[node.c];
  const Node& step = code_.node(code_.child(node, 0));
  if (access.struct_elements || step.op != Op::kCall || step.count != 2) return nullptr;
  auto overload = static_cast<value::Overload>(step.a);
  if (overload != value::Overload::in_list && overload != value::Overload::in_map) return nullptr;
  const Node& element = code_.node(code_.child(step, 0));
  const Node& set = code_.node(code_.child(step, 1));
  if (element.op != Op::kColumn || element.a != node.a || element.c != plan::kNone || set.op != Op::kConst) return nullptr;
  const plan::ColumnRef& ref = code_.columns[element.b];
  if (ref.layout != access.elements || ref.column != 0) return nullptr;
  if (ref.kind != facts::TypeKind::kDataType && ref.kind != facts::TypeKind::kString) return nullptr;
  llvm::Value* known = llvm::ConstantPointerNull::get(context_.ptr());
  uint32_t known_count = 0;
  if (ref.kind == facts::TypeKind::kDataType && schema_ != nullptr && !schema_->data_types().empty()) {
    std::span<const std::string> names = schema_->data_types();
    std::vector<uint64_t> words((names.size() + 63) / 64, 0);
    for (size_t id = 0; id < names.size(); ++id) {
      value::Value member = value::Call(overload, value::Value::UnownedString(names[id]), code_.constants[set.a]);
      if (!member.is_bool()) return nullptr;
      if (member.bool_value()) words[id / 64] |= uint64_t{1} << (id % 64);
    }
    llvm::Module& module = context_.module();
    std::string name = "edict.ids." + std::to_string(set.a);
    llvm::GlobalVariable* bitmap = module.getNamedGlobal(name);
    if (bitmap == nullptr) {
      llvm::Constant* bits = llvm::ConstantDataArray::get(context_.context(), llvm::ArrayRef<uint64_t>(words));
      bitmap = new llvm::GlobalVariable(module, bits->getType(), true, llvm::GlobalValue::PrivateLinkage, bits, name);
      bitmap->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    }
    known = bitmap;
    known_count = static_cast<uint32_t>(names.size());
  }
  llvm::Value* constant = Emit(code_.child(step, 1), frame);
  llvm::Value* slot = NewSlot();
  Call(Helper::k_fold_id_set, {machine_, CellAt(frame, access.reg), I32(node.c), I32(node.flags), known,
                               I32(known_count), constant, I32(step.a), I32(element.b), slot});
  return slot;
}

}  // namespace edict::codegen
