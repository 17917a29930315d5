// Small facts about expression nodes the checker needs in several places: operator spellings,
// their CEL function names, and structural equality (to recognise a `group by` key).
#pragma once

#include <string>

#include "compiler/ast/ast.h"

namespace edict::sema {

// `<`, `&&`, `in`, ...
const char* BinaryOperatorSpelling(ast::BinaryOp op);
// The function overloads.def declares the operator under: `_<_`, `_&&_`, `@in`, ...
const char* BinaryOperatorFunction(ast::BinaryOp op);
// How a builtin function reads in messages: operators as written (`+`, `[]`), others as named.
std::string DisplayFunctionName(const std::string& function);

// True when both expressions are written the same way (ignoring source positions).
bool SameExpr(const ast::Expr* a, const ast::Expr* b);

}  // namespace edict::sema
