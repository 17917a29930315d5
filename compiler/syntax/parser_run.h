// The parse of a CEL text that the builder needs for report-template holes, shared with
// ParseExpression (parse.cpp).
#pragma once

#include "compiler/ast/ast.h"
#include "compiler/syntax/ast_builder.h"
#include "compiler/syntax/source_text.h"
#include "compiler/syntax/token_names.h"

namespace edict::syntax {

// Parses all of `text` as one CEL expression; returns nullptr after reporting errors.
ast::Expr* ParseCelText(const SourceText& text, BuildContext& context, InputKind input);

}  // namespace edict::syntax
