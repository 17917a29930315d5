// UTF-8 facts CEL strings need: validity (for string(bytes)) and length in code points (size()).
#pragma once

#include <cstdint>
#include <string_view>

namespace edict::value {

// Well-formed UTF-8 as Unicode defines it: no overlong forms, surrogates or code points above
// U+10FFFF.
bool IsValidUtf8(std::string_view text);
// The number of code points in valid UTF-8 text.
int64_t CountCodePoints(std::string_view text);

}  // namespace edict::value
