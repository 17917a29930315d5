// How tokens read in messages: "'{'", "identifier 'foo'", "string literal", "end of file".
#pragma once

#include <string>
#include <string_view>

namespace antlr4 {
class Token;
namespace dfa {
class Vocabulary;
}
}

namespace edict::syntax {

// What a lexed text is, which decides how its end is named in messages.
enum class InputKind { kFile, kExpression, kTemplateHole };

// What the token is, for "found ..." ("'where'", "'foo'", "string literal \"abc\"", "end of file").
// `text` is the token as written.
std::string DescribeFoundToken(size_t type, std::string_view text, InputKind input);

// The end of the input, for "expected ..." ("the end of the file").
std::string DescribeExpectedEnd(InputKind input);

// The grammar's token names and literals ("'rule'"), the generated parser's copy: the generated
// lexer's would link it, and its ATN set-up, into a syntax phase that does not run it.
const antlr4::dfa::Vocabulary& TokenVocabulary();

// The kind of token, for "expected ..." ("')'", "an identifier", "a string literal").
std::string DescribeTokenType(size_t type);

// `c` shown in a message: the character itself, or U+XXXX when it is invisible or a control.
std::string DescribeCharacter(char32_t c);

bool IsOpenBracket(size_t type);
bool IsCloseBracket(size_t type);
size_t ClosingBracketFor(size_t open_type);
const char* BracketText(size_t type);

// Token types that can start a declaration (record, rule, ...; `pack` excluded).
bool IsDeclarationKeyword(size_t type);
// Tokens that can end an operand (a name, a literal, a closing bracket).
bool EndsOperand(size_t type);
// CEL's reserved words, never identifiers in expressions.
bool IsReservedWord(size_t type);
// Words the grammar accepts where a name is expected (identifiers and every keyword).
bool IsNameToken(size_t type);

}  // namespace edict::syntax
