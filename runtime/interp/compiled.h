// Native code for a plan, as the driver calls it: one function per expression root the driver
// evaluates, one fused loop per pass and one loop per index build. Built by the JIT
// (runtime/jit); null entries are evaluated by the interpreter (and counted as fallbacks).
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
  // Continues a row at scan `level` (past the last: the rule's sink), native code having run
  // the levels before it; `pending` is what they left (the rule's `pre` conjuncts' first), or
  // null. Updates `active[rule]`; returns false when the row is over for the rule.
  bool (*resume)(PassRun* run, uint32_t rule, uint32_t level, const value::Value* pending);
  void* driver;
  uint64_t* steps;                // the session budget: a row of a rule is one step
  uint64_t budget;
  uint64_t* records;              // Stats::records
  const value::Value* pre;        // per rule: what its `pre` conjuncts left (null Values if nothing)
};

// Runs every row of one pass for its active rules, a row's element scans included; calls back
// into the driver (`resume`) for a record scan or a rule's sink.
using PassFn = void (*)(PassRun* run);

// One per-session index build (Scan::index), as the driver hands it to native code: the code of
// one scan of that index, run in a frame of its own (`cells`, the machine's current frame).
struct IndexRun {
  Machine* machine;
  const facts::Table* table;
  uint32_t rows;
  Cell* cells;
  // Files a row whose filters were not false: `pending` what they left (or null), `key` the
  // row's key (null when the scan has none).
  void (*add)(IndexRun* run, uint32_t row, const value::Value* pending, const value::Value* key);
  void* driver;
  uint64_t* steps;                // the session budget: a row is one step
  uint64_t budget;
  uint64_t* records;              // Stats::records
};

// Walks every row of an index's kind while the budget lasts, its filters and key inline; calls
// back into the driver (`add`) only for rows whose filters are not false.
using IndexFn = void (*)(IndexRun* run);

struct CompiledCode {
  std::vector<ExprFn> exprs;    // by ExprId, null = not compiled
  std::vector<PassFn> passes;   // by pass index (Plan::passes), null = the driver's own loop
  std::vector<IndexFn> indexes; // by Scan::index, null = the driver's own loop
};

}  // namespace edict::interp
