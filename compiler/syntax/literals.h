// Decoding of literal tokens as CEL defines them: quoted strings and bytes with every escape,
// integers, doubles, and Edict's duration literals. Pure functions: errors come back as values
// located relative to the token's text, and the AST builder turns them into diagnostics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edict::syntax {

struct LiteralError {
  uint32_t offset = 0;   // in the token text
  uint32_t length = 0;
  std::string what;      // the offending escape or text, as written
  std::string help;      // why, for the diagnostic's help line; may be empty
};

struct DecodedText {
  std::string value;                // UTF-8 text (strings) or raw bytes (bytes literals)
  std::vector<uint32_t> origins;    // token-text offset that produced each byte, plus the end
};

// Decodes a STRING or BYTES token (`"a\n"`, `r'x'`, `'''...'''`, `b"\xff"`). Returns false and
// fills `error` on an invalid escape. Strings hold code points (`\xFF` is U+00FF); bytes hold
// bytes (`\xFF` is one byte, `\u` is not allowed). Raw newlines (CRLF, CR) become LF.
bool DecodeQuoted(std::string_view token, DecodedText* out, LiteralError* error);

inline bool IsBytesToken(std::string_view token) {
  return !token.empty() && (token[0] == 'b' || token[0] == 'B');
}

enum class NumberStatus { kOk, kOutOfRange };

// `digits` is a NUM_INT token (`42`, `0x2A`), negated when the literal has a sign
// (`-9223372036854775808` is in range).
NumberStatus ParseInt(bool negative, std::string_view digits, int64_t* value);
// `token` is a NUM_UINT token (`12u`, `0xFFu`).
NumberStatus ParseUint(std::string_view token, uint64_t* value);
// `token` is a NUM_FLOAT token; only a finite result is in range (underflow rounds to zero).
NumberStatus ParseDouble(bool negative, std::string_view token, double* value);

// A DURATION token (`48h`, `1h30m`, `250ms`) in nanoseconds. Units go from largest to smallest,
// each at most once; false with a reason in `error->help` otherwise or on int64 overflow.
bool ParseDuration(std::string_view token, int64_t* nanos, LiteralError* error);

}  // namespace edict::syntax
