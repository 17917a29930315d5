// Values of a serialised plan (its constants, parameter values, aggregate zeros): a kind byte,
// then the kind's payload; lists and maps recursively, rebuilt through Value's own constructors
// (so a map's keys are checked again).
#include "compiler/plan/serialize.h"

namespace edict::plan {
namespace {

// Values nest no deeper than the syntax allows (kMaxNesting); the bound keeps a corrupt entry
// from recursing off the stack.
constexpr int kMaxValueDepth = 1024;

value::Value ReadValueAt(BinaryReader& in, int depth) {
  using value::Kind;
  using value::Value;
  if (depth > kMaxValueDepth) {
    in.Fail();
    return Value();
  }
  switch (in.Get<Kind>()) {
    case Kind::kNull: return Value();
    case Kind::kBool: return Value::Bool(in.GetBool());
    case Kind::kInt: return Value::Int(in.Get<int64_t>());
    case Kind::kUint: return Value::Uint(in.Get<uint64_t>());
    case Kind::kDouble: return Value::Double(in.Get<double>());
    case Kind::kDuration: return Value::Duration(in.Get<int64_t>());
    case Kind::kTimestamp: {
      int64_t seconds = in.Get<int64_t>();
      int32_t nanos = in.Get<int32_t>();
      if (seconds < value::kMinTimestampSeconds || seconds > value::kMaxTimestampSeconds || nanos < 0 ||
          nanos >= value::kNanosPerSecond) {
        in.Fail();
        return Value();
      }
      return Value::Timestamp(seconds, nanos);
    }
    case Kind::kType: {
      auto type = in.Get<value::TypeKind>();
      if (type > value::TypeKind::kType) in.Fail();
      return in.failed() ? Value() : Value::Type(type);
    }
    case Kind::kString: return Value::String(in.GetString());
    case Kind::kBytes: return Value::Bytes(in.GetString());
    case Kind::kList: {
      std::vector<Value> elements(in.GetCount());
      for (Value& element : elements) element = ReadValueAt(in, depth + 1);
      return Value::List(std::move(elements));
    }
    case Kind::kMap: {
      std::vector<std::pair<Value, Value>> entries(in.GetCount(2));
      for (auto& [key, val] : entries) {
        key = ReadValueAt(in, depth + 1);
        val = ReadValueAt(in, depth + 1);
      }
      Value map = Value::Map(std::move(entries));
      if (!map.is_map()) in.Fail();  // keys the writer's map could not have had
      return map;
    }
    case Kind::kError: {
      auto code = in.Get<value::ErrorCode>();
      if (code > value::ErrorCode::kUndeclaredReference) in.Fail();
      std::string message = in.GetString();
      return in.failed() ? Value() : Value::Error(code, std::move(message));
    }
    case Kind::kUnknown: return Value::Unknown(in.GetString());
  }
  in.Fail();
  return Value();
}

}  // namespace

void WriteValue(BinaryWriter& out, const value::Value& v) {
  using value::Kind;
  out.Put(v.kind());
  switch (v.kind()) {
    case Kind::kNull: break;
    case Kind::kBool: out.PutBool(v.bool_value()); break;
    case Kind::kInt: out.Put(v.int_value()); break;
    case Kind::kUint: out.Put(v.uint_value()); break;
    case Kind::kDouble: out.Put(v.double_value()); break;
    case Kind::kDuration: out.Put(v.duration_nanos()); break;
    case Kind::kTimestamp:
      out.Put(v.timestamp_seconds());
      out.Put(v.timestamp_nanos());
      break;
    case Kind::kType: out.Put(v.type_value()); break;
    case Kind::kString:
    case Kind::kBytes: out.PutString(v.string_value()); break;
    case Kind::kList:
      out.Put<uint64_t>(v.list_elements().size());
      for (const value::Value& element : v.list_elements()) WriteValue(out, element);
      break;
    case Kind::kMap:
      out.Put<uint64_t>(v.map().size());
      for (size_t i = 0; i < v.map().size(); ++i) {
        WriteValue(out, v.map().key(i));
        WriteValue(out, v.map().value(i));
      }
      break;
    case Kind::kError:
      out.Put(v.error_code());
      out.PutString(v.error_message());
      break;
    case Kind::kUnknown: out.PutString(v.unknown_attribute()); break;
  }
}

value::Value ReadValue(BinaryReader& in) { return ReadValueAt(in, 0); }

}  // namespace edict::plan
