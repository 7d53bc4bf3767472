#include "warden/jail/logs.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/inotify.h>
#endif

#include <cerrno>

#include "util.hpp"

namespace warden::jail {

const char* stream_name(LogStream s) {
  return s == LogStream::out ? "stdout" : "stderr";
}

std::string log_file_name(const std::string& task, LogStream stream, uint64_t index) {
  return task + "." + stream_name(stream) + "." + std::to_string(index);
}

struct LogReader::Impl {
  std::string dir;
  std::string task;
  LogStream stream;
  uint64_t max;
  uint64_t offset;
  std::function<bool()> alive;
  Fd wake;
  Fd notify;
  Fd file;
  uint64_t file_index = UINT64_MAX;
  bool end = false;

  std::string path(uint64_t i) const { return dir + "/" + log_file_name(task, stream, i); }

  // The indexes of the files present, lowest and highest; false if none.
  bool present(uint64_t& lo, uint64_t& hi) const {
    std::string prefix = task + "." + stream_name(stream) + ".";
    bool any = false;
    for (const auto& name : list_dir(dir)) {
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      std::string digits = name.substr(prefix.size());
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
      uint64_t i = std::strtoull(digits.c_str(), nullptr, 10);
      if (!any || i < lo) lo = i;
      if (!any || i > hi) hi = i;
      any = true;
    }
    return any;
  }

  // Reads at the current offset; 0 when nothing is there yet.
  Result<size_t> try_read(char* buf, size_t cap) {
    for (int attempts = 0; attempts < 4; ++attempts) {
      uint64_t idx = offset / max;
      uint64_t pos = offset % max;
      if (file_index != idx) {
        file.reset(::open(path(idx).c_str(), O_RDONLY | O_CLOEXEC));
        file_index = file ? idx : UINT64_MAX;
        if (!file) {
          uint64_t lo = 0, hi = 0;
          if (present(lo, hi) && lo > idx) {
            offset = lo * max;  // rotated away: start at the oldest file kept
            continue;
          }
          return size_t(0);
        }
      }
      size_t want = cap;
      if (want > max - pos) want = size_t(max - pos);
      ssize_t n = ::pread(file.get(), buf, want, off_t(pos));
      if (n < 0) return sys_error("read " + path(idx));
      if (n > 0) {
        offset += uint64_t(n);
        return size_t(n);
      }
      // At the end of this file: go on with the next one if the writer did.
      if (!exists(path(idx + 1))) return size_t(0);
      offset = (idx + 1) * max;
    }
    return size_t(0);
  }

  void wait(Nanos timeout) {
#if defined(__linux__)
    if (!notify) {
      notify.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
      if (notify)
        ::inotify_add_watch(notify.get(), dir.c_str(),
                            IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
    }
#endif
    pollfd fds[2];
    int n = 0;
    if (notify) fds[n++] = {notify.get(), POLLIN, 0};
    if (wake) fds[n++] = {wake.get(), POLLIN, 0};
    // Also wake up now and then: inotify may be unavailable, and it does not see writes on
    // every file system.
    int ms = 250;
    if (timeout >= 0 && timeout / 1000000 < ms) ms = int(timeout / 1000000);
    ::poll(fds, nfds_t(n), ms);
    if (notify) {
      char ev[4096];
      while (::read(notify.get(), ev, sizeof ev) > 0) {
      }
    }
  }
};

LogReader::LogReader(std::string dir, std::string task, LogStream stream, uint64_t max_file_size,
                     uint64_t offset, std::function<bool()> alive, int wake_fd)
    : impl_(std::make_unique<Impl>()) {
  impl_->dir = std::move(dir);
  impl_->task = std::move(task);
  impl_->stream = stream;
  impl_->max = max_file_size ? max_file_size : 1;
  impl_->offset = offset;
  impl_->alive = std::move(alive);
  if (wake_fd >= 0) impl_->wake.reset(::fcntl(wake_fd, F_DUPFD_CLOEXEC, 3));
}

LogReader::LogReader(LogReader&&) noexcept = default;
LogReader& LogReader::operator=(LogReader&&) noexcept = default;
LogReader::~LogReader() = default;

Result<size_t> LogReader::read(char* buf, size_t cap, bool follow, Nanos timeout) {
  Impl& m = *impl_;
  if (cap == 0) return size_t(0);
  int64_t deadline = timeout >= 0 ? detail::mono_ns() + timeout : 0;
  for (;;) {
    // Whether the jail was alive before reading: output written before it ended is read first.
    bool was_alive = m.alive ? m.alive() : false;
    auto n = m.try_read(buf, cap);
    if (!n || *n > 0) return n;
    if (!was_alive) {
      m.end = true;
      return size_t(0);
    }
    if (!follow) return size_t(0);
    Nanos left = -1;
    if (timeout >= 0) {
      left = deadline - detail::mono_ns();
      if (left <= 0) return size_t(0);
    }
    m.wait(left);
  }
}

bool LogReader::at_end() const {
  return impl_->end;
}

uint64_t LogReader::offset() const {
  return impl_->offset;
}

}  // namespace warden::jail
