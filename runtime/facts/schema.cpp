// Schema building, validation and column layout.
#include "runtime/facts/schema.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "runtime/facts/timestamp.h"

namespace edict::facts {
namespace {

// Enum codes are stored in one byte.
constexpr size_t kMaxEnumValues = 256;

// Which of `names` repeat an earlier one, by sorting views (not copies of the strings, and not a
// set's nodes: a warm start replays the cached schema through these checks).
template <typename Item, typename Name>
std::vector<bool> Repeats(const std::vector<Item>& items, Name name) {
  std::vector<std::pair<std::string_view, size_t>> sorted;
  sorted.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) sorted.emplace_back(name(items[i]), i);
  std::sort(sorted.begin(), sorted.end());
  std::vector<bool> repeats(items.size());
  for (size_t i = 1; i < sorted.size(); ++i) repeats[sorted[i].second] = sorted[i].first == sorted[i - 1].first;
  return repeats;
}

bool HasDuplicate(const std::vector<std::string>& names) {
  std::vector<std::string_view> sorted(names.begin(), names.end());
  std::sort(sorted.begin(), sorted.end());
  return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
}

Type MakeType(TypeKind kind) {
  Type type;
  type.kind = kind;
  return type;
}

}  // namespace

Schema::Schema(std::string format, int major) : format_(std::move(format)), major_(major) {
  for (TypeKind kind : {TypeKind::kString, TypeKind::kInt, TypeKind::kNum, TypeKind::kBool, TypeKind::kDuration,
                        TypeKind::kTimestamp, TypeKind::kDataType}) {
    types_.push_back(MakeType(kind));
  }
}

TypeId Schema::Enum(std::vector<std::string> values) {
  if (std::find(values.begin(), values.end(), "unknown") == values.end()) values.push_back("unknown");
  types_.push_back(MakeType(TypeKind::kEnum));
  types_.back().enum_values = std::move(values);
  return static_cast<TypeId>(types_.size() - 1);
}

TypeId Schema::List(TypeId element) {
  if (element >= types_.size()) build_problems_.push_back("a list refers to an undeclared element type");
  types_.push_back(MakeType(TypeKind::kList));
  types_.back().element = element < types_.size() - 1 ? element : kStringId;
  return static_cast<TypeId>(types_.size() - 1);
}

TypeId Schema::Struct(std::vector<FieldDecl> fields) {
  for (FieldDecl& field : fields) {
    if (field.type >= types_.size()) {
      build_problems_.push_back("field '" + field.name + "' refers to an undeclared type");
      field.type = kStringId;
    }
  }
  types_.push_back(MakeType(TypeKind::kStruct));
  types_.back().fields = std::move(fields);
  return static_cast<TypeId>(types_.size() - 1);
}

KindId Schema::AddKind(std::string name, TypeId body) {
  kinds_.emplace_back();
  kinds_.back().name = std::move(name);
  kinds_.back().body = body;
  return static_cast<KindId>(kinds_.size() - 1);
}

void Schema::SetHeader(TypeId body) {
  header_ = body;
  has_header_ = true;
}

void Schema::SetDataTypes(std::vector<std::string> ids) { data_types_ = std::move(ids); }

std::optional<KindId> Schema::FindKind(std::string_view name) const {
  int32_t index = kind_index_.Find(name);
  if (index < 0) return std::nullopt;
  return static_cast<KindId>(index);
}

std::string Schema::Describe(TypeId id) const {
  const Type& t = types_[id];
  switch (t.kind) {
    case TypeKind::kString: return "a string";
    case TypeKind::kInt: return "an integer";
    case TypeKind::kNum: return "a number";
    case TypeKind::kBool: return "true or false";
    case TypeKind::kDuration: return "an integer number of milliseconds";
    case TypeKind::kTimestamp: return "an RFC 3339 timestamp";
    case TypeKind::kDataType: return "a data-type id (a string)";
    case TypeKind::kList: return "a list";
    case TypeKind::kStruct: return "an object";
    case TypeKind::kEnum: {
      std::string out = "one of ";
      for (size_t i = 0; i < t.enum_values.size(); ++i) out += (i ? "|" : "") + t.enum_values[i];
      return out;
    }
  }
  return "a value";
}

std::optional<ColumnDefault> Schema::ConvertDefault(const FieldDecl& field, const std::string& where,
                                                    std::vector<std::string>& problems) const {
  if (!field.default_value) return std::nullopt;
  const Type& t = types_[field.type];
  const DefaultValue& v = *field.default_value;
  auto problem = [&](const std::string& what) {
    problems.push_back(where + ": " + what);
    return std::nullopt;
  };
  if (!field.optional) return problem("a default value needs an optional field");
  ColumnDefault out;
  const int64_t* as_int = std::get_if<int64_t>(&v);
  const std::string* as_text = std::get_if<std::string>(&v);
  switch (t.kind) {
    case TypeKind::kInt:
      if (!as_int) return problem("the default must be an integer");
      out.int_value = *as_int;
      return out;
    case TypeKind::kDuration:
      if (!as_int) return problem("the default must be an integer number of milliseconds");
      if (*as_int > std::numeric_limits<int64_t>::max() / 1'000'000 ||
          *as_int < std::numeric_limits<int64_t>::min() / 1'000'000) {
        return problem("the default duration is out of range");
      }
      out.int_value = *as_int * 1'000'000;
      return out;
    case TypeKind::kNum:
      if (const double* d = std::get_if<double>(&v)) out.num_value = *d;
      else if (as_int) out.num_value = static_cast<double>(*as_int);
      else return problem("the default must be a number");
      return out;
    case TypeKind::kBool:
      if (!std::holds_alternative<bool>(v)) return problem("the default must be true or false");
      out.int_value = std::get<bool>(v);
      return out;
    case TypeKind::kEnum: {
      auto it = as_text ? std::find(t.enum_values.begin(), t.enum_values.end(), *as_text) : t.enum_values.end();
      if (it == t.enum_values.end()) return problem("the default must be " + Describe(field.type));
      out.int_value = it - t.enum_values.begin();
      return out;
    }
    case TypeKind::kTimestamp: {
      std::string_view why;
      if (!as_text || !ParseRfc3339(*as_text, &out.int_value, &why)) {
        return problem("the default must be an RFC 3339 timestamp");
      }
      return out;
    }
    case TypeKind::kString:
    case TypeKind::kDataType:
      if (!as_text) return problem("the default must be a string");
      out.text = *as_text;
      return out;
    case TypeKind::kList:
    case TypeKind::kStruct: return problem("only scalar fields can have a default");
  }
  return std::nullopt;
}

void Schema::CheckStruct(TypeId id, const std::string& where, std::vector<std::string>& problems) const {
  const std::vector<FieldDecl>& fields = types_[id].fields;
  if (fields.size() > kMaxStructFields) {
    problems.push_back(where + ": more than " + std::to_string(kMaxStructFields) + " fields");
  }
  // The field's path is built only where a message or a nested struct needs it.
  auto field_where = [&](const FieldDecl& field) { return where + "." + field.name; };
  std::vector<bool> repeats = Repeats(fields, [](const FieldDecl& f) -> std::string_view { return f.name; });
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldDecl& field = fields[i];
    if (field.name.empty() || field.name.find_first_of(".[]") != std::string::npos) {
      problems.push_back(where + ": invalid field name '" + field.name + "'");
    }
    if (repeats[i]) problems.push_back(field_where(field) + ": declared twice");
    if (field.default_value) ConvertDefault(field, field_where(field), problems);
    TypeId type = field.type;
    while (types_[type].kind == TypeKind::kList) type = types_[type].element;
    if (types_[type].kind == TypeKind::kStruct) CheckStruct(type, field_where(field), problems);
  }
}

std::vector<std::string> Schema::Finalize() {
  if (finalized_) return {"the schema is already finalized"};
  std::vector<std::string> problems = build_problems_;
  for (const Type& t : types_) {
    if (t.kind == TypeKind::kEnum && t.enum_values.size() > kMaxEnumValues) {
      problems.push_back("an enum has more than " + std::to_string(kMaxEnumValues) + " values");
    }
    if (t.kind == TypeKind::kEnum && HasDuplicate(t.enum_values)) {
      problems.push_back("an enum lists a value twice");
    }
  }

  auto field_of = [&](TypeId body, std::string_view name) -> const FieldDecl* {
    for (const FieldDecl& f : types_[body].fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  };
  std::vector<bool> kind_repeats = Repeats(kinds_, [](const RecordKind& k) -> std::string_view { return k.name; });
  for (size_t i = 0; i < kinds_.size(); ++i) {
    const RecordKind& kind = kinds_[i];
    std::string where = "record kind '" + kind.name + "'";
    if (kind.name.empty() || kind.name == "header") problems.push_back(where + ": reserved kind name");
    if (kind_repeats[i]) problems.push_back(where + ": declared twice");
    if (kind.body >= types_.size() || types_[kind.body].kind != TypeKind::kStruct) {
      problems.push_back(where + ": the body must be a struct");
      continue;
    }
    CheckStruct(kind.body, kind.name, problems);
    if (field_of(kind.body, "type")) problems.push_back(where + ": 'type' names the kind and cannot be a field");
    const FieldDecl* seq = field_of(kind.body, "seq");
    if (!seq || seq->type != kIntId || seq->optional) problems.push_back(where + ": needs a required field 'seq: int'");
    const FieldDecl* t = field_of(kind.body, "t");
    if (t && (t->type != kDurationId || t->default_value)) {
      problems.push_back(where + ": field 't' must be a duration without a default");
    }
  }
  if (!has_header_ || header_ >= types_.size() || types_[header_].kind != TypeKind::kStruct) {
    problems.push_back("the header must be declared as a struct");
  } else {
    CheckStruct(header_, "header", problems);
    const FieldDecl* schema = field_of(header_, "schema");
    const FieldDecl* session = field_of(header_, "session");
    const FieldDecl* id = session && types_[session->type].kind == TypeKind::kStruct
                              ? field_of(session->type, "id") : nullptr;
    if (!schema || schema->type != kStringId || schema->optional) {
      problems.push_back("the header needs a required field 'schema: string'");
    }
    if (!session || session->optional || !id || id->type != kStringId || id->optional) {
      problems.push_back("the header needs a required field 'session: {id: string, ...}'");
    }
    if (field_of(header_, "type")) problems.push_back("header: 'type' cannot be a field");
  }
  if (HasDuplicate(data_types_)) {
    problems.push_back("a data-type id is listed twice");
  }
  if (!problems.empty()) return problems;

  for (TypeId id = 0; id < types_.size(); ++id) {
    Type& t = types_[id];
    if (t.kind == TypeKind::kEnum) t.names = NameIndex(t.enum_values);
    if (t.kind == TypeKind::kStruct) ComputeColumns(id);
  }
  std::vector<std::string> kind_names_list;
  for (RecordKind& kind : kinds_) {
    kind.layout = static_cast<LayoutId>(layouts_.size());
    layouts_.emplace_back();
    AddStructColumns(kind.layout, kind.body, "", false);
    kind.seq_column = static_cast<uint32_t>(layouts_[kind.layout].Find("seq"));
    kind.t_column = layouts_[kind.layout].Find("t");
    kind_names_list.push_back(kind.name);
  }
  header_layout_ = static_cast<LayoutId>(layouts_.size());
  layouts_.emplace_back();
  AddStructColumns(header_layout_, header_, "", false);
  header_schema_column_ = static_cast<uint32_t>(layouts_[header_layout_].Find("schema"));
  header_session_id_column_ = static_cast<uint32_t>(layouts_[header_layout_].Find("session.id"));
  kind_index_ = NameIndex(kind_names_list);
  data_type_index_ = NameIndex(data_types_);
  finalized_ = true;
  return {};
}

// Struct types only refer to types built before them, so walking ids in order sees every nested
// struct's column count before it is needed.
void Schema::ComputeColumns(TypeId struct_type) {
  Type& t = types_[struct_type];
  std::vector<std::string> names;
  uint32_t next = 0;
  for (const FieldDecl& field : t.fields) {
    if (!field.optional) t.required_fields |= uint64_t{1} << t.field_columns.size();
    names.push_back(field.name);
    t.field_columns.push_back(next);
    const Type& field_type = types_[field.type];
    next += 1 + (field_type.kind == TypeKind::kStruct ? field_type.column_count : 0);
  }
  t.column_count = next;
  t.names = NameIndex(names);
}

void Schema::AddStructColumns(LayoutId layout, TypeId struct_type, const std::string& prefix, bool nullable) {
  for (const FieldDecl& field : types_[struct_type].fields) {
    ColumnSpec spec;
    spec.path = prefix + field.name;
    spec.type = field.type;
    spec.kind = types_[field.type].kind;
    spec.nullable = nullable || (field.optional && !field.default_value);
    std::vector<std::string> unused;  // defaults were checked before layout
    spec.default_value = ConvertDefault(field, spec.path, unused);
    size_t index = layouts_[layout].columns.size();
    layouts_[layout].columns.push_back(spec);
    if (spec.kind == TypeKind::kStruct) AddStructColumns(layout, field.type, spec.path + ".", spec.nullable);
    if (spec.kind == TypeKind::kList) {
      layouts_[layout].columns[index].elements = AddElementLayout(types_[field.type].element);
    }
    layouts_[layout].columns[index].end = static_cast<uint32_t>(layouts_[layout].columns.size());
  }
  if (prefix.empty()) {
    std::vector<std::string> paths;
    for (const ColumnSpec& column : layouts_[layout].columns) paths.push_back(column.path);
    layouts_[layout].paths = NameIndex(paths);
  }
}

LayoutId Schema::AddElementLayout(TypeId element) {
  LayoutId id = static_cast<LayoutId>(layouts_.size());
  layouts_.emplace_back();
  if (types_[element].kind == TypeKind::kStruct) {
    AddStructColumns(id, element, "", false);
    return id;
  }
  ColumnSpec spec;
  spec.type = element;
  spec.kind = types_[element].kind;
  spec.end = 1;
  layouts_[id].columns.push_back(spec);
  if (spec.kind == TypeKind::kList) layouts_[id].columns[0].elements = AddElementLayout(types_[element].element);
  layouts_[id].paths = NameIndex(std::vector<std::string>{""});
  return id;
}

}  // namespace edict::facts
