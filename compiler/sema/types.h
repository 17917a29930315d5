// The checker's types: CEL's types plus Edict's records, structs and enums, interned in a TypeContext.
//
// Types are compared by pointer: the context hands out one object per distinct list, map and type
// value, while structs, records and enums are nominal (one object per declaration).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/ast/ast.h"

namespace edict::sema {

using diag::SourceRange;

enum class TypeKind : uint8_t {
  kError,      // the type of an expression that already produced an error; silences further ones
  kDyn,        // CEL's dynamic type: anything, checked at run time
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kDuration,
  kTimestamp,
  kType,       // a type value (`int`, `type(x)`); `operand` is the denoted type or null for any
  kList,       // `element`
  kMap,        // `key` → `element`
  kStruct,     // a record kind or a struct (`structure`)
  kEnum,       // a string restricted to `enumeration->values`
  kParam,      // a type parameter of a builtin overload (`A`); never the type of an expression
};

struct Type;

struct Field {
  std::string name;
  const Type* type = nullptr;
  bool optional = false;                    // declared `T?`: may be absent; has() tests presence
  const ast::FieldDecl* decl = nullptr;     // null for fields the checker made up (table rows)
};

struct StructType {
  std::string name;
  bool is_record = false;                   // a record kind of the facts (`record`), not a `struct`
  const ast::Decl* decl = nullptr;          // the declaration, or null for table rows
  std::vector<Field> fields;                // base fields first, in declaration order
  const Field* Find(const std::string& field) const;
  std::vector<std::string> FieldNames() const;
};

struct EnumType {
  std::vector<std::string> values;
  bool Contains(const std::string& value) const;
};

struct Type {
  TypeKind kind = TypeKind::kError;
  const Type* element = nullptr;            // kList element, kMap value, kType operand
  const Type* key = nullptr;                // kMap key
  const StructType* structure = nullptr;    // kStruct
  const EnumType* enumeration = nullptr;    // kEnum
  char param = 0;                           // kParam: its letter

  bool IsError() const { return kind == TypeKind::kError; }
  bool IsDynOrError() const { return kind == TypeKind::kDyn || kind == TypeKind::kError; }
  // A string for every purpose but enum checks.
  bool IsStringLike() const { return kind == TypeKind::kString || kind == TypeKind::kEnum; }
  bool IsNumeric() const { return kind == TypeKind::kInt || kind == TypeKind::kUint || kind == TypeKind::kDouble; }
};

// CEL spelling: `int`, `list(string)`, `map(string, dyn)`, a struct's name, `enum("a", "b")`.
std::string ToString(const Type* type);

// Owns every type of one program.
class TypeContext {
 public:
  TypeContext();

  const Type* Error() const { return error_; }
  const Type* Dyn() const { return dyn_; }
  const Type* Null() const { return primitive_[static_cast<size_t>(TypeKind::kNull)]; }
  const Type* Bool() const { return primitive_[static_cast<size_t>(TypeKind::kBool)]; }
  const Type* Int() const { return primitive_[static_cast<size_t>(TypeKind::kInt)]; }
  const Type* Uint() const { return primitive_[static_cast<size_t>(TypeKind::kUint)]; }
  const Type* Double() const { return primitive_[static_cast<size_t>(TypeKind::kDouble)]; }
  const Type* String() const { return primitive_[static_cast<size_t>(TypeKind::kString)]; }
  const Type* Bytes() const { return primitive_[static_cast<size_t>(TypeKind::kBytes)]; }
  const Type* Duration() const { return primitive_[static_cast<size_t>(TypeKind::kDuration)]; }
  const Type* Timestamp() const { return primitive_[static_cast<size_t>(TypeKind::kTimestamp)]; }
  const Type* Primitive(TypeKind kind) const { return primitive_[static_cast<size_t>(kind)]; }

  const Type* List(const Type* element);
  const Type* Map(const Type* key, const Type* value);
  const Type* TypeOf(const Type* operand);  // the type of the type value `operand` (null: any type)
  const Type* Param(char letter);
  const Type* Struct(const StructType* structure);
  const Type* Enum(const EnumType* enumeration);

  StructType* NewStruct(std::string name, bool is_record, const ast::Decl* decl);
  EnumType* NewEnum(std::vector<std::string> values);

  // The builtin type names usable in declarations and as type values: int, string, list, ...
  const Type* Builtin(const std::string& name) const;
  static const std::vector<std::string>& BuiltinNames();

 private:
  const Type* Make(Type type);

  std::deque<Type> types_;
  std::deque<StructType> structs_;
  std::deque<EnumType> enums_;
  const Type* error_ = nullptr;
  const Type* dyn_ = nullptr;
  std::vector<const Type*> primitive_;
  std::map<const Type*, const Type*> lists_;
  std::map<std::pair<const Type*, const Type*>, const Type*> maps_;
  std::map<const Type*, const Type*> type_values_;
  std::map<char, const Type*> params_;
  std::map<const void*, const Type*> nominal_;
};

// True when a value of type `from` may be used where `to` is expected (dyn and errors go
// anywhere; enums and strings mix; `null` fits structs; numbers do not convert implicitly).
bool IsAssignable(const Type* to, const Type* from);

// The most specific type holding both (for list and map literals): equal types, enum and string
// → string, otherwise dyn.
const Type* Join(TypeContext& types, const Type* a, const Type* b);

// True when `a == b` type-checks: compatible types, numbers of any kind, two type values, or null
// on either side.
bool IsComparable(const Type* a, const Type* b);

}  // namespace edict::sema
