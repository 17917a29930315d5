// The hand-written lexer (see lexer.h). Each token rule of grammar/Edict.g4 is a function that
// returns where its longest match ends; like ANTLR, the longest match of all rules wins and a tie
// goes to the rule listed first. All the grammar's delimiters are ASCII and a UTF-8 sequence's
// bytes are all >= 0x80, so matching runs over bytes; only positions count code points.
#include "compiler/syntax/lexer.h"

#include <EdictLexer.h>

#include <array>
#include <vector>

#include "compiler/syntax/token_names.h"
#include "compiler/syntax/utf8.h"

namespace edict::syntax {

namespace {

using grammar::EdictLexer;

constexpr size_t kNoMatch = std::string_view::npos;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // U+FEFF

struct Match {
  size_t type;
  size_t end;  // byte offset just past the token
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsIdentifierStart(char c) { return IsLetter(c) || c == '_'; }
bool IsIdentifierPart(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }
bool IsQuote(char c) { return c == '"' || c == '\''; }
bool IsRawPrefix(char c) { return c == 'r' || c == 'R'; }

// The text being lexed, read past its end as '\0'. Only the loops over string and comment contents
// take that byte, and they check for the end themselves.
class Text {
 public:
  explicit Text(std::string_view text) : text_(text) {}

  size_t size() const { return text_.size(); }
  char operator[](size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
  bool StartsWith(size_t at, std::string_view prefix) const {
    return at <= text_.size() && text_.substr(at).starts_with(prefix);
  }
  size_t Find(std::string_view what, size_t from) const { return text_.find(what, from); }
  size_t Find(char what, size_t from) const { return text_.find(what, from); }
  std::string_view Slice(size_t begin, size_t end) const { return text_.substr(begin, end - begin); }

  size_t SkipDigits(size_t at) const {
    while (IsDigit((*this)[at])) ++at;
    return at;
  }
  size_t SkipHexDigits(size_t at) const {
    while (IsHexDigit((*this)[at])) ++at;
    return at;
  }

 private:
  std::string_view text_;
};

// The longer of two candidates; on a tie the first, which the caller passes in rule order.
size_t Longer(size_t first, size_t second) {
  if (second == kNoMatch) return first;
  if (first == kNoMatch) return second;
  return second > first ? second : first;
}

// fragment EXPONENT : ('e' | 'E') ('+' | '-')? DIGIT+
size_t MatchExponent(const Text& text, size_t at) {
  if (text[at] != 'e' && text[at] != 'E') return kNoMatch;
  size_t digits = at + 1 + (text[at + 1] == '+' || text[at + 1] == '-');
  size_t end = text.SkipDigits(digits);
  return end > digits ? end : kNoMatch;
}

// VERSION : DIGIT+ '.' DIGIT+ '.' DIGIT+ ('-' (LETTER | DIGIT | '.')+)?
size_t MatchVersion(const Text& text, size_t at) {
  size_t end = text.SkipDigits(at);
  for (int part = 0; part < 2; ++part) {
    if (text[end] != '.') return kNoMatch;
    size_t digits_end = text.SkipDigits(end + 1);
    if (digits_end == end + 1) return kNoMatch;
    end = digits_end;
  }
  if (text[end] != '-') return end;
  size_t suffix = end + 1;
  while (IsLetter(text[suffix]) || IsDigit(text[suffix]) || text[suffix] == '.') ++suffix;
  return suffix > end + 1 ? suffix : end;
}

// A DURATION unit ('h' | 'm' | 's' | 'ms' | 'us' | 'ns') at `at`. Taking 'ms' over 'm' is always
// right: after 'm' the next part would have to start with a digit, not 's'.
size_t MatchDurationUnit(const Text& text, size_t at) {
  char c = text[at];
  if ((c == 'm' || c == 'u' || c == 'n') && text[at + 1] == 's') return at + 2;
  if (c == 'h' || c == 'm' || c == 's') return at + 1;
  return kNoMatch;
}

// DURATION : (DIGIT+ ('h' | 'm' | 's' | 'ms' | 'us' | 'ns'))+
size_t MatchDuration(const Text& text, size_t at) {
  size_t end = kNoMatch;
  for (size_t part = at;;) {
    size_t digits_end = text.SkipDigits(part);
    if (digits_end == part) return end;
    size_t unit_end = MatchDurationUnit(text, digits_end);
    if (unit_end == kNoMatch) return end;
    end = part = unit_end;
  }
}

// NUM_FLOAT's first two forms: DIGIT+ ('.' DIGIT+) EXPONENT? | DIGIT+ EXPONENT
size_t MatchFloat(const Text& text, size_t at) {
  size_t digits_end = text.SkipDigits(at);
  size_t fraction = kNoMatch;
  if (text[digits_end] == '.') {
    size_t fraction_end = text.SkipDigits(digits_end + 1);
    if (fraction_end > digits_end + 1) fraction = Longer(fraction_end, MatchExponent(text, fraction_end));
  }
  return Longer(fraction, MatchExponent(text, digits_end));
}

// '0x' HEXDIGIT+, the hexadecimal form of NUM_INT and NUM_UINT.
size_t MatchHex(const Text& text, size_t at) {
  if (text[at] != '0' || text[at + 1] != 'x') return kNoMatch;
  size_t end = text.SkipHexDigits(at + 2);
  return end > at + 2 ? end : kNoMatch;
}

size_t MatchUnsignedSuffix(const Text& text, size_t at) {
  return at != kNoMatch && (text[at] == 'u' || text[at] == 'U') ? at + 1 : kNoMatch;
}

// VERSION, DURATION, NUM_FLOAT, NUM_INT or NUM_UINT at a digit.
Match MatchNumber(const Text& text, size_t at) {
  size_t digits_end = text.SkipDigits(at);
  size_t hex_end = MatchHex(text, at);
  const std::array<Match, 5> candidates = {{
      {EdictLexer::VERSION, MatchVersion(text, at)},
      {EdictLexer::DURATION, MatchDuration(text, at)},
      {EdictLexer::NUM_FLOAT, MatchFloat(text, at)},
      {EdictLexer::NUM_INT, Longer(digits_end, hex_end)},
      {EdictLexer::NUM_UINT, Longer(MatchUnsignedSuffix(text, digits_end), MatchUnsignedSuffix(text, hex_end))},
  }};
  Match best = candidates[0];  // the longest; a tie keeps the rule listed first
  for (const Match& candidate : candidates) {
    if (Longer(best.end, candidate.end) != best.end) best = candidate;
  }
  return best;
}

// '"' (ESC_ANY | ~('\\' | '"' | '\n' | '\r'))* '"', and the same with '\'': `from` is past the quote.
size_t MatchQuotedLine(const Text& text, size_t from, char quote) {
  for (size_t at = from; at < text.size();) {
    char c = text[at];
    if (c == quote) return at + 1;
    if (c == '\n' || c == '\r') return kNoMatch;
    if (c != '\\') {
      ++at;
      continue;
    }
    if (at + 1 >= text.size() || text[at + 1] == '\n' || text[at + 1] == '\r') return kNoMatch;
    at += 2;
  }
  return kNoMatch;
}

// '"""' (ESC_ANY_MULTILINE | ~'\\')*? '"""': the non-greedy loop ends at the first closing triple
// that starts where an item (an escape pair or another character) could start.
size_t MatchQuotedBlock(const Text& text, size_t from, std::string_view triple) {
  for (size_t at = from; at < text.size();) {
    if (text.StartsWith(at, triple)) return at + 3;
    if (text[at] != '\\') {
      ++at;
      continue;
    }
    if (at + 1 >= text.size()) return kNoMatch;
    at += 2;
  }
  return kNoMatch;
}

// RAW '"' ~('"' | '\n' | '\r')* '"', and the same with '\''.
size_t MatchRawLine(const Text& text, size_t from, char quote) {
  for (size_t at = from; at < text.size(); ++at) {
    char c = text[at];
    if (c == quote) return at + 1;
    if (c == '\n' || c == '\r') return kNoMatch;
  }
  return kNoMatch;
}

// RAW '"""' .*? '"""', and the same with '\'\'\''.
size_t MatchRawBlock(const Text& text, size_t from, std::string_view triple) {
  size_t close = text.Find(triple, from);
  return close == kNoMatch ? kNoMatch : close + 3;
}

// STRING at `at` (a quote, or 'r'/'R' and a quote). A triple-quoted form, when it closes, is
// longer than the single-quoted form's `""` it starts with.
size_t MatchString(const Text& text, size_t at) {
  bool raw = IsRawPrefix(text[at]);
  size_t open = raw ? at + 1 : at;
  char quote = text[open];
  if (!IsQuote(quote)) return kNoMatch;
  std::string_view triple = quote == '"' ? R"(""")" : "'''";
  if (text.StartsWith(open, triple)) {
    size_t end = raw ? MatchRawBlock(text, open + 3, triple) : MatchQuotedBlock(text, open + 3, triple);
    if (end != kNoMatch) return end;
  }
  return raw ? MatchRawLine(text, open + 1, quote) : MatchQuotedLine(text, open + 1, quote);
}

// The keywords by first letter, taken from the grammar's vocabulary (every token whose literal is
// a word), so they cannot drift from grammar/Edict.g4.
class KeywordTable {
 public:
  KeywordTable() {
    const antlr4::dfa::Vocabulary& vocabulary = TokenVocabulary();
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      std::string literal = vocabulary.getLiteralName(type);  // "'rule'"
      if (literal.size() < 3 || !IsLetter(literal[1])) continue;
      std::string word = literal.substr(1, literal.size() - 2);
      buckets_[Bucket(word[0])].push_back(Keyword{word, type});
    }
  }

  // The keyword's token type, or IDENTIFIER.
  size_t TypeOf(std::string_view word) const {
    if (!IsLetter(word[0])) return EdictLexer::IDENTIFIER;
    for (const Keyword& keyword : buckets_[Bucket(word[0])]) {
      if (keyword.text == word) return keyword.type;
    }
    return EdictLexer::IDENTIFIER;
  }

 private:
  struct Keyword {
    std::string text;
    size_t type;
  };

  static size_t Bucket(char letter) { return static_cast<size_t>((letter | 0x20) - 'a'); }

  std::array<std::vector<Keyword>, 26> buckets_;
};

// A keyword, IDENTIFIER, or a STRING or BYTES with its 'r'/'b' prefix, at a letter or '_'. A
// string, when it matches, is the longer: the identifier stops at its quote.
Match MatchWord(const Text& text, size_t at) {
  char first = text[at];
  if (IsRawPrefix(first)) {
    size_t end = MatchString(text, at);
    if (end != kNoMatch) return {EdictLexer::STRING, end};
  }
  if (first == 'b' || first == 'B') {
    size_t end = MatchString(text, at + 1);
    if (end != kNoMatch) return {EdictLexer::BYTES, end};
  }
  size_t end = at + 1;
  while (IsIdentifierPart(text[end])) ++end;
  static const KeywordTable keywords;
  return {keywords.TypeOf(text.Slice(at, end)), end};
}

// ESC_IDENTIFIER : '`' (LETTER | DIGIT | '_' | '.' | '-' | '/' | ' ')+ '`'
size_t MatchEscapedIdentifier(const Text& text, size_t at) {
  size_t end = at + 1;
  for (char c = text[end]; IsIdentifierPart(c) || c == '.' || c == '-' || c == '/' || c == ' '; c = text[end]) {
    ++end;
  }
  return end > at + 1 && text[end] == '`' ? end + 1 : kNoMatch;
}

// WHITESPACE : ('\t' | ' ' | '\r' | '\n' | '\u000C' | '\uFEFF')+
size_t MatchWhitespace(const Text& text, size_t at) {
  size_t end = at;
  for (;;) {
    char c = text[end];
    if (c == '\t' || c == ' ' || c == '\r' || c == '\n' || c == '\f') {
      ++end;
    } else if (text.StartsWith(end, kByteOrderMark)) {
      end += kByteOrderMark.size();
    } else {
      return end == at ? kNoMatch : end;
    }
  }
}

// SLASH, COMMENT or BLOCK_COMMENT at '/'.
Match MatchSlash(const Text& text, size_t at) {
  if (text[at + 1] == '/') {
    size_t newline = text.Find('\n', at + 2);
    return {EdictLexer::COMMENT, newline == kNoMatch ? text.size() : newline};
  }
  if (text[at + 1] == '*') {
    size_t close = text.Find("*/", at + 2);
    if (close != kNoMatch) return {EdictLexer::BLOCK_COMMENT, close + 2};
  }
  return {EdictLexer::SLASH, at + 1};
}

// DOT, or NUM_FLOAT's third form: '.' DIGIT+ EXPONENT?
Match MatchDot(const Text& text, size_t at) {
  size_t digits_end = text.SkipDigits(at + 1);
  if (digits_end == at + 1) return {EdictLexer::DOT, at + 1};
  return {EdictLexer::NUM_FLOAT, Longer(digits_end, MatchExponent(text, digits_end))};
}

// `one` alone, or `two` when `next` follows.
Match OneOrTwo(const Text& text, size_t at, size_t one, char next, size_t two) {
  return text[at + 1] == next ? Match{two, at + 2} : Match{one, at + 1};
}

// ERROR_CHAR : .  (one code point)
Match ErrorChar(const Text& text, size_t at) {
  size_t end = at + 1;
  while (end < text.size() && IsUtf8Continuation(text[end])) ++end;
  return {EdictLexer::ERROR_CHAR, end};
}

// The token at `at` (< text.size()).
Match MatchToken(const Text& text, size_t at) {
  char c = text[at];
  if (IsDigit(c)) return MatchNumber(text, at);
  if (IsIdentifierStart(c)) return MatchWord(text, at);
  switch (c) {
    case '=': return OneOrTwo(text, at, EdictLexer::ASSIGN, '=', EdictLexer::EQUALS);
    case '!': return OneOrTwo(text, at, EdictLexer::EXCLAM, '=', EdictLexer::NOT_EQUALS);
    case '<': return OneOrTwo(text, at, EdictLexer::LESS, '=', EdictLexer::LESS_EQUALS);
    case '>': return OneOrTwo(text, at, EdictLexer::GREATER, '=', EdictLexer::GREATER_EQUALS);
    case '|': return OneOrTwo(text, at, EdictLexer::PIPE, '|', EdictLexer::LOGICAL_OR);
    case '&': return OneOrTwo(text, at, EdictLexer::ERROR_CHAR, '&', EdictLexer::LOGICAL_AND);
    case '[': return {EdictLexer::LBRACKET, at + 1};
    case ']': return {EdictLexer::RBRACKET, at + 1};
    case '{': return {EdictLexer::LBRACE, at + 1};
    case '}': return {EdictLexer::RBRACE, at + 1};
    case '(': return {EdictLexer::LPAREN, at + 1};
    case ')': return {EdictLexer::RPAREN, at + 1};
    case ',': return {EdictLexer::COMMA, at + 1};
    case '-': return {EdictLexer::MINUS, at + 1};
    case '?': return {EdictLexer::QUESTIONMARK, at + 1};
    case ':': return {EdictLexer::COLON, at + 1};
    case '+': return {EdictLexer::PLUS, at + 1};
    case '*': return {EdictLexer::STAR, at + 1};
    case '%': return {EdictLexer::PERCENT, at + 1};
    case '.': return MatchDot(text, at);
    case '/': return MatchSlash(text, at);
    case '"':
    case '\'': {
      size_t end = MatchString(text, at);
      if (end != kNoMatch) return {EdictLexer::STRING, end};
      break;
    }
    case '`': {
      size_t end = MatchEscapedIdentifier(text, at);
      if (end != kNoMatch) return {EdictLexer::ESC_IDENTIFIER, end};
      break;
    }
    default: {
      size_t end = MatchWhitespace(text, at);
      if (end != kNoMatch) return {EdictLexer::WHITESPACE, end};
    }
  }
  return ErrorChar(text, at);
}

bool IsHidden(size_t type) {
  return type == EdictLexer::WHITESPACE || type == EdictLexer::COMMENT || type == EdictLexer::BLOCK_COMMENT;
}

}  // namespace

// A byte order mark at the start is whitespace like any other (ANTLRInputStream dropped it, which
// put every position of the file one code point early).
Lexer::Lexer(std::string_view text) : text_(text) {}

antlr4::TokenFactory<antlr4::CommonToken>* Lexer::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

void Lexer::Advance(size_t end) {
  for (; pos_ < end; ++pos_) {
    char c = text_[pos_];
    if (IsUtf8Continuation(c)) continue;
    ++index_;
    if (c == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

std::unique_ptr<antlr4::Token> Lexer::nextToken() {
  size_t start_index = index_;
  size_t line = line_;
  size_t column = column_;
  size_t type = antlr4::Token::EOF;
  std::string_view text = "<EOF>";  // what ANTLR's EOF token reads as
  if (pos_ < text_.size()) {
    size_t start = pos_;
    Match match = MatchToken(Text(text_), start);
    Advance(match.end);
    type = match.type;
    text = text_.substr(start, match.end - start);
  }
  size_t channel = IsHidden(type) ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL;
  std::pair<antlr4::TokenSource*, antlr4::CharStream*> source(this, nullptr);
  auto token = std::make_unique<antlr4::CommonToken>(source, type, channel, start_index, index_ - 1);
  token->setLine(line);
  token->setCharPositionInLine(column);
  token->setText(std::string(text));
  return token;
}

}  // namespace edict::syntax
