// What the front end understood, for people (`edict check --summary`) and tools (`--format json`):
// each pack's manifest, and each rule's metadata, needs, reads, bindings and entry types.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "compiler/sema/program.h"

namespace edict::sema {

// {"packs": [{name, version, directory, root, title, imports: [{name, constraint, version}]}],
//  "rules": [{id, pack, title, severity, kind, cite, needs, uses, reads, header_reads,
//             bindings: [{name, role, kind, type}], where, having, entries: {key: type},
//             join_width}]}. Rules of root packs only: imported packs are libraries.
nlohmann::json SummarizeProgram(const Program& program);

// The same, as indented text.
std::string RenderSummaryText(const nlohmann::json& summary);

}  // namespace edict::sema
