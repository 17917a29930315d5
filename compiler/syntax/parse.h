// The syntax phase's entry points: Edict source text in, AST out, problems reported as diagnostics.
//
// Never throws and never crashes on any input: invalid UTF-8, bracket nesting deeper than
// kMaxNesting and over-long operator chains are rejected with located errors before ANTLR runs
// (ANTLR recurses per nesting level and throws std::range_error on invalid UTF-8).
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace edict::syntax {

// Deepest bracket/conditional nesting accepted in one file. CEL requires at least 12 levels and
// the reliability issue at least 200; 256 keeps ANTLR's recursion far from the stack's end, even
// under AddressSanitizer.
inline constexpr int kMaxNesting = 256;

// Longest chain of binary operators at one nesting level (`a + a + ... + a`). Left-associative
// operators build an AST as deep as the chain, which every later phase walks recursively.
inline constexpr int kMaxOperatorChain = 4096;

struct ParseOptions {
  // CEL macros (has, all, exists, exists_one, map, filter); off turns them into plain calls, as
  // the CEL conformance suite's `disable_macros` asks.
  bool macros = true;
};

// Parses a whole .edict file (manifest, declarations, rules, tests).
ast::File ParseFile(const diag::SourceManager& sources, diag::FileId file, diag::DiagnosticEngine& diags,
                    const ParseOptions& options = {});

// Parses the whole text of `file` as one CEL expression; returns nullptr after reporting errors.
ast::Expr* ParseExpression(const diag::SourceManager& sources, diag::FileId file, ast::AstArena& arena,
                           diag::DiagnosticEngine& diags, const ParseOptions& options = {});

}  // namespace edict::syntax
