// An ANTLR error strategy that stops at the first syntax error and remembers what the parser
// expected there, so the driver can word one precise error instead of ANTLR's recovery cascade.
#pragma once

#include <antlr4-runtime.h>

#include <vector>

namespace edict::syntax {

struct SyntaxErrorInfo {
  antlr4::Token* offending = nullptr;
  antlr4::misc::IntervalSet expected;
  std::vector<size_t> rules;  // rule indexes from the innermost rule outward
};

class FirstErrorStrategy : public antlr4::ANTLRErrorStrategy {
 public:
  const SyntaxErrorInfo* error() const { return has_error_ ? &error_ : nullptr; }

  void reset(antlr4::Parser*) override {}
  antlr4::Token* recoverInline(antlr4::Parser* parser) override;
  void recover(antlr4::Parser* parser, std::exception_ptr e) override;
  void sync(antlr4::Parser* parser) override;
  bool inErrorRecoveryMode(antlr4::Parser*) override { return false; }
  void reportMatch(antlr4::Parser*) override {}
  void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) override;

 private:
  // Records the error (the first one only) and abandons the parse.
  [[noreturn]] void Stop(antlr4::Parser* parser, antlr4::Token* offending, antlr4::misc::IntervalSet expected);
  void Record(antlr4::Parser* parser, antlr4::Token* offending, antlr4::misc::IntervalSet expected);

  bool has_error_ = false;
  SyntaxErrorInfo error_;
};

}  // namespace edict::syntax
