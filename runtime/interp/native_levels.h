// A later record scan of a rule's row looped over by native code (codegen/row_emitter.cpp): the
// driver starts the level as LevelIndexed does (the index, the bounds, the probe) and hands out
// the rows of the index's slices in the machine's order, each slice searched only when reached.
#pragma once

#include <cstdint>

#include "runtime/interp/compiled.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

// One visit of an indexed level. Native code reads the first six fields (the code generator's
// offsets, checked in runtime/jit/abi.cpp); the rest is the driver's.
struct LevelVisit {
  const uint32_t* rows;             // the current slice's rows
  uint64_t first;                   // [first, last): its rows within the bounds
  uint64_t last;
  uint32_t erred;                   // 1: the slice is of the erred part (each row has an error)
  const facts::Table* table;        // the scan's records
  uint64_t* comparisons;            // Stats::comparisons
  ScanIndex* index;
  Machine::Range range;
  uint32_t next_slice;              // the next slice to search (NextLevelSlice)
  bool keyed;
};

// What BeginNativeLevel leaves to native code.
enum class LevelStart : uint32_t {
  kStop = 0,  // the query stopped: the row is over for the rule
  kDone = 1,  // no row to visit, or the driver visited them: the level is done
  kRows = 2,  // `visit` holds the first slice of rows
};

// Starts level `level` of rule `i` of a native pass with `pending` (or null); `key` (a Value the
// native code owns) holds the probe while the level is visited. Updates `run->active[i]`.
LevelStart BeginNativeLevel(PassRun* run, uint32_t i, uint32_t level, const value::Value* pending, LevelVisit& visit,
                            value::Value& key);

}  // namespace edict::interp
