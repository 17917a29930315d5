// The parser's depth limits seen from an embedder: a rule file checked from disk and a CEL
// expression compiled for evaluation. 100 000 brackets or operators give one located error and no
// stack overflow (this test runs under ASan too, whose frames are larger), while inputs at the
// limits go through every phase — checker, lowering, evaluation — which all walk the tree
// recursively.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "compiler/syntax/parse.h"
#include "runtime/value/format.h"
#include "tests/unit/limits_pack.h"

using namespace edict;
using syntax::kMaxNesting;
using syntax::kMaxOperatorChain;
using testing::Repeat;

namespace {

// A rule whose `where` line is line kWhereLine of the pack file, the condition at kWhereColumn.
constexpr char kRuleHead[] =
    "rule deep {\n  title: \"deep\"\n  severity: low\n  kind: review\n  needs: [lifecycle]\n  match l: lifecycle\n";
constexpr int kWhereLine = testing::kLimitsManifestLines + 7;
constexpr size_t kWhereColumn = 9;

std::unique_ptr<testing::CheckedPack> CheckRule(const std::string& condition) {
  return testing::CheckLimitsPack(std::string(kRuleHead) + "  where " + condition + "\n}\n");
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
  // Left-associative chains are as deep as they are long: that many levels of tree in every phase.
  CHECK(EvaluateCel("1" + Repeat(" + 1", kMaxOperatorChain)).value == std::to_string(kMaxOperatorChain + 1));
  CHECK(EvaluateCel("x" + Repeat(" - 1", kMaxOperatorChain), {{"x", "int"}}, {{"x", value::Value::Int(5)}}).value ==
        std::to_string(5 - kMaxOperatorChain));
  CHECK(EvaluateCel("a" + Repeat(" && a", kMaxOperatorChain), {{"a", "bool"}}, {{"a", value::Value::Bool(true)}})
            .value == "true");
  CHECK(EvaluateCel("s.size()" + Repeat(" + 0", kMaxOperatorChain - 2), {{"s", "string"}},
                    {{"s", value::Value::String("abc")}})
            .value == "3");
}

TEST_CASE("a rule at the limits checks, lowers and runs") {
  // 200 levels, and a sum as long as the limit allows when the levels follow it: the rule's `{`,
  // the sum's `.`, `+`s and `>`, then `&&` and the operators in the brackets (`.`, `==`).
  std::string deep = Repeat("(", 200) + "l.state == \"launched\"" + Repeat(")", 200);
  std::string sum = "l.seq" + Repeat(" + 0", kMaxOperatorChain - 6) + " > 0";
  for (const std::string& condition : {deep, sum, sum + " && " + deep}) {
    auto checked = CheckRule(condition);
    INFO(condition.substr(0, 60));
    REQUIRE_MESSAGE(checked->rendered.empty(), checked->rendered[0]);
    interp::SessionEvaluation evaluation = testing::RunLimitsPack(*checked, testing::LaunchedSession(1));
    CHECK(evaluation.result.findings.size() == 1);
  }
}
