// Emitting a module: a function per expression root (one for roots that are alike), a fused
// loop per pass and a loop per index build.
#include "compiler/codegen/emit.h"

#include <cstdint>
#include <unordered_map>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/index_emitter.h"
#include "compiler/codegen/parts.h"
#include "compiler/codegen/pass_emitter.h"

namespace edict::codegen {

namespace {

// Numbers nodes so that two nodes get the same number exactly when their trees are alike, in order
// of first appearance.
class TreeNumbering {
 public:
  explicit TreeNumbering(const plan::Code& code) : code_(code), numbers_(code.nodes.size(), plan::kNone) {}

  uint32_t Of(plan::ExprId id) {
    if (numbers_[id] != plan::kNone) return numbers_[id];
    const plan::Node& node = code_.nodes[id];
    Shape shape{node.op, node.flags, node.a, node.b, node.c, {}};
    shape.children.reserve(node.count);
    for (uint32_t i = 0; i < node.count; ++i) shape.children.push_back(Of(code_.child(node, i)));
    auto [it, added] = shapes_.try_emplace(std::move(shape), static_cast<uint32_t>(shapes_.size()));
    return numbers_[id] = it->second;
  }

  // Every number Of has given is below this.
  size_t count() const { return shapes_.size(); }

 private:
  struct Shape {
    plan::Op op;
    uint8_t flags;
    uint32_t a, b, c;
    std::vector<uint32_t> children;  // their numbers
    bool operator==(const Shape& other) const = default;
  };
  struct ShapeHash {
    size_t operator()(const Shape& shape) const {
      uint64_t hash = static_cast<uint64_t>(shape.op) << 8 | shape.flags;
      auto mix = [&hash](uint64_t value) { hash = (hash ^ value) * 0x9e3779b97f4a7c15ull; };
      for (uint32_t value : {shape.a, shape.b, shape.c}) mix(value);
      for (uint32_t child : shape.children) mix(child);
      return static_cast<size_t>(hash ^ (hash >> 32));
    }
  };

  const plan::Code& code_;
  std::vector<uint32_t> numbers_;
  std::unordered_map<Shape, uint32_t, ShapeHash> shapes_;
};

void EmitExprFunction(ModuleContext& context, const plan::Code& code, const facts::Schema* schema,
                      const std::vector<plan::ExprId>& alike, EmittedModule& out) {
  plan::ExprId id = alike.front();
  llvm::Type* ptr = context.ptr();
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context.context()), {ptr, ptr, ptr}, false);
  std::string symbol = ExprSymbol(id);
  llvm::Function* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, symbol, context.module());
  function->addFnAttr(llvm::Attribute::NoUnwind);
  ExprEmitter emitter(context, code, schema, function);
  emitter.Begin(function->getArg(0));
  llvm::Value* result = emitter.Emit(id, function->getArg(1));
  emitter.StoreResult(result, function->getArg(2));
  emitter.ReleaseSlots();
  emitter.builder().CreateRetVoid();
  emitter.Finish();
  for (plan::ExprId root : alike) out.exprs.emplace_back(root, symbol);
}

}  // namespace

std::vector<std::vector<plan::ExprId>> AlikeRoots(const plan::Code& code, const std::vector<plan::ExprId>& roots) {
  TreeNumbering numbering(code);
  std::vector<uint32_t> numbers;
  numbers.reserve(roots.size());
  for (plan::ExprId root : roots) numbers.push_back(numbering.Of(root));
  std::vector<std::vector<plan::ExprId>> classes;
  std::vector<size_t> class_of(numbering.count(), SIZE_MAX);  // tree number -> index in `classes`
  for (size_t i = 0; i < roots.size(); ++i) {
    size_t& index = class_of[numbers[i]];
    if (index == SIZE_MAX) {
      index = classes.size();
      classes.emplace_back();
    }
    classes[index].push_back(roots[i]);
  }
  return classes;
}

EmittedModule EmitPlan(const plan::Plan& plan, llvm::LLVMContext& llvm_context, uint32_t part, uint32_t parts) {
  EmittedModule out;
  out.module = std::make_unique<llvm::Module>("edict_plan", llvm_context);
  ModuleContext context(*out.module);
  context.set_plan(&plan);
  std::vector<std::vector<plan::ExprId>> roots = AlikeRoots(plan.code, ExpressionRoots(plan));
  PartAssignment assigned = AssignParts(plan, roots, parts);
  for (size_t i = 0; i < roots.size(); ++i) {
    if (assigned.roots[i] == part) EmitExprFunction(context, plan.code, plan.schema.get(), roots[i], out);
  }
  for (uint32_t p = 0; p < plan.passes.size(); ++p) {
    if (assigned.passes[p] != part) continue;
    std::string symbol = PassSymbol(p);
    EmitPass(context, plan, p, symbol);
    out.passes.emplace_back(p, std::move(symbol));
  }
  std::vector<const plan::Scan*> index_scans = IndexScans(plan);
  for (uint32_t i = 0; i < index_scans.size(); ++i) {
    if (index_scans[i] == nullptr || assigned.indexes[i] != part) continue;
    std::string symbol = IndexSymbol(i);
    EmitIndex(context, plan, *index_scans[i], symbol);
    out.indexes.emplace_back(i, std::move(symbol));
  }
  return out;
}

EmittedModule EmitExpression(const plan::CompiledExpression& expression, llvm::LLVMContext& llvm_context) {
  EmittedModule out;
  out.module = std::make_unique<llvm::Module>("edict_expression", llvm_context);
  ModuleContext context(*out.module);
  EmitExprFunction(context, expression.code, nullptr, {expression.root}, out);
  return out;
}

}  // namespace edict::codegen
