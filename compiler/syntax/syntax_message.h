// Words the first syntax error of a declaration or expression in Edict's terms: "expected ')' to
// close '(' at 3:5, found 'where'", "expected an expression, found '}'", reserved words, ...
#pragma once

#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/error_strategy.h"
#include "compiler/syntax/source_text.h"
#include "compiler/syntax/token_names.h"

namespace edict::syntax {

struct SyntaxErrorSite {
  const SourceText& text;
  const diag::SourceManager& sources;
  const std::vector<antlr4::Token*>& tokens;  // the significant tokens of `text`, ending with EOF
  size_t found_index;                        // index in `tokens` of the token the parser stopped at
  InputKind input;
  bool at_chunk_end;                         // the parser stopped at the start of the next chunk
};

void ReportSyntaxError(const SyntaxErrorInfo& error, const SyntaxErrorSite& site, diag::DiagnosticEngine& diags);

}  // namespace edict::syntax
