// The `pot` command lines of the pot backend, exactly as nomad-pot-driver runs them (each an
// argv, without the pot binary itself; never a shell string built from job fields).
//
//   prepare -U <image> -p <pot> -t <tag> [-c "<command> <args...>"]
//           [-N <network_mode> | -N public-bridge -i auto] [-e <jail_port>:<host_port> ...]
//           -a <invocation>_<alloc_id> -n <task> -v
//   set-attribute -p <name> -A <key> -V <value>          for each attribute
//   copy-in -p <name> -s <source> -d <destination>       for each copy
//   mount-in -p <name> -d <task_dir>/local -m /local     and /secrets, then each mount
//   mount-in -p <name> -d <source> -m <destination> -r   for each mount_read_only
//   set-env -p <name> -E K=V ...                         when the task has an environment
//   set-hosts -p <name> -H host:ip ...                   when extra_hosts is set
//   set-rss -M <memory>M -p <name>
//   start <name>            (in the foreground; its output is the task's log)
//   stop <name>  /  destroy -p <name> -F
//   signal -s <SIGNAME> -p <name>  /  exec -p <name> <cmd...>
//   get-rss -p <name> -J  /  last-run-stats -p <name>
//
// `pot start` exits with 125 when the jail's command failed; its exit code is then the ExitCode
// of `pot last-run-stats`.
#pragma once

#include <string>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::pot {

using Argv = std::vector<std::string>;

struct Commands {
  std::string name;  // <task>_<invocation>_<alloc_id>
  Argv prepare;
  std::vector<Argv> setup;  // run in order after prepare
  Argv start;
  Argv stop;
  Argv destroy;
  Argv get_rss;
  Argv last_run_stats;
};

// The spec's invocation must be set. Errors: a port_map label without a host port, args without
// command.
Result<Commands> commands(const JailSpec& spec);

Argv signal_command(const std::string& name, const std::string& signal_name);
Argv exec_command(const std::string& name, const std::vector<std::string>& argv);
Argv version_command();

// The ExitCode of `pot last-run-stats` output ({"ExitCode": 3}).
Result<int> parse_last_run_stats(std::string_view json);
// `pot get-rss -J` output.
Result<Stats> parse_get_rss(std::string_view json);

}  // namespace warden::jail::pot
