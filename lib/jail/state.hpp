// A jail's persisted handle: <data_dir>/jails/<name>/state.json. Everything needed to re-attach
// to a jail (or clean it up) after the agent restarts.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

struct PortState {
  std::string label;
  uint16_t host = 0;
  uint16_t jail = 0;
};

struct MountState {
  std::string source;       // on the host
  std::string destination;  // in the jail
  bool read_only = false;
};

struct JailState {
  int version = 1;
  std::string name;
  std::string backend;  // "linux", "pot"
  // "creating" (cleaned up by recover if the agent died here), "created", "running", "exited".
  std::string status = "creating";
  std::string alloc_id;
  std::string task_name;
  std::string invocation;
  int64_t created_at_ns = 0;
  std::string rootfs;
  std::string task_dir;
  std::string log_dir;
  LogPolicy logs;
  int64_t kill_timeout_ns = 0;
  std::string kill_signal;
  std::vector<std::string> env;    // K=V, the jail's environment
  std::string command;             // the shell command line (`exec <command>` by /bin/sh)
  std::vector<MountState> mounts;  // bind mounts, /local and /secrets included
  Resources resources;
  // Network.
  std::string network_mode;  // inherit, public-bridge
  std::string address;       // on the bridge
  std::string veth;          // host side of the pair
  std::vector<PortState> ports;
  // Linux.
  std::vector<std::string> cgroups;
  // The supervisor and the command, identified by PID and start time (PIDs are reused).
  pid_t shim_pid = -1;
  uint64_t shim_start = 0;
  pid_t cmd_pid = -1;
  uint64_t cmd_start = 0;
  // Recorded once observed (with the OOM verdict, which the supervisor cannot know).
  std::optional<ExitResult> exit;
};

std::string to_json(const JailState& s, bool pretty = false);
Result<JailState> parse_state(std::string_view json);
Result<JailState> load_state(const std::string& jail_dir);
Result<void> save_state(const std::string& jail_dir, const JailState& s);

JailStatus parse_status(const std::string& s);

}  // namespace warden::jail::detail
