// What the program generator and the facts generator must agree on: the words (string literals,
// enum values, field values), the data types, the instants facts may hold, and the record kinds.
#pragma once

#include <string>
#include <vector>

namespace edict::differential {

// Every string literal is one of these and so is every enum value: comparing an enum field with a
// literal outside its list is a compile error (E065).
inline const std::vector<std::string> kWords = {"a", "b", "c", "ab", "A", "中文", "a.b", "x-y", "a b", "12", "-3", "1.5", "true"};

// Data-type ids: those the generated schema knows (its `known_data_types`, interned first), and
// what facts hold, known or not, so that a comprehension folded over a list of them meets both.
inline const std::vector<std::string> kKnownDataTypes = {"id", "id.imei", "loc", "a"};
inline const std::vector<std::string> kFactDataTypes = {"id", "id.imei", "loc", "a", "loc.fine", "中文", "b", ""};

// Instants the loader can represent: a timestamp beyond them stops a session at load.
inline const std::vector<std::string> kFactTimestamps = {"2025-06-01T08:00:00Z", "2024-02-29T23:59:59.123Z",
                                                         "1970-01-01T00:00:00Z", "2200-01-01T00:00:00Z",
                                                         "1700-06-30T12:00:00.5Z"};

// The record kinds the generated schema declares: `ev` and `act` have a time, `note` has none.
enum Kind { kEv, kAct, kNote, kKinds };
inline const char* const kKindNames[kKinds] = {"ev", "act", "note"};

}  // namespace edict::differential
