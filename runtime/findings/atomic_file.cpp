// Temporary file, fsync and rename (POSIX).
#include "runtime/findings/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <streambuf>
#include <vector>

namespace edict::findings {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

}  // namespace

// A buffered streambuf over a file descriptor that remembers the first write error, so Commit can
// refuse to publish a file that is incomplete.
class AtomicFile::FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(64 * 1024) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  ~FdBuffer() override { CloseFd(); }

  int fd() const { return fd_; }
  int error() const { return error_; }

  // Closes the descriptor once; false (with error() set) when close reports a failed write.
  bool CloseFd() {
    if (fd_ < 0) return error_ == 0;
    if (::close(fd_) != 0 && error_ == 0) error_ = errno;
    fd_ = -1;
    return error_ == 0;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  int sync() override { return Drain() ? 0 : -1; }

 private:
  bool Drain() {
    const char* data = pbase();
    size_t size = static_cast<size_t>(pptr() - pbase());
    while (size > 0 && error_ == 0) {
      ssize_t written = ::write(fd_, data, size);
      if (written < 0) {
        if (errno != EINTR) error_ = errno;
        continue;
      }
      if (written == 0) {
        error_ = EIO;
        break;
      }
      data += written;
      size -= static_cast<size_t>(written);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

AtomicFile::AtomicFile() : stream_(nullptr) {}

AtomicFile::~AtomicFile() { Discard(); }

bool AtomicFile::Open(const std::string& target, std::string& reason) {
  Discard();
  namespace fs = std::filesystem;
  fs::path target_path(target);
  fs::path directory = target_path.parent_path();
  if (directory.empty()) directory = ".";
  std::string temp_name = ".";
  temp_name += target_path.filename().string();
  temp_name += ".tmp-XXXXXX";
  std::string pattern = (directory / temp_name).string();
  int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    reason = ErrnoText(errno);
    return false;
  }
  // mkostemp creates the file 0600; a report keeps the mode of the file it replaces, else gets
  // the usual 0644.
  struct stat existing;
  mode_t mode = ::stat(target.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : 0644;
  ::fchmod(fd, mode);

  target_ = target;
  temp_path_ = pattern;
  buffer_ = std::make_unique<FdBuffer>(fd);
  stream_.rdbuf(buffer_.get());
  stream_.clear();
  return true;
}

bool AtomicFile::Commit(std::string& reason) {
  if (!buffer_) {
    reason = "the report file was not opened";
    return false;
  }
  stream_.flush();
  int error = buffer_->error();
  if (error == 0 && !stream_.good()) error = EIO;
  if (error == 0 && ::fsync(buffer_->fd()) != 0) error = errno;
  if (!buffer_->CloseFd() && error == 0) error = buffer_->error();
  if (error == 0 && ::rename(temp_path_.c_str(), target_.c_str()) != 0) error = errno;
  if (error != 0) {
    reason = ErrnoText(error);
    Discard();
    return false;
  }
  // Make the rename itself durable; a failure here cannot be undone and does not lose the report.
  std::filesystem::path directory = std::filesystem::path(target_).parent_path();
  int dir_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  stream_.rdbuf(nullptr);
  buffer_.reset();
  temp_path_.clear();
  return true;
}

void AtomicFile::Discard() {
  stream_.rdbuf(nullptr);
  if (buffer_) {
    buffer_->CloseFd();
    buffer_.reset();
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

}  // namespace edict::findings
