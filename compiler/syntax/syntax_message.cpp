// Syntax error wording from ANTLR's expected-token sets and rule context.
#include "compiler/syntax/syntax_message.h"

#include <EdictParser.h>

#include "compiler/syntax/token_names.h"
#include "compiler/syntax/token_scan.h"

namespace edict::syntax {

using grammar::EdictParser;

namespace {

bool StartsExpression(size_t type) {
  switch (type) {
    case EdictParser::NUM_INT: case EdictParser::NUM_UINT: case EdictParser::NUM_FLOAT:
    case EdictParser::DURATION: case EdictParser::STRING: case EdictParser::BYTES:
    case EdictParser::LPAREN: case EdictParser::LBRACKET: case EdictParser::LBRACE:
    case EdictParser::EXCLAM: case EdictParser::MINUS: case EdictParser::DOT:
      return true;
    default:
      return IsNameToken(type);
  }
}

// What a name is called where the parser wanted one.
std::string NameNoun(const std::vector<size_t>& rules) {
  for (size_t rule : rules) {
    switch (rule) {
      case EdictParser::RuleSelectName: case EdictParser::RuleMemberSuffix: return "a field name";
      case EdictParser::RuleRuleDecl:
        return "a rule item (`key: value`, needs, match, sequence, where, group by, window or having)";
      case EdictParser::RuleTestDecl: return "a test item (facts, profile, param or expect)";
      case EdictParser::RuleRecordDecl: case EdictParser::RuleStructDecl: return "a field";
      case EdictParser::RulePackDecl: return "a manifest item (import or `key: value`)";
      case EdictParser::RuleProfileDecl: return "a parameter assignment or note";
      case EdictParser::RuleTypeExpr: case EdictParser::RuleTypeAtom: return "a type";
      case EdictParser::RuleExpectation: return "an expectation (`1 finding`, `subject \"...\"`, an outcome)";
      case EdictParser::RuleBinding: case EdictParser::RuleAggBinding: return "a binding (`name: source`)";
      case EdictParser::RuleKebabName: case EdictParser::RuleKebabPart: case EdictParser::RuleAnyName:
      case EdictParser::RuleIdent:
        continue;  // too generic: the enclosing rule says more
      default:
        return "a name";
    }
  }
  return "a name";
}

std::string JoinAlternatives(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// The innermost bracket opened before `index` and still open there.
std::optional<size_t> EnclosingOpenBracket(const std::vector<antlr4::Token*>& tokens, size_t index) {
  int depth = 0;
  for (size_t k = index; k-- > 0;) {
    size_t type = tokens[k]->getType();
    if (IsCloseBracket(type)) ++depth;
    if (IsOpenBracket(type) && depth-- == 0) return k;
  }
  return std::nullopt;
}

}  // namespace

void ReportSyntaxError(const SyntaxErrorInfo& error, const SyntaxErrorSite& site, diag::DiagnosticEngine& diags) {
  const antlr4::Token* found = site.tokens[site.found_index];
  diag::SourceRange range = site.text.TokenRange(found);
  std::string found_text = DescribeFoundToken(found->getType(), site.text.TokenText(found), site.expression_input);
  size_t innermost_rule = error.rules.empty() ? size_t{EdictParser::RuleFile} : error.rules.front();

  if (innermost_rule == EdictParser::RuleFile) {
    diags.Report(diag::DiagId::kUnexpectedDeclaration, range, {found_text});
    return;
  }

  std::vector<size_t> expected;
  for (const antlr4::misc::Interval& interval : error.expected.getIntervals()) {
    for (ssize_t t = interval.a; t <= interval.b; ++t) expected.push_back(static_cast<size_t>(t));
  }
  auto contains = [&](size_t type) { return error.expected.contains(type); };
  bool wants_expression = contains(EdictParser::NUM_INT) && contains(EdictParser::STRING) &&
                          contains(EdictParser::LPAREN);
  bool wants_name = contains(EdictParser::IDENTIFIER);

  if (IsReservedWord(found->getType()) && (wants_expression || wants_name)) {
    diags.Report(diag::DiagId::kReservedIdentifier, range, {std::string(site.text.TokenText(found))});
    return;
  }

  std::vector<std::string> items;
  if (wants_expression) items.push_back("an expression");
  else if (wants_name) items.push_back(NameNoun(error.rules));
  std::vector<size_t> rest;
  for (size_t type : expected) {
    if (wants_expression && StartsExpression(type)) continue;
    if (wants_name && (IsNameToken(type) || type == EdictParser::ESC_IDENTIFIER)) continue;
    rest.push_back(type);
  }
  std::optional<size_t> open = EnclosingOpenBracket(site.tokens, site.found_index);
  for (size_t type : rest) {
    if (type == antlr4::Token::EOF) {
      items.push_back(site.expression_input ? "the end of the expression" : "the end of the file");
    } else if (IsCloseBracket(type) && open && ClosingBracketFor(site.tokens[*open]->getType()) == type &&
               rest.size() == 1 && items.empty()) {
      const antlr4::Token* opener = site.tokens[*open];
      items.push_back(std::string("'") + BracketText(type) + "' to close '" + BracketText(opener->getType()) +
                      "' at " + LineColumn(site.sources, site.text.TokenRange(opener)));
    } else {
      items.push_back(DescribeTokenType(type));
    }
  }
  if (items.empty()) items.push_back("something else");
  diags.Report(diag::DiagId::kExpectedToken, range, {JoinAlternatives(items), found_text});
}

}  // namespace edict::syntax
