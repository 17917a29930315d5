// Structural equality of ASTs, ignoring source ranges: what the parse/print round trip checks.
#pragma once

#include "compiler/ast/ast.h"

namespace edict::ast {

// Doubles compare by bits (NaN equals NaN, -0.0 differs from 0.0), so a printed and re-parsed
// literal must come back exactly.
bool EqualExpr(const Expr& a, const Expr& b);
bool EqualType(const TypeExpr& a, const TypeExpr& b);
bool EqualDecl(const Decl& a, const Decl& b);
bool Equal(const File& a, const File& b);

}  // namespace edict::ast
