// Small system helpers shared by the jail backends: file descriptors, files and trees, running
// programs with captured output, process identity.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "warden/core/duration.hpp"
#include "warden/core/error.hpp"

namespace warden::jail::detail {

// An owned file descriptor.
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
Error sys_error(std::string_view what);  // errno

int64_t wall_ns();
int64_t mono_ns();

// Files.
Result<std::string> read_file(const std::string& path);
// Writes through a temporary file and rename(2), so readers never see a partial file.
Result<void> write_file_atomic(const std::string& path, std::string_view data, mode_t mode = 0644);
Result<void> write_file(const std::string& path, std::string_view data, mode_t mode = 0644);
bool exists(const std::string& path);
bool is_dir(const std::string& path);
Result<void> make_dirs(const std::string& path, mode_t mode = 0755);
// Removes a file or a directory tree (not following symlinks); a missing path is not an error.
Result<void> remove_tree(const std::string& path);
// Copies a file, a symlink or a directory tree, keeping modes and owners.
Result<void> copy_tree(const std::string& from, const std::string& to);
std::vector<std::string> list_dir(const std::string& path);  // names, without . and ..

// `path` (absolute, inside a root filesystem) with every symlink resolved as if `root` were /,
// never leaving root; components that do not exist are kept as they are. Returns an absolute
// path relative to root ("/usr/local/etc").
Result<std::string> resolve_in_root(const std::string& root, const std::string& path);

std::string join_path(std::string_view a, std::string_view b);
std::string parent_path(std::string_view p);

// A process identity that survives PID reuse: its start time in clock ticks since boot
// (/proc/<pid>/stat field 22); nullopt when the process does not exist (or is a zombie when
// `live_only`).
std::optional<uint64_t> process_start_time(pid_t pid, bool live_only = true);

// Runs a program with an argv (never a shell), its stdin fed from `input`, stdout and stderr
// captured. `timeout` 0 means no limit; after it the program is killed.
struct RunResult {
  int status = 0;  // exit status, or 128 + signal
  bool timed_out = false;
  std::string out;
  std::string err;
};
struct RunOptions {
  std::string input;
  Nanos timeout = 0;
  std::string cwd;
  // Environment entries "K=V" added to (or replacing in) the caller's environment.
  std::vector<std::string> env;
};
Result<RunResult> run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Signals.
std::optional<int> signal_number(std::string_view name);

// Linux pidfds (nullopt / -1 elsewhere).
int pidfd_open(pid_t pid);
int pidfd_send_signal(int pidfd, int sig);
// Polls an fd for readability; true if readable within timeout (< 0: forever).
bool wait_readable(int fd, Nanos timeout);

// A file lock (flock) held for the object's lifetime.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::string& path);
  FileLock(FileLock&&) = default;
  FileLock& operator=(FileLock&&) = default;

 private:
  explicit FileLock(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

// Lower-case hex of 8 random bytes' worth (n digits, n <= 32).
std::string random_hex(size_t n);

}  // namespace warden::jail::detail
