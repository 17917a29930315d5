// Cache entry format and file handling. The checksum covers the whole payload, so a torn or
// bit-flipped file is detected before a single byte of it reaches the linker. It is xxh3 (GB/s)
// rather than sha256: it guards against accidents, not adversaries, and a warm start reads
// megabytes.
#include "runtime/jit/cache.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/xxhash.h"
#include "runtime/findings/fingerprint.h"

namespace edict::jit {
namespace {

constexpr EntryType kObjectEntry = {"EDICTJIT-OBJECT-2\n", ".edictobj"};
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

std::string EncodeObjectPayload(const CacheEntry& entry) {
  std::string payload;
  PutSymbols(payload, entry.symbols.exprs);
  PutSymbols(payload, entry.symbols.passes);
  PutSymbols(payload, entry.symbols.indexes);
  PutString(payload, entry.object);
  return payload;
}

CacheLookup DecodeObjectPayload(std::string_view payload, CacheEntry& entry) {
  Reader in(payload);
  CacheEntry decoded;
  if (!GetSymbols(in, decoded.symbols.exprs) || !GetSymbols(in, decoded.symbols.passes) ||
      !GetSymbols(in, decoded.symbols.indexes) || !in.GetString(decoded.object) || !in.done()) {
    return CacheLookup::kCorrupt;
  }
  entry = std::move(decoded);
  return CacheLookup::kHit;
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

std::string EncodeBlob(EntryType type, const std::string& key, std::string_view payload) {
  std::string out(type.magic);
  out += key;
  Put<uint64_t>(out, payload.size());
  Put<uint64_t>(out, Checksum(payload));
  out += payload;
  return out;
}

CacheLookup DecodeBlob(std::string_view bytes, EntryType type, const std::string& key, std::string& payload) {
  size_t header = type.magic.size() + kHexSize + 2 * sizeof(uint64_t);
  if (bytes.size() < header || bytes.substr(0, type.magic.size()) != type.magic) return CacheLookup::kCorrupt;
  if (bytes.substr(type.magic.size(), kHexSize) != key) return CacheLookup::kCorrupt;
  uint64_t size = 0;
  uint64_t checksum = 0;
  std::memcpy(&size, bytes.data() + type.magic.size() + kHexSize, sizeof(size));
  std::memcpy(&checksum, bytes.data() + type.magic.size() + kHexSize + sizeof(size), sizeof(checksum));
  std::string_view body = bytes.substr(header);
  if (body.size() != size || Checksum(body) != checksum) return CacheLookup::kCorrupt;
  payload.assign(body);
  return CacheLookup::kHit;
}

std::string EntryStore::PathOf(const std::string& key) const {
  return (std::filesystem::path(directory_) / (key + std::string(type_.extension))).string();
}

bool EntryStore::Holds(const std::string& key) const {
  std::error_code code;
  return std::filesystem::is_regular_file(PathOf(key), code);
}

CacheLookup EntryStore::Load(const std::string& key, std::string& payload) const {
  std::ifstream file(PathOf(key), std::ios::binary | std::ios::ate);
  if (!file) return CacheLookup::kMiss;
  std::streamoff size = file.tellg();
  if (size < 0) return CacheLookup::kCorrupt;
  std::string bytes(static_cast<size_t>(size), '\0');
  file.seekg(0);
  if (!file.read(bytes.data(), size)) return CacheLookup::kCorrupt;
  return DecodeBlob(bytes, type_, key, payload);
}

// Written to a temporary file that is renamed over the entry, so readers and concurrent writers
// only ever see whole files. Not fsynced, unlike a report (findings::AtomicFile): a cache entry a
// system crash leaves torn fails its checksum and is rebuilt, and two syncs cost a cold start
// 10-20 ms.
bool EntryStore::Store(const std::string& key, std::string_view payload, std::string& error) const {
  std::error_code code;
  std::filesystem::create_directories(directory_, code);
  if (code) {
    error = "cannot create " + directory_ + ": " + code.message();
    return false;
  }
  std::string target = PathOf(key);
  std::string temp = (std::filesystem::path(directory_) / ("." + key + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot write " + target + ": " + std::strerror(errno);
    return false;
  }
  std::string bytes = EncodeBlob(type_, key, payload);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  int failure = written == bytes.size() ? 0 : (errno != 0 ? errno : EIO);
  if (close(fd) != 0 && failure == 0) failure = errno;
  if (failure == 0 && std::rename(temp.c_str(), target.c_str()) != 0) failure = errno;
  if (failure != 0) {
    unlink(temp.c_str());
    error = "cannot write " + target + ": " + std::strerror(failure);
    return false;
  }
  return true;
}

std::string EncodeEntry(const std::string& key, const CacheEntry& entry) {
  return EncodeBlob(kObjectEntry, key, EncodeObjectPayload(entry));
}

CacheLookup DecodeEntry(std::string_view bytes, const std::string& key, CacheEntry& entry) {
  std::string payload;
  CacheLookup lookup = DecodeBlob(bytes, kObjectEntry, key, payload);
  return lookup == CacheLookup::kHit ? DecodeObjectPayload(payload, entry) : lookup;
}

ObjectCache::ObjectCache(std::string directory) : store_(std::move(directory), kObjectEntry) {}

CacheLookup ObjectCache::Load(const std::string& key, CacheEntry& entry) const {
  std::string payload;
  CacheLookup lookup = store_.Load(key, payload);
  return lookup == CacheLookup::kHit ? DecodeObjectPayload(payload, entry) : lookup;
}

bool ObjectCache::Store(const std::string& key, const CacheEntry& entry, std::string& error) const {
  return store_.Store(key, EncodeObjectPayload(entry), error);
}

}  // namespace edict::jit
