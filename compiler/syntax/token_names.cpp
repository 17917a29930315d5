// Token descriptions and classes, shared by the token pre-scan and the syntax error messages.
#include "compiler/syntax/token_names.h"

#include <EdictLexer.h>
#include <EdictParser.h>

#include <cstdio>

#include "compiler/syntax/utf8.h"

namespace edict::syntax {

using grammar::EdictLexer;

namespace {

std::string Shorten(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

}  // namespace

std::string DescribeCharacter(char32_t c) {
  bool invisible = c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xA0 || c == 0xAD ||
                   (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || c == 0x3000 ||
                   c == 0xFEFF;
  if (invisible) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
    return buffer;
  }
  std::string out;
  AppendUtf8(out, c);
  return out;
}

const antlr4::dfa::Vocabulary& TokenVocabulary() {
  // A static of the generated parser; a throwaway instance hands it out.
  static const antlr4::dfa::Vocabulary& vocabulary = grammar::EdictParser(nullptr).getVocabulary();
  return vocabulary;
}

std::string DescribeTokenType(size_t type) {
  switch (type) {
    case EdictLexer::EOF: return "the end of the file";
    case EdictLexer::IDENTIFIER: return "an identifier";
    case EdictLexer::ESC_IDENTIFIER: return "a quoted field name";
    case EdictLexer::STRING: return "a string literal";
    case EdictLexer::BYTES: return "a bytes literal";
    case EdictLexer::NUM_INT: return "an integer";
    case EdictLexer::NUM_UINT: return "an unsigned integer";
    case EdictLexer::NUM_FLOAT: return "a number";
    case EdictLexer::DURATION: return "a duration";
    case EdictLexer::VERSION: return "a version";
    default: break;
  }
  const antlr4::dfa::Vocabulary& vocabulary = TokenVocabulary();
  std::string literal = vocabulary.getLiteralName(type);
  return literal.empty() ? vocabulary.getSymbolicName(type) : literal;
}

std::string DescribeExpectedEnd(InputKind input) {
  switch (input) {
    case InputKind::kFile: return "the end of the file";
    case InputKind::kExpression: return "the end of the expression";
    case InputKind::kTemplateHole: return "'}' ending the hole";
  }
  return "the end";
}

std::string DescribeFoundToken(size_t type, std::string_view text, InputKind input) {
  switch (type) {
    case EdictLexer::EOF:
      switch (input) {
        case InputKind::kFile: return "end of file";
        case InputKind::kExpression: return "end of expression";
        case InputKind::kTemplateHole: return "'}' ending the hole";
      }
      return "end of input";
    case EdictLexer::STRING: return "string literal " + Shorten(text, 24);
    case EdictLexer::BYTES: return "bytes literal " + Shorten(text, 24);
    default: {
      std::string quoted = "'";
      quoted += Shorten(text, 24);
      return quoted += "'";
    }
  }
}

bool IsOpenBracket(size_t type) {
  return type == EdictLexer::LPAREN || type == EdictLexer::LBRACKET || type == EdictLexer::LBRACE;
}

bool IsCloseBracket(size_t type) {
  return type == EdictLexer::RPAREN || type == EdictLexer::RBRACKET || type == EdictLexer::RBRACE;
}

size_t ClosingBracketFor(size_t open_type) {
  switch (open_type) {
    case EdictLexer::LPAREN: return EdictLexer::RPAREN;
    case EdictLexer::LBRACKET: return EdictLexer::RBRACKET;
    default: return EdictLexer::RBRACE;
  }
}

const char* BracketText(size_t type) {
  switch (type) {
    case EdictLexer::LPAREN: return "(";
    case EdictLexer::RPAREN: return ")";
    case EdictLexer::LBRACKET: return "[";
    case EdictLexer::RBRACKET: return "]";
    case EdictLexer::LBRACE: return "{";
    default: return "}";
  }
}

bool IsDeclarationKeyword(size_t type) {
  switch (type) {
    case EdictLexer::RECORD: case EdictLexer::STRUCT: case EdictLexer::TYPE: case EdictLexer::CONST:
    case EdictLexer::SET: case EdictLexer::TABLE: case EdictLexer::PARAM: case EdictLexer::PROFILE:
    case EdictLexer::LET: case EdictLexer::FN: case EdictLexer::RULE: case EdictLexer::TEST:
      return true;
    default:
      return false;
  }
}

bool EndsOperand(size_t type) {
  switch (type) {
    case EdictLexer::RPAREN: case EdictLexer::RBRACKET: case EdictLexer::RBRACE:
    case EdictLexer::NUM_INT: case EdictLexer::NUM_UINT: case EdictLexer::NUM_FLOAT:
    case EdictLexer::DURATION: case EdictLexer::VERSION: case EdictLexer::STRING: case EdictLexer::BYTES:
    case EdictLexer::ESC_IDENTIFIER:
      return true;
    default:
      return IsNameToken(type) && type != EdictLexer::IN;
  }
}

bool IsReservedWord(size_t type) { return type >= EdictLexer::AS && type <= EdictLexer::WHILE; }

bool IsNameToken(size_t type) {
  return type == EdictLexer::IDENTIFIER || type == EdictLexer::IN ||
         (type >= EdictLexer::TRUE && type <= EdictLexer::ENUM);
}

}  // namespace edict::syntax
