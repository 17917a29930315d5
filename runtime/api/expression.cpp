// `edict eval`: one CEL expression, with variables whose values are CEL expressions themselves.
#include <exception>
#include <map>

#include "runtime/api/ruleset_impl.h"
#include "runtime/jit/compile.h"
#include "runtime/value/format.h"

namespace edict {
namespace {

// The plan phase names every expression's source "<expression>"; a variable's errors say which
// variable instead.
void Rename(Diagnostics& diagnostics, const std::string& name) {
  const std::string from = "<expression>";
  for (Diagnostic& item : diagnostics.items) {
    for (std::string* text : {&item.file, &item.text, &item.text_color, &item.json}) {
      size_t at = text->find(from);
      if (at != std::string::npos) text->replace(at, from.size(), name);
    }
  }
}

void Append(Diagnostics& into, Diagnostics from) {
  for (Diagnostic& item : from.items) into.items.push_back(std::move(item));
  into.errors += from.errors;
  into.warnings += from.warnings;
}

// Evaluates `compiled` with the interpreter or, for Engine::kJit, with its native code; false
// with `error` set when the native code cannot be built.
bool Run(const plan::CompiledExpression& compiled, const std::map<std::string, value::Value>& bindings, Engine engine,
         value::Value& result, ExpressionResult& out, std::string& error) {
  if (engine != Engine::kJit) {
    result = interp::Evaluate(compiled, bindings);
    return true;
  }
  std::unique_ptr<jit::NativeCode> native = jit::CompileExpression(compiled, error);
  if (native == nullptr) return false;
  interp::Stats stats;
  result = interp::Evaluate(compiled, bindings, &native->code(), &stats);
  out.native = true;
  out.fallbacks += stats.fallbacks;
  return true;
}

}  // namespace

ExpressionResult EvaluateExpression(std::string_view expression, const std::vector<Variable>& variables, Engine engine) {
  ExpressionResult out;
  try {
    plan::ExpressionOptions options;
    std::vector<plan::Variable> declared;
    std::map<std::string, value::Value> bindings;
    for (const Variable& variable : variables) {
      diag::SourceManager sources;
      diag::DiagnosticEngine diags;
      auto compiled = interp::CompileExpression(variable.value, {}, options, sources, diags);
      Diagnostics problems = ToDiagnostics(diags, sources);
      Rename(problems, "--var " + variable.name);
      Append(out.diagnostics, std::move(problems));
      if (compiled == nullptr) continue;
      declared.push_back({variable.name, compiled->type});
      std::string error;
      if (!Run(*compiled, {}, engine, bindings[variable.name], out, error)) {
        out.diagnostics = EngineFailure(error);
        return out;
      }
    }
    if (out.diagnostics.has_errors()) return out;

    diag::SourceManager sources;
    diag::DiagnosticEngine diags;
    auto compiled = interp::CompileExpression(expression, declared, options, sources, diags);
    Append(out.diagnostics, ToDiagnostics(diags, sources));
    if (compiled == nullptr || out.diagnostics.has_errors()) return out;
    value::Value result;
    std::string error;
    if (!Run(*compiled, bindings, engine, result, out, error)) {
      ExpressionResult failed;
      failed.diagnostics = EngineFailure(error);
      return failed;
    }
    out.ok = true;
    out.type = compiled->type;
    if (result.is_error()) {
      out.cel_error = true;
      out.text = result.error_message();
    } else if (result.is_unknown()) {
      out.cel_error = true;
      out.text = "unknown value: " + result.unknown_attribute();
    } else {
      out.text = value::FormatLiteral(result);
    }
  } catch (const std::exception& e) {
    out = ExpressionResult();
    out.diagnostics = EngineFailure(e.what());
  }
  return out;
}

}  // namespace edict
