// The runtime schema facts are loaded with, built from the packs' `record` declarations: the
// appfacts/1 kinds live in the rule library, so a new record kind needs a pack change only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"
#include "runtime/facts/schema.h"

namespace edict::plan {

// A field written with this type alias holds a data-type id (interned, hierarchy-aware).
inline constexpr char kDataTypeAlias[] = "dt";

struct SchemaBinding {
  std::unique_ptr<facts::Schema> schema;
  std::map<const sema::StructType*, facts::KindId> kinds;  // record declarations → kinds
};

// Builds and finalizes the schema of every record kind `program` declares; `data_types` are the
// known data-type ids. Problems (a field type facts cannot hold, a kind without `seq`) are
// reported at the declaration; the schema is then null.
SchemaBinding BuildSchema(const sema::Program& program, std::vector<std::string> data_types,
                          diag::DiagnosticEngine& diags);

}  // namespace edict::plan
