// The on-disk cache: compiled rule sets as object files, keyed by everything the code depends on,
// so a warm start loads native code without building IR; and, in the same directory and file
// format, other entry types (the plan cache of runtime/api). Entries are written atomically
// (temporary file, then rename), so concurrent processes never see half an entry; an entry whose
// header, size or checksum does not match is treated as absent and rebuilt.
#pragma once

#include <cstdint>
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
  std::string object;  // a relocatable object file
};

// $EDICT_CACHE_DIR, else $XDG_CACHE_HOME/edict, else $HOME/.cache/edict; empty when none is set.
std::string CacheDirectory();

// Lowercase hex sha256 of `parts`, each length-prefixed so that no two lists hash alike.
std::string CacheKey(const std::vector<std::string>& parts);

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

  CacheLookup Load(const std::string& key, std::string& payload) const;
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

// The file format, exposed for tests: magic, key, payload size, payload checksum (xxh3), payload.
std::string EncodeBlob(EntryType type, const std::string& key, std::string_view payload);
CacheLookup DecodeBlob(std::string_view bytes, EntryType type, const std::string& key, std::string& payload);

class ObjectCache {
 public:
  explicit ObjectCache(std::string directory);

  CacheLookup Load(const std::string& key, CacheEntry& entry) const;
  bool Store(const std::string& key, const CacheEntry& entry, std::string& error) const;

  bool Holds(const std::string& key) const { return store_.Holds(key); }
  std::string PathOf(const std::string& key) const { return store_.PathOf(key); }

 private:
  EntryStore store_;
};

// An object entry's payload is its symbol table and object file.
std::string EncodeEntry(const std::string& key, const CacheEntry& entry);
CacheLookup DecodeEntry(std::string_view bytes, const std::string& key, CacheEntry& entry);

}  // namespace edict::jit
