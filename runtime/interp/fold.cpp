// The CEL macros (all, exists, exists_one, map, filter, transformMap) as folds over a list or
// map value, or over a list column without materialising it. Error semantics follow the macros'
// expansions in cel-spec: all/exists absorb errors like `&&`/`||`; the others are strict.
#include "runtime/interp/machine.h"
#include "runtime/value/containers.h"
#include "runtime/value/errors.h"
#include "runtime/value/logic.h"

namespace edict::interp {

using plan::Macro;
using plan::Node;
using value::Value;

namespace {

// Runs one macro over `count` elements. `bind(i)` sets the iteration variables for element i;
// `element(i)` is its value (for filter); `key(i)` the first variable (for transformMap).
template <typename Bind, typename Element, typename Key, typename Eval>
Value RunMacro(Macro macro, size_t count, plan::ExprId step, plan::ExprId transform, Bind&& bind, Element&& element,
               Key&& key, Eval&& eval) {
  switch (macro) {
    case Macro::kAll:
    case Macro::kExists: {
      bool all = macro == Macro::kAll;
      Value result = Value::Bool(all);
      for (size_t i = 0; i < count; ++i) {
        bind(i);
        Value p = eval(step);
        if (all ? value::DecidesAnd(p) : value::DecidesOr(p)) return p;
        result = all ? value::LogicalAnd(result, p) : value::LogicalOr(result, p);
      }
      return result;
    }
    case Macro::kExistsOne: {
      int64_t found = 0;
      for (size_t i = 0; i < count; ++i) {
        bind(i);
        Value p = eval(step);
        if (p.is_error_or_unknown()) return p;
        if (!p.is_bool()) return value::NoMatchingOverload("exists_one", std::span<const Value>(&p, 1));
        found += p.bool_value() ? 1 : 0;
      }
      return Value::Bool(found == 1);
    }
    case Macro::kMap:
    case Macro::kMapFilter:
    case Macro::kFilter: {
      std::vector<Value> out;
      bool filtered = macro != Macro::kMap;
      for (size_t i = 0; i < count; ++i) {
        bind(i);
        if (filtered) {
          Value keep = eval(step);
          if (keep.is_error_or_unknown()) return keep;
          if (!keep.is_bool()) return value::NoMatchingOverload("filter", std::span<const Value>(&keep, 1));
          if (!keep.bool_value()) continue;
        }
        if (macro == Macro::kFilter) {
          out.push_back(element(i));
          continue;
        }
        Value mapped = eval(macro == Macro::kMap ? step : transform);
        if (mapped.is_error_or_unknown()) return mapped;
        out.push_back(std::move(mapped));
      }
      return Value::List(std::move(out));
    }
    case Macro::kTransformMap:
    case Macro::kTransformMapFilter: {
      std::vector<std::pair<Value, Value>> out;
      for (size_t i = 0; i < count; ++i) {
        bind(i);
        if (macro == Macro::kTransformMapFilter) {
          Value keep = eval(step);
          if (keep.is_error_or_unknown()) return keep;
          if (!keep.is_bool()) return value::NoMatchingOverload("filter", std::span<const Value>(&keep, 1));
          if (!keep.bool_value()) continue;
        }
        Value mapped = eval(macro == Macro::kTransformMap ? step : transform);
        if (mapped.is_error_or_unknown()) return mapped;
        out.emplace_back(key(i), std::move(mapped));
      }
      return value::MakeMap(std::move(out));
    }
  }
  return Value::Error(value::ErrorCode::kInvalidArgument, "invalid macro");
}

}  // namespace

Value Machine::EvalFold(const Node& node, Frame& frame) {
  Value range = Eval(code_.child(node, 0), frame);
  if (range.is_error_or_unknown()) return range;
  auto macro = static_cast<Macro>(node.flags);
  plan::ExprId step = code_.child(node, 1);
  plan::ExprId transform = node.count > 2 ? code_.child(node, 2) : plan::kNone;
  auto eval = [&](plan::ExprId id) { return Eval(id, frame); };
  bool two = node.b != plan::kNone;
  if (range.is_list()) {
    std::span<const Value> elements = range.list_elements();
    auto bind = [&](size_t i) {
      if (two) {
        frame[node.a].value = Value::Int(static_cast<int64_t>(i));
        frame[node.b].value = elements[i];
      } else {
        frame[node.a].value = elements[i];
      }
    };
    return RunMacro(
        macro, elements.size(), step, transform, bind, [&](size_t i) { return elements[i]; },
        [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); }, eval);
  }
  if (range.is_map()) {
    const value::MapRep& map = range.map();
    auto bind = [&](size_t i) {
      frame[node.a].value = map.key(i);
      if (two) frame[node.b].value = map.value(i);
    };
    return RunMacro(
        macro, map.size(), step, transform, bind, [&](size_t i) { return map.key(i); },
        [&](size_t i) { return map.key(i); }, eval);
  }
  return value::NoMatchingOverload("comprehension", std::span<const Value>(&range, 1));
}

Value Machine::EvalFoldColumn(const Node& node, Frame& frame) {
  const plan::ColumnAccess& access = code_.column_access[node.c];
  const plan::ColumnRef& ref = code_.columns[access.column];
  const Cell& cursor = frame[access.reg];
  const facts::Column& column = cursor.table->column(ref.column);
  if (!column.present(cursor.row)) return Absent(ref, cursor);
  uint32_t begin = column.offsets()[cursor.row];
  uint32_t end = column.offsets()[cursor.row + 1];
  const facts::Table* elements = &column.elements();
  const facts::Schema& schema = store_->schema();
  facts::TypeId element_type = schema.type(ref.type).element;
  facts::TypeKind element_kind = schema.type(element_type).kind;
  auto macro = static_cast<Macro>(node.flags);
  plan::ExprId step = code_.child(node, 0);
  plan::ExprId transform = node.count > 1 ? code_.child(node, 1) : plan::kNone;
  auto bind = [&](size_t i) {
    frame[node.a].table = elements;
    frame[node.a].row = begin + static_cast<uint32_t>(i);
    if (node.b != plan::kNone) frame[node.b].value = Value::Int(static_cast<int64_t>(i));
  };
  auto element = [&](size_t i) {
    uint32_t row = begin + static_cast<uint32_t>(i);
    return element_kind == facts::TypeKind::kStruct ? MaterializeStruct(*elements, row, element_type, 0)
                                                     : Read(*elements, 0, row, element_kind, element_type);
  };
  auto key = [&](size_t i) { return Value::Int(static_cast<int64_t>(i)); };
  auto eval = [&](plan::ExprId id) { return Eval(id, frame); };
  return RunMacro(macro, end - begin, step, transform, bind, element, key, eval);
}

}  // namespace edict::interp
