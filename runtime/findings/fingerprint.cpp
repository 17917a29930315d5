// SHA-256 finding ids (libsodium), computed over the fields findings-1.md names and nothing else.
#include "runtime/findings/fingerprint.h"

#include <sodium.h>

#include <algorithm>

namespace edict::findings {
namespace {

constexpr std::string_view kUnitSeparator = "\x1f";    // U+001F
constexpr std::string_view kRecordSeparator = "\x1e";  // U+001E

std::string SortedSet(const std::vector<std::string>& strings) {
  std::vector<std::string_view> items(strings.begin(), strings.end());
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  std::string joined;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) joined += kRecordSeparator;
    joined += items[i];
  }
  return joined;
}

}  // namespace

std::string FingerprintInput(std::string_view rule_id, const Finding& finding) {
  return FingerprintInput(rule_id, finding.app.id, finding.subject, finding.data_types, finding.permissions);
}

std::string FingerprintInput(std::string_view rule_id, std::string_view app_id, const Subject& subject,
                             const std::vector<std::string>& data_types, const std::vector<std::string>& permissions) {
  const std::string_view fields[] = {rule_id, app_id, Name(subject.party), subject.sdk, subject.org, subject.domain};
  std::string input;
  for (std::string_view field : fields) {
    input += field;
    input += kUnitSeparator;
  }
  input += SortedSet(data_types);
  input += kUnitSeparator;
  input += SortedSet(permissions);
  return input;
}

std::string Sha256Hex(std::string_view bytes) { return Sha256Hex(std::span<const std::string_view>(&bytes, 1)); }

std::string Sha256Hex(std::span<const std::string_view> pieces) {
  // Idempotent and thread-safe; it picks the fastest implementation for this CPU.
  static const bool sodium_ready = sodium_init() >= 0;
  (void)sodium_ready;
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  for (std::string_view piece : pieces) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(piece.data()), piece.size());
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string Fingerprint(std::string_view rule_id, const Finding& finding) {
  return Sha256Hex(FingerprintInput(rule_id, finding));
}

}  // namespace edict::findings
