// The token pre-scan that runs before ANTLR: lexical errors, bracket balance, and the nesting and
// operator-chain limits that keep ANTLR and every later recursive phase far from the stack's end.
// It also cuts a file into chunks at declaration keywords, where the parser resynchronises after a
// syntax error so that one mistake yields one error and a second broken rule still gets its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/source_text.h"

namespace antlr4 {
class Token;
}

namespace edict::syntax {

struct ScanProblem {
  diag::DiagId id;
  std::vector<std::string> args;
  diag::SourceRange range;
  std::string help;
};

// Tokens [begin, end) of the significant (non-hidden) token list; `problem` is the chunk's first
// lexical or bracket problem, in which case the chunk is not parsed.
struct Chunk {
  size_t begin = 0;
  size_t end = 0;
  std::optional<ScanProblem> problem;
};

// `tokens` are the significant tokens, ending with EOF. In a file, chunks start at declaration
// keywords that begin a line outside any bracket; an expression is one chunk.
std::vector<Chunk> ScanTokens(const std::vector<antlr4::Token*>& tokens, const SourceText& text,
                              const diag::SourceManager& sources, bool file_mode);

// "3:5", the position of `range` for messages that point at another place.
std::string LineColumn(const diag::SourceManager& sources, const diag::SourceRange& range);

}  // namespace edict::syntax
