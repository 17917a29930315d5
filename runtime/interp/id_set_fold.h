// A comprehension over a list column of data types or strings whose step is `element in <constant
// set>` (`call.data_types.filter(d, d in personal_info)`), as the JIT runs it: one call, a loop over
// the elements' ids that decides the schema's known data types with a bitmap the code generator
// computed from the schema (compiler/codegen/list_fold_emitter.cpp), and makes a Value only for an
// element it keeps or an id the bitmap does not cover. Steps, errors and results are exactly
// Machine::EvalFoldColumn's over the same plan nodes.
#pragma once

#include <cstdint>

#include "compiler/plan/expr.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

struct IdSetFold {
  plan::Macro macro = plan::Macro::kExists;  // one without a transform
  uint32_t access = 0;                       // the list column (Code::column_access)
  uint32_t element_ref = 0;                  // the step's read of the element (a ColumnRef)
  const uint64_t* known = nullptr;           // bit i: the step's value (true/false) for data type i
  uint32_t known_count = 0;                  // the ids `known` decides (0 for a string column)
  value::Overload overload = value::Overload::in_list;  // the step's test, for every other id
  const value::Value* set = nullptr;                     // its constant operand
};

// The fold over the list column of the record at `owner`.
value::Value FoldIdSet(Machine& machine, const Cell& owner, const IdSetFold& fold);

}  // namespace edict::interp
