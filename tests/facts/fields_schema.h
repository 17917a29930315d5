// Test fixture: the appfacts/1 schema built through the Schema builder API from the repository's
// flattened field list (tests/schema/appfacts-1.fields, generated from the spec), so the loader is
// tested against the real record kinds without the rule-language front end.
#pragma once

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/facts/schema.h"

namespace edict::facts::testing {

// appfacts-1 §4.
inline std::vector<std::string> AppfactsDataTypes() {
  return {"id.imei", "id.imsi", "id.iccid", "id.serial", "id.android_id", "id.mac.wifi", "id.mac.bt", "id.oaid",
          "id.gaid", "id.idfa", "id.idfv", "phone.number", "loc.precise", "loc.coarse", "loc.cell", "net.wifi",
          "net.wifi.scan", "net.carrier", "net.ip", "apps.installed", "apps.running", "apps.usage", "clipboard",
          "contacts", "sms", "call_log", "calendar", "accounts", "browser_history", "media.image", "media.video",
          "media.audio", "storage.file", "sensor.camera", "sensor.mic", "sensor.motion", "sensor.body",
          "sensor.list", "bt.nearby", "device.name", "person.name", "identity.card", "identity.card_photo",
          "bio.face", "bio.fingerprint", "bank.card", "address", "payment", "loc.trajectory"};
}

// One field of the list: its type text and, for structs and lists of structs, its fields in order.
struct FieldNode {
  std::string name;
  std::string type;  // "string", "enum(a|b)", "struct", "list<struct>", ...
  bool optional = false;
  std::string default_text;
  bool has_default = false;
  std::vector<std::unique_ptr<FieldNode>> children;

  FieldNode* Child(const std::string& child_name) {
    for (auto& child : children) {
      if (child->name == child_name) return child.get();
    }
    children.push_back(std::make_unique<FieldNode>());
    children.back()->name = child_name;
    return children.back().get();
  }
};

inline TypeId BuildType(Schema& schema, const std::string& type, const FieldNode& node);

inline TypeId BuildStruct(Schema& schema, const FieldNode& node) {
  std::vector<FieldDecl> fields;
  for (const auto& child : node.children) {
    FieldDecl field;
    field.name = child->name;
    field.type = BuildType(schema, child->type, *child);
    // A default implies the field may be absent (`count int = 1`).
    field.optional = child->optional || child->has_default;
    if (child->has_default) {
      const std::string& text = child->default_text;
      if (child->type == "int" || child->type == "duration") field.default_value = int64_t{std::stoll(text)};
      else if (child->type == "double") field.default_value = std::stod(text);
      else if (child->type == "bool") field.default_value = text == "true";
      else field.default_value = text;
    }
    fields.push_back(std::move(field));
  }
  return schema.Struct(std::move(fields));
}

inline TypeId BuildType(Schema& schema, const std::string& type, const FieldNode& node) {
  if (type == "string" || type == "perm") return schema.String();
  if (type == "int") return schema.Int();
  if (type == "double") return schema.Num();
  if (type == "bool") return schema.Bool();
  if (type == "duration") return schema.Duration();
  if (type == "timestamp") return schema.Timestamp();
  if (type == "dt") return schema.DataType();
  if (type == "struct") return BuildStruct(schema, node);
  if (type.starts_with("list<")) return schema.List(BuildType(schema, type.substr(5, type.size() - 6), node));
  if (type.starts_with("enum(")) {
    std::vector<std::string> values;
    std::stringstream list(type.substr(5, type.size() - 6));
    for (std::string value; std::getline(list, value, '|');) values.push_back(value);
    return schema.Enum(std::move(values));
  }
  return schema.String();
}

// Reads `kind.path type[?][ = default]` lines; `path[]` descends into a list's element struct.
inline std::unique_ptr<Schema> LoadFieldsSchema(const std::string& path) {
  auto schema = std::make_unique<Schema>("appfacts", 1);
  std::ifstream in(path);
  std::map<std::string, std::unique_ptr<FieldNode>> kinds;
  std::vector<std::string> order;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find(' ');
    std::string full_path = line.substr(0, space);
    std::string type = line.substr(space + 1);
    FieldNode spec;
    if (size_t eq = type.find(" = "); eq != std::string::npos) {
      spec.default_text = type.substr(eq + 3);
      spec.has_default = true;
      type = type.substr(0, eq);
    }
    if (type.ends_with("?")) {
      spec.optional = true;
      type.pop_back();
    }
    std::string kind = full_path.substr(0, full_path.find('.'));
    if (!kinds.count(kind)) {
      kinds[kind] = std::make_unique<FieldNode>();
      order.push_back(kind);
    }
    FieldNode* node = kinds[kind].get();
    std::stringstream segments(full_path.substr(kind.size() + 1));
    for (std::string segment; std::getline(segments, segment, '.');) {
      if (segment.ends_with("[]")) segment.resize(segment.size() - 2);
      node = node->Child(segment);
    }
    node->type = type;
    node->optional = spec.optional;
    node->has_default = spec.has_default;
    node->default_text = spec.default_text;
  }
  for (const std::string& kind : order) {
    TypeId body = BuildStruct(*schema, *kinds[kind]);
    if (kind == "header") schema->SetHeader(body);
    else schema->AddKind(kind, body);
  }
  schema->SetDataTypes(AppfactsDataTypes());
  return schema;
}

inline const Schema& AppfactsSchema() {
  static const std::unique_ptr<Schema> schema = [] {
    auto built = LoadFieldsSchema(std::string(EDICT_SOURCE_DIR) + "/tests/schema/appfacts-1.fields");
    built->Finalize();
    return built;
  }();
  return *schema;
}

}  // namespace edict::facts::testing
