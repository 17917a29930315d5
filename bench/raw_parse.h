// The ingestion limit: how fast simdjson alone reads and parses the facts file, with no schema,
// columns or strings interned, to set Edict's load time against.
#pragma once

#include <cstdint>
#include <string>

#include "bench/timing.h"

namespace edict::bench {

struct RawParse {
  bool ok = false;
  std::string error;
  uint64_t bytes = 0;
  uint64_t documents = 0;
  Elapsed read;   // the file into a padded buffer
  Elapsed parse;  // every line parsed to simdjson's DOM (parse_many), best of `repeat`
};

RawParse MeasureRawParse(const std::string& path, int repeat);

}  // namespace edict::bench
