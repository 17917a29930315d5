// Native code reads the columns of tables it learns only at run time (reports, memo function
// bodies, folds over list columns) with loads at facts::NativeLayout's offsets, no helper call:
// the layout must describe the loader's tables exactly (every storage, presence bits, element
// tables), and the reads of tests/plan/native_columns — nums, optional durations, enums and strings
// in and not in the session, enums in lists of texts, data types, has() inside absent structs,
// absent and empty lists — must give the interpreter's results, in two sessions of different
// shapes through one evaluator and on two threads at once.
#include <doctest/doctest.h>

#include <cstring>
#include <thread>

#include "runtime/facts/loader.h"
#include "runtime/facts/table.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"
#include "tests/unit/jit_native_pack.h"

using namespace edict;
using facts::NativeLayout;

namespace {

// The first session of the pack's file, and a second one with other rows: the first statement,
// the scored sdk and the timed diag dropped, so every row number moves.
std::string Sessions() {
  std::string text = testing::ReadFile("tests/plan/native_columns/sessions.jsonl");
  std::string second;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start) + 1;
    std::string line = text.substr(start, end - start);
    start = end;
    if (line.find(R"("seq":1,)") != std::string::npos || line.find(R"("seq":4,)") != std::string::npos ||
        line.find(R"("seq":6,)") != std::string::npos) {
      continue;
    }
    second += line;
  }
  second.replace(second.find(R"("id":"c")"), 8, R"("id":"d")");
  return text + second;
}

const void* PointerAt(const void* base, size_t offset) {
  const void* pointer = nullptr;
  std::memcpy(&pointer, static_cast<const char*>(base) + offset, sizeof(pointer));
  return pointer;
}

// Every column of `table` (and of its element tables) as native code finds it.
void CheckLayout(const facts::Table& table) {
  const auto* columns = static_cast<const char*>(PointerAt(&table, NativeLayout::kTableColumns));
  REQUIRE(columns == reinterpret_cast<const char*>(&table.column(0)));
  for (size_t i = 0; i < table.column_count(); ++i) {
    const facts::Column& column = table.column(i);
    const char* at = columns + i * NativeLayout::kColumnSize;
    REQUIRE(at == reinterpret_cast<const char*>(&column));
    CHECK(PointerAt(at, NativeLayout::kInts) == column.ints().data());
    CHECK(PointerAt(at, NativeLayout::kNums) == column.nums().data());
    CHECK(PointerAt(at, NativeLayout::kCodes) == column.codes().data());
    CHECK(PointerAt(at, NativeLayout::kIds) == column.ids().data());
    CHECK(PointerAt(at, NativeLayout::kOffsets) == column.offsets().data());
    if (column.nullable()) {
      const auto* words = static_cast<const uint64_t*>(PointerAt(at, NativeLayout::kPresence));
      for (uint32_t row = 0; row < table.rows(); ++row) {
        CHECK(((words[row / 64] >> (row % 64)) & 1) == (column.present(row) ? 1u : 0u));
      }
    }
    if (column.kind() == facts::TypeKind::kList) {
      REQUIRE(PointerAt(at, NativeLayout::kElements) == &column.elements());
      CheckLayout(column.elements());
    }
  }
}

}  // namespace

TEST_CASE("NativeLayout describes the loader's tables: values, presence bits and element tables") {
  auto compiled = testing::CompilePacks({"tests/plan/native_columns"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const facts::Schema& schema = *compiled->plan->schema;
  std::string text = Sessions();
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", text);
  facts::LoadResult loaded = facts::Load(schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 2);
  size_t nums = 0;
  for (const facts::Session& session : loaded.sessions) {
    CheckLayout(session.store->header());
    for (facts::KindId kind = 0; kind < schema.kind_count(); ++kind) {
      const facts::Table& table = session.store->records(kind).fields;
      if (table.rows() == 0) continue;
      CheckLayout(table);
      for (size_t i = 0; i < table.column_count(); ++i) nums += table.column(i).nums().size();
    }
  }
  CHECK(nums > 0);  // the num storage is among those checked
}

TEST_CASE("reads of run-time tables agree with the interpreter: two sessions, two threads") {
  auto pack = testing::CompileNativePack("tests/plan/native_columns", "O0", Sessions());
  const plan::Plan& plan = pack->plan();
  const jit::NativeCode* native = pack->native.get();
  const facts::LoadResult& loaded = pack->loaded;
  REQUIRE(loaded.sessions.size() == 2);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code());
  std::vector<std::string> expected;
  for (const facts::Session& session : loaded.sessions) {
    expected.push_back(testing::Describe(plan, interpreter.Evaluate(session)));
    interp::SessionEvaluation actual = jit.Evaluate(session);
    CHECK(testing::Describe(plan, actual) == expected.back());
    CHECK(actual.stats.fallbacks == 0);
  }
  // What the pack is about: absent values' errors next to present ones of each storage.
  const std::string& first = expected[0];
  for (const char* text : {"0.9 true", "no such field: confidence", "no such field: detect.score", "1.5s true",
                           "no such field: t>", "no such field: class", "no such field: ret", "no such field: purposes",
                           "id.imei:collect:we, x.custom:collect:we", "OK+button, X-close", "true, true",
                           "in: false false false true", "in: true false false true", "in: false, true true true",
                           "in: false, true <error: no such field: ret> true", "in:  true false"}) {
    CHECK_MESSAGE(first.find(text) != std::string::npos, text);
  }
  CHECK(expected[1] != expected[0]);
  // Threads sharing the native code, each with its own evaluator, over both sessions.
  std::vector<std::vector<std::string>> results(2);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator evaluator(plan, &native->code());
      for (int i = 0; i < 10; ++i) {
        results[t].clear();
        for (const facts::Session& session : loaded.sessions) {
          results[t].push_back(testing::Describe(plan, evaluator.Evaluate(session)));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::vector<std::string>& result : results) CHECK(result == expected);
}
