// The interpreter's API: compiling with the interpreter as constant folder, per-thread evaluators
// over sessions, the run's rule list and parameters, and standalone expressions.
#include "runtime/interp/interp.h"

#include <unordered_map>

#include "runtime/interp/session_run.h"
#include "runtime/value/format.h"
#include "runtime/value/time.h"

namespace edict::interp {

using value::Value;

namespace {

// Copies of plan constants whose lists and maps belong to this thread, so evaluating threads never
// touch a shared reference count. Constants share lists and maps (a table is a constant of every
// rule that reads it), so each is copied once, by the address of its storage.
class LocalCopier {
 public:
  Value Copy(const Value& v) {
    switch (v.kind()) {
      case value::Kind::kString:
        return Value::UnownedString(v.string_value());
      case value::Kind::kList:
        return Shared(lists_, v.list_elements().data(), v, &LocalCopier::CopyList);
      case value::Kind::kMap:
        return Shared(maps_, &v.map(), v, &LocalCopier::CopyMap);
      case value::Kind::kBytes:
        return Value::Bytes(v.string_value());
      case value::Kind::kError:
        return Value::Error(v.error_code(), v.error_message());
      default:
        return v;
    }
  }

 private:
  // Lists and maps are told apart by their storage's address, each kind in its own table (an empty
  // list's elements may begin where a map's storage does).
  using Copies = std::unordered_map<const void*, Value>;

  Value Shared(Copies& copies, const void* storage, const Value& v, Value (LocalCopier::*copy_of)(const Value&)) {
    if (auto it = copies.find(storage); it != copies.end()) return it->second;
    Value copy = (this->*copy_of)(v);
    copies.emplace(storage, copy);
    return copy;
  }

  Value CopyList(const Value& v) {
    std::vector<Value> elements;
    elements.reserve(v.list_elements().size());
    for (const Value& element : v.list_elements()) elements.push_back(Copy(element));
    return Value::List(std::move(elements));
  }

  Value CopyMap(const Value& v) {
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(v.map().size());
    for (size_t i = 0; i < v.map().size(); ++i) entries.emplace_back(Copy(v.map().key(i)), Copy(v.map().value(i)));
    return Value::Map(std::move(entries));
  }

  Copies lists_;
  Copies maps_;
};

}  // namespace

std::vector<Value> LocalCopies(const std::vector<Value>& constants) {
  LocalCopier copier;
  std::vector<Value> copies;
  copies.reserve(constants.size());
  for (const Value& constant : constants) copies.push_back(copier.Copy(constant));
  return copies;
}

Value ConstantFolder::Evaluate(const plan::Code& code, plan::ExprId expr, uint32_t frame_size) const {
  Machine machine(nullptr, code, code.constants);
  machine.set_budget(kExpressionSteps);
  Frame frame(frame_size == 0 ? 1 : frame_size);
  return machine.Eval(expr, frame);
}

std::unique_ptr<plan::Plan> Compile(sema::Program& program, const plan::LowerOptions& options,
                                    diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  ConstantFolder folder;
  return plan::Lower(program, options, folder, sources, diags);
}

Evaluator::Evaluator(const plan::Plan& plan, const CompiledCode* compiled, StepBudget budget)
    : plan_(plan), constants_(LocalCopies(plan.code.constants)), machine_(&plan, plan.code, constants_), budget_(budget) {
  machine_.set_compiled(compiled);
}

SessionEvaluation Evaluator::Evaluate(const facts::Session& session) {
  // Columns are read by the plan's layout: a store loaded with another schema cannot be read.
  bool foreign = session.store != nullptr && &session.store->schema() != plan_.schema.get();
  if (session.error || session.store == nullptr || foreign) {
    SessionEvaluation out;
    findings::SessionSummary& summary = out.result.summary;
    summary.id = session.id;
    summary.file = session.file;
    summary.error = session.error ? session.error->ToString()
                    : foreign     ? std::string("the session was loaded with another schema than the rules'")
                                  : std::string("the session has no records");
    return out;
  }
  uint64_t records = session.store->record_count();
  machine_.BeginSession(session.store.get(), budget_.base + budget_.per_record * records);
  SessionRun run(plan_, machine_, session);
  return run.Run();
}

findings::ParamValue ParamValueOf(const Value& v) {
  switch (v.kind()) {
    case value::Kind::kBool: return v.bool_value();
    case value::Kind::kInt: return v.int_value();
    case value::Kind::kUint:
      if (v.uint_value() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v.uint_value());
      return std::to_string(v.uint_value());
    case value::Kind::kDouble: return v.double_value();
    case value::Kind::kString: return std::string(v.string_value());
    case value::Kind::kDuration: return value::FormatDuration(v.duration_nanos());
    case value::Kind::kTimestamp: return value::FormatTimestamp(v.timestamp_seconds(), v.timestamp_nanos());
    case value::Kind::kList: {
      std::vector<std::string> strings;
      for (const Value& element : v.list_elements()) {
        if (!element.is_string()) return value::FormatLiteral(v);
        strings.emplace_back(element.string_value());
      }
      return strings;
    }
    default: return value::FormatLiteral(v);
  }
}

std::vector<findings::RuleInfo> RuleInfos(const plan::Plan& plan) {
  std::vector<findings::RuleInfo> out;
  for (const plan::RulePlan& rule : plan.rules) {
    findings::RuleInfo info;
    info.id = rule.id;
    info.pack = rule.pack;
    info.version = rule.version;
    info.title = rule.title;
    info.kind = rule.review ? findings::Kind::kReview : findings::Kind::kFail;
    info.severity = static_cast<findings::Severity>(rule.severity);
    info.cite = rule.cite;
    info.tags = rule.tags;
    out.push_back(std::move(info));
  }
  return out;
}

findings::Params ParamsInForce(const plan::Plan& plan) {
  findings::Params params;
  for (const plan::Param& param : plan.params) params.emplace_back(param.name, ParamValueOf(param.value));
  return params;
}

std::unique_ptr<plan::CompiledExpression> CompileExpression(std::string_view text,
                                                            const std::vector<plan::Variable>& variables,
                                                            const plan::ExpressionOptions& options,
                                                            diag::SourceManager& sources, diag::DiagnosticEngine& diags) {
  ConstantFolder folder;
  return plan::CompileExpression(text, variables, options, folder, sources, diags);
}

Value Evaluate(const plan::CompiledExpression& expression, const std::map<std::string, Value>& bindings,
               const CompiledCode* compiled, Stats* stats) {
  Machine machine(nullptr, expression.code, expression.code.constants);
  machine.set_compiled(compiled);
  machine.set_budget(kExpressionSteps);
  Frame frame(expression.frame_size);
  for (const auto& [name, reg] : expression.variables) {
    auto it = bindings.find(name);
    frame[reg].value = it != bindings.end()
                           ? it->second
                           : Value::Error(value::ErrorCode::kUndeclaredReference, "no value for variable '" + name + "'");
  }
  Value result = machine.Eval(expression.root, frame);
  if (stats != nullptr) *stats = machine.stats();
  return result;
}

}  // namespace edict::interp
