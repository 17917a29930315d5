// The syntax phase's entry points: Edict source text in, AST out, problems reported as diagnostics.
//
// Never throws and never crashes on any input: invalid UTF-8, bracket nesting deeper than
// kMaxNesting and over-long operator chains are rejected with located errors before ANTLR runs
// (ANTLR recurses per nesting level and throws std::range_error on invalid UTF-8).
#pragma once

#include <span>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"

namespace edict::syntax {

// Deepest bracket nesting accepted in one file (a declaration's own braces included). CEL requires
// at least 12 levels and the reliability issue at least 200; 256 keeps ANTLR's recursion (about ten
// rule frames per level) far from the stack's end, even under AddressSanitizer.
inline constexpr int kMaxNesting = 256;

// Most operators in one expression along one path from the root: binary operators, `?`, and the
// `.`, `[`, `(` of member chains, counting those inside brackets with the operators around them
// (list elements and arguments each start from their bracket's count). It bounds the depth of the
// AST — left-associative chains are as deep as they are long — which every later phase walks
// recursively: at 4096 levels the printer alone overflowed an 8 MB stack under AddressSanitizer.
// `&&` and `||` count too, although the parser balances them. Real rules stay under 100.
inline constexpr int kMaxOperatorChain = 1024;

struct ParseOptions {
  // CEL macros (has, all, exists, exists_one, map, filter); off turns them into plain calls, as
  // the CEL conformance suite's `disable_macros` asks.
  bool macros = true;
  // `test` declarations. Off, they are not parsed at all (nor checked later): compiling rules to
  // evaluate them does not need their tests, which are half of the standard library's text.
  bool tests = true;
  // ParseFiles parses on the calling thread alone, however large the files: for while another
  // thread loads a shared library (the JIT back end, runtime/jit/warm_up.h), when glibc makes a
  // thread's creation wait for the load to finish (pthread_create takes the loader's TLS lock).
  bool one_thread = false;
};

// Parses a whole .edict file (manifest, declarations, rules, tests). After a syntax error the
// parser resumes at the next declaration keyword that starts a line, so each broken declaration
// gets one error and the declarations without errors are still in the returned AST (a `report`
// entry's string literal comes back as a kTemplate). Semantic questions (unknown keys, names,
// types) are left to the checker.
ast::File ParseFile(const diag::SourceManager& sources, diag::FileId file, diag::DiagnosticEngine& diags,
                    const ParseOptions& options = {});

// ParseFile of every file of `files`, file i's problems reported to `diags[i]` (one engine per
// file). Several files are parsed at once, on up to as many threads as there are cores, when
// there is enough text for a thread to pay; the results are the same either way.
std::vector<ast::File> ParseFiles(const diag::SourceManager& sources, std::span<const diag::FileId> files,
                                  std::span<diag::DiagnosticEngine> diags, const ParseOptions& options = {});

// Parses the whole text of `file` as one CEL expression; returns nullptr after reporting errors.
ast::Expr* ParseExpression(const diag::SourceManager& sources, diag::FileId file, ast::AstArena& arena,
                           diag::DiagnosticEngine& diags, const ParseOptions& options = {});

}  // namespace edict::syntax
