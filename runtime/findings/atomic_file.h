// Replacing a report file atomically: the text goes to a temporary file in the target's directory,
// which is synced and renamed over the target only when complete. A killed or failing run leaves
// the previous report (or none), never a truncated one.
#pragma once

#include <memory>
#include <ostream>
#include <string>

namespace edict::findings {

class AtomicFile {
 public:
  AtomicFile();
  ~AtomicFile();  // discards the temporary file unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates the temporary file next to `target`. On failure returns false and sets `reason`
  // (e.g. "No such file or directory"), for a "cannot write <target>: <reason>" message.
  bool Open(const std::string& target, std::string& reason);

  // Where the report is written; write errors surface in Commit.
  std::ostream& stream() { return stream_; }

  // Flushes and fsyncs the temporary file, renames it over the target and syncs the directory.
  // On failure the temporary file is removed, the target is untouched and `reason` says why.
  bool Commit(std::string& reason);

  // Removes the temporary file; the target is untouched.
  void Discard();

  const std::string& temp_path() const { return temp_path_; }

 private:
  class FdBuffer;

  std::string target_;
  std::string temp_path_;
  std::unique_ptr<FdBuffer> buffer_;
  std::ostream stream_;
};

}  // namespace edict::findings
