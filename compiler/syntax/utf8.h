// Strict UTF-8 validation, decoding and encoding for the syntax phase.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edict::syntax {

// The byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are all ill-formed), or nullopt when `text` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Decodes the code point starting at `pos` of valid UTF-8 text and returns its length in bytes.
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point);

// Appends `code_point` (a Unicode scalar value) encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t code_point);

inline bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace edict::syntax
