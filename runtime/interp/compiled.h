// Native code for a plan, as the driver calls it: one function per expression root the driver
// evaluates, and one fused loop per pass. Built by the JIT (runtime/jit); null entries are
// evaluated by the interpreter (and counted as fallbacks).
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/value/value.h"

namespace edict::facts {
class Table;
}  // namespace edict::facts

namespace edict::interp {

class Machine;
struct Cell;

// Evaluates one expression root in `frame`; `out` points at a null Value it assigns.
using ExprFn = void (*)(Machine* machine, Cell* frame, value::Value* out);

// One pass over a record kind's rows, as the driver hands it to native code. Per rule of the
// pass (Plan::passes[p].rules order): whether it runs, and its frame.
struct PassRun {
  Machine* machine;
  const facts::Table* table;
  uint32_t rows;
  uint8_t* active;                // cleared when a rule stops (its findings limit)
  Cell** cells;                   // the rule's frame registers
  std::vector<Cell>** frames;     // the same frames, for aggregates' queries
  // Continues a row whose first-scan filters were not false (`pending`: what they left, or
  // null): the residual conjuncts, inner scans and the rule's sink. Returns whether the rule
  // still runs.
  bool (*resume)(PassRun* run, uint32_t rule, const value::Value* pending);
  void* driver;
  uint64_t* steps;                // the session budget: a row of a rule is one step
  uint64_t budget;
  uint64_t* records;              // Stats::records
};

// Runs every row of one pass for its active rules; calls back into the driver (`resume`) only
// for rows whose first-scan filters are not false.
using PassFn = void (*)(PassRun* run);

struct CompiledCode {
  std::vector<ExprFn> exprs;   // by ExprId, null = not compiled
  std::vector<PassFn> passes;  // by pass index (Plan::passes), null = the driver's own loop
};

}  // namespace edict::interp
