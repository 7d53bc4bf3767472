// File system helpers of the image layer (internal).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "warden/core/error.hpp"

namespace warden::image::detail {

Result<std::string> read_file(const std::string& path, size_t max_size = 16 << 20);
// Writes via a temporary file in the same directory and rename(2): readers see the old or the
// new content, never a part.
Result<void> write_file_atomic(const std::string& path, std::string_view content);
Result<void> make_dirs(const std::string& path, unsigned mode = 0755);
// rm -rf without following symlinks; makes unreadable directories readable first. A missing
// path is not an error.
Result<void> remove_tree(const std::string& path);
bool exists(const std::string& path);
std::string random_hex(size_t bytes);

// An exclusive flock(2) on a lock file: excludes other processes and, because each holder opens
// its own file description, other threads of this process too. Released by the destructor.
class FileLock {
 public:
  FileLock() = default;
  ~FileLock();
  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;

  // Tries once; true when acquired.
  static Result<bool> try_acquire(const std::string& path, FileLock& out);
  // Waits until acquired; `keep_waiting` is polled (every ~20 ms) and ends the wait with its
  // error when it returns one.
  static Result<FileLock> acquire(const std::string& path,
                                  const std::function<Result<void>()>& keep_waiting = {});
  bool held() const { return fd_ >= 0; }
  void release();

 private:
  int fd_ = -1;
};

}  // namespace warden::image::detail
