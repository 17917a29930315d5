// UTF-8 validation (RFC 3629), code point counting, and text NFKC keeps as it is.
#include "runtime/value/utf8.h"

#include <algorithm>
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

}  // namespace

bool IsNfkcStable(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  for (size_t i = 0; i < size;) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
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
