// A scratch directory tree for tests of pack discovery: files, directories and links written
// under a fresh temporary root, removed with the object.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace edict::testing {

class ScratchTree {
 public:
  ScratchTree() {
    root_ = std::filesystem::temp_directory_path() /
            ("edict-tree-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~ScratchTree() { std::filesystem::remove_all(root_); }
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;

  // Writes `text` to `relative`, creating its directories; returns its path.
  std::string Write(const std::string& relative, const std::string& text = "") {
    std::filesystem::path path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  void Directory(const std::string& relative) { std::filesystem::create_directories(root_ / relative); }
  void Link(const std::string& target, const std::string& relative) {
    std::filesystem::create_symlink(target, root_ / relative);
  }
  std::string Path(const std::string& relative) const { return (root_ / relative).string(); }
  std::string root() const { return root_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path root_;
};

}  // namespace edict::testing
