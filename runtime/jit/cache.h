// The on-disk cache: compiled rule sets as object files and their linked images, keyed by
// everything the code depends on, so a warm start loads native code without building IR; and, in
// the same directory and file format, other entry types (the plan cache of runtime/api). Entries
// are written atomically (temporary file, then rename), so concurrent processes never see half an
// entry; an entry whose header, size or checksum does not match is treated as absent and rebuilt.
// A warm start maps an entry's file and decodes views into it: its bytes are neither zero-filled
// nor copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edict::jit {

// Which symbol of an object file serves which expression root, which pass and which index build.
struct SymbolTable {
  std::vector<std::pair<uint32_t, std::string>> exprs;    // expr id → symbol
  std::vector<std::pair<uint32_t, std::string>> passes;   // pass index → symbol
  std::vector<std::pair<uint32_t, std::string>> indexes;  // Scan::index → symbol
};

struct CacheEntry {
  SymbolTable symbols;
  // The LLJIT's data layout, so that a warm start need not create a target machine to learn it;
  // empty: not known (the LLJIT works it out).
  std::string data_layout;
  std::string object;  // the object files' bundle (object_bundle.h)
  // The code as linked, for a warm start without the linker (image.h); empty: none recorded.
  std::string images;
};

// An entry file's bytes, mapped read-only (or, where mapping fails, read), and the payload they
// hold. Entries are replaced by rename, never rewritten in place, so the mapped file cannot change
// under a reader. Views of the payload are valid while it lives.
class EntryBytes {
 public:
  EntryBytes() = default;
  EntryBytes(EntryBytes&& other) noexcept;
  EntryBytes& operator=(EntryBytes&& other) noexcept;
  EntryBytes(const EntryBytes&) = delete;
  EntryBytes& operator=(const EntryBytes&) = delete;
  ~EntryBytes();

  std::string_view payload() const { return payload_; }

 private:
  friend class EntryStore;
  void Release();

  void* mapping_ = nullptr;  // or `read_` holds the bytes
  size_t mapped_size_ = 0;
  std::unique_ptr<char[]> read_;
  std::string_view payload_;
};

// An object entry as loaded: its symbol table, and its object files viewing `bytes`.
struct LoadedEntry {
  EntryBytes bytes;
  SymbolTable symbols;
  std::string data_layout;
  std::string_view object;  // the object files' bundle (object_bundle.h), 16-byte aligned in memory
  std::string_view images;  // the linked images (image.h), 16-byte aligned in memory; may be empty
};

// $EDICT_CACHE_DIR, else $XDG_CACHE_HOME/edict, else $HOME/.cache/edict; empty when none is set.
std::string CacheDirectory();

// Lowercase hex sha256 of `parts`, each length-prefixed so that no two lists hash alike.
std::string CacheKey(const std::vector<std::string>& parts);

// Lowercase hex of xxh3's 128-bit digest of `bytes`: what a cache entry checks the files it was
// made from by (GB/s, where this host's sha256 hashes ~200 MB/s).
std::string ContentDigest(std::string_view bytes);

enum class CacheLookup : uint8_t {
  kHit,
  kMiss,     // no entry
  kCorrupt,  // an entry that is truncated, of another format or key, or fails its checksum
};

// One type of entry: files `<key><extension>` whose bytes start with `magic`.
struct EntryType {
  std::string_view magic;
  std::string_view extension;
};

// The entries of one type in a cache directory, as opaque payloads.
class EntryStore {
 public:
  EntryStore(std::string directory, EntryType type) : directory_(std::move(directory)), type_(type) {}

  CacheLookup Load(const std::string& key, EntryBytes& bytes) const;
  // Creates the directory if needed; false with `error` set when the entry could not be written
  // (the caller goes on without the cache).
  bool Store(const std::string& key, std::string_view payload, std::string& error) const;

  // Whether a file for `key` exists (one stat; its contents are not read, so it may be corrupt).
  bool Holds(const std::string& key) const;

  std::string PathOf(const std::string& key) const;

 private:
  std::string directory_;
  EntryType type_;
};

// Payloads start at a multiple of this in the file, so that data aligned within a payload is
// aligned in memory when the file is mapped (object files are parsed in place).
inline constexpr size_t kPayloadAlignment = 16;

// The file format, exposed for tests: magic, key, payload size, payload checksum (xxh3), zeros up
// to kPayloadAlignment, payload. `payload` views `bytes`.
std::string EncodeBlob(EntryType type, const std::string& key, std::string_view payload);
CacheLookup DecodeBlob(std::string_view bytes, EntryType type, const std::string& key, std::string_view& payload);

class ObjectCache {
 public:
  explicit ObjectCache(std::string directory);

  CacheLookup Load(const std::string& key, LoadedEntry& entry) const;
  bool Store(const std::string& key, const CacheEntry& entry, std::string& error) const;

  bool Holds(const std::string& key) const { return store_.Holds(key); }
  std::string PathOf(const std::string& key) const { return store_.PathOf(key); }

 private:
  EntryStore store_;
};

// An object entry's payload is its symbol table, object files and linked images.
std::string EncodeEntry(const std::string& key, const CacheEntry& entry);
CacheLookup DecodeEntry(std::string_view bytes, const std::string& key, CacheEntry& entry);

}  // namespace edict::jit
