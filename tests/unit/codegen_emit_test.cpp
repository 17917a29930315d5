// The module's shape: alike expression roots share one function, and a plan emitted in parts
// defines every root and pass exactly once across its parts.
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <map>
#include <set>

#include "compiler/codegen/emit.h"
#include "compiler/codegen/parts.h"
#include "compiler/codegen/register_families.h"

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

// Node `op` with operands `a` and `b`.
plan::ExprId Add2(plan::Code& code, Op op, uint32_t a, uint32_t b, std::vector<plan::ExprId> children = {}) {
  plan::ExprId id = Add(code, op, a, std::move(children));
  code.nodes[id].b = b;
  return id;
}

// `depth` nots over `leaf`.
plan::ExprId Nots(plan::Code& code, plan::ExprId leaf, int depth) {
  for (int i = 0; i < depth; ++i) leaf = Add(code, Op::kNot, 0, {leaf});
  return leaf;
}

TEST_CASE("classes alike up to their registers, equal constants and aggregates form one family") {
  plan::Plan plan;
  plan::Code& code = plan.code;
  code.constants = {value::Value::Bool(true), value::Value::Bool(false), value::Value::Bool(true),
                    value::Value::String("a"), value::Value::String("a")};
  auto reg = [&](uint32_t r) { return Add(code, Op::kRegister, r); };
  std::vector<plan::ExprId> roots = {
      Add(code, Op::kNot, 0, {reg(1)}),                // 0: family A
      Add(code, Op::kNot, 0, {reg(2)}),                // 1: family A, r2 for r1
      Add(code, Op::kAnd, 0, {reg(1), reg(2)}),        // 2: family B
      Add(code, Op::kAnd, 0, {reg(2), reg(1)}),        // 3: family B, swapped
      Add(code, Op::kAnd, 0, {reg(1), reg(1)}),        // 4: not B: one register for two
      Add(code, Op::kNot, 0, {reg(0)}),                // 5: not A: the header's register stays
      Add(code, Op::kNot, 0, {Add(code, Op::kConst, 0)}),  // 6: family C
      Add(code, Op::kNot, 0, {Add(code, Op::kConst, 2)}),  // 7: family C, an equal constant: one layout
      Add(code, Op::kNot, 0, {Add(code, Op::kConst, 1)}),  // 8: not C: another value
      Add(code, Op::kNot, 0, {Add(code, Op::kAggregate, 0)}),  // 9: family D
      Add(code, Op::kNot, 0, {Add(code, Op::kAggregate, 1)}),  // 10: family D, another aggregate
      Add2(code, Op::kBind, 3, 0, {Add(code, Op::kConst, 3), reg(3)}),  // 11: family E
      Add2(code, Op::kBind, 5, 0, {Add(code, Op::kConst, 4), reg(5)}),  // 12: family E
  };
  auto alike = AlikeRoots(code, roots);
  REQUIRE(alike.size() == roots.size());  // no two alike as they stand
  auto families = RegisterFamilies(plan, alike);
  // Per family, per layout: its classes.
  std::vector<std::vector<std::vector<uint32_t>>> classes;
  for (const RegisterFamily& family : families) {
    classes.emplace_back();
    for (const RegisterFamily::Layout& layout : family.layouts) classes.back().push_back(layout.classes);
  }
  CHECK(classes == std::vector<std::vector<std::vector<uint32_t>>>{
                       {{0}, {1}}, {{2}, {3}}, {{4}}, {{5}}, {{6, 7}}, {{8}}, {{9}, {10}}, {{11}, {12}}});
  CHECK(families[0].layouts[1].registers == std::vector<plan::Register>{2});
  CHECK(families[1].layouts[0].registers == std::vector<plan::Register>{1, 2});
  CHECK(families[1].layouts[1].registers == std::vector<plan::Register>{2, 1});
  CHECK(families[4].layouts[0].registers.empty());
  CHECK(families[6].layouts[1].aggregates == std::vector<uint32_t>{1});
  CHECK(families[7].layouts[1].registers == std::vector<plan::Register>{5});
}

TEST_CASE("a large tree alike up to its registers is one body, called by a function per layout") {
  plan::Plan plan;
  plan::Code& code = plan.code;
  plan::ExprId over_r1 = Nots(code, Add(code, Op::kRegister, 1), 30);
  plan::ExprId over_r2 = Nots(code, Add(code, Op::kRegister, 2), 30);
  plan::ExprId small_r1 = Add(code, Op::kNot, 0, {Add(code, Op::kRegister, 1)});
  plan::ExprId small_r2 = Add(code, Op::kNot, 0, {Add(code, Op::kRegister, 2)});
  for (plan::ExprId id : {over_r1, over_r2, small_r1, small_r2}) plan.slots.push_back({"s", id, 3, {}});
  llvm::LLVMContext context;
  EmittedModule emitted = EmitPlan(plan, context);
  std::map<plan::ExprId, std::string> symbol(emitted.exprs.begin(), emitted.exprs.end());
  CHECK(symbol[over_r1] != symbol[over_r2]);
  size_t bodies = 0;
  size_t defined = 0;
  for (const llvm::Function& function : *emitted.module) {
    if (function.isDeclaration()) continue;
    ++defined;
    bodies += function.getName().starts_with("edict_body_") ? 1 : 0;
  }
  // The large tree's body and its two callers; the small trees are cheaper apart.
  CHECK(bodies == 1);
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
