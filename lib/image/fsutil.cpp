#include "fsutil.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "warden/image/digest.hpp"

namespace warden::image::detail {
namespace {

Error sys_error(std::string_view what, const std::string& path, int e) {
  return Error(ErrorCode::io, std::string(what) + " " + path + ": " + std::strerror(e));
}

// Removes everything inside the directory `fd` (which it closes).
Result<void> clear_dir(int fd, const std::string& shown) {
  DIR* d = ::fdopendir(fd);
  if (!d) {
    int e = errno;
    ::close(fd);
    return sys_error("cannot list", shown, e);
  }
  Result<void> result;
  while (struct dirent* ent = ::readdir(d)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..") continue;
    std::string child = shown + "/" + name;
    if (::unlinkat(::dirfd(d), name.c_str(), 0) == 0) continue;
    if (errno != EISDIR && errno != EPERM) {
      result = sys_error("cannot remove", child, errno);
      break;
    }
    int sub = ::openat(::dirfd(d), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0 && errno == EACCES) {
      ::fchmodat(::dirfd(d), name.c_str(), 0700, 0);
      sub = ::openat(::dirfd(d), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (sub < 0) {
      result = sys_error("cannot open", child, errno);
      break;
    }
    ::fchmod(sub, 0700);  // so that its entries can be removed when not running as root
    if (auto r = clear_dir(sub, child); !r) {
      result = r;
      break;
    }
    if (::unlinkat(::dirfd(d), name.c_str(), AT_REMOVEDIR) != 0) {
      result = sys_error("cannot remove", child, errno);
      break;
    }
  }
  ::closedir(d);
  return result;
}

}  // namespace

Result<std::string> read_file(const std::string& path, size_t max_size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return Error(e == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                 "cannot read " + path + ": " + std::strerror(e));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return sys_error("cannot read", path, e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_size) {
      ::close(fd);
      return Error(ErrorCode::io, path + " is larger than " + std::to_string(max_size) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

Result<void> write_file_atomic(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp-" + random_hex(6);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("cannot create", tmp, errno);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return sys_error("cannot write", tmp, e);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return sys_error("cannot write", path, e);
  }
  return {};
}

Result<void> make_dirs(const std::string& path, unsigned mode) {
  if (path.empty()) return {};
  std::string cur;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    cur = path.substr(0, j);
    if (!cur.empty() && ::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST)
      return sys_error("cannot create directory", cur, errno);
    i = j + 1;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error(ErrorCode::io, path + " is not a directory");
  return {};
}

Result<void> remove_tree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return sys_error("cannot inspect", path, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      return sys_error("cannot remove", path, errno);
    return {};
  }
  ::chmod(path.c_str(), 0700);
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open", path, errno);
  if (auto r = clear_dir(fd, path); !r) return r;
  if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", path, errno);
  return {};
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  size_t got = 0;
  while (got < bytes) {
    ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    got += static_cast<size_t>(n);
  }
  return to_hex(raw);
}

FileLock::~FileLock() {
  release();
}

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

void FileLock::release() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
    fd_ = -1;
  }
}

Result<bool> FileLock::try_acquire(const std::string& path, FileLock& out) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return sys_error("cannot open lock file", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    ::close(fd);
    if (e == EWOULDBLOCK || e == EINTR) return false;
    return sys_error("cannot lock", path, e);
  }
  out.release();
  out.fd_ = fd;
  return true;
}

Result<FileLock> FileLock::acquire(const std::string& path,
                                   const std::function<Result<void>()>& keep_waiting) {
  FileLock lock;
  for (;;) {
    auto r = try_acquire(path, lock);
    if (!r) return std::move(r).error();
    if (*r) return lock;
    if (keep_waiting) {
      if (auto k = keep_waiting(); !k) return std::move(k).error();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace warden::image::detail
