// Emitting a module: a function per expression root (one for roots that are alike, one body for
// roots alike up to their registers), a fused loop per pass and a loop per index build.
#include "compiler/codegen/emit.h"

#include <cstdint>
#include <string>
#include <unordered_map>

#include "compiler/codegen/expr_emitter.h"
#include "compiler/codegen/index_emitter.h"
#include "compiler/codegen/parts.h"
#include "compiler/codegen/pass_emitter.h"
#include "compiler/codegen/register_families.h"

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

llvm::Function* NewFunction(ModuleContext& context, const std::string& symbol, std::vector<llvm::Type*> params,
                            llvm::GlobalValue::LinkageTypes linkage) {
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context.context()), params, false);
  llvm::Function* function = llvm::Function::Create(type, linkage, symbol, context.module());
  function->addFnAttr(llvm::Attribute::NoUnwind);
  return function;
}

// The roots of a layout's classes, the first one's tree the one emitted.
std::vector<plan::ExprId> RootsOf(const std::vector<std::vector<plan::ExprId>>& alike,
                                  const RegisterFamily::Layout& layout) {
  std::vector<plan::ExprId> roots;
  for (uint32_t index : layout.classes) roots.insert(roots.end(), alike[index].begin(), alike[index].end());
  return roots;
}

// Emits the tree at `id` into `function` (machine, frame, out), or with `mapped` the body the
// layouts of its family share (machine, frame, out, map), which `mapped` names the registers of.
void EmitBody(ModuleContext& context, const plan::Code& code, const facts::Schema* schema, plan::ExprId id,
              llvm::Function* function, const RegisterFamily::Layout* mapped) {
  ExprEmitter emitter(context, code, schema, function);
  emitter.Begin(function->getArg(0));
  if (mapped != nullptr) {
    emitter.MapRegisters(function->getArg(1), function->getArg(3), mapped->registers, mapped->aggregates);
  }
  llvm::Value* result = emitter.Emit(id, function->getArg(1));
  emitter.StoreResult(result, function->getArg(2));
  emitter.ReleaseSlots();
  emitter.builder().CreateRetVoid();
  emitter.Finish();
}

void EmitExprFunction(ModuleContext& context, const plan::Code& code, const facts::Schema* schema,
                      const std::vector<plan::ExprId>& roots, EmittedModule& out) {
  llvm::Type* ptr = context.ptr();
  std::string symbol = ExprSymbol(roots.front());
  EmitBody(context, code, schema, roots.front(),
           NewFunction(context, symbol, {ptr, ptr, ptr}, llvm::Function::ExternalLinkage), nullptr);
  for (plan::ExprId root : roots) out.exprs.emplace_back(root, symbol);
}

// What sharing the family's body adds to compiling it once (SharingCompileCost).
uint64_t SharingCost(const RegisterFamily& family) {
  const RegisterFamily::Layout& first = family.layouts.front();
  return SharingCompileCost(family.layouts.size(), first.registers.size() + first.aggregates.size());
}

// Whether a family's layouts share one body: a call through a register map costs each layout a
// small function, which only a body of some size pays for.
bool SharesBody(const plan::Code& code, const std::vector<std::vector<plan::ExprId>>& alike, const RegisterFamily& family) {
  if (family.layouts.size() < 2) return false;
  uint64_t body = TreeCompileCost(code, alike[family.layouts.front().classes.front()].front());
  return (family.layouts.size() - 1) * body > SharingCost(family);
}

// One body for the family, and per layout the function the driver calls, which passes the body
// that layout's registers and aggregates.
void EmitFamily(ModuleContext& context, const plan::Code& code, const facts::Schema* schema,
                const std::vector<std::vector<plan::ExprId>>& alike, const RegisterFamily& family, EmittedModule& out) {
  llvm::Type* ptr = context.ptr();
  plan::ExprId representative = alike[family.layouts.front().classes.front()].front();
  llvm::Function* body = NewFunction(context, "edict_body_" + std::to_string(representative), {ptr, ptr, ptr, ptr},
                                     llvm::Function::InternalLinkage);
  EmitBody(context, code, schema, representative, body, &family.layouts.front());
  for (const RegisterFamily::Layout& layout : family.layouts) {
    std::vector<uint32_t> numbers(layout.registers.begin(), layout.registers.end());
    numbers.insert(numbers.end(), layout.aggregates.begin(), layout.aggregates.end());
    llvm::Constant* map = llvm::ConstantPointerNull::get(context.ptr());
    if (!numbers.empty()) {
      map = new llvm::GlobalVariable(context.module(), llvm::ArrayType::get(context.i32(), numbers.size()),
                                     /*isConstant=*/true, llvm::GlobalValue::PrivateLinkage,
                                     llvm::ConstantDataArray::get(context.context(), numbers), "edict.registers");
    }
    std::vector<plan::ExprId> roots = RootsOf(alike, layout);
    std::string symbol = ExprSymbol(roots.front());
    llvm::Function* caller = NewFunction(context, symbol, {ptr, ptr, ptr}, llvm::Function::ExternalLinkage);
    llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context.context(), "entry", caller));
    builder.CreateCall(body, {caller->getArg(0), caller->getArg(1), caller->getArg(2), map});
    builder.CreateRetVoid();
    for (plan::ExprId root : roots) out.exprs.emplace_back(root, symbol);
  }
}

// The functions of expression roots, each compiled within one part: a family's shared body with
// its callers, or a layout's one function.
struct RootUnit {
  const RegisterFamily* family = nullptr;  // null for a layout's function
  std::vector<plan::ExprId> roots;          // the first one's tree is emitted
  uint64_t sharing = 0;                     // SharingCompileCost of the family's body
};

std::vector<RootUnit> RootUnits(const plan::Code& code, const std::vector<std::vector<plan::ExprId>>& alike,
                                const std::vector<RegisterFamily>& families, const EmitOptions& options) {
  std::vector<RootUnit> units;
  for (const RegisterFamily& family : families) {
    bool shares = options.share_every_family ? family.layouts.size() > 1 : SharesBody(code, alike, family);
    if (shares) {
      RootUnit& unit = units.emplace_back(RootUnit{&family, {}, SharingCost(family)});
      for (const RegisterFamily::Layout& layout : family.layouts) {
        std::vector<plan::ExprId> roots = RootsOf(alike, layout);
        unit.roots.insert(unit.roots.end(), roots.begin(), roots.end());
      }
      continue;
    }
    for (const RegisterFamily::Layout& layout : family.layouts) units.push_back({nullptr, RootsOf(alike, layout), 0});
  }
  return units;
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

EmittedModule EmitPlan(const plan::Plan& plan, llvm::LLVMContext& llvm_context, uint32_t part, uint32_t parts,
                       EmitOptions options) {
  EmittedModule out;
  out.module = std::make_unique<llvm::Module>("edict_plan", llvm_context);
  ModuleContext context(*out.module);
  context.set_plan(&plan);
  std::vector<std::vector<plan::ExprId>> alike = AlikeRoots(plan.code, ExpressionRoots(plan));
  std::vector<RegisterFamily> families = RegisterFamilies(plan, alike);
  std::vector<RootUnit> units = RootUnits(plan.code, alike, families, options);
  std::vector<std::vector<plan::ExprId>> unit_roots;
  std::vector<uint64_t> sharing;
  for (const RootUnit& unit : units) {
    unit_roots.push_back(unit.roots);
    sharing.push_back(unit.sharing);
  }
  PartAssignment assigned = AssignParts(plan, unit_roots, parts, sharing);
  for (size_t u = 0; u < units.size(); ++u) {
    if (assigned.roots[u] != part) continue;
    if (units[u].family != nullptr) {
      EmitFamily(context, plan.code, plan.schema.get(), alike, *units[u].family, out);
    } else {
      EmitExprFunction(context, plan.code, plan.schema.get(), unit_roots[u], out);
    }
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
