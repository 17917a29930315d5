// Construction and destruction of heap-backed values, and type names.
#include "runtime/value/value.h"

#include <cstring>
#include <new>

#include "runtime/value/list_builder.h"

namespace edict::value {
namespace {

using internal::StringRep;

struct ErrorRep : internal::PooledRep {
  ErrorCode code = ErrorCode::kInvalidArgument;
  std::string message;
};

struct UnknownRep : internal::PooledRep {
  std::string attribute;
};

const StringRep* NewStringRep(std::string_view text) {
  void* memory = internal::AllocateRep(sizeof(StringRep) + text.size());
  auto* rep = new (memory) StringRep;
  rep->size = text.size();
  if (!text.empty()) std::memcpy(rep->data(), text.data(), text.size());
  return rep;
}

}  // namespace

Value Value::Owning(Kind kind, const internal::HeapHeader* rep) {
  Value value(kind, 0, Payload{.p = rep});
  value.owns_ = true;
  return value;
}

Value Value::String(std::string_view text) {
  if (text.empty()) return UnownedString("");
  return Owning(Kind::kString, NewStringRep(text));
}

Value Value::Bytes(std::string_view bytes) {
  Value value = String(bytes);
  value.kind_ = Kind::kBytes;
  return value;
}

Value Value::List(std::vector<Value> elements) {
  ListBuilder list(elements.size());
  for (Value& element : elements) list.Push(std::move(element));
  return list.Finish();
}

Value Value::Error(ErrorCode code, std::string message) {
  auto* rep = new ErrorRep;
  rep->code = code;
  rep->message = std::move(message);
  return Owning(Kind::kError, rep);
}

Value Value::Unknown(std::string attribute) {
  auto* rep = new UnknownRep;
  rep->attribute = std::move(attribute);
  return Owning(Kind::kUnknown, rep);
}

ErrorCode Value::error_code() const { return static_cast<const ErrorRep*>(payload_.p)->code; }

const std::string& Value::error_message() const { return static_cast<const ErrorRep*>(payload_.p)->message; }

const std::string& Value::unknown_attribute() const {
  return static_cast<const UnknownRep*>(payload_.p)->attribute;
}

void Value::Destroy() {
  switch (kind_) {
    case Kind::kString:
    case Kind::kBytes: {
      auto* rep = const_cast<StringRep*>(static_cast<const StringRep*>(payload_.p));
      size_t bytes = sizeof(StringRep) + rep->size;
      rep->~StringRep();
      internal::FreeRep(rep, bytes);
      break;
    }
    case Kind::kList:
      ListBuilder::Destroy(const_cast<ListRep*>(static_cast<const ListRep*>(payload_.p)));
      break;
    case Kind::kMap:
      delete static_cast<const MapRep*>(payload_.p);
      break;
    case Kind::kError:
      delete static_cast<const ErrorRep*>(payload_.p);
      break;
    case Kind::kUnknown:
      delete static_cast<const UnknownRep*>(payload_.p);
      break;
    default:
      break;  // inline kinds never own storage
  }
  owns_ = false;
}

TypeKind TypeOf(const Value& value) {
  switch (value.kind()) {
    case Kind::kBool: return TypeKind::kBool;
    case Kind::kInt: return TypeKind::kInt;
    case Kind::kUint: return TypeKind::kUint;
    case Kind::kDouble: return TypeKind::kDouble;
    case Kind::kDuration: return TypeKind::kDuration;
    case Kind::kTimestamp: return TypeKind::kTimestamp;
    case Kind::kType: return TypeKind::kType;
    case Kind::kString: return TypeKind::kString;
    case Kind::kBytes: return TypeKind::kBytes;
    case Kind::kList: return TypeKind::kList;
    case Kind::kMap: return TypeKind::kMap;
    case Kind::kNull:
    case Kind::kError:
    case Kind::kUnknown: break;
  }
  return TypeKind::kNullType;
}

namespace {
struct TypeNameEntry {
  TypeKind type;
  std::string_view name;
};
constexpr TypeNameEntry kTypeNames[] = {
    {TypeKind::kNullType, "null_type"},
    {TypeKind::kBool, "bool"},
    {TypeKind::kInt, "int"},
    {TypeKind::kUint, "uint"},
    {TypeKind::kDouble, "double"},
    {TypeKind::kString, "string"},
    {TypeKind::kBytes, "bytes"},
    {TypeKind::kDuration, "google.protobuf.Duration"},
    {TypeKind::kTimestamp, "google.protobuf.Timestamp"},
    {TypeKind::kList, "list"},
    {TypeKind::kMap, "map"},
    {TypeKind::kType, "type"},
};
}  // namespace

std::string_view TypeName(TypeKind type) { return kTypeNames[static_cast<int>(type)].name; }

bool TypeFromName(std::string_view name, TypeKind& type) {
  if (name == "duration") name = "google.protobuf.Duration";
  if (name == "timestamp") name = "google.protobuf.Timestamp";
  for (const TypeNameEntry& entry : kTypeNames) {
    if (entry.name == name) {
      type = entry.type;
      return true;
    }
  }
  return false;
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "null_type";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kUint: return "uint";
    case Kind::kDouble: return "double";
    case Kind::kDuration: return "duration";
    case Kind::kTimestamp: return "timestamp";
    case Kind::kType: return "type";
    case Kind::kString: return "string";
    case Kind::kBytes: return "bytes";
    case Kind::kList: return "list";
    case Kind::kMap: return "map";
    case Kind::kError: return "error";
    case Kind::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace edict::value
