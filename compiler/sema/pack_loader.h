// Finding and parsing packs: the directories and files named by the user, and every pack they
// import (resolved by name along a search path, version-checked, cycles rejected).
#pragma once

#include <string>
#include <system_error>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/parse.h"

namespace edict::sema {

struct LoadOptions {
  // Searched for `import NAME` after the importing pack's parent directory, in order.
  std::vector<std::string> pack_path;
  // Then the colon-separated directories of $EDICT_PACK_PATH.
  bool use_environment = true;
  // Then the standard library's directory (EDICT_STDLIB_DIR, fixed at build time), so that
  // `import appfacts` works without flags.
  bool use_standard_library = true;
  syntax::ParseOptions parse;
};

// Loads `inputs` into `program.packs`: each directory is a pack (every `.edict` file below it,
// recursively, exactly one holding the manifest); the files together form one more pack,
// anonymous unless one of them holds a manifest. Imports are loaded transitively, each pack
// once. Returns false when a file has syntax errors: the checker then stops, since a
// half-parsed declaration would only produce follow-on errors.
// Where `import NAME` is looked up after the importing pack's parent directory, in order: the
// pack path, the directories of $EDICT_PACK_PATH, then the standard library (as `options` ask).
std::vector<std::string> ImportSearchPath(const LoadOptions& options);

// A directory pack's source files: every `.edict` file below it, recursively (links to directories
// are not entered), sorted. `ec` is set when the directory cannot be listed (the files found so far
// are returned).
std::vector<std::string> PackSourceFiles(const std::string& directory, std::error_code& ec);

bool LoadPacks(const std::vector<std::string>& inputs, const LoadOptions& options, Program& program,
               diag::SourceManager& sources, diag::DiagnosticEngine& diags);

}  // namespace edict::sema
