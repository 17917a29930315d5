// The CEL conformance runner's parts: reading the suite (tests/conformance/cel), running one test
// record through the standalone expression API and judging it, and checking the skip list.
#pragma once

#include <algorithm>
#include <fstream>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"
#include "compiler/syntax/parse.h"
#include "runtime/interp/interp.h"
#include "runtime/value/format.h"
#include "runtime/value/json_codec.h"

namespace edict::conformance {

using nlohmann::json;

inline const std::vector<std::string>& CoreSections() {
  static const std::vector<std::string> sections = {"basic",   "comparisons", "conversions", "fp_math", "integer_math",
                                                    "lists",   "logic",       "macros",      "macros2", "parse",
                                                    "plumbing", "string",     "timestamps"};
  return sections;
}

inline bool IsCore(const std::string& section) {
  return std::find(CoreSections().begin(), CoreSections().end(), section) != CoreSections().end();
}

struct Case {
  size_t line = 0;
  json test;
  std::string section;
  std::string id;  // section/group/name
};

inline std::vector<Case> LoadSuite(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<Case> cases;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Case c;
    c.line = number;
    c.test = json::parse(line);
    c.section = c.test["section"];
    c.id = c.section + "/" + c.test["group"].get<std::string>() + "/" + c.test["name"].get<std::string>();
    cases.push_back(std::move(c));
  }
  return cases;
}

// ---- cel-spec types ---------------------------------------------------------------------------

// The CEL spelling (plan::Variable::type) of a cel-spec Type message in its protobuf-ES JSON form
// ({"case": "primitive", "value": 2}); nullopt for types Edict has no spelling for (wrappers,
// messages other than Duration and Timestamp, type parameters, functions).
inline std::optional<std::string> CelTypeSpelling(const json& kind) {
  static const char* const kPrimitives[] = {nullptr, "bool", "int", "uint", "double", "string", "bytes"};
  static const char* const kWellKnown[] = {nullptr, "dyn", "timestamp", "duration"};  // Any is any value
  if (!kind.is_object()) return std::nullopt;
  const std::string which = kind.value("case", "");
  const json value = kind.value("value", json());
  auto nested = [&](const char* field) -> std::optional<std::string> {
    if (!value.is_object() || !value.contains(field) || !value[field].is_object()) return std::nullopt;
    return CelTypeSpelling(value[field].value("typeKind", json()));
  };
  if (which == "dyn") return "dyn";
  if (which == "null") return "null_type";
  const int number = value.is_number_integer() ? value.get<int>() : 0;
  if (which == "primitive" && number >= 1 && number <= 6) return kPrimitives[number];
  if (which == "wellKnown" && number >= 1 && number <= 3) return kWellKnown[number];
  if (which == "messageType" && value == "google.protobuf.Duration") return "duration";
  if (which == "messageType" && value == "google.protobuf.Timestamp") return "timestamp";
  if (which == "listType") {
    if (auto element = nested("elemType")) return "list(" + *element + ")";
  }
  if (which == "mapType") {
    auto key = nested("keyType");
    auto element = nested("valueType");
    if (key && element) return "map(" + *key + ", " + *element + ")";
  }
  return std::nullopt;
}

// ---- Running one test -------------------------------------------------------------------------

struct Outcome {
  bool passed = false;
  std::string why;               // for a failure: what happened instead
  bool at_compile_time = false;  // passed by an expected error that compiling reported
};

// Type errors: the checker proved that evaluating would fail with "no such overload". Unknown names
// and functions prove nothing of the kind: they say what Edict lacks.
inline bool IsTypeError(diag::DiagId id) {
  switch (id) {
    case diag::DiagId::kTypeMismatch:
    case diag::DiagId::kNoFields:
    case diag::DiagId::kNoMatchingOverload:
    case diag::DiagId::kIncomparable:
    case diag::DiagId::kBranchMismatch:
    case diag::DiagId::kBadMapKey:
    case diag::DiagId::kNotAMacroTarget:
    case diag::DiagId::kNotIndexable:
      return true;
    default:
      return false;
  }
}

inline bool OnlyTypeErrors(const diag::DiagnosticEngine& diags) {
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    if (d.severity == diag::Severity::kError && !IsTypeError(d.id)) return false;
  }
  return diags.has_errors();
}

inline std::string RenderedErrors(const diag::DiagnosticEngine& diags, const diag::SourceManager& sources) {
  std::string text;
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    if (d.severity == diag::Severity::kError) text += diag::RenderText(d, sources, false);
  }
  return text;
}

// Declares the `type_env` variables with their types and every other bound name as dyn, compiles
// (checked unless `disable_check`, with macros unless `disable_macros`), and judges the result:
// `check_only` compares the checked type when `expect` gives one, `value` must be equal under the
// conformance equality, `error` must be an error value, or type errors found by the checker.
inline Outcome RunTest(const json& test) {
  std::vector<plan::Variable> variables;
  std::set<std::string> declared;
  for (const json& entry : test.value("type_env", json::array())) {
    const std::string name = entry["name"];
    const std::string type = entry["type"];
    auto spelling = CelTypeSpelling(json::parse(type, nullptr, false));
    if (!spelling) return {false, "type_env: Edict has no type for '" + name + "': " + type};
    variables.push_back({name, *spelling});
    declared.insert(name);
  }
  std::map<std::string, value::Value> bindings;
  const json bound_values = test.value("bindings", json::object());
  for (const auto& [name, tagged] : bound_values.items()) {
    std::string error;
    auto bound = value::ValueFromJson(tagged, error);
    if (!bound) return {false, "binding '" + name + "': " + error};
    bindings[name] = *bound;
    if (!declared.count(name)) variables.push_back({name, "dyn"});
  }

  plan::ExpressionOptions options;
  options.check_types = !test.value("disable_check", false);
  options.parse.macros = !test.value("disable_macros", false);
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression(test["expr"].get<std::string>(), variables, options, sources, diags);
  const json& expect = test["expect"];
  const bool expects_error = expect.contains("error");
  if (compiled == nullptr) {
    // cel-spec lets a checked program report an expected evaluation error at check time.
    if (expects_error && options.check_types && OnlyTypeErrors(diags)) return {true, "", true};
    return {false, "does not compile:\n" + RenderedErrors(diags, sources)};
  }

  if (test.value("check_only", false)) {
    if (expects_error) return {false, "checks as " + compiled->type + " although an error was expected"};
    if (!expect.contains("type")) return {true, ""};
    auto expected = CelTypeSpelling(expect["type"]);
    if (expected && *expected == compiled->type) return {true, ""};
    return {false, "checks as " + compiled->type + ", expected " + expect["type"].dump()};
  }

  value::Value actual = interp::Evaluate(*compiled, bindings);
  if (expects_error) {
    if (actual.is_error()) return {true, ""};
    return {false, "got " + value::FormatLiteral(actual) + ", expected an error (" + expect["error"].dump() + ")"};
  }
  std::string error;
  auto expected = value::ValueFromJson(expect["value"], error);
  if (!expected) return {false, "expected value: " + error};
  if (value::ConformanceEqual(*expected, actual)) return {true, ""};
  return {false, "got " + value::FormatLiteral(actual) + ", expected " + value::FormatLiteral(*expected)};
}

// ---- The skip list ----------------------------------------------------------------------------

// Whether `expr` constructs a protobuf message (`google.protobuf.Int32Value{value: 1}`): Edict has
// no message types, so those are the only tests the skip list may name.
inline bool ConstructsMessage(const ast::Expr* expr) {
  if (expr == nullptr) return false;
  if (expr->kind == ast::ExprKind::kMessage) return true;
  if (ConstructsMessage(expr->operand)) return true;
  for (const ast::Expr* arg : expr->args) {
    if (ConstructsMessage(arg)) return true;
  }
  for (const ast::MapEntry& entry : expr->entries) {
    if (ConstructsMessage(entry.key) || ConstructsMessage(entry.value)) return true;
  }
  return false;
}

inline bool BuildsMessage(const std::string& text) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  ast::AstArena arena;
  diag::FileId file = sources.Add("<expression>", text);
  return ConstructsMessage(syntax::ParseExpression(sources, file, arena, diags));
}

struct SkipList {
  std::set<std::string> ids;
  std::vector<std::string> problems;  // "file:line: why", for each line that is no allowed skip
};

// One skip a line: `section/group/name  reason`; lines starting with `#` are comments.
inline SkipList ParseSkipList(std::istream& in, const std::string& file,
                              const std::map<std::string, const Case*>& suite) {
  SkipList skips;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string id, reason;
    words >> id;
    std::getline(words >> std::ws, reason);
    const std::string where = file + ":" + std::to_string(number) + ": ";
    auto it = suite.find(id);
    if (it == suite.end()) {
      skips.problems.push_back(where + "no test '" + id + "'");
    } else if (reason.empty()) {
      skips.problems.push_back(where + id + " gives no reason");
    } else if (!IsCore(it->second->section)) {
      skips.problems.push_back(where + id + " is no core test: the other sections have no threshold to skip for");
    } else if (!BuildsMessage(it->second->test["expr"])) {
      skips.problems.push_back(where + id + " builds no protobuf message: only those tests may be skipped");
    } else if (!skips.ids.insert(id).second) {
      skips.problems.push_back(where + id + " is listed twice");
    }
  }
  return skips;
}

}  // namespace edict::conformance
