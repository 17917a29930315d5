// The checker's entry points: packs in (paths), a checked Program out, problems as diagnostics.
//
// Never throws: every problem in the input is a diagnostic, and the checker continues after
// one, so a single run reports every independent mistake once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/pack_loader.h"
#include "compiler/sema/program.h"

namespace edict::sema {

// Loads the packs named by `inputs` (see LoadPacks) and checks them. The Program is returned
// even with errors, for inspection; lower it only when `diags` holds no errors.
std::unique_ptr<Program> CheckPaths(const std::vector<std::string>& inputs, const LoadOptions& options,
                                    diag::SourceManager& sources, diag::DiagnosticEngine& diags);

// Checks packs already in `program.packs` (parsed by the caller; imports before importers).
void CheckProgram(Program& program, const diag::SourceManager& sources, diag::DiagnosticEngine& diags);

// Types one CEL expression with `variables` in scope and the declarations of `program`'s packs
// (none for an empty program); the expression's types land in `program.exprs`. Returns its type
// (the error type after reporting).
const Type* CheckExpression(Program& program, const ast::Expr* expr,
                            const std::map<std::string, const Type*>& variables,
                            const diag::SourceManager& sources, diag::DiagnosticEngine& diags);

}  // namespace edict::sema
