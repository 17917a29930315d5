// Lookups by a string in a constant map or list without hashing through value::MapRep: the
// constant's key table (const_table.h) and, for `m[k].field`, its field table, made once per
// module as constants of the module, for the const_* helpers a call site calls in place of the
// helper it called before.
#pragma once

#include <string_view>

#include "compiler/codegen/context.h"
#include "runtime/value/value.h"

namespace edict::codegen {

// The number of `container`'s string keys (a map's, or a list's string elements).
size_t ConstStringKeys(const value::Value& container);

// The key table of `container`'s string keys (a map's, or a list's string elements); null when it
// is no map or list or has no string key.
llvm::Constant* ConstKeyTable(ModuleContext& context, const value::Value& container);

// An i32 per entry of `map`: the index of `field` among the keys of the entry's value (a map), ~0
// where the value is no map or lacks the field. Null when no entry's value has it.
llvm::Constant* ConstFieldTable(ModuleContext& context, const value::Value& map, std::string_view field);

}  // namespace edict::codegen
