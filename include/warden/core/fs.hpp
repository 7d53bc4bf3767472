// File system helpers shared by the layers that keep state on disk (image cache, jail state):
// owned descriptors, whole-file reads and atomic writes, trees, and advisory locks.
// POSIX only; every failure is a Result with the path and strerror in its message.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warden/core/error.hpp"

namespace warden {

// An owned file descriptor, closed by the destructor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// An io error "<what>: <strerror(err)>".
Error sys_error(std::string_view what, int err);
Error sys_error(std::string_view what);  // uses errno

// Reads a whole file; not_found when it does not exist, io when it is larger than `max_size`.
Result<std::string> read_file(const std::string& path, size_t max_size = SIZE_MAX);
Result<void> write_file(const std::string& path, std::string_view data, mode_t mode = 0644);
// Writes through a uniquely named temporary file in the same directory and rename(2): readers
// (and concurrent writers) see the old or the new content, never a part.
Result<void> write_file_atomic(const std::string& path, std::string_view data, mode_t mode = 0644);

bool exists(const std::string& path);                        // lstat: a dangling symlink exists
bool is_dir(const std::string& path);                        // stat: follows symlinks
std::vector<std::string> list_dir(const std::string& path);  // names without . and ..; {} on error
// mkdir -p; an existing non-directory at `path` is an error.
Result<void> make_dirs(const std::string& path, mode_t mode = 0755);
// rm -rf without following symlinks. Makes unreadable directories readable first, so trees
// unpacked from hostile archives go too. A missing path is not an error; "" and "/" are refused.
Result<void> remove_tree(const std::string& path);

// `digits` lower-case hex digits from the kernel's random source (for unique temporary names).
std::string random_hex(size_t digits);

// An exclusive flock(2) on a lock file: excludes other processes and, because each holder opens
// its own file description, other threads of this process too. Released by the destructor.
class FileLock {
 public:
  FileLock() = default;
  FileLock(FileLock&&) = default;
  FileLock& operator=(FileLock&& o) noexcept;
  ~FileLock() { release(); }

  // Tries once; true when acquired.
  static Result<bool> try_acquire(const std::string& path, FileLock& out);
  // Waits until acquired. Without `keep_waiting` it blocks in flock(2); with it, it polls every
  // ~20 ms and ends the wait with the callback's error when it returns one.
  static Result<FileLock> acquire(const std::string& path,
                                  const std::function<Result<void>()>& keep_waiting = {});
  bool held() const { return bool(fd_); }
  void release();

 private:
  Fd fd_;
};

}  // namespace warden
