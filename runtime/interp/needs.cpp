// What a session can decide (rule-catalog S1): the kinds it captured, the kinds the `ctx`
// envelope field stands in for (S3, S4), usable header fields, and PI data types whose every
// monitored hook failed.
#include <algorithm>
#include <map>
#include <set>

#include "compiler/plan/conventions.h"
#include "runtime/interp/session_run.h"

namespace edict::interp {

using value::Value;

void SessionRun::ComputeSessionFacts() {
  const facts::Schema& schema = store_.schema();
  captured_ = session_.captured.size() == schema.kind_count() ? session_.captured : facts::CapturedKinds(store_);
  fallback_.assign(schema.kind_count(), false);
  for (const auto& [kind, field] : plan_.context_fallbacks) {
    // Some record of any kind carries a known value of the field.
    for (facts::KindId k = 0; k < schema.kind_count() && !fallback_[kind]; ++k) {
      const facts::Table& table = store_.records(k).fields;
      int32_t column = table.Find(field);
      if (column < 0) continue;
      const facts::ColumnSpec& spec = table.layout().columns[column];
      for (uint32_t row = 0; row < table.rows(); ++row) {
        if (!table.column(column).present(row)) continue;
        Value v = machine_.Read(table, static_cast<uint32_t>(column), row, spec.kind, spec.type);
        if (!(v.is_string() && v.string_value() == "unknown")) {
          fallback_[kind] = true;
          break;
        }
      }
    }
  }

  hooks_failed_.clear();
  std::optional<facts::KindId> coverage = schema.FindKind(plan::kCoverageKind);
  if (!coverage || plan_.personal_info.empty()) return;
  const facts::Table& table = store_.records(*coverage).fields;
  int32_t monitored = table.Find("monitored");
  int32_t failed = table.Find("failed");
  if (monitored < 0 || failed < 0) return;
  std::map<std::string, std::vector<std::string>> apis_by_type;
  std::set<std::string> failed_apis;
  auto strings = [](const Value& v) {
    std::vector<std::string> out;
    if (v.is_list()) {
      for (const Value& item : v.list_elements()) {
        if (item.is_string()) out.emplace_back(item.string_value());
      }
    }
    return out;
  };
  auto field = [](const Value& map, const char* name) {
    const Value* found = map.is_map() ? map.map().Find(Value::UnownedString(name)) : nullptr;
    return found != nullptr ? *found : Value();
  };
  for (uint32_t row = 0; row < table.rows(); ++row) {
    for (int32_t column : {monitored, failed}) {
      if (!table.column(column).present(row)) continue;
      const facts::ColumnSpec& spec = table.layout().columns[column];
      Value list = machine_.Read(table, static_cast<uint32_t>(column), row, spec.kind, spec.type);
      if (!list.is_list()) continue;
      for (const Value& entry : list.list_elements()) {
        Value api = field(entry, "api");
        if (!api.is_string()) continue;
        if (column == failed) {
          failed_apis.emplace(api.string_value());
          continue;
        }
        for (const std::string& type : strings(field(entry, "data_types"))) {
          apis_by_type[type].emplace_back(api.string_value());
        }
      }
    }
  }
  for (const std::string& type : plan_.personal_info) {
    auto it = apis_by_type.find(type);
    if (it == apis_by_type.end()) continue;
    bool all_failed = std::all_of(it->second.begin(), it->second.end(),
                                  [&](const std::string& api) { return failed_apis.count(api) > 0; });
    if (all_failed) hooks_failed_.push_back(type);
  }
}

std::string SessionRun::Unavailable(const plan::Need::Alternative& alternative) const {
  if (alternative.header) {
    if (alternative.guard != plan::kNone && machine_.header_usable(alternative.guard)) return "";
    return alternative.text + " is absent or unknown";
  }
  if (captured_[alternative.kind] || fallback_[alternative.kind]) return "";
  return alternative.text + " not captured";
}

void SessionRun::CheckNeeds(uint32_t rule) {
  RuleState& state = rules_[rule];
  for (const plan::Need& need : plan_.rules[rule].needs) {
    std::vector<std::string> reasons;
    for (const plan::Need::Alternative& alternative : need.alternatives) {
      std::string reason = Unavailable(alternative);
      if (reason.empty()) {
        reasons.clear();
        break;
      }
      reasons.push_back(std::move(reason));
    }
    if (reasons.empty()) continue;
    std::string reason;
    for (const std::string& r : reasons) reason += (reason.empty() ? "" : ", and ") + r;
    if (need.exemption_only) {
      state.missing_exemptions.push_back(reason);
    } else if (!state.skipped) {
      state.skipped = true;
      state.reason = reason;
    }
  }
}

}  // namespace edict::interp
