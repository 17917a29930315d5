// The invalid-expression corpus (tests/syntax/invalid-cel.jsonl): each entry must be rejected with
// exactly one error, of the expected code, at the expected line and column (and, where given, with
// the expected words in its message).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;

namespace {

std::string FromHex(const std::string& hex) {
  std::string bytes;
  std::istringstream in(hex);
  std::string byte;
  while (in >> byte) bytes += static_cast<char>(std::stoi(byte, nullptr, 16));
  return bytes;
}

}  // namespace

TEST_CASE("every invalid expression of the corpus gets exactly its one located error") {
  std::istringstream lines(ReadFile(SourcePath("tests/syntax/invalid-cel.jsonl")));
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json entry = nlohmann::json::parse(line);
    std::string expr = entry.contains("expr_hex") ? FromHex(entry["expr_hex"]) : entry["expr"].get<std::string>();
    auto parsed = ParseCel(expr);
    ++count;
    INFO("expression: " << expr << "\n" << parsed->Rendered());
    CHECK(parsed->expr == nullptr);
    REQUIRE(parsed->diags.diagnostics().size() == 1);
    const edict::diag::Diagnostic& d = parsed->diags.diagnostics()[0];
    CHECK(std::string(edict::diag::Info(d.id).code) == entry["code"].get<std::string>());
    edict::diag::LineCol at = parsed->sources.Locate(d.range.file, d.range.begin);
    CHECK(at.line == entry.value("line", 1));
    CHECK(at.column == entry["column"].get<uint32_t>());
    if (entry.contains("message")) CHECK(d.message.find(entry["message"].get<std::string>()) != std::string::npos);
  }
  CHECK(count >= 50);
}
