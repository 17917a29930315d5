// UTF-8 facts CEL strings need: validity (for string(bytes), and the rule source before ANTLR sees
// it), length in code points (size()), and text NFKC leaves as it is (nfkc()'s fast path).
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
// Whether `text` is well-formed UTF-8 of code points that NFKC keeps wherever they stand (no
// decomposition, combining class 0, never the second of a composition): ASCII, the CJK unified
// ideographs U+4E00-U+9FFF and common CJK and general punctuation, what screen texts are made of.
// Such text is its own NFKC form; false says nothing (the text may still be in NFKC).
bool IsNfkcStable(std::string_view text);

}  // namespace edict::value
