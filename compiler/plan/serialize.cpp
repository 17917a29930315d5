// Plan serialisation: the writer mirrors plan.h field by field; the reader rebuilds the same
// structs, and CheckPlanIndexes (serialize_check.cpp) then checks every index against what it
// indexes, and CheckPlanFrames (serialize_frames.cpp) every register against its own frame, so
// that an entry that decodes is one the interpreter and the code generator can run without
// reading out of bounds. Values are in serialize_value.cpp, the schema in
// serialize_schema.cpp.
#include "compiler/plan/serialize.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

namespace edict::plan {
namespace {

constexpr std::string_view kMagic = "EDICT-PLAN\n";

// A field added to one of these structs must be added to the writer and the reader below (and
// kPlanFormatVersion bumped); their sizes make the build say so, except for a small field that
// fits in padding (Aggregate's flags do), so look at the struct too. The sizes are those of
// 64-bit libstdc++, the platform the project builds on.
#if defined(__GLIBCXX__) && UINTPTR_MAX == UINT64_MAX
#define EDICT_SERIALISED_SIZE(type, size) \
  static_assert(sizeof(type) == (size), "a field was added to plan::" #type ": serialise it in serialize.cpp")
EDICT_SERIALISED_SIZE(Node, 20);
EDICT_SERIALISED_SIZE(ColumnRef, 56);
EDICT_SERIALISED_SIZE(StructRef, 16);
EDICT_SERIALISED_SIZE(ColumnAccess, 16);
EDICT_SERIALISED_SIZE(Bound, 12);
EDICT_SERIALISED_SIZE(Scan, 176);
EDICT_SERIALISED_SIZE(Query, 48);
EDICT_SERIALISED_SIZE(Aggregate, 120);
EDICT_SERIALISED_SIZE(SessionSlot, 64);
EDICT_SERIALISED_SIZE(MemoFunction, 80);
EDICT_SERIALISED_SIZE(Need, 32);
EDICT_SERIALISED_SIZE(Need::Alternative, 48);
EDICT_SERIALISED_SIZE(GroupAggregate, 32);
EDICT_SERIALISED_SIZE(Grouping, 88);
EDICT_SERIALISED_SIZE(RulePlan, 480);
EDICT_SERIALISED_SIZE(Param, 80);
EDICT_SERIALISED_SIZE(Pass, 32);
EDICT_SERIALISED_SIZE(Code, 224);
EDICT_SERIALISED_SIZE(Plan, 512);
#undef EDICT_SERIALISED_SIZE
#endif

// ---- Writing ------------------------------------------------------------------------------------

class PlanWriter {
 public:
  explicit PlanWriter(BinaryWriter& out) : out_(out) {}

  void Write(const Plan& plan) {
    out_.PutBool(plan.schema != nullptr);
    if (plan.schema != nullptr) WriteSchema(out_, *plan.schema);
    WriteCode(plan.code);
    Vector(plan.slots, [&](const SessionSlot& slot) {
      out_.PutString(slot.name);
      out_.Put(slot.expr);
      out_.Put(slot.frame_size);
      Strings(slot.register_names);
    });
    Vector(plan.memo_functions, [&](const MemoFunction& memo) {
      out_.PutString(memo.name);
      out_.Put(memo.expr);
      out_.Put(memo.frame_size);
      Strings(memo.register_names);
      out_.Put(memo.param);
      out_.Put(memo.kind);
      out_.PutBool(memo.by_string);
      out_.Put(memo.by_value);
    });
    Vector(plan.aggregates, [&](const Aggregate& aggregate) {
      out_.Put(aggregate.kind);
      WriteQuery(aggregate.query);
      out_.Put(aggregate.value);
      WriteValue(out_, aggregate.zero);
      out_.PutBool(aggregate.counted);
      out_.PutBool(aggregate.extreme_of_t);
      out_.PutString(aggregate.text);
    });
    out_.Put(plan.index_count);
    Strings(plan.header_guards);
    out_.PutString(plan.profile);
    Vector(plan.params, [&](const Param& param) {
      out_.PutString(param.name);
      out_.PutString(param.pack);
      WriteValue(out_, param.value);
    });
    Vector(plan.rules, [&](const RulePlan& rule) { WriteRule(rule); });
    Vector(plan.passes, [&](const Pass& pass) {
      out_.Put(pass.kind);
      Numbers(pass.rules);
    });
    Numbers(plan.standalone);
    Vector(plan.context_fallbacks, [&](const std::pair<facts::KindId, std::string>& fallback) {
      out_.Put(fallback.first);
      out_.PutString(fallback.second);
    });
    Strings(plan.personal_info);
  }

 private:
  template <typename T, typename F>
  void Vector(const std::vector<T>& items, F each) {
    out_.Put<uint64_t>(items.size());
    for (const T& item : items) each(item);
  }
  template <typename T>
  void Numbers(const std::vector<T>& numbers) {
    Vector(numbers, [&](T n) { out_.Put(n); });
  }
  void Strings(const std::vector<std::string>& strings) {
    Vector(strings, [&](const std::string& s) { out_.PutString(s); });
  }

  void WriteCode(const Code& code) {
    Vector(code.nodes, [&](const Node& node) { out_.Put(node); });
    Numbers(code.children);
    // Lowering folds a table or set into a constant wherever it is read, so most constants repeat
    // an earlier one (the standard library: 1.0 of 1.1 MB); a repeat is written as its index.
    std::unordered_map<std::string, uint32_t> written;
    out_.Put<uint64_t>(code.constants.size());
    for (uint32_t i = 0; i < code.constants.size(); ++i) {
      BinaryWriter one;
      WriteValue(one, code.constants[i]);
      auto [first, fresh] = written.emplace(std::move(one.bytes()), i);
      out_.Put<uint32_t>(fresh ? kNone : first->second);
      if (fresh) out_.bytes().append(first->first);
    }
    Vector(code.columns, [&](const ColumnRef& column) {
      out_.Put(column.layout);
      out_.Put(column.column);
      out_.Put(column.kind);
      out_.Put(column.type);
      out_.Put(column.parent);
      out_.PutString(column.path);
    });
    Vector(code.structs, [&](const StructRef& s) { out_.Put(s); });
    Vector(code.column_access, [&](const ColumnAccess& access) {
      out_.Put(access.reg);
      out_.Put(access.column);
      out_.Put(access.elements);
      out_.PutBool(access.struct_elements);
    });
    Vector(code.overload_sets, [&](const std::vector<value::Overload>& set) { Numbers(set); });
    std::map<uint32_t, std::string> names(code.constant_names.begin(), code.constant_names.end());
    out_.Put<uint64_t>(names.size());
    for (const auto& [constant, name] : names) {
      out_.Put(constant);
      out_.PutString(name);
    }
  }

  void WriteQuery(const Query& query) {
    Vector(query.scans, [&](const Scan& scan) {
      out_.Put(scan.source);
      out_.PutString(scan.name);
      out_.Put(scan.reg);
      out_.Put(scan.kind);
      out_.Put(scan.list);
      out_.Put(scan.column);
      out_.PutBool(scan.trigger);
      out_.PutBool(scan.indexed);
      out_.Put(scan.index);
      Numbers(scan.filters);
      out_.Put(scan.key);
      out_.PutBool(scan.key_is_list);
      out_.Put(scan.probe);
      out_.Put(scan.key_conjunct);
      Vector(scan.bounds, [&](const Bound& bound) {
        out_.Put(bound.value);
        out_.PutBool(bound.lower);
        out_.PutBool(bound.strict);
        out_.Put(bound.conjunct);
      });
      Numbers(scan.residual);
      Numbers(scan.residual_bound);
    });
    Numbers(query.pre);
  }

  void WriteRule(const RulePlan& rule) {
    for (const std::string* s : {&rule.id, &rule.pack, &rule.version, &rule.title}) out_.PutString(*s);
    out_.PutBool(rule.review);
    out_.Put(rule.severity);
    Strings(rule.cite);
    Strings(rule.tags);
    out_.PutString(rule.file);
    out_.Put(rule.line);
    out_.Put<int32_t>(rule.join_width);
    Numbers(rule.params);
    Vector(rule.needs, [&](const Need& need) {
      Vector(need.alternatives, [&](const Need::Alternative& alternative) {
        out_.PutBool(alternative.header);
        out_.Put(alternative.kind);
        out_.Put(alternative.guard);
        out_.PutString(alternative.text);
      });
      out_.PutBool(need.exemption_only);
    });
    out_.PutBool(rule.reads_collecting_kind);
    for (ExprId id : {rule.applies, rule.undetermined, rule.reason}) out_.Put(id);
    WriteQuery(rule.query);
    out_.PutBool(rule.grouped);
    const Grouping& g = rule.grouping;
    Numbers(g.keys);
    Numbers(g.key_regs);
    out_.Put(g.window);
    out_.Put(g.having);
    Vector(g.aggregates, [&](const GroupAggregate& aggregate) {
      out_.Put(aggregate.kind);
      out_.Put(aggregate.arg);
      out_.Put(aggregate.reg);
      WriteValue(out_, aggregate.zero);
    });
    out_.Put(g.count_from);
    for (ExprId id : {rule.subject, rule.data_types, rule.permissions, rule.report, rule.evidence}) out_.Put(id);
    out_.Put(rule.frame_size);
    Strings(rule.register_names);
  }

  BinaryWriter& out_;
};

// ---- Reading ------------------------------------------------------------------------------------

class PlanReader {
 public:
  explicit PlanReader(BinaryReader& in) : in_(in) {}

  std::unique_ptr<Plan> Read() {
    auto plan = std::make_unique<Plan>();
    if (in_.GetBool()) plan->schema = ReadSchema(in_);
    ReadCode(plan->code);
    Vector(plan->slots, [&](SessionSlot& slot) {
      slot.name = in_.GetString();
      slot.expr = in_.Get<ExprId>();
      slot.frame_size = in_.Get<uint32_t>();
      Strings(slot.register_names);
    });
    Vector(plan->memo_functions, [&](MemoFunction& memo) {
      memo.name = in_.GetString();
      memo.expr = in_.Get<ExprId>();
      memo.frame_size = in_.Get<uint32_t>();
      Strings(memo.register_names);
      memo.param = in_.Get<Register>();
      memo.kind = in_.Get<facts::KindId>();
      memo.by_string = in_.GetBool();
      memo.by_value = Enum(value::Kind::kUnknown);
    });
    Vector(plan->aggregates, [&](Aggregate& aggregate) {
      aggregate.kind = Enum<AggregateKind>(AggregateKind::kDistinct);
      ReadQuery(aggregate.query);
      aggregate.value = in_.Get<ExprId>();
      aggregate.zero = values_.Read();
      aggregate.counted = in_.GetBool();
      aggregate.extreme_of_t = in_.GetBool();
      aggregate.text = in_.GetString();
    });
    plan->index_count = in_.Get<uint32_t>();
    Strings(plan->header_guards);
    plan->profile = in_.GetString();
    Vector(plan->params, [&](Param& param) {
      param.name = in_.GetString();
      param.pack = in_.GetString();
      param.value = values_.Read();
    });
    Vector(plan->rules, [&](RulePlan& rule) { ReadRule(rule); });
    Vector(plan->passes, [&](Pass& pass) {
      pass.kind = in_.Get<facts::KindId>();
      Numbers(pass.rules);
    });
    Numbers(plan->standalone);
    Vector(plan->context_fallbacks, [&](std::pair<facts::KindId, std::string>& fallback) {
      fallback.first = in_.Get<facts::KindId>();
      fallback.second = in_.GetString();
    });
    Strings(plan->personal_info);
    if (in_.failed()) return nullptr;
    return plan;
  }

 private:
  template <typename T, typename F>
  void Vector(std::vector<T>& items, F each) {
    items.resize(in_.GetCount());
    for (T& item : items) {
      if (in_.failed()) break;
      each(item);
    }
  }
  template <typename T>
  void Numbers(std::vector<T>& numbers) {
    in_.GetNumbers(numbers);
  }
  void Strings(std::vector<std::string>& strings) {
    Vector(strings, [&](std::string& s) { s = in_.GetString(); });
  }
  template <typename E>
  E Enum(E last) {
    E e = in_.Get<E>();
    if (e > last) in_.Fail();
    return e;
  }

  void ReadCode(Code& code) {
    Numbers(code.nodes);
    Numbers(code.children);
    code.constants.resize(in_.GetCount(sizeof(uint32_t)));
    for (uint32_t i = 0; i < code.constants.size() && !in_.failed(); ++i) {
      uint32_t same_as = in_.Get<uint32_t>();
      if (same_as == kNone) {
        code.constants[i] = values_.Read();
      } else if (same_as < i) {
        code.constants[i] = code.constants[same_as];  // values are immutable: sharing is exact
      } else {
        in_.Fail();
      }
    }
    Vector(code.columns, [&](ColumnRef& column) {
      column.layout = in_.Get<facts::LayoutId>();
      column.column = in_.Get<uint32_t>();
      column.kind = Enum(facts::TypeKind::kStruct);
      column.type = in_.Get<facts::TypeId>();
      column.parent = in_.Get<uint32_t>();
      column.path = in_.GetString();
    });
    Numbers(code.structs);
    Vector(code.column_access, [&](ColumnAccess& access) {
      access.reg = in_.Get<Register>();
      access.column = in_.Get<uint32_t>();
      access.elements = in_.Get<facts::LayoutId>();
      access.struct_elements = in_.GetBool();
    });
    Vector(code.overload_sets, [&](std::vector<value::Overload>& set) { Numbers(set); });
    uint64_t names = in_.GetCount();
    for (uint64_t i = 0; i < names && !in_.failed(); ++i) {
      uint32_t constant = in_.Get<uint32_t>();
      code.constant_names[constant] = in_.GetString();
    }
  }

  void ReadQuery(Query& query) {
    Vector(query.scans, [&](Scan& scan) {
      scan.source = Enum(Scan::Source::kColumn);
      scan.name = in_.GetString();
      scan.reg = in_.Get<Register>();
      scan.kind = in_.Get<facts::KindId>();
      scan.list = in_.Get<ExprId>();
      scan.column = in_.Get<uint32_t>();
      scan.trigger = in_.GetBool();
      scan.indexed = in_.GetBool();
      scan.index = in_.Get<uint32_t>();
      Numbers(scan.filters);
      scan.key = in_.Get<ExprId>();
      scan.key_is_list = in_.GetBool();
      scan.probe = in_.Get<ExprId>();
      scan.key_conjunct = in_.Get<uint32_t>();
      Vector(scan.bounds, [&](Bound& bound) {
        bound.value = in_.Get<ExprId>();
        bound.lower = in_.GetBool();
        bound.strict = in_.GetBool();
        bound.conjunct = in_.Get<uint32_t>();
      });
      Numbers(scan.residual);
      Numbers(scan.residual_bound);
    });
    Numbers(query.pre);
  }

  void ReadRule(RulePlan& rule) {
    for (std::string* s : {&rule.id, &rule.pack, &rule.version, &rule.title}) *s = in_.GetString();
    rule.review = in_.GetBool();
    rule.severity = in_.Get<uint8_t>();
    Strings(rule.cite);
    Strings(rule.tags);
    rule.file = in_.GetString();
    rule.line = in_.Get<uint32_t>();
    rule.join_width = in_.Get<int32_t>();
    Numbers(rule.params);
    Vector(rule.needs, [&](Need& need) {
      Vector(need.alternatives, [&](Need::Alternative& alternative) {
        alternative.header = in_.GetBool();
        alternative.kind = in_.Get<facts::KindId>();
        alternative.guard = in_.Get<uint32_t>();
        alternative.text = in_.GetString();
      });
      need.exemption_only = in_.GetBool();
    });
    rule.reads_collecting_kind = in_.GetBool();
    for (ExprId* id : {&rule.applies, &rule.undetermined, &rule.reason}) *id = in_.Get<ExprId>();
    ReadQuery(rule.query);
    rule.grouped = in_.GetBool();
    Grouping& g = rule.grouping;
    Numbers(g.keys);
    Numbers(g.key_regs);
    g.window = in_.Get<ExprId>();
    g.having = in_.Get<ExprId>();
    Vector(g.aggregates, [&](GroupAggregate& aggregate) {
      aggregate.kind = Enum(GroupAggregateKind::kDistinct);
      aggregate.arg = in_.Get<ExprId>();
      aggregate.reg = in_.Get<Register>();
      aggregate.zero = values_.Read();
    });
    g.count_from = in_.Get<uint32_t>();
    for (ExprId* id : {&rule.subject, &rule.data_types, &rule.permissions, &rule.report, &rule.evidence}) {
      *id = in_.Get<ExprId>();
    }
    rule.frame_size = in_.Get<uint32_t>();
    Strings(rule.register_names);
  }

  BinaryReader& in_;
  ValueReader values_{in_};
};

}  // namespace

std::string SerializePlan(const Plan& plan) {
  BinaryWriter out;
  out.bytes().append(kMagic);
  out.Put(kPlanFormatVersion);
  PlanWriter(out).Write(plan);
  return std::move(out.bytes());
}

std::unique_ptr<Plan> DeserializePlan(std::string_view bytes, std::string& error) {
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    error = "not a plan";
    return nullptr;
  }
  BinaryReader in(bytes.substr(kMagic.size()));
  if (in.Get<uint32_t>() != kPlanFormatVersion) {
    error = "a plan of another format version";
    return nullptr;
  }
  std::unique_ptr<Plan> plan = PlanReader(in).Read();
  if (plan == nullptr || !in.done()) {
    error = "a truncated or malformed plan";
    return nullptr;
  }
  if (!CheckPlanIndexes(*plan, error) || !CheckPlanFrames(*plan, error)) return nullptr;
  return plan;
}

}  // namespace edict::plan
