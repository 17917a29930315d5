// The pre-scan over the token list (see token_scan.h).
#include "compiler/syntax/token_scan.h"

#include <EdictLexer.h>

#include "compiler/syntax/parse.h"
#include "compiler/syntax/token_names.h"
#include "compiler/syntax/utf8.h"

namespace edict::syntax {

using grammar::EdictLexer;

namespace {

bool StartsNewOperand(size_t type) {
  switch (type) {
    case EdictLexer::NUM_INT: case EdictLexer::NUM_UINT: case EdictLexer::NUM_FLOAT:
    case EdictLexer::DURATION: case EdictLexer::VERSION: case EdictLexer::STRING: case EdictLexer::BYTES:
    case EdictLexer::EXCLAM:
      return true;
    default:
      return IsNameToken(type) && type != EdictLexer::IN;
  }
}

bool IsChainOperator(size_t type) {
  switch (type) {
    case EdictLexer::LOGICAL_OR: case EdictLexer::LOGICAL_AND: case EdictLexer::EQUALS:
    case EdictLexer::NOT_EQUALS: case EdictLexer::LESS: case EdictLexer::LESS_EQUALS:
    case EdictLexer::GREATER: case EdictLexer::GREATER_EQUALS: case EdictLexer::IN:
    case EdictLexer::PLUS: case EdictLexer::MINUS: case EdictLexer::STAR: case EdictLexer::SLASH:
    case EdictLexer::PERCENT: case EdictLexer::QUESTIONMARK: case EdictLexer::DOT:
      return true;
    default:
      return false;
  }
}

// Common full-width punctuation typed with a Chinese input method, and what was meant.
const char* HalfWidthFor(char32_t c) {
  switch (c) {
    case U'，': return ",";
    case U'：': return ":";
    case U'（': return "(";
    case U'）': return ")";
    case U'【': case U'［': return "[";
    case U'】': case U'］': return "]";
    case U'｛': return "{";
    case U'｝': return "}";
    case U'“': case U'”': case U'＂': return "\"";
    case U'‘': case U'’': return "'";
    case U'！': return "!";
    case U'＝': return "=";
    case U'．': case U'。': return ".";
    case U'＜': return "<";
    case U'＞': return ">";
    case U'＋': return "+";
    case U'－': return "-";
    case U'｜': return "|";
    case U'？': return "?";
    case U'　': return " ";
    default: return nullptr;
  }
}

class Scanner {
 public:
  Scanner(const std::vector<antlr4::Token*>& tokens, const SourceText& text, const diag::SourceManager& sources,
          bool file_mode)
      : tokens_(tokens), text_(text), sources_(sources), file_mode_(file_mode) {}

  std::vector<Chunk> Run() {
    chunks_.push_back(Chunk{0, 0, std::nullopt});
    size_t eof = tokens_.size() - 1;
    for (size_t i = 0; i < eof; ++i) {
      if (file_mode_ && i > 0 && IsSyncPoint(i)) StartChunk(i);
      if (!chunks_.back().problem) Visit(i);
    }
    if (!chunks_.back().problem && !stack_.empty()) {
      const antlr4::Token* open = tokens_[stack_.back().token];
      Fail(diag::DiagId::kUnclosedBracket, {BracketText(open->getType())}, text_.TokenRange(open));
    }
    chunks_.back().end = eof;
    return std::move(chunks_);
  }

 private:
  struct Open {
    size_t token;
    int chain_base;  // the enclosing level's operator count when this bracket opened
  };

  // A declaration keyword at the start of a line, outside brackets, followed by a name.
  bool IsSyncPoint(size_t i) const {
    const antlr4::Token* token = tokens_[i];
    if (!IsDeclarationKeyword(token->getType())) return false;
    if (!stack_.empty() && !chunks_.back().problem) return false;
    if (tokens_[i - 1]->getLine() == token->getLine()) return false;
    size_t next = tokens_[i + 1]->getType();
    return IsNameToken(next) || next == EdictLexer::STRING || next == EdictLexer::NUM_INT ||
           next == EdictLexer::DURATION;
  }

  void StartChunk(size_t i) {
    chunks_.back().end = i;
    chunks_.push_back(Chunk{i, 0, std::nullopt});
    stack_.clear();
    chain_ = 0;
  }

  void Fail(diag::DiagId id, std::vector<std::string> args, diag::SourceRange range, std::string help = {}) {
    chunks_.back().problem = ScanProblem{id, std::move(args), range, std::move(help)};
  }

  int LevelBase() const { return stack_.empty() ? 0 : stack_.back().chain_base; }

  bool CountOperator(const antlr4::Token* token) {
    if (++chain_ <= kMaxOperatorChain) return true;
    Fail(diag::DiagId::kExpressionTooLong, {std::to_string(kMaxOperatorChain)}, text_.TokenRange(token),
         "split the expression with a `let` or a helper `fn`");
    return false;
  }

  void Visit(size_t i) {
    const antlr4::Token* token = tokens_[i];
    size_t type = token->getType();
    size_t previous = i > 0 ? tokens_[i - 1]->getType() : EdictLexer::EOF;
    bool after_operand = i > chunks_.back().begin && EndsOperand(previous);

    if (type == EdictLexer::ERROR_CHAR) return LexicalError(i);
    if (type == EdictLexer::SLASH && tokens_[i + 1]->getType() == EdictLexer::STAR &&
        tokens_[i + 1]->getStartIndex() == token->getStopIndex() + 1) {
      return Fail(diag::DiagId::kUnterminatedComment, {}, text_.Span(token, tokens_[i + 1]),
                  "a block comment opened with '/*' needs a closing '*/'");
    }
    if (after_operand && StartsNewOperand(type)) chain_ = LevelBase();  // a new expression begins
    if (type == EdictLexer::COMMA) chain_ = LevelBase();
    if (IsChainOperator(type) && !CountOperator(token)) return;

    if (IsOpenBracket(type)) {
      // `f(`, `a[`, `Msg{`: a call, index or message construction extends the operand chain.
      bool suffix = type == EdictLexer::LBRACKET ? after_operand : IsNameToken(previous);
      if (suffix && after_operand && !CountOperator(token)) return;
      if (static_cast<int>(stack_.size()) >= kMaxNesting) {
        return Fail(diag::DiagId::kNestingTooDeep, {std::to_string(kMaxNesting)}, text_.TokenRange(token),
                    "name the inner parts with `let` or a helper `fn`");
      }
      stack_.push_back(Open{i, chain_});
      return;
    }
    if (IsCloseBracket(type)) {
      if (stack_.empty()) {
        return Fail(diag::DiagId::kUnmatchedClosing, {BracketText(type)}, text_.TokenRange(token));
      }
      const antlr4::Token* open = tokens_[stack_.back().token];
      if (ClosingBracketFor(open->getType()) != type) {
        std::string expected = std::string("'") + BracketText(ClosingBracketFor(open->getType())) +
                               "' to close '" + BracketText(open->getType()) + "' at " +
                               LineColumn(sources_, text_.TokenRange(open));
        return Fail(diag::DiagId::kExpectedToken, {expected, std::string("'") + BracketText(type) + "'"},
                    text_.TokenRange(token));
      }
      stack_.pop_back();  // the level's count carries on outward: the bracket is one operand
    }
  }

  void LexicalError(size_t i) {
    const antlr4::Token* token = tokens_[i];
    std::string_view written = text_.TokenText(token);
    char32_t c = 0;
    DecodeUtf8(written, 0, &c);
    if (c == '"' || c == '\'') {
      // `"""abc` lexes as the empty string `""` then a stray quote; `b"abc` as `b` then a quote.
      const antlr4::Token* start = token;
      if (i > 0) {
        const antlr4::Token* before = tokens_[i - 1];
        std::string_view before_text = text_.TokenText(before);
        bool adjacent = before->getStopIndex() + 1 == token->getStartIndex();
        bool prefix = before->getType() == EdictLexer::IDENTIFIER && before_text.size() <= 2 &&
                      before_text.find_first_not_of("bBrR") == std::string_view::npos;
        bool empty_quotes = before->getType() == EdictLexer::STRING && before_text.size() <= 3 &&
                            before_text.back() == static_cast<char>(c);
        if (adjacent && (prefix || empty_quotes)) start = before;
      }
      std::string quote(1, static_cast<char>(c));
      std::string triple(3, static_cast<char>(c));
      std::string help = start != token && tokens_[i - 1]->getType() == EdictLexer::STRING
                             ? "a string opened with " + triple + " needs a closing " + triple
                             : "close it with " + quote + " on the same line, or use " + triple +
                                   " for text that spans lines";
      return Fail(diag::DiagId::kUnterminatedString, {}, text_.Span(start, token), help);
    }
    std::string help;
    if (c == '`') {
      help = "a quoted field name is `name` on one line, with letters, digits, '_', '.', '-', '/' or spaces";
    } else if (const char* meant = HalfWidthFor(c)) {
      help = std::string("this is a full-width character; did you mean '") + meant + "'?";
    } else if (c >= 0x80) {
      help = "names are ASCII letters, digits and '_'; other text belongs in a string literal";
    }
    Fail(diag::DiagId::kUnexpectedCharacter, {DescribeCharacter(c)}, text_.TokenRange(token), help);
  }

  const std::vector<antlr4::Token*>& tokens_;
  const SourceText& text_;
  const diag::SourceManager& sources_;
  bool file_mode_;
  std::vector<Chunk> chunks_;
  std::vector<Open> stack_;
  int chain_ = 0;
};

}  // namespace

std::string LineColumn(const diag::SourceManager& sources, const diag::SourceRange& range) {
  diag::LineCol lc = sources.Locate(range.file, range.begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::vector<Chunk> ScanTokens(const std::vector<antlr4::Token*>& tokens, const SourceText& text,
                              const diag::SourceManager& sources, bool file_mode) {
  return Scanner(tokens, text, sources, file_mode).Run();
}

}  // namespace edict::syntax
