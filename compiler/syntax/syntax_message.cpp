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

bool IsBinaryOperator(size_t type) {
  switch (type) {
    case EdictParser::LOGICAL_OR: case EdictParser::LOGICAL_AND: case EdictParser::EQUALS:
    case EdictParser::NOT_EQUALS: case EdictParser::LESS: case EdictParser::LESS_EQUALS:
    case EdictParser::GREATER: case EdictParser::GREATER_EQUALS: case EdictParser::IN:
    case EdictParser::PLUS: case EdictParser::MINUS: case EdictParser::STAR: case EdictParser::SLASH:
    case EdictParser::PERCENT: case EdictParser::QUESTIONMARK:
      return true;
    default:
      return false;
  }
}

// Tokens that continue an operand: `.field`, `[index]`, `(args)`, `Msg{...}`.
bool IsSuffixToken(size_t type) {
  return type == EdictParser::DOT || type == EdictParser::LBRACKET || type == EdictParser::LPAREN ||
         type == EdictParser::LBRACE;
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
  auto describe = [&](const antlr4::Token* token) {
    std::string text = DescribeFoundToken(token->getType(), site.text.TokenText(token), site.input);
    // The chunk's parse ended there, though the word might have continued this declaration.
    if (token == found && site.at_chunk_end) text += ", which starts the next declaration";
    return text;
  };
  size_t innermost_rule = error.rules.empty() ? size_t{EdictParser::RuleFile} : error.rules.front();

  auto expects = [&](size_t type) { return error.expected.contains(type); };
  bool wants_expression = expects(EdictParser::NUM_INT) && expects(EdictParser::STRING) && expects(EdictParser::LPAREN);
  bool wants_name = expects(EdictParser::IDENTIFIER);
  // `a in` (or `a + + b`): the parser gave up on the operator, but what is missing is its operand.
  size_t previous = site.found_index > 0 ? site.tokens[site.found_index - 1]->getType() : size_t{EdictParser::EOF};
  if (!wants_expression && IsBinaryOperator(found->getType()) && !expects(found->getType()) &&
      site.found_index > 0 && EndsOperand(previous) &&
      !(innermost_rule == EdictParser::RuleFile && previous == EdictParser::RBRACE) &&
      site.found_index + 1 < site.tokens.size() && !StartsExpression(site.tokens[site.found_index + 1]->getType())) {
    const antlr4::Token* next = site.tokens[site.found_index + 1];
    diags.Report(diag::DiagId::kExpectedToken, site.text.TokenRange(next), {"an expression", describe(next)});
    return;
  }
  if (innermost_rule == EdictParser::RuleFile) {
    diags.Report(diag::DiagId::kUnexpectedDeclaration, site.text.TokenRange(found), {describe(found)});
    return;
  }
  if (IsReservedWord(found->getType()) && (wants_expression || wants_name)) {
    diags.Report(diag::DiagId::kReservedIdentifier, site.text.TokenRange(found),
                 {std::string(site.text.TokenText(found))});
    return;
  }
  // Where an operator could continue the expression, the operators and member suffixes would only
  // bury the useful alternatives.
  bool operator_possible = expects(EdictParser::PLUS) && expects(EdictParser::LOGICAL_AND);
  // After a call's first argument, `for` could follow (`min(x.t for x: xs)`), but it is hardly
  // what was missing: say `,` and the closer, as after any other argument.
  bool after_first_argument = expects(EdictParser::FOR) && expects(EdictParser::COMMA);

  std::vector<std::string> items;
  if (wants_expression) items.push_back("an expression");
  else if (wants_name) items.push_back(NameNoun(error.rules));
  std::optional<size_t> open = EnclosingOpenBracket(site.tokens, site.found_index);
  size_t closer = open ? ClosingBracketFor(site.tokens[*open]->getType()) : antlr4::Token::INVALID_TYPE;
  bool closes = open && expects(closer);
  for (const antlr4::misc::Interval& interval : error.expected.getIntervals()) {
    for (ssize_t t = interval.a; t <= interval.b; ++t) {
      size_t type = static_cast<size_t>(t);
      if (wants_expression && StartsExpression(type)) continue;
      if (wants_name && (IsNameToken(type) || type == EdictParser::ESC_IDENTIFIER)) continue;
      if (operator_possible && (IsBinaryOperator(type) || IsSuffixToken(type))) continue;
      if (closes && type == closer) continue;  // said last, with where its bracket opened
      // After an operand inside brackets, `,` and the closer are what matter (not `for`, `:`...).
      if (closes && (operator_possible || after_first_argument) && type != EdictParser::COMMA) continue;
      if (type == antlr4::Token::EOF) {
        items.push_back(DescribeExpectedEnd(site.input));
      } else {
        items.push_back(DescribeTokenType(type));
      }
    }
  }
  if (closes) {
    const antlr4::Token* opener = site.tokens[*open];
    items.push_back(std::string("'") + BracketText(closer) + "' to close '" + BracketText(opener->getType()) +
                    "' at " + LineColumn(site.sources, site.text.TokenRange(opener)));
  }
  if (items.empty()) items.push_back(operator_possible ? "an operator" : "something else");
  diags.Report(diag::DiagId::kExpectedToken, site.text.TokenRange(found), {JoinAlternatives(items), describe(found)});
}

}  // namespace edict::syntax
