#include "warden/core/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace warden {

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Error sys_error(std::string_view what, int err) {
  return Error(ErrorCode::io, std::string(what) + ": " + std::strerror(err));
}

Error sys_error(std::string_view what) {
  return sys_error(what, errno);
}

Result<std::string> read_file(const std::string& path, size_t max_size) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int e = errno;
    return Error(e == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                 "cannot read " + path + ": " + std::strerror(e));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("cannot read " + path);
    if (n == 0) break;
    out.append(buf, size_t(n));
    if (out.size() > max_size)
      return Error(ErrorCode::io, path + " is larger than " + std::to_string(max_size) + " bytes");
  }
  return out;
}

static Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("cannot write " + path);
    data.remove_prefix(size_t(n));
  }
  return {};
}

Result<void> write_file(const std::string& path, std::string_view data, mode_t mode) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return sys_error("cannot create " + path);
  return write_all(fd.get(), data, path);
}

Result<void> write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  // A random suffix and O_EXCL keep concurrent writers (threads or processes) apart.
  std::string tmp = path + ".tmp-" + random_hex(12);
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) return sys_error("cannot create " + tmp);
  auto written = write_all(fd.get(), data, tmp);
  // close(2) reports delayed write errors (NFS, quotas); rename only a complete file.
  if (written && ::close(fd.release()) != 0) written = sys_error("cannot write " + tmp);
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = sys_error("cannot write " + path);
  if (!written) ::unlink(tmp.c_str());
  return written;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> out;
  DIR* d = ::opendir(path.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    out.emplace_back(e->d_name);
  }
  ::closedir(d);
  return out;
}

Result<void> make_dirs(const std::string& path, mode_t mode) {
  if (path.empty()) return {};
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string cur = path.substr(0, j);
    if (!cur.empty() && ::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
      return sys_error("cannot create directory " + cur);
    i = j + 1;
  }
  if (!is_dir(path)) return Error(ErrorCode::io, path + " is not a directory");
  return {};
}

// Removes everything inside the directory `fd` (which it takes over).
static Result<void> clear_dir(int fd, const std::string& shown) {
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int e = errno;
    ::close(fd);
    return sys_error("cannot list " + shown, e);
  }
  Result<void> result;
  while (dirent* ent = ::readdir(d)) {
    const char* name = ent->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    std::string child = shown + "/" + name;
    if (::unlinkat(::dirfd(d), name, 0) == 0 || errno == ENOENT) continue;
    if (errno != EISDIR && errno != EPERM) {
      result = sys_error("cannot remove " + child);
      break;
    }
    int sub = ::openat(::dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 && errno == EACCES) {
      ::fchmodat(::dirfd(d), name, 0700, 0);
      sub = ::openat(::dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (sub < 0) {
      result = sys_error("cannot open " + child);
      break;
    }
    ::fchmod(sub, 0700);  // so that its entries can be removed when not running as root
    if (result = clear_dir(sub, child); !result) break;
    if (::unlinkat(::dirfd(d), name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
      result = sys_error("cannot remove " + child);
      break;
    }
  }
  ::closedir(d);
  return result;
}

Result<void> remove_tree(const std::string& path) {
  if (path.empty() || path == "/") return Error(ErrorCode::internal, "refusing to remove " + path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return sys_error("cannot inspect " + path);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove " + path);
    return {};
  }
  ::chmod(path.c_str(), 0700);
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open " + path);
  if (auto r = clear_dir(fd, path); !r) return r;
  if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove " + path);
  return {};
}

std::string random_hex(size_t digits) {
  unsigned char raw[64];
  static const char* hex = "0123456789abcdef";
  std::string out;
  while (out.size() < digits) {
    size_t want = std::min(sizeof raw, (digits - out.size() + 1) / 2);
    ssize_t n = ::getrandom(raw, want, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // cannot happen for small requests once the pool is initialised
    for (ssize_t i = 0; i < n && out.size() < digits; ++i) {
      out += hex[raw[i] >> 4];
      if (out.size() < digits) out += hex[raw[i] & 15];
    }
  }
  return out;
}

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = std::move(o.fd_);
  }
  return *this;
}

void FileLock::release() {
  if (fd_) ::flock(fd_.get(), LOCK_UN);
  fd_.reset();
}

static Result<Fd> open_lock_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return sys_error("cannot open lock file " + path);
  return fd;
}

Result<bool> FileLock::try_acquire(const std::string& path, FileLock& out) {
  auto fd = open_lock_file(path);
  if (!fd) return std::move(fd).error();
  if (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK || errno == EINTR) return false;
    return sys_error("cannot lock " + path);
  }
  out.release();
  out.fd_ = std::move(*fd);
  return true;
}

Result<FileLock> FileLock::acquire(const std::string& path,
                                   const std::function<Result<void>()>& keep_waiting) {
  FileLock lock;
  if (!keep_waiting) {
    auto fd = open_lock_file(path);
    if (!fd) return std::move(fd).error();
    while (::flock(fd->get(), LOCK_EX) != 0) {
      if (errno != EINTR) return sys_error("cannot lock " + path);
    }
    lock.fd_ = std::move(*fd);
    return lock;
  }
  for (;;) {
    auto r = try_acquire(path, lock);
    if (!r) return std::move(r).error();
    if (*r) return lock;
    if (auto k = keep_waiting(); !k) return std::move(k).error();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace warden
