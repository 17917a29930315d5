// The runtime schema built from record declarations: the appfacts pack's kinds, data-type
// fields, defaults, and the errors for declarations facts cannot hold.
#include <doctest/doctest.h>

#include "compiler/diag/render.h"
#include "compiler/plan/schema_builder.h"
#include "compiler/sema/check.h"

using namespace edict;

namespace {

struct Checked {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;
};

std::unique_ptr<Checked> Check(const std::vector<std::string>& inputs) {
  auto checked = std::make_unique<Checked>();
  sema::LoadOptions options;
  options.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  options.use_environment = false;
  checked->program = sema::CheckPaths(inputs, options, checked->sources, checked->diags);
  return checked;
}

}  // namespace

TEST_CASE("the appfacts pack declares a loadable schema") {
  auto checked = Check({std::string(EDICT_SOURCE_DIR) + "/stdlib-rules/appfacts"});
  REQUIRE_FALSE(checked->diags.has_errors());
  plan::SchemaBinding binding = plan::BuildSchema(*checked->program, {"id.imei", "loc"}, checked->diags);
  REQUIRE(binding.schema != nullptr);
  const facts::Schema& schema = *binding.schema;
  CHECK(schema.format() == "appfacts");
  CHECK(schema.major() == 1);
  for (const char* kind : {"api_call", "perm_request", "perm_result", "consent", "lifecycle", "ui", "user_action", "net",
                           "launch", "download", "gate", "file", "perm_decl", "component", "sdk", "call_site",
                           "policy_doc", "policy_stmt", "ui_path", "account", "store_listing", "coverage", "diag"}) {
    CHECK_MESSAGE(schema.FindKind(kind).has_value(), kind);
  }
  CHECK(binding.kinds.size() == schema.kind_count());
  const facts::RecordKind& call = schema.kind(*schema.FindKind("api_call"));
  CHECK(call.t_column >= 0);
  const facts::TableLayout& layout = schema.layout(call.layout);
  // `data_types: list<dt>` holds interned data-type ids; `count: int = 1` defaults to 1.
  const facts::ColumnSpec& types = layout.columns[layout.Find("data_types")];
  CHECK(types.kind == facts::TypeKind::kList);
  CHECK(schema.layout(types.elements).columns[0].kind == facts::TypeKind::kDataType);
  const facts::ColumnSpec& count = layout.columns[layout.Find("count")];
  REQUIRE(count.default_value.has_value());
  CHECK(count.default_value->int_value == 1);
  CHECK(layout.columns[layout.Find("caller.sdk")].nullable);
  CHECK(layout.columns[layout.Find("ret.status")].kind == facts::TypeKind::kEnum);
  CHECK(schema.FindDataType("loc") == 1);
  // Static kinds have no time.
  CHECK(schema.kind(*schema.FindKind("perm_decl")).t_column < 0);
}

TEST_CASE("a record field facts cannot hold is an error at its declaration") {
  auto checked = Check({std::string(EDICT_SOURCE_DIR) + "/tests/plan/bad_schema/pack.edict"});
  REQUIRE_FALSE(checked->diags.has_errors());
  plan::SchemaBinding binding = plan::BuildSchema(*checked->program, {}, checked->diags);
  CHECK(binding.schema == nullptr);
  std::string text;
  for (const auto& d : checked->diags.diagnostics()) text += diag::RenderText(d, checked->sources, false);
  CHECK(text.find("error[E104]: field 'extra' of record kind 'odd' has type map(string, int), which facts cannot hold") !=
        std::string::npos);
  CHECK(text.find("pack.edict:") != std::string::npos);
}
