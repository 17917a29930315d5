// Type interning, spelling and the compatibility relations the checker uses.
#include "compiler/sema/types.h"

#include <algorithm>

namespace edict::sema {

const Field* StructType::Find(const std::string& field) const {
  for (const Field& f : fields) {
    if (f.name == field) return &f;
  }
  return nullptr;
}

std::vector<std::string> StructType::FieldNames() const {
  std::vector<std::string> names;
  for (const Field& f : fields) names.push_back(f.name);
  return names;
}

bool EnumType::Contains(const std::string& value) const {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string ToString(const Type* type) {
  if (type == nullptr) return "?";
  switch (type->kind) {
    case TypeKind::kError: return "<error>";
    case TypeKind::kDyn: return "dyn";
    case TypeKind::kNull: return "null_type";
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kUint: return "uint";
    case TypeKind::kDouble: return "double";
    case TypeKind::kString: return "string";
    case TypeKind::kBytes: return "bytes";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kTimestamp: return "timestamp";
    case TypeKind::kType: return type->element ? "type(" + ToString(type->element) + ")" : "type";
    case TypeKind::kList: return "list(" + ToString(type->element) + ")";
    case TypeKind::kMap: return "map(" + ToString(type->key) + ", " + ToString(type->element) + ")";
    case TypeKind::kStruct: return type->structure->name;
    case TypeKind::kParam: return std::string(1, type->param);
    case TypeKind::kEnum: {
      std::string out = "enum(";
      const auto& values = type->enumeration->values;
      for (size_t i = 0; i < values.size(); ++i) {
        if (i == 4 && values.size() > 5) {
          out += ", ...";
          break;
        }
        out += (i ? ", \"" : "\"") + values[i] + "\"";
      }
      return out + ")";
    }
  }
  return "?";
}

TypeContext::TypeContext() {
  error_ = Make(Type{TypeKind::kError});
  dyn_ = Make(Type{TypeKind::kDyn});
  primitive_.resize(static_cast<size_t>(TypeKind::kParam) + 1, nullptr);
  for (TypeKind kind : {TypeKind::kNull, TypeKind::kBool, TypeKind::kInt, TypeKind::kUint, TypeKind::kDouble,
                        TypeKind::kString, TypeKind::kBytes, TypeKind::kDuration, TypeKind::kTimestamp}) {
    primitive_[static_cast<size_t>(kind)] = Make(Type{kind});
  }
  primitive_[static_cast<size_t>(TypeKind::kError)] = error_;
  primitive_[static_cast<size_t>(TypeKind::kDyn)] = dyn_;
}

const Type* TypeContext::Make(Type type) {
  types_.push_back(type);
  return &types_.back();
}

const Type* TypeContext::List(const Type* element) {
  auto [it, inserted] = lists_.try_emplace(element, nullptr);
  if (inserted) it->second = Make(Type{TypeKind::kList, element});
  return it->second;
}

const Type* TypeContext::Map(const Type* key, const Type* value) {
  auto [it, inserted] = maps_.try_emplace({key, value}, nullptr);
  if (inserted) it->second = Make(Type{TypeKind::kMap, value, key});
  return it->second;
}

const Type* TypeContext::TypeOf(const Type* operand) {
  auto [it, inserted] = type_values_.try_emplace(operand, nullptr);
  if (inserted) it->second = Make(Type{TypeKind::kType, operand});
  return it->second;
}

const Type* TypeContext::Param(char letter) {
  auto [it, inserted] = params_.try_emplace(letter, nullptr);
  if (inserted) {
    Type t{TypeKind::kParam};
    t.param = letter;
    it->second = Make(t);
  }
  return it->second;
}

const Type* TypeContext::Struct(const StructType* structure) {
  auto [it, inserted] = nominal_.try_emplace(structure, nullptr);
  if (inserted) {
    Type t{TypeKind::kStruct};
    t.structure = structure;
    it->second = Make(t);
  }
  return it->second;
}

const Type* TypeContext::Enum(const EnumType* enumeration) {
  auto [it, inserted] = nominal_.try_emplace(enumeration, nullptr);
  if (inserted) {
    Type t{TypeKind::kEnum};
    t.enumeration = enumeration;
    it->second = Make(t);
  }
  return it->second;
}

StructType* TypeContext::NewStruct(std::string name, bool is_record, const ast::Decl* decl) {
  structs_.push_back(StructType{std::move(name), is_record, decl, {}});
  return &structs_.back();
}

EnumType* TypeContext::NewEnum(std::vector<std::string> values) {
  enums_.push_back(EnumType{std::move(values)});
  return &enums_.back();
}

const std::vector<std::string>& TypeContext::BuiltinNames() {
  static const std::vector<std::string> names = {"int",      "uint",      "double", "bool", "string", "bytes",
                                                 "duration", "timestamp", "null_type", "dyn", "type",  "list",
                                                 "map"};
  return names;
}

const Type* TypeContext::Builtin(const std::string& name) const {
  static const std::pair<const char*, TypeKind> kScalars[] = {
      {"int", TypeKind::kInt},         {"uint", TypeKind::kUint},           {"double", TypeKind::kDouble},
      {"bool", TypeKind::kBool},       {"string", TypeKind::kString},       {"bytes", TypeKind::kBytes},
      {"duration", TypeKind::kDuration}, {"timestamp", TypeKind::kTimestamp}, {"null_type", TypeKind::kNull},
      {"dyn", TypeKind::kDyn},
  };
  for (const auto& [spelling, kind] : kScalars) {
    if (name == spelling) return primitive_[static_cast<size_t>(kind)];
  }
  return nullptr;
}

bool IsAssignable(const Type* to, const Type* from) {
  if (to == from || to->IsDynOrError() || from->IsDynOrError()) return true;
  if (to->IsStringLike() && from->IsStringLike()) return true;
  if (from->kind == TypeKind::kNull) return to->kind == TypeKind::kStruct;
  if (to->kind != from->kind) return false;
  switch (to->kind) {
    case TypeKind::kList: return IsAssignable(to->element, from->element);
    case TypeKind::kMap: return IsAssignable(to->key, from->key) && IsAssignable(to->element, from->element);
    case TypeKind::kType: return to->element == nullptr || from->element == nullptr ||
                                 IsAssignable(to->element, from->element);
    case TypeKind::kStruct: return to->structure == from->structure;
    default: return true;
  }
}

const Type* Join(TypeContext& types, const Type* a, const Type* b) {
  if (a == b) return a;
  if (a->IsError() || b->IsError()) return types.Error();
  if (a->IsStringLike() && b->IsStringLike()) return types.String();
  if (a->kind == TypeKind::kList && b->kind == TypeKind::kList) return types.List(Join(types, a->element, b->element));
  if (a->kind == TypeKind::kMap && b->kind == TypeKind::kMap) {
    return types.Map(Join(types, a->key, b->key), Join(types, a->element, b->element));
  }
  return types.Dyn();
}

bool IsComparable(const Type* a, const Type* b) {
  if (a->kind == TypeKind::kNull || b->kind == TypeKind::kNull) return true;
  if (a->IsNumeric() && b->IsNumeric()) return true;
  // Every type value has the type `type`: `type(7) == type(7u)` is false, not a type error.
  if (a->kind == TypeKind::kType && b->kind == TypeKind::kType) return true;
  if (a->kind == TypeKind::kList && b->kind == TypeKind::kList) return IsComparable(a->element, b->element);
  if (a->kind == TypeKind::kMap && b->kind == TypeKind::kMap) {
    return IsComparable(a->key, b->key) && IsComparable(a->element, b->element);
  }
  return IsAssignable(a, b) || IsAssignable(b, a);
}

}  // namespace edict::sema
