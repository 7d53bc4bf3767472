// Task logs as nomad keeps them: <log_dir>/<task>.stdout.N and <task>.stderr.N, a new file
// every max_file_size bytes, at most max_files of them (the oldest are deleted).
//
// A stream is addressed by a byte offset from the start of the task's output. Every file but
// the newest holds exactly max_file_size bytes, so offset / max_file_size is the file's index;
// data of deleted files is gone, and reading from an offset before the oldest file starts at the
// oldest file.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "warden/core/duration.hpp"
#include "warden/core/error.hpp"

namespace warden::jail {

enum class LogStream { out, err };
const char* stream_name(LogStream s);  // "stdout", "stderr"

struct LogPolicy {
  int64_t max_files = 10;
  int64_t max_file_size_mb = 10;
  int64_t max_file_size_bytes() const { return max_file_size_mb * 1024 * 1024; }
};

// "<task>.stdout.3"
std::string log_file_name(const std::string& task, LogStream stream, uint64_t index);

class LogReader {
 public:
  // `alive` tells whether more output may still come (the jail is running); `wake_fd` (may be
  // -1) becomes readable when that changes, e.g. a pidfd of the supervisor.
  LogReader(std::string dir, std::string task, LogStream stream, uint64_t max_file_size,
            uint64_t offset, std::function<bool()> alive, int wake_fd);
  LogReader(LogReader&&) noexcept;
  LogReader& operator=(LogReader&&) noexcept;
  ~LogReader();

  // Reads what is there from the current offset. With follow, waits up to `timeout` (< 0: no
  // limit) for more while the jail runs. Returns 0 at the end: when not following, or when the
  // jail has ended and everything was read, or on timeout (check at_end()).
  Result<size_t> read(char* buf, size_t cap, bool follow, Nanos timeout);
  // True once the jail has ended and the whole stream was read.
  bool at_end() const;
  // The offset of the next byte read() returns.
  uint64_t offset() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden::jail
