// A lowered Plan (with its facts schema) as bytes and back, for the plan cache (runtime/api's
// plan_cache.h), which lets a warm start skip parsing, checking and lowering.
//
// The encoding is only ever read by the build that wrote it (the cache key holds the engine's
// build id), so it stores enums by value and numbers in host byte order. Reading checks every
// count against the bytes left and every index against what it indexes (nodes, children,
// constants, columns, layouts, kinds, ...): a corrupt or truncated entry gives null and a reason,
// never a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/plan/binary_io.h"
#include "compiler/plan/plan.h"

namespace edict::plan {

// Bump when the encoding, or anything in plan.h / expr.h / schema.h it covers, changes.
inline constexpr uint32_t kPlanFormatVersion = 3;

std::string SerializePlan(const Plan& plan);
std::unique_ptr<Plan> DeserializePlan(std::string_view bytes, std::string& error);

// Whether every index in `plan` is within what it indexes (children before their parents, so
// expressions are trees); else false and what is wrong. Done by DeserializePlan.
bool CheckPlanIndexes(const Plan& plan, std::string& error);
// Whether every root's registers are within its own frame, frames are sane and memo functions
// and aggregates cannot reach themselves; else false and what is wrong. Needs CheckPlanIndexes
// to have passed. Done by DeserializePlan.
bool CheckPlanFrames(const Plan& plan, std::string& error);

// The parts, for the entry's other sections and for tests.
void WriteValue(BinaryWriter& out, const value::Value& value);
value::Value ReadValue(BinaryReader& in);  // sets `in` failed on a malformed value

// Reads the values of one entry (ReadValue's format) and makes equal strings one shared value:
// values are immutable, so sharing is exact, and the standard library's tables repeat a few
// hundred names in thousands of places, each else an allocation of memory new to the process.
class ValueReader {
 public:
  explicit ValueReader(BinaryReader& in) : in_(in) {}
  value::Value Read() { return ReadAt(0); }  // sets `in` failed on a malformed value

 private:
  value::Value ReadAt(int depth);
  value::Value SharedString(std::string_view text);

  BinaryReader& in_;
  std::unordered_map<std::string_view, value::Value> shared_;  // the strings read so far; keys view `in_`'s bytes
};

void WriteSchema(BinaryWriter& out, const facts::Schema& schema);
// Rebuilds and finalizes the schema; null (and `in` failed) when the bytes do not make one.
std::unique_ptr<facts::Schema> ReadSchema(BinaryReader& in);
// How many types the schema's kinds and header can reach (ids below it are all valid).
facts::TypeId UsedTypeCount(const facts::Schema& schema);

}  // namespace edict::plan
