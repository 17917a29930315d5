// Fuzz target: arbitrary bytes as an appfacts JSON Lines stream, loaded with the schema an embedder
// gets from the standard library's appfacts pack: strictly with the default limits, and leniently
// with small limits so that the limit paths run too. Every loaded store must be internally
// consistent and readable cell by cell, and input that loads cleanly in strict mode must load the
// same in lenient mode.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "compiler/sema/check.h"
#include "runtime/facts/loader.h"
#include "runtime/interp/interp.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace edict;

const facts::Schema& AppfactsSchema() {
  static const std::unique_ptr<plan::Plan> plan = [] {
    diag::SourceManager sources;
    diag::DiagnosticEngine diags;
    sema::LoadOptions options;
    options.use_environment = false;
    auto program = sema::CheckPaths({fuzz::SourcePath("stdlib-rules/appfacts")}, options, sources, diags);
    std::unique_ptr<plan::Plan> compiled;
    if (!diags.has_errors()) compiled = interp::Compile(*program, {}, sources, diags);
    if (compiled == nullptr || compiled->schema == nullptr) {
      for (const diag::Diagnostic& d : diags.diagnostics()) {
        std::fputs(diag::RenderText(d, sources, false).c_str(), stderr);
      }
      fuzz::Contradiction("the appfacts pack does not compile to a schema", "stdlib-rules/appfacts");
    }
    return compiled;
  }();
  return *plan->schema;
}

void ReadEveryCell(const facts::SessionStore& store, const facts::Table& table, const std::string& where) {
  if (!table.IsConsistent()) fuzz::Contradiction("a loaded table is inconsistent", where);
  for (size_t column = 0; column < table.column_count(); ++column) {
    for (size_t row = 0; row < table.rows(); ++row) {
      facts::Cell cell = store.Read(table, column, row);
      if (const auto* list = std::get_if<facts::ListCell>(&cell)) {
        if (list->begin > list->end || list->end > list->elements->rows()) {
          fuzz::Contradiction("a list cell points outside its elements", where);
        }
      }
    }
    if (table.column(column).kind() == facts::TypeKind::kList) {
      ReadEveryCell(store, table.column(column).elements(), where);
    }
  }
}

void CheckSession(const facts::Session& session) {
  if (session.error) {
    if (session.store != nullptr) fuzz::Contradiction("a failed session kept its store", session.error->ToString());
    return;
  }
  if (session.store == nullptr) fuzz::Contradiction("a session without an error has no store", session.id);
  const facts::SessionStore& store = *session.store;
  ReadEveryCell(store, store.header(), "header");
  for (facts::KindId kind = 0; kind < store.schema().kind_count(); ++kind) {
    const facts::RecordTable& records = store.records(kind);
    if (records.lines.size() != records.fields.rows()) {
      fuzz::Contradiction("a record table's line numbers do not match its rows", store.schema().kind(kind).name);
    }
    ReadEveryCell(store, records.fields, store.schema().kind(kind).name);
  }
}

bool LoadedCleanly(const facts::LoadResult& result) {
  if (!result.input_errors.empty() || !result.skipped.empty()) return false;
  for (const facts::Session& session : result.sessions) {
    if (session.error) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const facts::Schema& schema = AppfactsSchema();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  facts::InputSource source = facts::InputSource::Text("fuzz.jsonl", text);
  std::span<const facts::InputSource> inputs(&source, 1);

  facts::LoadResult strict = facts::Load(schema, inputs);
  for (const facts::Session& session : strict.sessions) CheckSession(session);
  for (const facts::InputError& error : strict.input_errors) (void)error.ToString();

  facts::LoadOptions lenient_options;
  lenient_options.mode = facts::LoadMode::kLenient;
  facts::LoadResult lenient = facts::Load(schema, inputs, lenient_options);
  for (const facts::Session& session : lenient.sessions) CheckSession(session);
  for (const facts::InputError& error : lenient.skipped) (void)error.ToString();
  if (LoadedCleanly(strict)) {
    if (!lenient.skipped.empty()) {
      fuzz::Contradiction("lenient mode skipped a line that strict mode accepted", lenient.skipped[0].ToString());
    }
    if (lenient.sessions.size() != strict.sessions.size()) {
      fuzz::Contradiction("strict and lenient mode found different sessions", "");
    }
    for (size_t i = 0; i < strict.sessions.size(); ++i) {
      const facts::Session& lenient_session = lenient.sessions[i];
      if (lenient_session.error || strict.sessions[i].store->record_count() != lenient_session.store->record_count()) {
        fuzz::Contradiction("strict and lenient mode loaded a session differently", strict.sessions[i].id);
      }
    }
  }

  // The limits, small enough for a fuzzer's inputs to reach them.
  facts::LoadOptions limited;
  limited.mode = facts::LoadMode::kLenient;
  limited.max_line_bytes = 512;
  limited.max_records_per_session = 16;
  facts::LoadResult small = facts::Load(schema, inputs, limited);
  for (const facts::Session& session : small.sessions) CheckSession(session);
  return 0;
}
