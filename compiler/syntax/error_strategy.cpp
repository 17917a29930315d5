// FirstErrorStrategy: bail out at the first error, like BailErrorStrategy, but keep its details.
#include "compiler/syntax/error_strategy.h"

namespace edict::syntax {

void FirstErrorStrategy::Record(antlr4::Parser* parser, antlr4::Token* offending,
                                antlr4::misc::IntervalSet expected) {
  if (has_error_) return;
  has_error_ = true;
  error_.offending = offending;
  error_.expected = std::move(expected);
  for (antlr4::RuleContext* ctx = parser->getContext(); ctx != nullptr;
       ctx = dynamic_cast<antlr4::RuleContext*>(ctx->parent)) {
    error_.rules.push_back(ctx->getRuleIndex());
  }
}

void FirstErrorStrategy::Stop(antlr4::Parser* parser, antlr4::Token* offending, antlr4::misc::IntervalSet expected) {
  Record(parser, offending, std::move(expected));
  throw antlr4::ParseCancellationException("syntax error");
}

antlr4::Token* FirstErrorStrategy::recoverInline(antlr4::Parser* parser) {
  Stop(parser, parser->getCurrentToken(), parser->getExpectedTokens());
}

void FirstErrorStrategy::recover(antlr4::Parser* parser, std::exception_ptr) {
  throw antlr4::ParseCancellationException("syntax error");
}

void FirstErrorStrategy::reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) {
  // When prediction looked past the decision's first token before failing (`f(a b)` fails at `b`
  // while choosing between a call and an aggregate at `f`), the decision's expected set describes
  // `f`'s position, not `b`'s: take what the configurations still alive at `b` could have matched.
  auto* no_viable = dynamic_cast<const antlr4::NoViableAltException*>(&e);
  if (no_viable != nullptr && no_viable->getStartToken() != e.getOffendingToken() &&
      no_viable->getDeadEndConfigs() != nullptr) {
    antlr4::misc::IntervalSet expected;
    for (const auto& config : no_viable->getDeadEndConfigs()->configs) {
      expected.addAll(parser->getATN().nextTokens(config->state));
    }
    expected.remove(antlr4::Token::EPSILON);
    if (!expected.isEmpty()) return Record(parser, e.getOffendingToken(), std::move(expected));
  }
  Record(parser, e.getOffendingToken(), e.getExpectedTokens());
}

// At the entry of a loop or optional block, the lookahead must be able to continue inside the
// rule or be allowed to leave it; otherwise the error is here, where the expected set is widest
// (`rule r { ? }` expects a rule item or '}', not just '}').
void FirstErrorStrategy::sync(antlr4::Parser* parser) {
  const antlr4::atn::ATN& atn = parser->getATN();
  antlr4::atn::ATNState* state = atn.states[parser->getState()];
  size_t lookahead = parser->getTokenStream()->LA(1);
  antlr4::misc::IntervalSet next = atn.nextTokens(state);
  if (next.contains(lookahead) || next.contains(antlr4::Token::EPSILON)) return;
  switch (state->getStateType()) {
    case antlr4::atn::ATNState::BLOCK_START:
    case antlr4::atn::ATNState::STAR_BLOCK_START:
    case antlr4::atn::ATNState::PLUS_BLOCK_START:
    case antlr4::atn::ATNState::STAR_LOOP_ENTRY:
    case antlr4::atn::ATNState::PLUS_LOOP_BACK:
    case antlr4::atn::ATNState::STAR_LOOP_BACK:
      Stop(parser, parser->getCurrentToken(), parser->getExpectedTokens());
    default:
      return;
  }
}

}  // namespace edict::syntax
