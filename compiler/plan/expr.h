// Plan expression code: the node array every expression of a plan lives in, with the side tables
// its nodes index (constants, columns, overload sets). See plan.h for the design.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/facts/schema.h"
#include "runtime/value/dispatch.h"
#include "runtime/value/value.h"

namespace edict::plan {

using ExprId = uint32_t;    // the root node of an expression
using Register = uint32_t;  // a register of an evaluation frame
inline constexpr uint32_t kNone = 0xffffffffu;
inline constexpr Register kHeaderRegister = 0;  // every frame's register 0: the header's cursor

enum class Op : uint8_t {
#define EDICT_PLAN_OP(name, operands) k##name,
#include "compiler/plan/ops.def"
#undef EDICT_PLAN_OP
};

const char* OpName(Op op);

// Register and the ops that read a record's columns: operand `a` is the register they read (a
// value, or a record cursor), and no other register.
constexpr bool ReadsRegisterA(Op op) {
  switch (op) {
    case Op::kRegister:
    case Op::kColumn:
    case Op::kPresent:
    case Op::kStruct:
    case Op::kListColumn:
    case Op::kListSize:
    case Op::kListContains:
      return true;
    default:
      return false;
  }
}

// kMap/kMapFilter build a list of the transforms; kTransformMap/kTransformMapFilter a map from the
// first variable (index or key) to the transform.
enum class Macro : uint8_t { kAll, kExists, kExistsOne, kMap, kMapFilter, kFilter, kTransformMap, kTransformMapFilter };

struct Node {
  Op op = Op::kConst;
  uint8_t flags = 0;
  uint16_t count = 0;  // children
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t c = kNone;
  uint32_t first = 0;  // children are Code::children[first, first + count)
};
static_assert(sizeof(Node) == 20);

// A column of a table layout, as a node reads it.
struct ColumnRef {
  facts::LayoutId layout = 0;
  uint32_t column = 0;
  facts::TypeKind kind = facts::TypeKind::kString;
  facts::TypeId type = 0;      // enum names, element types
  uint32_t parent = kNone;     // the enclosing struct's ColumnRef (its presence decides errors)
  std::string path;            // "caller.sdk", for messages and the printed plan
};

// A struct inside a table row (or the whole row): columns [first, end) of its layout.
struct StructRef {
  facts::LayoutId layout = 0;
  facts::TypeId type = 0;      // the struct type (field names and order)
  uint32_t first = 0;          // column of its first field
  uint32_t presence = kNone;   // ColumnRef of its own presence column, kNone for a whole row
};

// A list column of the record in `reg`, for FoldColumn and column scans.
struct ColumnAccess {
  Register reg = 0;
  uint32_t column = 0;         // ColumnRef of the list column
  facts::LayoutId elements = 0;
  bool struct_elements = false;  // the element table's columns are a struct's fields
};

struct Code {
  std::vector<Node> nodes;
  std::vector<uint32_t> children;
  std::vector<value::Value> constants;
  std::vector<ColumnRef> columns;
  std::vector<StructRef> structs;
  std::vector<ColumnAccess> column_access;
  std::vector<std::vector<value::Overload>> overload_sets;
  // Constants that are a declared name's value (a table, a set, a parameter), for printing.
  std::unordered_map<uint32_t, std::string> constant_names;

  const Node& node(ExprId id) const { return nodes[id]; }
  uint32_t child(const Node& node, uint32_t i) const { return children[node.first + i]; }
};

}  // namespace edict::plan
