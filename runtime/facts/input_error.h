// A problem with the facts input, located by file and line: a strict-mode session error, a record
// skipped in lenient mode, or an input that cannot be read.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace edict::facts {

enum class InputErrorKind : uint8_t {
#define EDICT_INPUT_ERROR(name, format) k##name,
#include "runtime/facts/input_errors.def"
#undef EDICT_INPUT_ERROR
};

struct InputError {
  InputErrorKind kind;
  std::string file;
  uint64_t line = 0;     // 1-based; 0 when the problem is the whole input (it cannot be read)
  std::string message;   // without the location: "field 'ret.status': expected one of ..."

  // "a.jsonl:17: field 'ret.status': expected one of ok|null|..., found \"okay\""
  std::string ToString() const;
};

InputError MakeInputError(InputErrorKind kind, std::string file, uint64_t line, std::span<const std::string> args);

}  // namespace edict::facts
