// The key and field tables of constant maps and lists (const_map_emitter.h, const_table.h). The
// two bytes a table hashes are chosen here, among the first and last eight bytes of the keys, for
// the fewest probes over all keys; alike constants share one table in a module.
#include "compiler/codegen/const_map_emitter.h"

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "compiler/codegen/const_table.h"

namespace edict::codegen {

namespace {

// Larger constants keep the overload's hashing.
constexpr size_t kMaxKeys = 1u << 16;
// Byte positions tried from either end of a key.
constexpr uint32_t kPositions = 8;

struct Key {
  std::string_view text;
  uint32_t entry;
};

// Linear probing's slots for `keys` and the probes they take to find them all.
std::vector<uint32_t> Place(const std::vector<Key>& keys, uint32_t front, uint32_t back, uint32_t bits, size_t& probes) {
  std::vector<uint32_t> slots(size_t{1} << bits, 0);
  uint32_t mask = (1u << bits) - 1;
  probes = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    uint32_t slot = const_table::SlotOf(keys[i].text, front, back, 32 - bits);
    for (; slots[slot] != 0; slot = (slot + 1) & mask) ++probes;
    slots[slot] = static_cast<uint32_t>(i + 1);
  }
  return slots;
}

llvm::Constant* Register(ModuleContext& context, const std::string& identity, llvm::Constant* data, const char* name) {
  auto* global = new llvm::GlobalVariable(context.module(), data->getType(), true, llvm::GlobalValue::PrivateLinkage, data,
                                          name);
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  global->setAlignment(llvm::Align(4));
  context.const_tables()[identity] = global;
  return global;
}

}  // namespace

size_t ConstStringKeys(const value::Value& container) {
  std::span<const value::Value> keys;
  if (container.is_map()) keys = container.map().keys();
  if (container.is_list()) keys = container.list_elements();
  return static_cast<size_t>(std::count_if(keys.begin(), keys.end(), [](const value::Value& key) { return key.is_string(); }));
}

llvm::Constant* ConstKeyTable(ModuleContext& context, const value::Value& container) {
  std::vector<Key> keys;
  if (container.is_map()) {
    for (size_t i = 0; i < container.map().size(); ++i) {
      const value::Value& key = container.map().key(i);
      if (key.is_string()) keys.push_back({key.string_value(), static_cast<uint32_t>(i)});
    }
  } else if (container.is_list()) {
    std::map<std::string_view, bool> seen;
    for (size_t i = 0; i < container.list_elements().size(); ++i) {
      const value::Value& element = container.list_elements()[i];
      if (element.is_string() && seen.try_emplace(element.string_value(), true).second) {
        keys.push_back({element.string_value(), static_cast<uint32_t>(i)});
      }
    }
  }
  if (keys.empty() || keys.size() > kMaxKeys) return nullptr;
  std::string bytes;
  std::vector<uint32_t> words;
  for (const Key& key : keys) {
    words.insert(words.end(), {static_cast<uint32_t>(bytes.size()), static_cast<uint32_t>(key.text.size()), key.entry});
    bytes.append(key.text);
  }
  std::string identity = "keys:" + std::string(reinterpret_cast<const char*>(words.data()), words.size() * 4) + bytes;
  if (auto it = context.const_tables().find(identity); it != context.const_tables().end()) return it->second;

  // At most half the slots taken, so that a miss ends soon.
  uint32_t bits = 1;
  while ((size_t{1} << bits) < keys.size() * 2) ++bits;
  uint32_t front = 0;
  uint32_t back = 0;
  size_t best = SIZE_MAX;
  for (uint32_t f = 0; f < kPositions && best > 0; ++f) {
    for (uint32_t b = 0; b < kPositions && best > 0; ++b) {
      size_t probes = 0;
      Place(keys, f, b, bits, probes);
      if (probes < best) {
        best = probes;
        front = f;
        back = b;
      }
    }
  }
  size_t probes = 0;
  std::vector<uint32_t> slots = Place(keys, front, back, bits, probes);
  auto key_words = static_cast<uint32_t>(const_table::kHeaderWords + slots.size());
  std::vector<uint32_t> table = {32 - bits, (1u << bits) - 1, front, back, key_words,
                                 static_cast<uint32_t>((key_words + words.size()) * 4)};
  table.insert(table.end(), slots.begin(), slots.end());
  table.insert(table.end(), words.begin(), words.end());
  llvm::LLVMContext& llvm_context = context.context();
  llvm::Constant* parts[] = {llvm::ConstantDataArray::get(llvm_context, table),
                             llvm::ConstantDataArray::getString(llvm_context, bytes, false)};
  return Register(context, identity, llvm::ConstantStruct::getAnon(llvm_context, parts, true), "edict.const_keys");
}

llvm::Constant* ConstFieldTable(ModuleContext& context, const value::Value& map, std::string_view field) {
  if (!map.is_map()) return nullptr;
  std::vector<uint32_t> fields;
  bool any = false;
  for (size_t i = 0; i < map.map().size(); ++i) {
    const value::Value& entry = map.map().value(i);
    uint32_t index = ~uint32_t{0};
    if (entry.is_map()) {
      for (size_t j = 0; j < entry.map().size(); ++j) {
        const value::Value& key = entry.map().key(j);
        if (key.is_string() && key.string_value() == field) index = static_cast<uint32_t>(j);
      }
    }
    any = any || index != ~uint32_t{0};
    fields.push_back(index);
  }
  if (!any) return nullptr;
  std::string identity = "fields:" + std::string(reinterpret_cast<const char*>(fields.data()), fields.size() * 4);
  if (auto it = context.const_tables().find(identity); it != context.const_tables().end()) return it->second;
  return Register(context, identity, llvm::ConstantDataArray::get(context.context(), fields), "edict.const_fields");
}

}  // namespace edict::codegen
