// Loads appfacts JSON Lines (files, stdin, text) into sessions of columnar stores.
//
// A stream holds one or more sessions, each starting with a `header` line. Bad input never
// crashes the loader and is never dropped silently (appfacts-1 §1): in strict mode (the default)
// it stops its session with an error naming file, line and field, and later sessions still load;
// in lenient mode the bad record is skipped and listed. Problems that make a whole session
// unusable (a bad header, a limit reached, an unreadable input) stop the session in both modes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runtime/facts/input.h"
#include "runtime/facts/input_error.h"
#include "runtime/facts/schema.h"
#include "runtime/facts/store.h"

namespace edict::facts {

// The longest line read; longer lines are rejected before any parsing. Real records are a few
// hundred bytes; 16 MiB leaves room for a `ui` record carrying a whole screen's texts.
inline constexpr size_t kMaxLineBytes = size_t{16} << 20;
// Records per session; beyond it the session fails rather than exhaust memory. Row numbers are
// 32-bit inside the store, which this keeps far away from.
inline constexpr uint64_t kMaxRecordsPerSession = 50'000'000;

enum class LoadMode : uint8_t { kStrict, kLenient };

struct LoadOptions {
  LoadMode mode = LoadMode::kStrict;
  size_t max_line_bytes = kMaxLineBytes;
  uint64_t max_records_per_session = kMaxRecordsPerSession;
};

struct LoadResult {
  std::vector<Session> sessions;  // in input order, failed ones included
  std::vector<InputError> skipped;       // lenient mode: every skipped line
  std::vector<InputError> input_errors;  // inputs that could not be read
  std::map<std::string, uint64_t> unknown_kinds;  // records of a kind the schema lacks, skipped
  std::map<std::pair<std::string, std::string>, uint64_t> unknown_fields;  // (kind, field path) ignored
  std::map<std::string, uint64_t> unknown_data_types;  // accepted, counted per occurrence
};

// The schema must be finalized and outlive the result's stores. Never throws.
LoadResult Load(const Schema& schema, std::span<const InputSource> inputs, const LoadOptions& options = {});

}  // namespace edict::facts
