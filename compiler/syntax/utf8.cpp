// UTF-8 decoding and encoding of valid text (RFC 3629).
#include "compiler/syntax/utf8.h"

namespace edict::syntax {

size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[pos + k]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  if (lead < 0xE0) {
    *code_point = (char32_t(lead & 0x1F) << 6) | (byte(1) & 0x3F);
    return 2;
  }
  if (lead < 0xF0) {
    *code_point = (char32_t(lead & 0x0F) << 12) | (char32_t(byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    return 3;
  }
  *code_point = (char32_t(lead & 0x07) << 18) | (char32_t(byte(1) & 0x3F) << 12) |
                (char32_t(byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
  return 4;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace edict::syntax
