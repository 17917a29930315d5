// Cache entry format and file handling. The checksum covers the whole payload, so a torn or
// bit-flipped file is detected before a single byte of it reaches the linker. It is xxh3 (GB/s)
// rather than sha256: it guards against accidents, not adversaries, and a warm start reads
// megabytes.
#include "runtime/jit/cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

// Header-only: xxh3 inlined, nothing to link.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "runtime/jit/bytes.h"
#include "runtime/findings/fingerprint.h"

namespace edict::jit {
namespace {

constexpr EntryType kObjectEntry = {"EDICTJIT-OBJECT-5\n", ".edictobj"};
constexpr size_t kHexSize = 64;  // a sha256 in hex

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

void PutSymbols(std::string& out, const std::vector<std::pair<uint32_t, std::string>>& symbols) {
  Put<uint64_t>(out, symbols.size());
  for (const auto& [index, name] : symbols) {
    Put<uint32_t>(out, index);
    PutText(out, name);
  }
}

bool GetSymbols(ByteReader& in, std::vector<std::pair<uint32_t, std::string>>& symbols) {
  uint64_t count = 0;
  if (!in.GetCount(count, sizeof(uint32_t) + sizeof(uint64_t))) return false;
  symbols.clear();
  symbols.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t index = 0;
    std::string name;
    if (!in.Get(index) || !in.GetText(name)) return false;
    symbols.emplace_back(index, std::move(name));
  }
  return true;
}

// The object files and images last and aligned: the linker parses the objects where they are, and
// placing copies the images' bytes from where they are.
std::string EncodeObjectPayload(const CacheEntry& entry) {
  std::string payload;
  // One allocation: the object files and images are most of it (the symbols' size is a guess).
  payload.reserve(entry.object.size() + entry.images.size() + entry.data_layout.size() + 4 * kPayloadAlignment +
                  64 * (entry.symbols.exprs.size() + entry.symbols.passes.size() + entry.symbols.indexes.size()));
  PutSymbols(payload, entry.symbols.exprs);
  PutSymbols(payload, entry.symbols.passes);
  PutSymbols(payload, entry.symbols.indexes);
  PutText(payload, entry.data_layout);
  PutAlignedText(payload, entry.object, kPayloadAlignment);
  PutAlignedText(payload, entry.images, kPayloadAlignment);
  return payload;
}

// `object` and `images` view `payload`.
CacheLookup DecodeObjectPayload(std::string_view payload, SymbolTable& symbols, std::string& data_layout,
                                std::string_view& object, std::string_view& images) {
  ByteReader in(payload);
  SymbolTable decoded;
  std::string decoded_layout;
  if (!GetSymbols(in, decoded.exprs) || !GetSymbols(in, decoded.passes) || !GetSymbols(in, decoded.indexes) ||
      !in.GetText(decoded_layout) || !in.GetView(object, kPayloadAlignment) ||
      !in.GetView(images, kPayloadAlignment) || !in.done()) {
    return CacheLookup::kCorrupt;
  }
  symbols = std::move(decoded);
  data_layout = std::move(decoded_layout);
  return CacheLookup::kHit;
}

size_t HeaderSize(EntryType type) {
  size_t header = type.magic.size() + kHexSize + 2 * sizeof(uint64_t);
  return header + PaddingTo(kPayloadAlignment, header);
}

// The file's bytes, mapped: the pages are the page cache's, mapped at once (MAP_POPULATE) rather
// than faulted in one by one, where reading them would fault in and zero as many fresh pages and
// copy into them. Null when the file cannot be mapped (empty, or a file system without mmap).
void* MapFile(int fd, size_t size) {
  if (size == 0) return nullptr;
  void* mapping = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  return mapping == MAP_FAILED ? nullptr : mapping;
}

bool ReadFully(int fd, char* bytes, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd, bytes + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Closes the descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

uint64_t Checksum(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

// An entry file's bytes before its payload.
std::string EncodeHeader(EntryType type, const std::string& key, std::string_view payload) {
  std::string out(type.magic);
  out += key;
  Put<uint64_t>(out, payload.size());
  Put<uint64_t>(out, Checksum(payload));
  out.append(HeaderSize(type) - out.size(), '\0');
  return out;
}

// False with errno set when not all of `bytes` could be written.
bool WriteFully(int fd, std::string_view bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string ContentDigest(std::string_view bytes) {
  XXH128_hash_t digest = XXH3_128bits(bytes.data(), bytes.size());
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint64_t half : {digest.high64, digest.low64}) {
    for (int shift = 60; shift >= 0; shift -= 4) hex += kDigits[(half >> shift) & 15];
  }
  return hex;
}

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
  for (const std::string& part : parts) PutText(bytes, part);
  return findings::Sha256Hex(bytes);
}

std::string EncodeBlob(EntryType type, const std::string& key, std::string_view payload) {
  std::string out = EncodeHeader(type, key, payload);
  out += payload;
  return out;
}

CacheLookup DecodeBlob(std::string_view bytes, EntryType type, const std::string& key, std::string_view& payload) {
  size_t header = HeaderSize(type);
  if (bytes.size() < header || bytes.substr(0, type.magic.size()) != type.magic) return CacheLookup::kCorrupt;
  if (bytes.substr(type.magic.size(), kHexSize) != key) return CacheLookup::kCorrupt;
  uint64_t size = 0;
  uint64_t checksum = 0;
  std::memcpy(&size, bytes.data() + type.magic.size() + kHexSize, sizeof(size));
  std::memcpy(&checksum, bytes.data() + type.magic.size() + kHexSize + sizeof(size), sizeof(checksum));
  std::string_view body = bytes.substr(header);
  if (body.size() != size || Checksum(body) != checksum) return CacheLookup::kCorrupt;
  payload = body;
  return CacheLookup::kHit;
}

std::string EntryStore::PathOf(const std::string& key) const {
  return (std::filesystem::path(directory_) / (key + std::string(type_.extension))).string();
}

bool EntryStore::Holds(const std::string& key) const {
  std::error_code code;
  return std::filesystem::is_regular_file(PathOf(key), code);
}

EntryBytes::EntryBytes(EntryBytes&& other) noexcept { *this = std::move(other); }

EntryBytes& EntryBytes::operator=(EntryBytes&& other) noexcept {
  if (this != &other) {
    Release();
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapped_size_ = std::exchange(other.mapped_size_, 0);
    read_ = std::move(other.read_);
    payload_ = std::exchange(other.payload_, {});
  }
  return *this;
}

EntryBytes::~EntryBytes() { Release(); }

void EntryBytes::Release() {
  if (mapping_ != nullptr) munmap(mapping_, mapped_size_);
  mapping_ = nullptr;
  mapped_size_ = 0;
  read_.reset();
  payload_ = {};
}

CacheLookup EntryStore::Load(const std::string& key, EntryBytes& bytes) const {
  FileDescriptor file(open(PathOf(key).c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return CacheLookup::kMiss;
  struct stat status {};
  if (fstat(file.get(), &status) != 0 || !S_ISREG(status.st_mode)) return CacheLookup::kCorrupt;
  EntryBytes loaded;
  size_t size = static_cast<size_t>(status.st_size);
  loaded.mapping_ = MapFile(file.get(), size);
  std::string_view contents;
  if (loaded.mapping_ != nullptr) {
    loaded.mapped_size_ = size;
    contents = {static_cast<const char*>(loaded.mapping_), size};
  } else {
    loaded.read_.reset(new char[size]);  // not zero-filled: every byte is read over
    if (!ReadFully(file.get(), loaded.read_.get(), size)) return CacheLookup::kCorrupt;
    contents = {loaded.read_.get(), size};
  }
  CacheLookup lookup = DecodeBlob(contents, type_, key, loaded.payload_);
  if (lookup == CacheLookup::kHit) bytes = std::move(loaded);
  return lookup;
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
  // The header, then the payload where it is: not copied after the header.
  bool written = WriteFully(fd, EncodeHeader(type_, key, payload)) && WriteFully(fd, payload);
  int failure = written ? 0 : (errno != 0 ? errno : EIO);
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
  std::string_view payload;
  std::string_view object;
  std::string_view images;
  CacheLookup lookup = DecodeBlob(bytes, kObjectEntry, key, payload);
  if (lookup == CacheLookup::kHit) {
    lookup = DecodeObjectPayload(payload, entry.symbols, entry.data_layout, object, images);
  }
  if (lookup == CacheLookup::kHit) {
    entry.object.assign(object);
    entry.images.assign(images);
  }
  return lookup;
}

ObjectCache::ObjectCache(std::string directory) : store_(std::move(directory), kObjectEntry) {}

CacheLookup ObjectCache::Load(const std::string& key, LoadedEntry& entry) const {
  CacheLookup lookup = store_.Load(key, entry.bytes);
  return lookup == CacheLookup::kHit
             ? DecodeObjectPayload(entry.bytes.payload(), entry.symbols, entry.data_layout, entry.object, entry.images)
             : lookup;
}

bool ObjectCache::Store(const std::string& key, const CacheEntry& entry, std::string& error) const {
  return store_.Store(key, EncodeObjectPayload(entry), error);
}

}  // namespace edict::jit
