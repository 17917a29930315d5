// The parser's depth limits seen from an embedder: a rule file checked from disk and a CEL
// expression compiled for evaluation. 100 000 brackets or operators give one located error and no
// stack overflow (this test runs under ASan too, whose frames are larger), while inputs at the
// limits go through every phase — checker, lowering, evaluation — which all walk the tree
// recursively.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "compiler/diag/render.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "runtime/facts/loader.h"
#include "runtime/interp/interp.h"
#include "runtime/value/format.h"

using namespace edict;
using syntax::kMaxNesting;
using syntax::kMaxOperatorChain;

namespace {

std::string Repeat(const std::string& part, size_t count) {
  std::string out;
  out.reserve(part.size() * count);
  for (size_t i = 0; i < count; ++i) out += part;
  return out;
}

constexpr char kManifest[] = "pack limits 1.0.0 {\n  title: \"limits\"\n  import appfacts >= 1.0.0\n}\n\n";
// Line 6 of the pack file is the rule's `where` line, written "  where <condition>".
constexpr char kRuleHead[] =
    "rule deep {\n  title: \"deep\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match l: lifecycle\n";
constexpr int kWhereLine = 12;
constexpr size_t kWhereColumn = 9;  // where the condition starts

struct Checked {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;
  std::vector<std::string> rendered;
};

// Checks a pack whose one rule has `condition` as its `where`, as `edict check` would.
std::unique_ptr<Checked> CheckRule(const std::string& condition) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("edict-limits-nesting-" + std::to_string(getpid())) / "limits";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pack.edict") << kManifest << kRuleHead << "  where " << condition << "\n}\n";
  auto checked = std::make_unique<Checked>();
  sema::LoadOptions options;
  options.pack_path = {std::string(EDICT_SOURCE_DIR) + "/stdlib-rules"};
  options.use_environment = false;
  checked->program = sema::CheckPaths({dir.string()}, options, checked->sources, checked->diags);
  for (const diag::Diagnostic& d : checked->diags.diagnostics()) {
    std::string text = diag::RenderText(d, checked->sources, false);
    checked->rendered.push_back(text.substr(text.find("limits/pack.edict:")));  // drop the temp directory
  }
  std::filesystem::remove_all(dir.parent_path());
  return checked;
}

std::string Location(int line, size_t column) {
  return "limits/pack.edict:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// The byte offset of the `n`th (1-based) occurrence of `needle` in `text`.
size_t NthOffset(const std::string& text, const std::string& needle, size_t n) {
  size_t at = std::string::npos;
  for (size_t i = 0; i < n; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + needle.size());
  return at;
}

struct Evaluated {
  std::vector<std::string> errors;  // rendered, first line only
  std::string value;                // FormatLiteral of the result, when it compiled
};

Evaluated EvaluateCel(const std::string& text, const std::vector<plan::Variable>& variables = {},
                      const std::map<std::string, value::Value>& bindings = {}) {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  auto compiled = interp::CompileExpression(text, variables, {}, sources, diags);
  Evaluated out;
  for (const diag::Diagnostic& d : diags.diagnostics()) {
    std::string rendered = diag::RenderText(d, sources, false);
    out.errors.push_back(rendered.substr(0, rendered.find('\n')));
  }
  if (compiled != nullptr) out.value = value::FormatLiteral(interp::Evaluate(*compiled, bindings));
  return out;
}

const std::string kNestingMessage =
    "error[E013]: expression nested too deeply (limit is " + std::to_string(kMaxNesting) + ")";
const std::string kChainMessage =
    "error[E014]: too many operands in one expression (limit is " + std::to_string(kMaxOperatorChain) + ")";

}  // namespace

TEST_CASE("100 000 nested brackets in a rule: one error, at the bracket past the limit") {
  for (const std::string open : {"(", "[", "!("}) {
    CAPTURE(open);
    std::string close = open == "[" ? "]" : ")";
    auto checked = CheckRule(Repeat(open, 100000) + "true" + Repeat(close, 100000));
    REQUIRE(checked->rendered.size() == 1);
    // The rule's braces are the first level, so the 256th bracket is the 257th level.
    size_t column = kWhereColumn + (kMaxNesting - 1) * open.size() + open.size() - 1;
    std::string expected = Location(kWhereLine, column) + kNestingMessage;
    CHECK(checked->rendered[0].substr(0, expected.size()) == expected);
  }
}

TEST_CASE("a rule condition of 100 000 terms: one error, at the operator past the limit") {
  for (const std::string op : {" && ", " || ", " + ", " == "}) {
    CAPTURE(op);
    std::string condition = "l.seq" + Repeat(op + "l.seq", 100000);
    auto checked = CheckRule(condition);
    REQUIRE(checked->rendered.size() == 1);
    // The rule's `{` after its name counts as one operator (as a message construction `Msg{`
    // would), and the `.` of each term counts too: operator k / 2 of the chain is the one past.
    std::string symbol = op.substr(1, op.size() - 2);
    size_t past_limit = NthOffset(condition, symbol, kMaxOperatorChain / 2);
    std::string expected = Location(kWhereLine, kWhereColumn + past_limit) + kChainMessage;
    CHECK(checked->rendered[0].substr(0, expected.size()) == expected);
  }
}

TEST_CASE("100 000 nested brackets or terms in a CEL expression: one error, no evaluation") {
  Evaluated nested = EvaluateCel(Repeat("(", 100000) + "1" + Repeat(")", 100000));
  REQUIRE(nested.errors.size() == 1);
  CHECK(nested.errors[0] == "<expression>:1:" + std::to_string(kMaxNesting + 1) + ": " + kNestingMessage);
  CHECK(nested.value.empty());

  std::string chain = "a" + Repeat(" && a", 100000);
  Evaluated long_chain = EvaluateCel(chain, {{"a", "bool"}});
  size_t past_limit = NthOffset(chain, "&&", kMaxOperatorChain + 1);
  REQUIRE(long_chain.errors.size() == 1);
  CHECK(long_chain.errors[0] == "<expression>:1:" + std::to_string(past_limit + 1) + ": " + kChainMessage);
  CHECK(long_chain.value.empty());
}

TEST_CASE("CEL expressions at the limits compile and evaluate") {
  // kMaxNesting levels of each bracket; a call's parentheses and a macro's are brackets too.
  CHECK(EvaluateCel(Repeat("(", kMaxNesting) + "1" + Repeat(")", kMaxNesting)).value == "1");
  CHECK(EvaluateCel(Repeat("[", kMaxNesting) + "1" + Repeat("]", kMaxNesting)).value ==
        Repeat("[", kMaxNesting) + "1" + Repeat("]", kMaxNesting));
  CHECK(EvaluateCel(Repeat("int(", kMaxNesting) + "1" + Repeat(")", kMaxNesting)).value == "1");
  CHECK(EvaluateCel(Repeat("[1].map(x, ", 200) + "x" + Repeat(")", 200)).value ==
        Repeat("[", 200) + "1" + Repeat("]", 200));
  // Left-associative chains are as deep as they are long: 4096 levels of tree in every phase.
  CHECK(EvaluateCel("1" + Repeat(" + 1", kMaxOperatorChain)).value == std::to_string(kMaxOperatorChain + 1));
  CHECK(EvaluateCel("x" + Repeat(" - 1", kMaxOperatorChain), {{"x", "int"}}, {{"x", value::Value::Int(5)}}).value ==
        std::to_string(5 - kMaxOperatorChain));
  CHECK(EvaluateCel("a" + Repeat(" && a", kMaxOperatorChain), {{"a", "bool"}}, {{"a", value::Value::Bool(true)}}).value ==
        "true");
  CHECK(EvaluateCel("s.size()" + Repeat(" + 0", kMaxOperatorChain - 2), {{"s", "string"}},
                    {{"s", value::Value::String("abc")}})
            .value == "3");
}

TEST_CASE("a rule at the limits checks, lowers and runs") {
  // 200 levels, and a sum as long as the limit allows when it follows them: the rule's `{`, the
  // bracket's operators (a bracket's count carries on outward: `.`, `==`), `&&`, then the sum's
  // `.`, `+`s and `>`.
  std::string deep = Repeat("(", 200) + "l.state == \"launched\"" + Repeat(")", 200);
  std::string sum = "l.seq" + Repeat(" + 0", kMaxOperatorChain - 6) + " > 0";
  for (const std::string& condition : {deep, sum, deep + " && " + sum}) {
    auto checked = CheckRule(condition);
    INFO(condition.substr(0, 60));
    REQUIRE_MESSAGE(checked->rendered.empty(), checked->rendered[0]);
    auto plan = interp::Compile(*checked->program, {}, checked->sources, checked->diags);
    REQUIRE(plan != nullptr);
    std::string facts =
        R"({"type":"header","schema":"appfacts/1.0","session":{"id":"s","started_at":"2026-01-02T03:04:05Z","mode":"dynamic","driver":"manual","consent_method":"ui_click"},"device":{"platform":"android","os_version":"10"},"app":{"id":"com.example"},"redaction":"hashed"})"
        "\n"
        R"({"type":"lifecycle","seq":1,"t":5,"state":"launched"})"
        "\n";
    facts::InputSource source = facts::InputSource::Text("s.jsonl", facts);
    facts::LoadResult loaded = facts::Load(*plan->schema, std::span<const facts::InputSource>(&source, 1));
    REQUIRE(loaded.sessions.size() == 1);
    REQUIRE_FALSE(loaded.sessions[0].error);
    interp::Evaluator evaluator(*plan);
    interp::SessionEvaluation evaluation = evaluator.Evaluate(loaded.sessions[0]);
    CHECK(evaluation.result.findings.size() == 1);
  }
}
