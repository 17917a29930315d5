// Plan serialisation (compiler/plan/serialize.h), the plan cache's format: every value kind and
// every plan of the standard library and the test packs survive a round trip (the same printed
// plan, the same bytes again, the same schema), a truncated or corrupted plan is rejected without
// a crash, an index out of range is caught, and a deserialised plan evaluates like the original.
#include <doctest/doctest.h>

#include "compiler/plan/print.h"
#include "compiler/plan/serialize.h"
#include "tests/plan/harness.h"

using namespace edict;
using value::Value;

namespace {

// Everything Finalize computed, as text: a schema rebuilt from its declarations must match it.
std::string DescribeSchema(const facts::Schema& schema) {
  std::string out = schema.format() + "/" + std::to_string(schema.major()) + "\n";
  for (facts::TypeId id = 0; id < plan::UsedTypeCount(schema); ++id) {
    const facts::Type& type = schema.type(id);
    out += "type " + std::to_string(id) + " " + std::to_string(static_cast<int>(type.kind)) + " " +
           std::to_string(type.element) + " " + std::to_string(type.column_count) + " " +
           std::to_string(type.required_fields);
    for (const std::string& value : type.enum_values) out += " " + value;
    for (const facts::FieldDecl& field : type.fields) {
      out += " " + field.name + ":" + std::to_string(field.type) + (field.optional ? "?" : "") +
             (field.default_value ? "=" : "");
    }
    for (uint32_t column : type.field_columns) out += " @" + std::to_string(column);
    out += "\n";
  }
  auto layout = [&](facts::LayoutId id) {
    std::string text = "layout " + std::to_string(id) + ":";
    for (const facts::ColumnSpec& c : schema.layout(id).columns) {
      text += " " + c.path + "/" + std::to_string(c.type) + "/" + std::to_string(static_cast<int>(c.kind)) + "/" +
              (c.nullable ? "n" : "") + std::to_string(c.end) + "/" + std::to_string(c.elements);
      if (c.default_value) {
        text += "=" + std::to_string(c.default_value->int_value) + "," + std::to_string(c.default_value->num_value) +
                "," + c.default_value->text;
      }
    }
    return text + "\n";
  };
  for (facts::KindId k = 0; k < schema.kind_count(); ++k) {
    const facts::RecordKind& kind = schema.kind(k);
    out += "kind " + kind.name + " " + std::to_string(kind.body) + " " + std::to_string(kind.seq_column) + " " +
           std::to_string(kind.t_column) + " " + layout(kind.layout);
  }
  out += "header " + std::to_string(schema.header_type()) + " " + layout(schema.header_layout());
  out += std::to_string(schema.header_schema_column()) + " " + std::to_string(schema.header_session_id_column());
  for (const std::string& id : schema.data_types()) out += " " + id;
  return out;
}

std::unique_ptr<testing::Compiled> MustCompile(const std::string& pack) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  return compiled;
}

std::unique_ptr<plan::Plan> RoundTrip(const plan::Plan& plan) {
  std::string error;
  std::unique_ptr<plan::Plan> copy = plan::DeserializePlan(plan::SerializePlan(plan), error);
  REQUIRE_MESSAGE(copy != nullptr, error);
  return copy;
}

Value ValueRoundTrip(const Value& v) {
  plan::BinaryWriter out;
  plan::WriteValue(out, v);
  plan::BinaryReader in(out.bytes());
  Value back = plan::ReadValue(in);
  CHECK(in.done());
  return back;
}

}  // namespace

TEST_CASE("every kind of value round-trips") {
  std::vector<Value> values = {
      Value(),
      Value::Bool(true),
      Value::Int(-42),
      Value::Uint(18446744073709551615ull),
      Value::Double(-0.25),
      Value::Duration(48LL * 3600 * 1'000'000'000),
      Value::Timestamp(1700000000, 123456789),
      Value::Type(value::TypeKind::kMap),
      Value::String("个人信息"),
      Value::Bytes(std::string("\0\xff", 2)),
      Value::List({Value::Int(1), Value::List({Value::String("nested")}), Value()}),
      Value::Map({{Value::String("k"), Value::Map({{Value::Int(1), Value::Bool(false)}})}, {Value::Uint(2), Value()}}),
      Value::Error(value::ErrorCode::kDivisionByZero, "division by zero"),
      Value::Unknown("session.x"),
  };
  for (const Value& v : values) {
    Value back = ValueRoundTrip(v);
    REQUIRE(back.kind() == v.kind());
    plan::BinaryWriter a, b;
    plan::WriteValue(a, v);
    plan::WriteValue(b, back);
    CHECK(a.bytes() == b.bytes());
  }
  CHECK(ValueRoundTrip(Value::Error(value::ErrorCode::kOverflow, "m")).error_message() == "m");
  CHECK(ValueRoundTrip(Value::Timestamp(-5, 7)).timestamp_nanos() == 7);
}

TEST_CASE("plans of the standard library and the test packs round-trip exactly") {
  for (const char* pack : {"stdlib-rules/cn-app-privacy", "examples/quickstart", "tests/plan/features",
                           "tests/plan/joins", "tests/plan/windows", "tests/plan/sharing", "tests/plan/budget",
                           "tests/plan/memo", "tests/plan/memo_value", "tests/evidence"}) {
    CAPTURE(pack);
    auto compiled = MustCompile(pack);
    const plan::Plan& plan = *compiled->plan;
    std::string bytes = plan::SerializePlan(plan);
    std::unique_ptr<plan::Plan> copy = RoundTrip(plan);
    CHECK(plan::PrintPlan(*copy) == plan::PrintPlan(plan));
    CHECK(plan::SerializePlan(*copy) == bytes);  // fields the printed plan leaves out
    CHECK(DescribeSchema(*copy->schema) == DescribeSchema(*plan.schema));
  }
}

TEST_CASE("profiles and parameters are part of the serialised plan") {
  plan::LowerOptions options;
  options.profile = "lenient";
  options.overrides.push_back({"exit_window", "30s", nullptr});
  auto compiled = testing::CompilePacks({"tests/plan/features"}, options);
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  std::unique_ptr<plan::Plan> copy = RoundTrip(*compiled->plan);
  CHECK(copy->profile == "lenient");
  CHECK(plan::PrintPlan(*copy) == plan::PrintPlan(*compiled->plan));
}

TEST_CASE("a truncated or corrupted plan is rejected, never a crash") {
  auto compiled = MustCompile("examples/quickstart");
  std::string bytes = plan::SerializePlan(*compiled->plan);
  std::string error;
  for (size_t size = 0; size < bytes.size(); size += 1 + size / 16) {
    CHECK(plan::DeserializePlan(std::string_view(bytes).substr(0, size), error) == nullptr);
  }
  CHECK(plan::DeserializePlan(bytes + "x", error) == nullptr);
  // Flipped bytes either fail to decode or decode into a plan whose indexes all check.
  for (size_t at = 0; at < bytes.size(); at += 7) {
    std::string corrupt = bytes;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x5a);
    std::unique_ptr<plan::Plan> decoded = plan::DeserializePlan(corrupt, error);
    if (decoded != nullptr) CHECK((plan::CheckPlanIndexes(*decoded, error) && plan::CheckPlanFrames(*decoded, error)));
  }
}

TEST_CASE("an index out of range is caught") {
  auto compiled = MustCompile("examples/quickstart");
  std::string error;
  auto check_rejected = [&](auto&& corrupt) {
    std::unique_ptr<plan::Plan> copy = RoundTrip(*compiled->plan);
    corrupt(*copy);
    CHECK(plan::DeserializePlan(plan::SerializePlan(*copy), error) == nullptr);
    CHECK(error.find("out of range") != std::string::npos);
  };
  check_rejected([](plan::Plan& p) {
    for (plan::Node& node : p.code.nodes) {
      if (node.op == plan::Op::kConst) node.a = static_cast<uint32_t>(p.code.constants.size());
    }
  });
  check_rejected([](plan::Plan& p) { p.code.children.back() = static_cast<uint32_t>(p.code.nodes.size()); });
  check_rejected([](plan::Plan& p) { p.rules.front().report = static_cast<plan::ExprId>(p.code.nodes.size() + 3); });
  check_rejected([](plan::Plan& p) { p.passes.front().kind = static_cast<facts::KindId>(p.schema->kind_count()); });
  check_rejected([](plan::Plan& p) { p.code.columns.front().column = 100000; });
  check_rejected([](plan::Plan& p) { p.rules.front().query.scans.front().reg = 100000; });
}

TEST_CASE("a memo function keyed by a value of no scalar kind, or keyed twice, is rejected") {
  auto compiled = MustCompile("tests/plan/memo_value");
  std::unique_ptr<plan::Plan> copy = RoundTrip(*compiled->plan);
  REQUIRE(!copy->memo_functions.empty());
  CHECK(copy->memo_functions.front().by_value != value::Kind::kNull);
  std::string error;
  for (value::Kind kind : {value::Kind::kString, value::Kind::kDouble, value::Kind::kList, value::Kind::kUnknown}) {
    CAPTURE(value::KindName(kind));
    std::unique_ptr<plan::Plan> corrupt = RoundTrip(*compiled->plan);
    corrupt->memo_functions.front().by_value = kind;
    CHECK(plan::DeserializePlan(plan::SerializePlan(*corrupt), error) == nullptr);
    CHECK(error.find("a memo function's key kind") != std::string::npos);
  }
  copy->memo_functions.front().by_string = true;
  CHECK(plan::DeserializePlan(plan::SerializePlan(*copy), error) == nullptr);
  CHECK(error.find("a memo function's key kind") != std::string::npos);
}

TEST_CASE("a register beyond its own root's frame, a bad frame size or names and a memo cycle are caught") {
  auto compiled = MustCompile("stdlib-rules/cn-app-privacy");
  std::string error;
  auto check_rejected = [&](auto&& corrupt) {
    std::unique_ptr<plan::Plan> copy = RoundTrip(*compiled->plan);
    corrupt(*copy);
    CHECK(plan::DeserializePlan(plan::SerializePlan(*copy), error) == nullptr);
    CHECK(error.find("frames") != std::string::npos);
  };
  // A rule whose frame is smaller than the largest: its register is in range of some frame, not its own.
  uint32_t largest = 0;
  for (const plan::RulePlan& rule : compiled->plan->rules) largest = std::max(largest, rule.frame_size);
  size_t small = 0;
  auto eligible = [&](const plan::RulePlan& rule) { return rule.frame_size < largest && !rule.query.scans.empty(); };
  while (small < compiled->plan->rules.size() && !eligible(compiled->plan->rules[small])) ++small;
  REQUIRE(small < compiled->plan->rules.size());
  check_rejected([&](plan::Plan& p) {
    plan::RulePlan& rule = p.rules[small];
    rule.query.scans.front().reg = rule.frame_size;
  });
  check_rejected([](plan::Plan& p) { p.rules.front().frame_size = 0; });
  check_rejected([](plan::Plan& p) { p.rules.back().frame_size = 1u << 30; });
  check_rejected([](plan::Plan& p) { p.rules.back().register_names.pop_back(); });
  REQUIRE(!compiled->plan->memo_functions.empty());
  check_rejected([](plan::Plan& p) {
    for (plan::ExprId id = 0; id < p.code.nodes.size(); ++id) {
      const plan::Node& node = p.code.nodes[id];
      if (node.op == plan::Op::kMemo && node.b < p.memo_functions[node.a].frame_size) {
        p.memo_functions[node.a].expr = id;  // the function's body calls itself
        return;
      }
    }
    FAIL("no memo call to make recursive");
  });
}

TEST_CASE("a deserialised plan evaluates exactly like the original") {
  auto compiled = MustCompile("tests/plan/features");
  std::unique_ptr<plan::Plan> copy = RoundTrip(*compiled->plan);
  std::string facts = testing::ReadFile("tests/plan/facts/sessions.jsonl");
  REQUIRE(!facts.empty());
  testing::Run original = testing::Evaluate(*compiled->plan, "sessions.jsonl", facts);
  testing::Run cached = testing::Evaluate(*copy, "sessions.jsonl", facts);
  REQUIRE(original.sessions.size() == cached.sessions.size());
  REQUIRE(!original.sessions.empty());
  for (size_t i = 0; i < original.sessions.size(); ++i) {
    const findings::SessionResult& a = original.sessions[i].result;
    const findings::SessionResult& b = cached.sessions[i].result;
    REQUIRE(a.summary.outcomes.size() == b.summary.outcomes.size());
    for (size_t r = 0; r < a.summary.outcomes.size(); ++r) {
      CHECK(a.summary.outcomes[r].outcome == b.summary.outcomes[r].outcome);
    }
    REQUIRE(a.findings.size() == b.findings.size());
    for (size_t f = 0; f < a.findings.size(); ++f) {
      CHECK(a.findings[f].rule == b.findings[f].rule);
      CHECK(a.findings[f].message == b.findings[f].message);
    }
  }
}
