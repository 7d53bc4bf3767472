// The supervisor of a jail: a process detached from its creator (reparented to init) that starts
// the jail's command, writes its stdout/stderr into rotated log files, reaps it and records how
// it ended in <state_dir>/exit.json. It outlives the agent, so jails keep running and logging
// while the agent restarts; in its own PID namespace it is the jail's init (PID 1), reaping
// orphans, and its exit takes every remaining process of the jail with it.
//
// It is created by fork from a process that may be multi-threaded (an agent, Python), so the
// supervisor and the child only run async-signal-safe code: system calls on data they received
// or prepared before the fork (no allocation, no locks, no stdio).
//
// The conversation, over a SOCK_SEQPACKET socket:
//
//   spawn_supervisor()   the supervisor exists; a warm one (`attach`) creates the child at once,
//                        which moves into those cgroups and says 'A' (the cost of joining a
//                        cgroup v1 hierarchy, an RCU grace period, is paid before a jail needs it)
//   send_job()           'J': the plan of the jail's first process (see plan.hpp), the log and
//                        state directories, how the child joins its cgroups; with a new network
//                        namespace the supervisor enters one and says 'R', so that the caller can
//                        wire it before the command runs
//   start_child()        'G': the supervisor forks the child if it has none yet, hands it the
//                        plan ('C' + its pidfd to us); the child runs it; returns once the child
//                        has exec'd, or with its error ('E')
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plan.hpp"
#include "util.hpp"
#include "warden/core/duration.hpp"
#include "warden/core/error.hpp"

namespace warden::jail::detail {

struct SupervisorSpec {
  // Namespaces the supervisor creates for the jail (CLONE_NEWPID, ...); 0 for none.
  unsigned long namespaces = 0;
  // A warm supervisor: it creates the child at once, and the child moves into these (spare)
  // cgroups — the supervisor itself never is in a jail's cgroups.
  std::vector<int> attach;
  // The supervisor's name in ps (at most 15 characters).
  std::string process_name = "warden-shim";
};

class Supervisor {
 public:
  pid_t pid = -1;
  Fd pidfd;
  Fd ctl;  // our end of the control socket
  bool attached = false;
};

Result<Supervisor> spawn_supervisor(const SupervisorSpec& spec);
// Waits for a warm supervisor's 'A' (it is in its cgroups).
Result<void> wait_attached(Supervisor& s, Nanos timeout);
// True (without waiting) if it has said 'A'.
bool poll_attached(Supervisor& s);

struct Job {
  Plan* plan = nullptr;
  std::string task;  // logs are <log_dir>/<task>.stdout.N and .stderr.N
  uint64_t max_file_size = 10 << 20;
  uint64_t max_files = 10;
  int log_dir = -1;    // directory descriptors
  int state_dir = -1;  // exit.json goes here
  // How the child joins the jail's cgroups when the supervisor is not in them already: its
  // cgroup v2 directory (CLONE_INTO_CGROUP), or cgroup.procs files it writes itself into.
  int cgroup_dir = -1;
  std::vector<int> cgroup_procs;
  // The supervisor (and so the jail) gets a network namespace of its own; send_job() returns
  // once it exists.
  bool new_netns = false;
};

Result<void> send_job(Supervisor& s, const Job& job, Nanos timeout);

struct ChildStarted {
  pid_t pid = -1;  // as the creator sees it
  Fd pidfd;
};

// Lets the supervisor start the child and waits (up to `timeout`, < 0 no limit) until the child
// has exec'd. On failure the supervisor is killed.
Result<ChildStarted> start_child(Supervisor& s, Nanos timeout);

// How the command ended, as the supervisor recorded it.
struct ExitRecord {
  int exit_code = 0;  // 128 + signal when killed
  int signal = 0;
  int64_t finished_at_ns = 0;
};
std::optional<ExitRecord> read_exit_record(const std::string& state_dir);

// The PID a pidfd refers to, in the caller's PID namespace (-1 when gone or unknown).
pid_t pidfd_pid(int pidfd);

}  // namespace warden::jail::detail
