// Cache entry format and file handling. The checksum covers the whole payload, so a torn or
// bit-flipped file is detected before a single byte of it reaches the linker. It is xxh3 (GB/s)
// rather than sha256: it guards against accidents, not adversaries, and a warm start reads
// megabytes.
#include "runtime/jit/cache.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/xxhash.h"
#include "runtime/findings/atomic_file.h"
#include "runtime/findings/fingerprint.h"

namespace edict::jit {
namespace {

constexpr std::string_view kMagic = "EDICTJIT-OBJECT-2\n";
constexpr size_t kHexSize = 64;  // a sha256 in hex

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

template <typename T>
void Put(std::string& out, T number) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &number, sizeof(T));
  out.append(bytes, sizeof(T));
}

void PutString(std::string& out, std::string_view text) {
  Put<uint64_t>(out, text.size());
  out.append(text);
}

// Reads the payload back; every read is bounds-checked, so a payload that passed the checksum but
// was written by a buggy writer still cannot read out of bounds.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T& number) {
    if (bytes_.size() - at_ < sizeof(T)) return false;
    std::memcpy(&number, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }

  bool GetString(std::string& text) {
    uint64_t size = 0;
    if (!Get(size) || bytes_.size() - at_ < size) return false;
    text.assign(bytes_.data() + at_, size);
    at_ += size;
    return true;
  }

  bool done() const { return at_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

void PutSymbols(std::string& out, const std::vector<std::pair<uint32_t, std::string>>& symbols) {
  Put<uint64_t>(out, symbols.size());
  for (const auto& [index, name] : symbols) {
    Put<uint32_t>(out, index);
    PutString(out, name);
  }
}

bool GetSymbols(Reader& in, std::vector<std::pair<uint32_t, std::string>>& symbols) {
  uint64_t count = 0;
  if (!in.Get(count)) return false;
  symbols.clear();
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t index = 0;
    std::string name;
    if (!in.Get(index) || !in.GetString(name)) return false;
    symbols.emplace_back(index, std::move(name));
  }
  return true;
}

uint64_t Checksum(std::string_view bytes) {
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace

std::string CacheDirectory() {
  std::string explicit_dir = Env("EDICT_CACHE_DIR");
  if (!explicit_dir.empty()) return explicit_dir;
  std::string xdg = Env("XDG_CACHE_HOME");
  if (!xdg.empty()) return (std::filesystem::path(xdg) / "edict").string();
  std::string home = Env("HOME");
  if (!home.empty()) return (std::filesystem::path(home) / ".cache" / "edict").string();
  return {};
}

std::string CacheKey(const std::vector<std::string>& parts) {
  std::string bytes;
  for (const std::string& part : parts) PutString(bytes, part);
  return findings::Sha256Hex(bytes);
}

std::string EncodeEntry(const std::string& key, const CacheEntry& entry) {
  std::string payload;
  PutSymbols(payload, entry.symbols.exprs);
  PutSymbols(payload, entry.symbols.passes);
  PutString(payload, entry.object);

  std::string out(kMagic);
  out += key;
  Put<uint64_t>(out, payload.size());
  Put<uint64_t>(out, Checksum(payload));
  out += payload;
  return out;
}

CacheLookup DecodeEntry(std::string_view bytes, const std::string& key, CacheEntry& entry) {
  size_t header = kMagic.size() + kHexSize + 2 * sizeof(uint64_t);
  if (bytes.size() < header || bytes.substr(0, kMagic.size()) != kMagic) return CacheLookup::kCorrupt;
  if (bytes.substr(kMagic.size(), kHexSize) != key) return CacheLookup::kCorrupt;
  uint64_t size = 0;
  uint64_t checksum = 0;
  std::memcpy(&size, bytes.data() + kMagic.size() + kHexSize, sizeof(size));
  std::memcpy(&checksum, bytes.data() + kMagic.size() + kHexSize + sizeof(size), sizeof(checksum));
  std::string_view payload = bytes.substr(header);
  if (payload.size() != size || Checksum(payload) != checksum) return CacheLookup::kCorrupt;

  Reader in(payload);
  CacheEntry decoded;
  if (!GetSymbols(in, decoded.symbols.exprs) || !GetSymbols(in, decoded.symbols.passes) ||
      !in.GetString(decoded.object) || !in.done()) {
    return CacheLookup::kCorrupt;
  }
  entry = std::move(decoded);
  return CacheLookup::kHit;
}

std::string ObjectCache::PathOf(const std::string& key) const {
  return (std::filesystem::path(directory_) / (key + ".edictobj")).string();
}

CacheLookup ObjectCache::Load(const std::string& key, CacheEntry& entry) const {
  std::ifstream file(PathOf(key), std::ios::binary | std::ios::ate);
  if (!file) return CacheLookup::kMiss;
  std::streamoff size = file.tellg();
  if (size < 0) return CacheLookup::kCorrupt;
  std::string bytes(static_cast<size_t>(size), '\0');
  file.seekg(0);
  if (!file.read(bytes.data(), size)) return CacheLookup::kCorrupt;
  return DecodeEntry(bytes, key, entry);
}

bool ObjectCache::Store(const std::string& key, const CacheEntry& entry, std::string& error) const {
  std::error_code code;
  std::filesystem::create_directories(directory_, code);
  if (code) {
    error = "cannot create " + directory_ + ": " + code.message();
    return false;
  }
  findings::AtomicFile file;
  std::string reason;
  if (!file.Open(PathOf(key), reason)) {
    error = "cannot write " + PathOf(key) + ": " + reason;
    return false;
  }
  file.stream() << EncodeEntry(key, entry);
  if (!file.Commit(reason)) {
    error = "cannot write " + PathOf(key) + ": " + reason;
    return false;
  }
  return true;
}

}  // namespace edict::jit
