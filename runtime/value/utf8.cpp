// UTF-8 validation (RFC 3629), code point counting, and text NFKC keeps as it is.
#include "runtime/value/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace edict::value {

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    unsigned char min_second = 0x80, max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) min_second = 0xA0;  // overlong
      if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) min_second = 0x90;  // overlong
      if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + 1 >= size || bytes[i + 1] < min_second || bytes[i + 1] > max_second) return i;
    for (size_t k = 2; k < length; ++k) {
      if (i + k >= size || (bytes[i + k] & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return std::nullopt;
}

namespace {

struct CodePointRange {
  char32_t first, last;
};

// Every code point here has no decomposition, combining class 0 and is no composition's second
// (tests/unit/value_nfkc_stable_test.cpp checks each against utf8proc). Not U+3000 (a compatibility
// space), U+2026 (`...`) nor the full-width forms U+FF00-U+FFEF, which NFKC changes. Sorted.
constexpr CodePointRange kNfkcStable[] = {
    {0x00D7, 0x00D7},  // ×
    {0x00F7, 0x00F7},  // ÷
    {0x2010, 0x2010},  // ‐
    {0x2013, 0x2014},  // – —
    {0x2018, 0x2019},  // ‘ ’
    {0x201C, 0x201D},  // “ ”
    {0x3001, 0x3003},  // 、。〃
    {0x3005, 0x3011},  // 々〆〇〈〉《》「」『』【】
    {0x3014, 0x301F},  // 〔〕〖〗〘〙〚〛〜〝〞〟
    {0x4E00, 0x9FFF},  // CJK unified ideographs
};

bool IsNfkcStableCodePoint(char32_t point) {
  if (point >= 0x4E00) return point <= 0x9FFF;
  auto before = [](char32_t p, const CodePointRange& range) { return p < range.first; };
  const CodePointRange* after = std::upper_bound(std::begin(kNfkcStable), std::end(kNfkcStable), point, before);
  return after != std::begin(kNfkcStable) && point <= after[-1].last;
}

// The CJK punctuation of kNfkcStable, U+3000-U+301F, by its last UTF-8 byte (E3 80 80-9F) - 0x80:
// U+3001-3003, U+3005-3011 and U+3014-301F.
constexpr uint32_t kStableCjkPunctuation = 0xFFF3FFEEu;

// Whether the three bytes at `bytes` encode a CJK unified ideograph, U+4E00-U+9FFF (E4 B8 80 to
// E9 BF BF; no overlong form or surrogate starts with E4-E9), or CJK punctuation NFKC keeps.
bool IsStableCjk(const unsigned char* bytes) {
  unsigned char lead = bytes[0];
  if (lead == 0xE3) {
    unsigned last = bytes[2] - 0x80u;
    return bytes[1] == 0x80 && last < 32 && ((kStableCjkPunctuation >> last) & 1) != 0;
  }
  bool in_range = (lead >= 0xE5 && lead <= 0xE9) || (lead == 0xE4 && bytes[1] >= 0xB8);
  return in_range && (bytes[1] & 0xC0) == 0x80 && (bytes[2] & 0xC0) == 0x80;
}

}  // namespace

// Screen texts are mostly ASCII, CJK ideographs and CJK punctuation: eight ASCII bytes are tested
// at once, an ideograph or a punctuation mark without decoding it; anything else is decoded and
// looked up.
bool IsNfkcStable(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  for (size_t i = 0; i < size;) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      uint64_t word = 0x80;
      if (size - i >= 8) std::memcpy(&word, bytes + i, 8);
      i += (word & 0x8080808080808080u) == 0 ? 8 : 1;
      continue;
    }
    if (size - i >= 3 && IsStableCjk(bytes + i)) {
      i += 3;
      continue;
    }
    // The claimed code points take two or three bytes; an overlong form decodes below them.
    size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 0;
    if (length == 0 || i + length > size) return false;
    char32_t point = lead & (length == 2 ? 0x1F : 0x0F);
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return false;
      point = (point << 6) | (bytes[i + k] & 0x3F);
    }
    if (!IsNfkcStableCodePoint(point)) return false;
    i += length;
  }
  return true;
}

int64_t CountCodePoints(std::string_view text) {
  int64_t count = 0;
  for (unsigned char c : text) count += (c & 0xc0) != 0x80;  // every byte but continuation bytes
  return count;
}

}  // namespace edict::value
