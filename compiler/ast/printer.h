// Prints the AST back as canonical Edict source (never echoing the original text), and as an
// indented tree for `edict parse --dump-ast`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/diag/source.h"

namespace edict::ast {

// How many of `count` operands go left in a balanced `&&`/`||` tree (cel-go's balancer). The
// parser builds chains this way; the printer relies on it to print such trees without brackets.
inline size_t BalancedLeftCount(size_t count) { return (count - 1) / 2 + 1; }

// The file as canonical Edict source: parsing the result gives an Equal AST, and printing that
// gives the same text again.
std::string Print(const File& file);

// A CEL expression with the fewest brackets that keep its structure.
std::string PrintExpr(const Expr& expr);

// PrintExpr for an expression that follows `used` columns of a line: if it does not fit in
// `width` and is a chain of `&&` (or of `||`), each further operand goes on a line of its own,
// after `continuation` spaces and the operator.
std::string PrintExprWrapped(const Expr& expr, size_t used, size_t continuation, size_t width = 100);

// `text` as a double-quoted CEL string literal, escaped where needed.
std::string QuoteString(std::string_view text);

// A test's expected value as the source writes it: a quoted string, an int or a bracketed list.
std::string PrintExpectValue(const ExpectValue& value);

// "&&", "in", "+", ...
const char* OperatorText(BinaryOp op);

// Node kinds, names, literal values and line:col, one node per line, indented by depth.
std::string DumpTree(const File& file, const diag::SourceManager& sources);
std::string DumpExpr(const Expr& expr, const diag::SourceManager& sources);

}  // namespace edict::ast
