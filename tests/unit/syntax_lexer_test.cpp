// The hand-written lexer against the ANTLR-generated EdictLexer, its specification: on every source
// text of the repository and on thousands of seeded random inputs, both produce the same tokens
// (type, channel, text, line, column, start and stop index).
#include <EdictLexer.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "compiler/syntax/lexer.h"
#include "compiler/syntax/utf8.h"
#include "runtime/value/utf8.h"
#include "tests/unit/syntax_helpers.h"

using namespace edict::syntax::testing;
using edict::grammar::EdictLexer;
using edict::syntax::Lexer;
namespace fs = std::filesystem;

namespace {

struct TokenRecord {
  size_t type;
  size_t channel;
  std::string text;
  size_t line;
  size_t column;
  size_t start;
  size_t stop;

  bool operator==(const TokenRecord&) const = default;
};

std::string Describe(const TokenRecord& t) {
  return std::to_string(t.type) + "/" + std::to_string(t.channel) + " " + nlohmann::json(t.text).dump() + " @" +
         std::to_string(t.line) + ":" + std::to_string(t.column) + " [" + std::to_string(t.start) + "," +
         std::to_string(static_cast<ptrdiff_t>(t.stop)) + "]";
}

std::vector<TokenRecord> Records(antlr4::TokenSource& source) {
  antlr4::CommonTokenStream stream(&source);
  stream.fill();
  std::vector<TokenRecord> records;
  for (antlr4::Token* t : stream.getTokens()) {
    records.push_back({t->getType(), t->getChannel(), t->getText(), t->getLine(), t->getCharPositionInLine(),
                       t->getStartIndex(), t->getStopIndex()});
  }
  return records;
}

// ANTLRInputStream drops a byte order mark at the very start, where the lexer takes it as
// whitespace, as the grammar says; a second mark in front has ANTLR lex the first one.
std::vector<TokenRecord> AntlrTokens(const std::string& text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  std::string marked = text.starts_with(kByteOrderMark) ? std::string(kByteOrderMark) + text : text;
  antlr4::ANTLRInputStream input(marked.data(), marked.size());
  EdictLexer lexer(&input);
  lexer.removeErrorListeners();
  return Records(lexer);
}

std::vector<TokenRecord> HandTokens(const std::string& text) {
  Lexer lexer(text);
  return Records(lexer);
}

// Empty when both lexers agree; otherwise the input and the first difference.
std::string Difference(const std::string& text) {
  std::vector<TokenRecord> expected = AntlrTokens(text);
  std::vector<TokenRecord> actual = HandTokens(text);
  if (expected == actual) return {};
  auto [e, a] = std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
  std::string out = "input " + nlohmann::json(text).dump() + "\n  token " + std::to_string(e - expected.begin());
  out += "\n  EdictLexer: " + (e == expected.end() ? std::string("(none)") : Describe(*e));
  out += "\n  Lexer:      " + (a == actual.end() ? std::string("(none)") : Describe(*a));
  return out;
}

void CheckSame(const std::string& text) {
  REQUIRE_MESSAGE(!edict::value::FindInvalidUtf8(text), "the lexers take valid UTF-8 only");
  std::string difference = Difference(text);
  CHECK_MESSAGE(difference.empty(), difference);
}

bool IsSourceText(const fs::path& path) {
  static const std::vector<std::string> kExtensions = {".edict", ".cel", ".jsonl", ".txt", ".md"};
  return std::find(kExtensions.begin(), kExtensions.end(), path.extension().string()) != kExtensions.end();
}

// Every text file of the repository a lexer might see, and the syntax tests' CEL expressions.
std::vector<std::string> RepositoryTexts() {
  std::vector<std::string> texts;
  for (const char* dir : {"stdlib-rules", "examples", "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(SourcePath(dir))) {
      if (!entry.is_regular_file() || !IsSourceText(entry.path())) continue;
      std::string text = ReadFile(entry.path());
      if (!edict::value::FindInvalidUtf8(text)) texts.push_back(std::move(text));
    }
  }
  for (const char* jsonl : {"tests/syntax/invalid-cel.jsonl", "tests/conformance/cel/cel-conformance.jsonl"}) {
    std::istringstream lines(ReadFile(SourcePath(jsonl)));
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      nlohmann::json entry = nlohmann::json::parse(line);
      if (entry.contains("expr") && entry["expr"].is_string()) texts.push_back(entry["expr"]);
    }
  }
  return texts;
}

// The first code point boundary at or after `at` (at most the end).
size_t CodePointBoundary(const std::string& text, size_t at) {
  at = std::min(at, text.size());
  while (at < text.size() && edict::syntax::IsUtf8Continuation(text[at])) ++at;
  return at;
}

// Seeded random inputs made of pieces of tokens, so that the interesting boundaries (a keyword and
// its extension, a number and its suffix, an unclosed string or comment) meet each other.
class FragmentMixer {
 public:
  explicit FragmentMixer(uint32_t seed) : rng_(seed) {}

  std::string Next() {
    std::string text;
    for (size_t n = Pick(12); n > 0; --n) text += Fragment();
    return text;
  }

 private:
  std::string Fragment() {
    static const std::vector<std::string> kPieces = {
        "", " ", "\t", "\n", "\r\n", "\r", "\f", "\xEF\xBB\xBF", "\u00A0", "\u3000", "用户", "数据", "𝔘", "é",
        "\"", "'", "\"\"\"", "'''", "\"\"", "''", "\\", "\\\"", "\\'", "\\\\", "\\n", "\\\n", "`", "/", "*", "//", "/*",
        "*/", "/**/", "#", "@", "$", "~", "^", ";", "&", "&&", "|", "||", "=", "==", "!", "!=", "<", "<=", ">", ">=",
        "[", "]", "{", "}", "(", ")", ".", "..", ",", "-", "?", ":", "+", "%", "_", "\x01", std::string(1, '\0'),
        "0", "1", "9", "00", "0x", "0X", "0x1F", "0xg", "1.", ".5", "1.5", "1.2.3", "1.2.3-rc.1", "1.2.3-", "1.2.",
        "e", "E", "e5", "e+", "e-3", "u", "U", "h", "m", "s", "ms", "us", "ns", "n", "1h30m", "250ms", "48h", "5mss",
        "r", "R", "b", "B", "br", "rb", "bR", "x", "ab", "_x1", "ruleX", "in", "int", "as", "asx", "fn", "for",
        "rule", "rules", "match", "namespace", "namespaces", "true", "false", "null", "nulls", "where", "without",
        "`a b`", "`a.b-c/d_1`", "`用`", "`\n`", "/***/", "**/", "\"\"\"\\\"\"\"\"", "Rule", "IN", "True",
        "\"\"\"x\\\n\"\"\"", "'''\\\n'''",
    };
    switch (Pick(4)) {
      case 0: return RandomCharacters();
      case 1: return Keyword();
      default: return kPieces[Pick(kPieces.size())];
    }
  }

  std::string Keyword() {
    static const antlr4::dfa::Vocabulary& vocabulary = EdictLexer(nullptr).getVocabulary();
    std::string literal = vocabulary.getLiteralName(1 + Pick(vocabulary.getMaxTokenType()));
    std::string word = literal.size() > 2 ? literal.substr(1, literal.size() - 2) : literal;
    switch (Pick(4)) {
      case 0: return word.substr(0, Pick(word.size() + 1));     // a prefix
      case 1: return word + std::string(1, "xX_9"[Pick(4)]);  // an extension
      default: return word;
    }
  }

  std::string RandomCharacters() {
    static const std::string kAscii = "\t\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABYZ[\\]^_`abefhmnrsuxyz{|}~";
    std::string out;
    for (size_t n = 1 + Pick(6); n > 0; --n) out += kAscii[Pick(kAscii.size())];
    return out;
  }

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("the lexer's tokens are EdictLexer's on the repository's sources") {
  std::vector<std::string> texts = RepositoryTexts();
  CHECK(texts.size() > 100);
  for (const std::string& text : texts) CheckSame(text);
}

TEST_CASE("the lexer's tokens are EdictLexer's at the rules' edges") {
  const std::vector<std::string> cases = {
      "", " ", "\xEF\xBB\xBF", "\xEF\xBB\xBFrule x {}", "a\xEF\xBB\xBF b", "x\r\ny\rz\n", "\f",
      // numbers: the longest of VERSION, DURATION, NUM_FLOAT, NUM_INT and NUM_UINT
      "1.2.3-rc.1", "1.2.3-", "1.2.3-.", "1.2.", "1.2.3.4", "1h30m", "1h30", "250ms", "5mss", "1us", "1u", "1U",
      "0x1Fu", "0x", "0xu", "0X1", "00x1", ".5e-3", ".5e", ".e5", "1.", "1..2", "1e5", "1e+", "1.5e-3x", "12abc",
      // words: keywords, their prefixes and extensions, and string prefixes
      "ruleX", "rule", "rul", "in", "int", "r\"a\"", "R'a'", "b\"a\"", "B'''a'''", "br\"a\"", "bR\"\"\"a\"\"\"",
      "rb\"a\"", "r\"a", "b\"a", "_", "_1", "namespace", "namespaces",
      // strings: eight forms, escapes, unterminated
      "\"a\\\"b\"", "'a\\'b'", "\"a\nb\"", "\"a\\\nb\"", "\"\"\"a\nb\"\"\"", "\"\"\"a\\\"\"\"\"", "\"\"\"\"\"",
      "\"\"\"\"\"\"", "\"\"\"abc", "'''a''''", "r\"\"\"a\\\"\"\"", "r'''a\n'''", "\"abc", "'abc", "\"\\", "\"a\\",
      "\"\"\"\\", "\"用户\"", "'\\用'", "\"\"\"a\\\nb\"\"\"", "'''\\'''\n'''", "b\"\"\"\\\"\"\"\"\"", "r\"a\\\"",
      // comments
      "/* a */ b */", "/*/", "/**/", "/* unterminated", "// x\r\ny", "//", "/", "a/b",
      // the rest
      "`a b`", "`a`b`", "``", "`用`", "`a", "&", "&&&", "|||", "===", "!==", "<=>", "用户 == 1", "a ＋ b", "#",
      "𝔘x", std::string("a\0b", 3),
  };
  for (const std::string& text : cases) CheckSame(text);
}

TEST_CASE("the lexer's tokens are EdictLexer's on 20 000 seeded random inputs") {
  for (uint32_t seed = 1; seed <= 20000; ++seed) {
    CAPTURE(seed);
    CheckSame(FragmentMixer(seed).Next());
  }
}

TEST_CASE("the lexer's tokens are EdictLexer's on 5 000 seeded cuts of the repository's sources") {
  std::vector<std::string> texts = RepositoryTexts();
  std::sort(texts.begin(), texts.end());  // directory order is not stable; the seed's meaning should be
  for (uint32_t seed = 1; seed <= 5000; ++seed) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    const std::string& text = texts[pick(texts.size())];
    // A window on code point boundaries, so that strings and comments are cut open at either end.
    size_t begin = CodePointBoundary(text, pick(text.size() + 1));
    size_t end = CodePointBoundary(text, begin + pick(400));
    std::string cut = text.substr(begin, end - begin);
    cut.insert(CodePointBoundary(cut, pick(cut.size() + 1)), FragmentMixer(seed).Next());
    CheckSame(cut);
  }
}

TEST_CASE("a byte order mark at the start is whitespace at code point 0") {
  std::vector<TokenRecord> tokens = HandTokens("\xEF\xBB\xBF x");
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0] == TokenRecord{EdictLexer::WHITESPACE, antlr4::Token::HIDDEN_CHANNEL, "\xEF\xBB\xBF ", 1, 0, 0, 1});
  CHECK(tokens[1] == TokenRecord{EdictLexer::IDENTIFIER, antlr4::Token::DEFAULT_CHANNEL, "x", 1, 2, 2, 2});
}

TEST_CASE("the lexer counts code points, not bytes, and lines at '\\n' only") {
  std::vector<TokenRecord> tokens = HandTokens("用户\r\n  x");
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[1] == TokenRecord{EdictLexer::ERROR_CHAR, antlr4::Token::DEFAULT_CHANNEL, "户", 1, 1, 1, 1});
  CHECK(tokens[2] == TokenRecord{EdictLexer::WHITESPACE, antlr4::Token::HIDDEN_CHANNEL, "\r\n  ", 1, 2, 2, 5});
  CHECK(tokens[3] == TokenRecord{EdictLexer::IDENTIFIER, antlr4::Token::DEFAULT_CHANNEL, "x", 2, 2, 6, 6});
  CHECK(tokens[4] == TokenRecord{antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, "<EOF>", 2, 3, 7, 6});
}
