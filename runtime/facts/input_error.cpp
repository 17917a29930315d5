// Formats input errors from the table in input_errors.def.
#include "runtime/facts/input_error.h"

#include "compiler/diag/diagnostic.h"

namespace edict::facts {
namespace {

constexpr const char* kFormats[] = {
#define EDICT_INPUT_ERROR(name, format) format,
#include "runtime/facts/input_errors.def"
#undef EDICT_INPUT_ERROR
};

}  // namespace

std::string InputError::ToString() const {
  return line == 0 ? file + ": " + message : file + ":" + std::to_string(line) + ": " + message;
}

InputError MakeInputError(InputErrorKind kind, std::string file, uint64_t line, std::span<const std::string> args) {
  return InputError{kind, std::move(file), line, diag::FormatMessage(kFormats[static_cast<size_t>(kind)], args)};
}

}  // namespace edict::facts
