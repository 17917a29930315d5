// Which aggregates native code evaluates inline (aggregate_emitter.cpp), and so which parts of an
// aggregate its caller's code depends on (register_families.cpp).
#pragma once

#include <cstdint>

#include "compiler/plan/plan.h"

namespace edict::codegen {

// What native code can answer: AnswerByRange's aggregates, with bounds it tracks bit by bit; null
// for any other aggregate, or without a plan.
const plan::Aggregate* Answerable(const plan::Plan* plan, uint32_t aggregate);

// What native code can bound for Machine::AggregateInRange: an exists or count over a query of one
// indexed record scan (Machine::OneIndexedScan) without `pre`, with bounds it tracks bit by bit;
// null for any other aggregate, or without a plan.
const plan::Aggregate* Scannable(const plan::Plan* plan, uint32_t aggregate);

}  // namespace edict::codegen
