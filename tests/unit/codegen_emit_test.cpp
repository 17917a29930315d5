// The module's shape: alike expression roots share one function, and a plan emitted in parts
// defines every root and pass exactly once across its parts.
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <map>
#include <set>

#include "compiler/codegen/emit.h"
#include "compiler/codegen/parts.h"

namespace edict::codegen {
namespace {

using plan::Node;
using plan::Op;

// Appends node `op` with operands `a` and `children` to `code`; returns its id.
plan::ExprId Add(plan::Code& code, Op op, uint32_t a, std::vector<plan::ExprId> children = {}) {
  Node node;
  node.op = op;
  node.a = a;
  node.first = static_cast<uint32_t>(code.children.size());
  node.count = static_cast<uint16_t>(children.size());
  code.children.insert(code.children.end(), children.begin(), children.end());
  code.nodes.push_back(node);
  return static_cast<plan::ExprId>(code.nodes.size() - 1);
}

// A plan whose session slots are `!c0`, `!c0` (alike), `!c1` and `!!c0`, and two more slots
// reading registers.
std::unique_ptr<plan::Plan> SlotPlan() {
  auto plan = std::make_unique<plan::Plan>();
  plan::Code& code = plan->code;
  code.constants = {value::Value::Bool(true), value::Value::Bool(false)};
  plan::ExprId first = Add(code, Op::kNot, 0, {Add(code, Op::kConst, 0)});
  plan::ExprId second = Add(code, Op::kNot, 0, {Add(code, Op::kConst, 0)});
  plan::ExprId other = Add(code, Op::kNot, 0, {Add(code, Op::kConst, 1)});
  plan::ExprId nested = Add(code, Op::kNot, 0, {Add(code, Op::kNot, 0, {Add(code, Op::kConst, 0)})});
  plan::ExprId reg1 = Add(code, Op::kRegister, 1);
  plan::ExprId reg2 = Add(code, Op::kRegister, 2);
  for (plan::ExprId id : {first, second, other, nested, reg1, reg2}) plan->slots.push_back({"s", id, 3, {}});
  return plan;
}

TEST_CASE("roots are grouped by alike trees, in order of first appearance") {
  auto plan = SlotPlan();
  std::vector<plan::ExprId> roots;
  for (const plan::SessionSlot& slot : plan->slots) roots.push_back(slot.expr);
  auto groups = AlikeRoots(plan->code, roots);
  REQUIRE(groups.size() == 5);
  CHECK(groups[0] == std::vector<plan::ExprId>{roots[0], roots[1]});
  CHECK(groups[1] == std::vector<plan::ExprId>{roots[2]});
  CHECK(groups[2] == std::vector<plan::ExprId>{roots[3]});
  CHECK(groups[3] == std::vector<plan::ExprId>{roots[4]});
  CHECK(groups[4] == std::vector<plan::ExprId>{roots[5]});
}

TEST_CASE("alike roots share one function") {
  auto plan = SlotPlan();
  llvm::LLVMContext context;
  EmittedModule emitted = EmitPlan(*plan, context);
  REQUIRE(emitted.exprs.size() == 6);
  std::map<plan::ExprId, std::string> symbol(emitted.exprs.begin(), emitted.exprs.end());
  CHECK(symbol[plan->slots[0].expr] == symbol[plan->slots[1].expr]);
  CHECK(symbol[plan->slots[0].expr] != symbol[plan->slots[2].expr]);
  size_t defined = 0;
  for (const llvm::Function& function : *emitted.module) defined += function.isDeclaration() ? 0 : 1;
  CHECK(defined == 5);
}

TEST_CASE("a plan emitted in parts defines every root once across the parts") {
  auto plan = SlotPlan();
  llvm::LLVMContext context;
  std::map<plan::ExprId, std::string> whole;
  for (const auto& [id, name] : EmitPlan(*plan, context).exprs) whole[id] = name;
  for (uint32_t parts : {2u, 3u, 8u}) {
    std::map<plan::ExprId, std::string> joined;
    std::set<std::string> defined;
    for (uint32_t part = 0; part < parts; ++part) {
      EmittedModule emitted = EmitPlan(*plan, context, part, parts);
      for (const auto& [id, name] : emitted.exprs) CHECK(joined.emplace(id, name).second);
      for (const llvm::Function& function : *emitted.module) {
        if (!function.isDeclaration()) CHECK(defined.insert(function.getName().str()).second);
      }
    }
    CHECK(joined == whole);
    CHECK(defined.size() == 5);
  }
}

TEST_CASE("parts are balanced by the functions' estimated size") {
  plan::Plan plan;
  plan::Code& code = plan.code;
  code.constants = {value::Value::Bool(true), value::Value::Bool(false)};
  plan::ExprId big = Add(code, Op::kConst, 0);
  for (int i = 0; i < 30; ++i) big = Add(code, Op::kNot, 0, {big});
  std::vector<std::vector<plan::ExprId>> roots = {{big},
                                                  {Add(code, Op::kConst, 0)},
                                                  {Add(code, Op::kConst, 1)},
                                                  {Add(code, Op::kRegister, 1)},
                                                  {Add(code, Op::kRegister, 2)}};
  PartAssignment two = AssignParts(plan, roots, 2);
  CHECK(two.roots == std::vector<uint32_t>{0, 1, 1, 1, 1});
  PartAssignment one = AssignParts(plan, roots, 1);
  CHECK(one.roots == std::vector<uint32_t>{0, 0, 0, 0, 0});
}

}  // namespace
}  // namespace edict::codegen
