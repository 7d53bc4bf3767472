// Small system helpers shared by the jail backends: copying trees, resolving paths in a root,
// running programs with captured output, process identity.
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
#include "warden/core/fs.hpp"

namespace warden::jail::detail {

int64_t wall_ns();
int64_t mono_ns();

// Copies a file, symlink or directory tree with owners and modes (files to be copied into a jail
// before start); special files are refused.
Result<void> copy_tree(const std::string& from, const std::string& to);

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

}  // namespace warden::jail::detail
