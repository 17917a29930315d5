// Per-session string interning: each distinct string of a session is stored once and named by a
// dense 32-bit id, so string columns hold ids and string equality is an integer comparison.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace edict::facts {

class StringPool {
 public:
  StringPool() = default;
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  // Copies `text` on first sight; the loader calls this while simdjson's view is still alive.
  uint32_t Intern(std::string_view text);
  std::optional<uint32_t> Find(std::string_view text) const;
  std::string_view text(uint32_t id) const { return texts_[id]; }
  size_t size() const { return texts_.size(); }

 private:
  static uint64_t Hash(std::string_view text);
  char* Allocate(size_t bytes);
  void Grow();

  // Texts live in large blocks that never move, so the views below stay valid.
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  std::vector<std::string_view> texts_;
  std::vector<uint64_t> hashes_;  // by id: rehashing and lookups skip most byte comparisons
  std::vector<uint32_t> slots_;   // open addressing over ids + 1; 0 is an empty slot
  uint64_t mask_ = 0;
};

}  // namespace edict::facts
