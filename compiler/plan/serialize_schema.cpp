// The facts schema of a cached plan: its declarations (types in id order, kinds, header, data
// types), replayed through the Schema builder and finalized again, so that the layouts are
// computed by the same code as on a cold start rather than trusted from the file.
#include <algorithm>
#include <optional>
#include <variant>

#include "compiler/plan/serialize.h"

namespace edict::plan {
namespace {

// Types 0..6 are the builder's own scalars (Schema's constructor).
constexpr facts::TypeId kFirstDeclaredType = 7;

enum class DefaultTag : uint8_t { kNone, kInt, kDouble, kBool, kString };

void WriteDefault(BinaryWriter& out, const std::optional<facts::DefaultValue>& value) {
  if (!value) {
    out.Put(DefaultTag::kNone);
  } else if (const int64_t* i = std::get_if<int64_t>(&*value)) {
    out.Put(DefaultTag::kInt);
    out.Put(*i);
  } else if (const double* d = std::get_if<double>(&*value)) {
    out.Put(DefaultTag::kDouble);
    out.Put(*d);
  } else if (const bool* b = std::get_if<bool>(&*value)) {
    out.Put(DefaultTag::kBool);
    out.PutBool(*b);
  } else {
    out.Put(DefaultTag::kString);
    out.PutString(std::get<std::string>(*value));
  }
}

std::optional<facts::DefaultValue> ReadDefault(BinaryReader& in) {
  switch (in.Get<DefaultTag>()) {
    case DefaultTag::kNone: return std::nullopt;
    case DefaultTag::kInt: return facts::DefaultValue(in.Get<int64_t>());
    case DefaultTag::kDouble: return facts::DefaultValue(in.Get<double>());
    case DefaultTag::kBool: return facts::DefaultValue(in.GetBool());
    case DefaultTag::kString: return facts::DefaultValue(in.GetString());
  }
  in.Fail();
  return std::nullopt;
}

std::vector<std::string> ReadStrings(BinaryReader& in) {
  std::vector<std::string> strings(in.GetCount(sizeof(uint64_t)));
  for (std::string& s : strings) s = in.GetString();
  return strings;
}

void WriteStrings(BinaryWriter& out, const std::vector<std::string>& strings) {
  out.Put<uint64_t>(strings.size());
  for (const std::string& s : strings) out.PutString(s);
}

}  // namespace

// Types only refer to earlier ones, so every type the schema uses is at most the largest id its
// kinds and header name: the ones after it are unused.
facts::TypeId UsedTypeCount(const facts::Schema& schema) {
  facts::TypeId last = schema.header_type();
  for (facts::KindId k = 0; k < schema.kind_count(); ++k) last = std::max(last, schema.kind(k).body);
  return std::max(last + 1, kFirstDeclaredType);
}

void WriteSchema(BinaryWriter& out, const facts::Schema& schema) {
  out.PutString(schema.format());
  out.Put<int32_t>(schema.major());
  facts::TypeId count = UsedTypeCount(schema);
  out.Put<uint32_t>(count);
  for (facts::TypeId id = kFirstDeclaredType; id < count; ++id) {
    const facts::Type& type = schema.type(id);
    out.Put(type.kind);
    switch (type.kind) {
      case facts::TypeKind::kEnum: WriteStrings(out, type.enum_values); break;
      case facts::TypeKind::kList: out.Put<uint32_t>(type.element); break;
      case facts::TypeKind::kStruct:
        out.Put<uint64_t>(type.fields.size());
        for (const facts::FieldDecl& field : type.fields) {
          out.PutString(field.name);
          out.Put<uint32_t>(field.type);
          out.PutBool(field.optional);
          WriteDefault(out, field.default_value);
        }
        break;
      default: break;  // only the builder's scalars have no declaration, and they are below 7
    }
  }
  out.Put<uint64_t>(schema.kind_count());
  for (facts::KindId k = 0; k < schema.kind_count(); ++k) {
    out.PutString(schema.kind(k).name);
    out.Put<uint32_t>(schema.kind(k).body);
  }
  out.Put<uint32_t>(schema.header_type());
  std::vector<std::string> data_types(schema.data_types().begin(), schema.data_types().end());
  WriteStrings(out, data_types);
}

std::unique_ptr<facts::Schema> ReadSchema(BinaryReader& in) {
  std::string format = in.GetString();
  int32_t major = in.Get<int32_t>();
  auto schema = std::make_unique<facts::Schema>(std::move(format), major);
  uint32_t count = in.Get<uint32_t>();
  if (count < kFirstDeclaredType) in.Fail();
  for (facts::TypeId id = kFirstDeclaredType; id < count && !in.failed(); ++id) {
    facts::TypeId made = 0;
    switch (in.Get<facts::TypeKind>()) {
      case facts::TypeKind::kEnum: made = schema->Enum(ReadStrings(in)); break;
      case facts::TypeKind::kList: {
        facts::TypeId element = in.Get<uint32_t>();
        if (element >= id) in.Fail();
        made = schema->List(element);
        break;
      }
      case facts::TypeKind::kStruct: {
        std::vector<facts::FieldDecl> fields(in.GetCount(sizeof(uint64_t) + sizeof(uint32_t) + 2));
        for (facts::FieldDecl& field : fields) {
          field.name = in.GetString();
          field.type = in.Get<uint32_t>();
          field.optional = in.GetBool();
          field.default_value = ReadDefault(in);
          if (field.type >= id) in.Fail();
        }
        made = schema->Struct(std::move(fields));
        break;
      }
      default: in.Fail(); break;
    }
    if (made != id) in.Fail();
  }
  uint64_t kinds = in.GetCount(sizeof(uint64_t) + sizeof(uint32_t));
  for (uint64_t k = 0; k < kinds && !in.failed(); ++k) {
    std::string name = in.GetString();
    facts::TypeId body = in.Get<uint32_t>();
    if (body >= count) in.Fail();
    schema->AddKind(std::move(name), body);
  }
  facts::TypeId header = in.Get<uint32_t>();
  if (header >= count) in.Fail();
  schema->SetHeader(header);
  schema->SetDataTypes(ReadStrings(in));
  if (in.failed() || !schema->Finalize().empty()) {
    in.Fail();
    return nullptr;
  }
  return schema;
}

}  // namespace edict::plan
