// The syntax phase driver: UTF-8 check, lexing, the token pre-scan, then ANTLR in two stages — SLL
// with bail-out (fast, right for almost every input), and on failure a full-LL parse of each chunk
// (declaration group) alone, reporting the first error of each — and finally the AST builder.
#include "compiler/syntax/parse.h"

#include <EdictParser.h>

#include <algorithm>
#include <cstdio>

#include "compiler/syntax/ast_builder.h"
#include "compiler/syntax/error_strategy.h"
#include "compiler/syntax/lexer.h"
#include "compiler/syntax/parser_run.h"
#include "compiler/syntax/prediction_cache.h"
#include "compiler/syntax/syntax_message.h"
#include "compiler/syntax/token_scan.h"
#include "compiler/syntax/utf8.h"
#include "runtime/value/utf8.h"

namespace edict::syntax {

namespace {

using grammar::EdictParser;

// The lexed tokens of one text; owns everything the tokens point into.
class Lexed {
 public:
  explicit Lexed(const SourceText& text) : lexer_(text.text()), stream_(&lexer_) {
    stream_.fill();
    for (antlr4::Token* token : stream_.getTokens()) {
      if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) significant_.push_back(token);
    }
  }

  antlr4::CommonTokenStream& stream() { return stream_; }
  const std::vector<antlr4::Token*>& significant() const { return significant_; }

 private:
  Lexer lexer_;
  antlr4::CommonTokenStream stream_;
  std::vector<antlr4::Token*> significant_;
};

void Configure(EdictParser& parser, bool sll) {
  parser.removeErrorListeners();
  PredictionCache::Install(parser);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      sll ? antlr4::atn::PredictionMode::SLL : antlr4::atn::PredictionMode::LL);
}

void ReportProblem(const ScanProblem& problem, diag::DiagnosticEngine& diags) {
  diags.Report(problem.id, problem.range, problem.args).help = problem.help;
}

// Parses the tokens of one chunk alone, with full LL and FirstErrorStrategy, and hands the tree to
// `use` (the tree dies with the parser). A chunk ends with a synthetic EOF at the next chunk's
// first token, so the parser cannot wander into the next declaration; an error there reads as
// "found 'rule'", not "found end of file".
template <typename RuleCall, typename Use>
void ParseChunk(const Lexed& lexed, const Chunk& chunk, const SourceText& text, const diag::SourceManager& sources,
                InputKind input, diag::DiagnosticEngine& diags, RuleCall rule, Use use) {
  const std::vector<antlr4::Token*>& tokens = lexed.significant();
  std::vector<std::unique_ptr<antlr4::Token>> copies;
  for (size_t i = chunk.begin; i < chunk.end; ++i) copies.push_back(std::make_unique<antlr4::CommonToken>(tokens[i]));
  auto eof = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF);
  eof->setStartIndex(tokens[chunk.end]->getStartIndex());
  eof->setStopIndex(tokens[chunk.end]->getStartIndex() - 1);
  eof->setLine(tokens[chunk.end]->getLine());
  copies.push_back(std::move(eof));
  antlr4::ListTokenSource source(std::move(copies));
  antlr4::CommonTokenStream stream(&source);
  EdictParser parser(&stream);
  Configure(parser, /*sll=*/false);
  auto strategy = std::make_shared<FirstErrorStrategy>();
  parser.setErrorHandler(strategy);
  try {
    auto* tree = rule(parser);
    use(tree);
    return;
  } catch (const antlr4::ParseCancellationException&) {
  }
  const SyntaxErrorInfo* error = strategy->error();
  if (error == nullptr) return;
  // Back from the copy to the original token list, by position.
  size_t found = chunk.end;
  if (error->offending->getType() != antlr4::Token::EOF) {
    auto it = std::lower_bound(tokens.begin() + chunk.begin, tokens.begin() + chunk.end, error->offending,
                               [](const antlr4::Token* a, const antlr4::Token* b) {
                                 return a->getStartIndex() < b->getStartIndex();
                               });
    found = static_cast<size_t>(it - tokens.begin());
  }
  bool at_chunk_end = found == chunk.end && tokens[found]->getType() != antlr4::Token::EOF;
  ReportSyntaxError(*error, SyntaxErrorSite{text, sources, tokens, found, input, at_chunk_end}, diags);
}

class FileParser {
 public:
  FileParser(const SourceText& text, BuildContext& context, ast::File& file)
      : text_(text), context_(context), file_(file), lexed_(text) {}

  void Run() {
    std::vector<Chunk> chunks = ScanTokens(lexed_.significant(), text_, context_.sources, /*file_mode=*/true);
    if (!context_.options.tests) SkipTests(chunks);
    bool clean = std::none_of(chunks.begin(), chunks.end(), [](const Chunk& c) { return c.problem.has_value(); });
    if (clean && ParseWhole()) return;
    for (const Chunk& chunk : chunks) {
      if (chunk.problem) {
        ReportProblem(*chunk.problem, context_.diags);
        continue;
      }
      ParseChunk(
          lexed_, chunk, text_, context_.sources, InputKind::kFile, context_.diags,
          [](EdictParser& parser) { return parser.file(); },
          [&](EdictParser::FileContext* tree) { Build(tree); });
    }
  }

 private:
  // Takes the chunks that declare tests out of the parse, problems and all: their tokens leave the
  // parser's channel.
  void SkipTests(std::vector<Chunk>& chunks) {
    const std::vector<antlr4::Token*>& tokens = lexed_.significant();
    std::erase_if(chunks, [&](const Chunk& chunk) {
      if (chunk.begin == chunk.end || tokens[chunk.begin]->getType() != EdictParser::TEST) return false;
      for (size_t i = chunk.begin; i < chunk.end; ++i) {
        static_cast<antlr4::WritableToken*>(tokens[i])->setChannel(antlr4::Token::HIDDEN_CHANNEL);
      }
      return true;
    });
  }

  bool ParseWhole() {
    EdictParser parser(&lexed_.stream());
    Configure(parser, /*sll=*/true);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      Build(parser.file());
      return true;
    } catch (const antlr4::ParseCancellationException&) {
      lexed_.stream().seek(0);
      return false;
    }
  }

  void Build(EdictParser::FileContext* tree) {
    AstBuilder builder(text_, context_);
    if (tree->packDecl() != nullptr) file_.manifest = builder.BuildManifest(tree->packDecl());
    for (EdictParser::TopDeclContext* decl : tree->topDecl()) file_.decls.push_back(builder.BuildDecl(decl));
  }

  const SourceText& text_;
  BuildContext& context_;
  ast::File& file_;
  Lexed lexed_;
};

bool CheckUtf8(const diag::SourceManager& sources, diag::FileId file, diag::DiagnosticEngine& diags) {
  std::string_view text = sources.text(file);
  std::optional<size_t> bad = value::FindInvalidUtf8(text);
  if (!bad) return true;
  char hex[3];
  std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(text[*bad]));
  uint32_t at = static_cast<uint32_t>(*bad);
  diags.Report(diag::DiagId::kInvalidUtf8, {file, at, at + 1}, {hex}).help =
      "save the file as UTF-8 (Chinese text in GBK or GB18030 must be converted)";
  return false;
}

// Runs `body`, turning anything ANTLR or the allocator throws into a diagnostic: the syntax phase
// never lets an exception escape.
template <typename Body>
void Guarded(const diag::SourceManager& sources, diag::FileId file, diag::DiagnosticEngine& diags, Body body) {
  try {
    body();
  } catch (const std::exception& e) {
    diags.Report(diag::DiagId::kCannotReadFile, {file, 0, 0},
                 {sources.path(file), std::string("the parser failed: ") + e.what()});
  } catch (...) {
    diags.Report(diag::DiagId::kCannotReadFile, {file, 0, 0}, {sources.path(file), "the parser failed"});
  }
}

}  // namespace

ast::Expr* ParseCelText(const SourceText& text, BuildContext& context, InputKind input) {
  size_t errors_before = context.diags.error_count();
  Lexed lexed(text);
  std::vector<Chunk> chunks = ScanTokens(lexed.significant(), text, context.sources, /*file_mode=*/false);
  const Chunk& chunk = chunks.front();
  if (chunk.problem) {
    ReportProblem(*chunk.problem, context.diags);
    return nullptr;
  }
  ast::Expr* result = nullptr;
  {
    EdictParser parser(&lexed.stream());
    Configure(parser, /*sll=*/true);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      result = AstBuilder(text, context).BuildExpr(parser.celExpr()->expr());
    } catch (const antlr4::ParseCancellationException&) {
      lexed.stream().seek(0);
    }
  }
  if (result == nullptr) {
    ParseChunk(
        lexed, chunk, text, context.sources, input, context.diags,
        [](EdictParser& parser) { return parser.celExpr(); },
        [&](EdictParser::CelExprContext* tree) { result = AstBuilder(text, context).BuildExpr(tree->expr()); });
  }
  return context.diags.error_count() > errors_before ? nullptr : result;
}

ast::File ParseFile(const diag::SourceManager& sources, diag::FileId file, diag::DiagnosticEngine& diags,
                    const ParseOptions& options) {
  ast::File result;
  result.file = file;
  Guarded(sources, file, diags, [&] {
    if (!CheckUtf8(sources, file, diags)) return;
    SourceText text(file, sources.text(file), 0);
    BuildContext context{sources, diags, *result.arena, options};
    FileParser(text, context, result).Run();
  });
  return result;
}

ast::Expr* ParseExpression(const diag::SourceManager& sources, diag::FileId file, ast::AstArena& arena,
                           diag::DiagnosticEngine& diags, const ParseOptions& options) {
  ast::Expr* result = nullptr;
  Guarded(sources, file, diags, [&] {
    if (!CheckUtf8(sources, file, diags)) return;
    SourceText text(file, sources.text(file), 0);
    BuildContext context{sources, diags, arena, options};
    result = ParseCelText(text, context, InputKind::kExpression);
  });
  return result;
}

}  // namespace edict::syntax
