// The Edict lexer: a hand-written token source for the ANTLR parser, in place of the generated
// EdictLexer, whose ATN simulation cost more than the parse itself in a cold compile.
//
// grammar/Edict.g4's lexer rules stay the specification: the tokens are exactly EdictLexer's
// (type, channel, text, line, column, start and stop indexes in code points), which
// tests/unit/syntax_lexer_test.cpp checks against EdictLexer on the repository's sources and on
// thousands of generated inputs.
#pragma once

#include <antlr4-runtime.h>

#include <memory>
#include <string>
#include <string_view>

namespace edict::syntax {

class Lexer final : public antlr4::TokenSource {
 public:
  // `text` is valid UTF-8 and outlives the lexer.
  explicit Lexer(std::string_view text);

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  // The tokens carry their text; there is no character stream behind them.
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return antlr4::IntStream::UNKNOWN_SOURCE_NAME; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override;

 private:
  // Moves past text_[pos_, end), counting code points, lines and columns as ANTLR does (a line
  // ends at '\n' only; '\r' is a column).
  void Advance(size_t end);

  std::string_view text_;
  size_t pos_ = 0;    // byte offset in text_
  size_t index_ = 0;  // code point index of pos_
  size_t line_ = 1;
  size_t column_ = 0;
};

}  // namespace edict::syntax
