// Fuzz target: arbitrary bytes as a CEL expression, compiled and evaluated as `edict eval` does,
// with a few variables bound: once with the static type checker and once without (the
// conformance suite's `disable_check`). Two oracles: a checked expression's value has its checked
// type, and a value's literal text (FormatLiteral) evaluates back to an equal value.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/interp/interp.h"
#include "runtime/value/compare.h"
#include "runtime/value/format.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace edict;
using value::Value;

const std::vector<plan::Variable>& Variables() {
  static const std::vector<plan::Variable> variables = {
      {"x", "int"}, {"u", "uint"}, {"f", "double"}, {"s", "string"}, {"b", "bytes"},
      {"l", "list(int)"}, {"m", "map(string, dyn)"}, {"d", "dyn"}};
  return variables;
}

const std::map<std::string, Value>& Bindings() {
  static const std::map<std::string, Value> bindings = {
      {"x", Value::Int(-7)},
      {"u", Value::Uint(42)},
      {"f", Value::Double(2.5)},
      {"s", Value::String("héllo, 世界")},
      {"b", Value::Bytes(std::string_view("\x00\xff", 2))},
      {"l", Value::List({Value::Int(1), Value::Int(2), Value::Int(3)})},
      {"m", Value::Map({{Value::String("a"), Value::Int(1)}, {Value::String("b"), Value::List({})}})},
      {"d", Value::Timestamp(1234567890, 5)}};
  return bindings;
}

// The text inside the outer parentheses of `list(int)`, `map(string, dyn)`, split at the top-level
// comma.
std::vector<std::string_view> TypeArguments(std::string_view type) {
  std::vector<std::string_view> out;
  size_t open = type.find('(');
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = start; i + 1 < type.size(); ++i) {
    if (type[i] == '(') ++depth;
    if (type[i] == ')') --depth;
    if (type[i] == ',' && depth == 0) {
      out.push_back(type.substr(start, i - start));
      start = i + 2;  // ", "
    }
  }
  out.push_back(type.substr(start, type.size() - 1 - start));
  return out;
}

// Whether `v` (no error or unknown at the top) is a value of the checked type `type`.
bool HasType(const Value& v, std::string_view type) {
  if (v.is_error_or_unknown()) return false;  // a list or map never holds one
  if (type == "dyn" || type.size() == 1) return true;  // dyn or a type parameter
  if (type == "null_type") return v.is_null();
  if (type == "bool") return v.is_bool();
  if (type == "int") return v.is_int();
  if (type == "uint") return v.is_uint();
  if (type == "double") return v.is_double();
  if (type == "string") return v.is_string();
  if (type == "bytes") return v.is_bytes();
  if (type == "duration") return v.is_duration();
  if (type == "timestamp") return v.is_timestamp();
  if (type == "type" || type.starts_with("type(")) return v.is_type();
  if (type.starts_with("list(")) {
    if (!v.is_list()) return false;
    std::string_view element = TypeArguments(type)[0];
    for (const Value& e : v.list_elements()) {
      if (!HasType(e, element)) return false;
    }
    return true;
  }
  if (type.starts_with("map(")) {
    if (!v.is_map()) return false;
    std::vector<std::string_view> args = TypeArguments(type);
    for (size_t i = 0; i < v.map().size(); ++i) {
      if (!HasType(v.map().key(i), args[0]) || !HasType(v.map().value(i), args[1])) return false;
    }
    return true;
  }
  return true;  // a type the standalone checker does not produce
}

// Whether `v` has at most `nodes` elements, keys and values all told. Values share structure, so a
// cheap expression can denote an enormous one (`l.map(a, l.map(b, ...))`, folded while compiling):
// the oracles only walk and print values below this size.
bool Smaller(const Value& v, int64_t& nodes) {
  if (--nodes < 0) return false;
  if (v.is_list()) {
    for (const Value& e : v.list_elements()) {
      if (!Smaller(e, nodes)) return false;
    }
  }
  if (v.is_map()) {
    for (size_t i = 0; i < v.map().size(); ++i) {
      if (!Smaller(v.map().key(i), nodes) || !Smaller(v.map().value(i), nodes)) return false;
    }
  }
  return true;
}

// NaN, anywhere in a value, makes it unequal to itself.
bool HasNaN(const Value& v) {
  if (v.is_double()) return v.double_value() != v.double_value();
  if (v.is_list()) {
    for (const Value& e : v.list_elements()) {
      if (HasNaN(e)) return true;
    }
  }
  if (v.is_map()) {
    for (size_t i = 0; i < v.map().size(); ++i) {
      if (HasNaN(v.map().value(i))) return true;
    }
  }
  return false;
}

// FormatLiteral promises CEL text denoting the value: read it back.
void CheckLiteralRoundTrip(const Value& v) {
  if (v.is_error_or_unknown() || HasNaN(v)) return;  // no literal, or never equal
  std::string literal = value::FormatLiteral(v);
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  plan::ExpressionOptions options;
  options.check_types = false;
  auto compiled = interp::CompileExpression(literal, {}, options, sources, diags);
  if (compiled == nullptr) {
    for (const diag::Diagnostic& d : diags.diagnostics()) {
      // A value can be nested deeper or be longer than source text may be.
      if (d.id == diag::DiagId::kNestingTooDeep || d.id == diag::DiagId::kExpressionTooLong) return;
    }
    fuzz::Contradiction("a value's literal does not compile", literal);
  }
  Value back = interp::Evaluate(*compiled, {});
  if (!value::Equal(v, back)) {
    fuzz::Contradiction("a value's literal evaluates to another value",
                        literal + " gave " + value::FormatLiteral(back));
  }
}

void Run(std::string_view text, bool check_types) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  plan::ExpressionOptions options;
  options.check_types = check_types;
  std::unique_ptr<plan::CompiledExpression> compiled =
      interp::CompileExpression(text, Variables(), options, sources, diags);
  fuzz::RenderAll(diags, sources);
  if (compiled == nullptr) {
    if (!diags.has_errors()) fuzz::Contradiction("compilation failed without an error", text);
    return;
  }
  Value result = interp::Evaluate(*compiled, Bindings());
  int64_t nodes = 100000;
  if (!Smaller(result, nodes)) return;
  if (check_types && !result.is_error_or_unknown() && !HasType(result, compiled->type)) {
    fuzz::Contradiction("the value does not have the checked type",
                        std::string(text) + "\n  checked " + compiled->type + ", got " + value::FormatLiteral(result));
  }
  CheckLiteralRoundTrip(result);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Run(text, true);
  Run(text, false);
  return 0;
}
