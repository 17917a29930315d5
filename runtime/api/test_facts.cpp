// Inline test facts: each record is a CEL map literal, evaluated and written as one JSON line, so
// inline facts go through the same loader (and the same validation) as fixture files.
#include <cmath>
#include <exception>

#include <nlohmann/json.hpp>

#include "compiler/diag/render.h"
#include "runtime/api/test_runner.h"
#include "runtime/interp/interp.h"
#include "runtime/value/time.h"

namespace edict::testrun {
namespace {

constexpr int64_t kNanosPerMilli = 1'000'000;

// appfacts has no durations or timestamps: `t` and other times are milliseconds, instants RFC 3339
// strings; a CEL duration (`t: 60s`) is written as milliseconds.
std::optional<nlohmann::json> ToJson(const value::Value& v, std::string& error) {
  switch (v.kind()) {
    case value::Kind::kNull: return nlohmann::json(nullptr);
    case value::Kind::kBool: return nlohmann::json(v.bool_value());
    case value::Kind::kInt: return nlohmann::json(v.int_value());
    case value::Kind::kUint: return nlohmann::json(v.uint_value());
    case value::Kind::kDouble:
      if (!std::isfinite(v.double_value())) break;
      return nlohmann::json(v.double_value());
    case value::Kind::kString: return nlohmann::json(std::string(v.string_value()));
    case value::Kind::kDuration:
      if (v.duration_nanos() % kNanosPerMilli == 0) return nlohmann::json(v.duration_nanos() / kNanosPerMilli);
      return nlohmann::json(static_cast<double>(v.duration_nanos()) / kNanosPerMilli);
    case value::Kind::kTimestamp:
      return nlohmann::json(value::FormatTimestamp(v.timestamp_seconds(), v.timestamp_nanos()));
    case value::Kind::kList: {
      nlohmann::json list = nlohmann::json::array();
      for (const value::Value& element : v.list_elements()) {
        auto item = ToJson(element, error);
        if (!item) return std::nullopt;
        list.push_back(std::move(*item));
      }
      return list;
    }
    case value::Kind::kMap: {
      nlohmann::json object = nlohmann::json::object();
      for (size_t i = 0; i < v.map().size(); ++i) {
        const value::Value& key = v.map().key(i);
        if (!key.is_string()) {
          error = "map keys must be strings in facts";
          return std::nullopt;
        }
        auto item = ToJson(v.map().value(i), error);
        if (!item) return std::nullopt;
        object[std::string(key.string_value())] = std::move(*item);
      }
      return object;
    }
    case value::Kind::kError: error = v.error_message(); return std::nullopt;
    default: break;
  }
  error = "a " + std::string(value::KindName(v.kind())) + " value has no JSON form";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> InlineFactsJsonLines(const ast::TestDecl& test, const diag::SourceManager& sources,
                                                std::string& error) {
  std::string lines;
  plan::ExpressionOptions options;
  options.check_types = false;  // records are data: a map of mixed values needs no static type
  for (size_t i = 0; i < test.facts.size(); ++i) {
    const ast::Expr* fact = test.facts[i];
    std::string where = "inline record " + std::to_string(i + 1);
    if (fact == nullptr) {
      error = where + " did not parse";
      return std::nullopt;
    }
    diag::SourceManager local_sources;
    diag::DiagnosticEngine diags;
    auto compiled = interp::CompileExpression(sources.text(fact->range), {}, options, local_sources, diags);
    if (compiled == nullptr) {
      error = where + ": " + (diags.diagnostics().empty() ? "does not compile" : diags.diagnostics()[0].message);
      return std::nullopt;
    }
    std::string problem;
    auto json = ToJson(interp::Evaluate(*compiled, {}), problem);
    if (!json) {
      error = where + ": " + problem;
      return std::nullopt;
    }
    lines += json->dump() + "\n";
  }
  return lines;
}

}  // namespace edict::testrun
