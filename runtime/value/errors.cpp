// The error values builtins return.
#include "runtime/value/errors.h"

#include <string>

namespace edict::value {

Value NoMatchingOverload(std::string_view function, std::span<const Value> args) {
  std::string message = "no matching overload for '" + std::string(function) + "' applied to (";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) message += ", ";
    message += KindName(args[i].kind());
  }
  return Value::Error(ErrorCode::kNoSuchOverload, message + ")");
}

Value IntegerOverflow() { return Value::Error(ErrorCode::kOverflow, "integer overflow"); }

Value DivisionByZero() { return Value::Error(ErrorCode::kDivisionByZero, "division by zero"); }

Value ModulusByZero() { return Value::Error(ErrorCode::kDivisionByZero, "modulus by zero"); }

const Value* FirstErrorOrUnknown(std::span<const Value> args) {
  const Value* first_error = nullptr;
  for (const Value& arg : args) {
    if (arg.is_unknown()) return &arg;
    if (arg.is_error() && first_error == nullptr) first_error = &arg;
  }
  return first_error;
}

}  // namespace edict::value
