// Grouping alike classes of roots into families alike up to their registers (register_families.h).
#include "compiler/codegen/register_families.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

#include "compiler/codegen/aggregate_forms.h"

namespace edict::codegen {

namespace {

using plan::Op;

// A tree written out with its registers and aggregates numbered in order of first use and its
// scalar and string constants by value: two trees write the same text exactly when the code
// emitted for one serves the other through a map of those numbers. A node reached again (a
// subtree shared within the tree) is written as a reference to its first visit, so the walk is
// linear in the nodes and two trees must share alike to match.
class RenamedTree {
 public:
  explicit RenamedTree(const plan::Plan& plan) : plan_(plan), code_(plan.code) {}

  // False when the tree is too large to be renamed.
  bool Write(plan::ExprId root) { return Visit(root); }
  const std::string& text() const { return text_; }
  std::vector<plan::Register> TakeRegisters() { return std::move(registers_.order); }
  std::vector<uint32_t> TakeAggregates() { return std::move(aggregates_.order); }

 private:
  enum Tag : uint32_t { kNode, kVisited, kConstantIndex, kConstantValue };

  // Numbers by first use.
  struct Renaming {
    std::unordered_map<uint32_t, uint32_t> number;
    std::vector<uint32_t> order;
    uint32_t Of(uint32_t name) {
      auto [found, added] = number.try_emplace(name, static_cast<uint32_t>(order.size()));
      if (added) order.push_back(name);
      return found->second;
    }
  };

  bool Visit(plan::ExprId id) {
    auto [seen, added] = visited_.try_emplace(id, static_cast<uint32_t>(visited_.size()));
    if (!added) {
      Put(kVisited);
      Put(seen->second);
      return true;
    }
    if (visited_.size() > kMaxRenamedNodes) return false;
    const plan::Node& node = code_.nodes[id];
    Put(kNode);
    Put(static_cast<uint32_t>(node.op) | uint32_t{node.flags} << 8 | uint32_t{node.count} << 16);
    switch (node.op) {
      case Op::kConst:
      case Op::kSelect:
        PutConstant(node.a);
        Put(node.b);
        Put(node.c);
        break;
      case Op::kAggregate:
        if (!PutAggregate(node.a)) return false;
        break;
      case Op::kBind:
        PutRegister(node.a);
        Put(node.b);
        Put(node.c);
        break;
      case Op::kFold:
        PutRegister(node.a);
        PutRegister(node.b);
        Put(node.c);
        break;
      case Op::kFoldColumn: {
        PutRegister(node.a);
        PutRegister(node.b);
        // Alike folds over alike columns have accesses of their own: compare what they access.
        const plan::ColumnAccess& access = code_.column_access[node.c];
        PutRegister(access.reg);
        Put(access.column);
        Put(static_cast<uint32_t>(access.elements));
        Put(access.struct_elements ? 1 : 0);
        break;
      }
      case Op::kMemo:
        Put(node.a);
        PutRegister(node.b);
        Put(node.c);
        break;
      default:
        if (plan::ReadsRegisterA(node.op)) {
          PutRegister(node.a);
        } else {
          Put(node.a);
        }
        Put(node.b);
        Put(node.c);
        break;
    }
    for (uint32_t i = 0; i < node.count; ++i) {
      if (!Visit(code_.child(node, i))) return false;
    }
    return true;
  }

  // The native code of an aggregate node depends on the aggregate's form and, for the forms
  // evaluated inline, on its `pre` conjuncts and bounds, which it evaluates in the caller's frame.
  bool PutAggregate(uint32_t aggregate) {
    Put(aggregates_.Of(aggregate));
    const plan::Aggregate* inline_form = Answerable(&plan_, aggregate);
    uint32_t form = inline_form != nullptr ? 1 : 0;
    if (inline_form == nullptr && (inline_form = Scannable(&plan_, aggregate)) != nullptr) form = 2;
    Put(form);
    if (inline_form == nullptr) return true;
    const plan::Query& query = inline_form->query;
    Put(static_cast<uint32_t>(query.pre.size()));
    for (plan::ExprId pre : query.pre) {
      if (!Visit(pre)) return false;
    }
    Put(static_cast<uint32_t>(query.scans[0].bounds.size()));
    for (const plan::Bound& bound : query.scans[0].bounds) {
      Put((bound.strict ? 1u : 0u) | (bound.lower ? 2u : 0u));
      if (!Visit(bound.value)) return false;
    }
    return true;
  }

  // Scalars and strings by value (the code reads the representative's equal constant); lists and
  // maps, whose contents the code generator may build tables of, by index.
  void PutConstant(uint32_t index) {
    const value::Value& constant = code_.constants[index];
    switch (constant.kind()) {
      case value::Kind::kNull:
      case value::Kind::kBool:
      case value::Kind::kInt:
      case value::Kind::kUint:
      case value::Kind::kDouble:
      case value::Kind::kDuration:
      case value::Kind::kTimestamp:
      case value::Kind::kType: {
        Put(kConstantValue);
        Put(static_cast<uint32_t>(constant.kind()));
        uint64_t bits = 0;
        switch (constant.kind()) {
          case value::Kind::kBool: bits = constant.bool_value() ? 1 : 0; break;
          case value::Kind::kDouble: {
            double d = constant.double_value();
            std::memcpy(&bits, &d, sizeof bits);
            break;
          }
          case value::Kind::kUint: bits = constant.uint_value(); break;
          case value::Kind::kType: bits = static_cast<uint64_t>(constant.type_value()); break;
          case value::Kind::kNull: break;
          default: bits = static_cast<uint64_t>(constant.int_value()); break;
        }
        Put(static_cast<uint32_t>(bits));
        Put(static_cast<uint32_t>(bits >> 32));
        Put(constant.kind() == value::Kind::kTimestamp ? static_cast<uint32_t>(constant.timestamp_nanos()) : 0);
        return;
      }
      case value::Kind::kString:
      case value::Kind::kBytes: {
        std::string_view text = constant.string_value();
        Put(kConstantValue);
        Put(static_cast<uint32_t>(constant.kind()));
        Put(static_cast<uint32_t>(text.size()));
        text_.append(text);
        return;
      }
      default:
        Put(kConstantIndex);
        Put(index);
        return;
    }
  }

  void Put(uint32_t value) { text_.append(reinterpret_cast<const char*>(&value), sizeof value); }

  // No register and the header's stay what they are; every other is numbered by first use.
  void PutRegister(plan::Register reg) {
    if (reg == plan::kNone || reg == plan::kHeaderRegister) {
      Put(reg);
      return;
    }
    Put(kFirstRenamed + registers_.Of(reg));
  }
  static constexpr uint32_t kFirstRenamed = 1;  // above kHeaderRegister, far below kNone

  const plan::Plan& plan_;
  const plan::Code& code_;
  std::string text_;
  std::unordered_map<plan::ExprId, uint32_t> visited_;
  Renaming registers_;
  Renaming aggregates_;
};

}  // namespace

std::vector<RegisterFamily> RegisterFamilies(const plan::Plan& plan, const std::vector<std::vector<plan::ExprId>>& alike) {
  std::vector<RegisterFamily> families;
  std::unordered_map<std::string, size_t> family_of;  // renamed tree -> its family
  for (uint32_t i = 0; i < alike.size(); ++i) {
    RenamedTree tree(plan);
    if (!tree.Write(alike[i].front())) {
      families.push_back({{{{i}, {}, {}}}});
      continue;
    }
    auto [family, added] = family_of.try_emplace(tree.text(), families.size());
    if (added) families.emplace_back();
    std::vector<RegisterFamily::Layout>& layouts = families[family->second].layouts;
    RegisterFamily::Layout layout{{i}, tree.TakeRegisters(), tree.TakeAggregates()};
    auto same = std::find_if(layouts.begin(), layouts.end(), [&](const RegisterFamily::Layout& known) {
      return known.registers == layout.registers && known.aggregates == layout.aggregates;
    });
    if (same != layouts.end()) {
      same->classes.push_back(i);
    } else {
      layouts.push_back(std::move(layout));
    }
  }
  return families;
}

}  // namespace edict::codegen
