// UTF-8 facts CEL strings need: validity (for string(bytes), and the rule source before ANTLR sees
// it) and length in code points (size()).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace edict::value {

// The byte offset of the first byte that is not part of well-formed UTF-8 as Unicode defines it
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed; a malformed sequence
// is reported at its lead byte, where an editor shows the problem), or nullopt when `text` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }
// The number of code points in valid UTF-8 text.
int64_t CountCodePoints(std::string_view text);

}  // namespace edict::value
