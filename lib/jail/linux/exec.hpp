// Running a command in a running jail: a helper process joins the jail's cgroups and namespaces
// (those of the jail's command, through its pidfd), opens a terminal from the jail's own devpts
// when asked, and creates the command as a child of the caller (CLONE_PARENT) inside the jail's
// PID namespace, with the jail's capabilities, no_new_privs and environment.
#pragma once

#include <memory>
#include <vector>

#include "../plan.hpp"
#include "../util.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

struct ExecRequest {
  int target_pidfd = -1;           // the jail's command
  std::vector<int> cgroup_procs;   // cgroup.procs files to join
  const PlanView* plan = nullptr;  // argv, envp, PATH, capabilities (ops are not used)
  bool tty = false;
};

Result<std::unique_ptr<Process>> exec_in_jail(const ExecRequest& request);

}  // namespace warden::jail::detail
