// Values of a serialised plan (its constants, parameter values, aggregate zeros): a kind byte,
// then the kind's payload; lists and maps recursively, rebuilt through Value's own constructors
// (so a map's keys are checked again). A ValueReader reads equal strings into one value.
#include "compiler/plan/serialize.h"

#include "runtime/value/list_builder.h"

namespace edict::plan {
namespace {

// Values nest no deeper than the syntax allows (kMaxNesting); the bound keeps a corrupt entry
// from recursing off the stack.
constexpr int kMaxValueDepth = 1024;

}  // namespace

value::Value ValueReader::ReadAt(int depth) {
  using value::Kind;
  using value::Value;
  if (depth > kMaxValueDepth) {
    in_.Fail();
    return Value();
  }
  switch (in_.Get<Kind>()) {
    case Kind::kNull: return Value();
    case Kind::kBool: return Value::Bool(in_.GetBool());
    case Kind::kInt: return Value::Int(in_.Get<int64_t>());
    case Kind::kUint: return Value::Uint(in_.Get<uint64_t>());
    case Kind::kDouble: return Value::Double(in_.Get<double>());
    case Kind::kDuration: return Value::Duration(in_.Get<int64_t>());
    case Kind::kTimestamp: {
      int64_t seconds = in_.Get<int64_t>();
      int32_t nanos = in_.Get<int32_t>();
      if (seconds < value::kMinTimestampSeconds || seconds > value::kMaxTimestampSeconds || nanos < 0 ||
          nanos >= value::kNanosPerSecond) {
        in_.Fail();
        return Value();
      }
      return Value::Timestamp(seconds, nanos);
    }
    case Kind::kType: {
      auto type = in_.Get<value::TypeKind>();
      if (type > value::TypeKind::kType) in_.Fail();
      return in_.failed() ? Value() : Value::Type(type);
    }
    case Kind::kString: return SharedString(in_.GetView());
    case Kind::kBytes: return Value::Bytes(in_.GetString());
    case Kind::kList: {
      uint64_t count = in_.GetCount();
      value::ListBuilder list(count);
      for (uint64_t i = 0; i < count && !in_.failed(); ++i) list.Push(ReadAt(depth + 1));
      return list.Finish();
    }
    case Kind::kMap: {
      std::vector<std::pair<Value, Value>> entries(in_.GetCount(2));
      for (auto& [key, val] : entries) {
        key = ReadAt(depth + 1);
        val = ReadAt(depth + 1);
      }
      Value map = Value::Map(std::move(entries));
      if (!map.is_map()) in_.Fail();  // keys the writer's map could not have had
      return map;
    }
    case Kind::kError: {
      auto code = in_.Get<value::ErrorCode>();
      if (code > value::ErrorCode::kUndeclaredReference) in_.Fail();
      std::string message = in_.GetString();
      return in_.failed() ? Value() : Value::Error(code, std::move(message));
    }
    case Kind::kUnknown: return Value::Unknown(in_.GetString());
  }
  in_.Fail();
  return Value();
}

value::Value ValueReader::SharedString(std::string_view text) {
  auto [held, fresh] = shared_.try_emplace(text);
  if (fresh) held->second = value::Value::String(text);
  return held->second;
}

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

value::Value ReadValue(BinaryReader& in) { return ValueReader(in).Read(); }

}  // namespace edict::plan
