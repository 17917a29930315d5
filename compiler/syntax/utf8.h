// UTF-8 decoding and encoding for the syntax phase (validation is runtime/value/utf8.h's).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace edict::syntax {

// Decodes the code point starting at `pos` of valid UTF-8 text and returns its length in bytes.
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point);

// Appends `code_point` (a Unicode scalar value) encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t code_point);

inline bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace edict::syntax
