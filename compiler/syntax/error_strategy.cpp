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
