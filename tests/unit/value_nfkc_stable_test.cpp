// `nfkc`'s fast path (runtime/value/utf8.h, IsNfkcStable): every code point it claims, checked
// against utf8proc, so text made of them is its own NFKC form wherever each one stands.
#include <doctest/doctest.h>
#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "runtime/value/dispatch.h"
#include "runtime/value/utf8.h"

using namespace edict::value;

namespace {

constexpr utf8proc_int32_t kLastCodePoint = 0x10FFFF;

bool IsSurrogate(utf8proc_int32_t point) { return point >= 0xD800 && point <= 0xDFFF; }

std::string Utf8(utf8proc_int32_t point) {
  utf8proc_uint8_t bytes[4];
  utf8proc_ssize_t size = utf8proc_encode_char(point, bytes);
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
}

std::string UtfprocNfkc(const std::string& text) {
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
  utf8proc_ssize_t size = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                       static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
  REQUIRE(size >= 0);
  std::string result(reinterpret_cast<const char*>(mapped), static_cast<size_t>(size));
  std::free(mapped);
  return result;
}

// The code points that can be a canonical composition's second: the last of every canonical
// decomposition (Hangul syllables included), a superset of the composition pairs' seconds.
std::set<utf8proc_int32_t> CompositionSeconds() {
  std::set<utf8proc_int32_t> seconds;
  for (utf8proc_int32_t point = 0; point <= kLastCodePoint; ++point) {
    if (IsSurrogate(point)) continue;
    utf8proc_int32_t parts[8];
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    utf8proc_ssize_t count = utf8proc_decompose_char(point, parts, 8, UTF8PROC_DECOMPOSE, &boundclass);
    REQUIRE(count >= 1);
    if (count >= 2) seconds.insert(parts[count - 1]);
  }
  return seconds;
}

std::string Hex(utf8proc_int32_t point) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(point));
  return text;
}

Value Nfkc(std::string_view text) {
  std::optional<Function> f = Function::Find("nfkc", CallStyle::kGlobal);
  REQUIRE(f.has_value());
  std::vector<Value> args = {Value::String(text)};
  return f->Call(args);
}

}  // namespace

TEST_CASE("every code point the fast path claims is kept by NFKC wherever it stands") {
  std::set<utf8proc_int32_t> seconds = CompositionSeconds();
  REQUIRE(seconds.count(0x0301) == 1);  // e + U+0301 composes
  REQUIRE(seconds.count(0x1161) == 1);  // a Hangul vowel composes with a leading consonant
  std::vector<utf8proc_int32_t> claimed;
  for (utf8proc_int32_t point = 0; point <= kLastCodePoint; ++point) {
    if (IsSurrogate(point) || !IsNfkcStable(Utf8(point))) continue;
    claimed.push_back(point);
    INFO(Hex(point));
    CHECK(utf8proc_get_property(point)->combining_class == 0);
    CHECK(UtfprocNfkc(Utf8(point)) == Utf8(point));
    CHECK(seconds.count(point) == 0);
  }
  // ASCII, the CJK unified ideographs and the punctuation around them; not the full-width forms.
  CHECK(claimed.size() == 128 + (0x9FFF - 0x4E00 + 1) + 37);
  for (utf8proc_int32_t point : {0x3000, 0x2026, 0xFF0C, 0xFF01, 0xF900, 0x2F00, 0x00A0, 0x00C9}) {
    INFO(Hex(point));
    CHECK_FALSE(IsNfkcStable(Utf8(point)));
  }
}

TEST_CASE("text of claimed code points is returned as it is; any other text goes through utf8proc") {
  std::vector<utf8proc_int32_t> alphabet = {'a', 'Z', ' ', '(', 0xD7, 0x3001, 0x3002, 0x300A, 0x300B,
                                            0x3010, 0x4E00, 0x8EAB, 0x4EFD, 0x8BC1, 0x9FFF, 0x2014, 0x201C};
  std::vector<utf8proc_int32_t> others = {0xFF0C, 0x3000, 0x0301, 0x1161, 0xFB01, 0x2460, 0xF900, 0xFF21};
  std::mt19937 random(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = random() % 12;
    for (size_t i = 0; i < length; ++i) text += Utf8(alphabet[random() % alphabet.size()]);
    bool stable = round % 2 == 0;
    std::string other = Utf8(others[random() % others.size()]);
    if (!stable) text = random() % 2 == 0 ? other + text : text + other;
    INFO(text);
    CHECK(IsNfkcStable(text) == stable);
    Value normalized = Nfkc(text);
    REQUIRE(normalized.is_string());
    CHECK(std::string(normalized.string_value()) == UtfprocNfkc(text));
  }
}

TEST_CASE("malformed UTF-8 is never claimed") {
  for (const char* text : {"\xC0\x80", "\xC1\xBF", "\xE0\x81\x81", "\xE4\xB8", "\xE4", "\xB8\x80", "\xED\xA0\x80",
                           "\xE4\x38\x80", "\xF0\x9F\x98\x80", "\xFF", "\xE4\xB8\x38", "\xE9\xC0\x80", "\xE9\xBF",
                           "\xE5\x80\xC0", "\xE4\xB7\xBF", "\xE3\x80", "\xE3\x80\xC1"}) {
    CHECK_FALSE(IsNfkcStable(text));
    CHECK_FALSE(IsNfkcStable(std::string("abcdefghij") + text));
  }
  CHECK(IsNfkcStable(""));
  CHECK(IsNfkcStable(std::string("a\0b", 3)));
  CHECK(IsNfkcStable("个人信息保护指引《隐私政策》。×"));
}

TEST_CASE("ASCII runs, ideographs and punctuation are skipped without passing a code point not claimed") {
  // Not claimed: U+00E9, U+FF21, U+4DFF (E4 B7 BF, just below the CJK ideographs), U+3000 and
  // U+3012 (between claimed CJK punctuation), a stray byte.
  for (const std::string& other :
       {Utf8(0x00E9), Utf8(0xFF21), Utf8(0x4DFF), Utf8(0x3000), Utf8(0x3012), std::string("\x80")}) {
    for (size_t before = 0; before <= 20; ++before) {
      for (size_t after : {size_t{0}, size_t{1}, size_t{7}, size_t{9}}) {
        std::string text = std::string(before, 'a') + other + std::string(after, 'b');
        INFO(before, " ", after);
        CHECK_FALSE(IsNfkcStable(text));
        CHECK(IsNfkcStable(std::string(before, 'a') + Utf8(0x4E00) + Utf8(0x300A) + Utf8(0x9FFF) + std::string(after, 'b')));
      }
    }
  }
  CHECK(IsNfkcStable(std::string(64, 'x') + "个人信息" + std::string(17, '.')));
}
