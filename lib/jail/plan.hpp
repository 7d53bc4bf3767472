// What a jail's first process does between fork and exec, as data: mounts and other file system
// steps, pivot_root, the hostname, capabilities and no_new_privs, and the exec. The agent builds
// a Plan; the supervisor receives it as bytes (it may have been forked long before the jail was
// created) and its child runs it with system calls only, on a PlanView of those bytes.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace warden::jail::detail {

struct Op {
  enum Kind : uint8_t { mount, remount, mknod, symlink, mkdir } kind = mount;
  const char* a = nullptr;  // mount source; symlink target; the path for mknod and mkdir
  const char* b = nullptr;  // mount target; symlink path
  const char* c = nullptr;  // file system type
  const char* data = nullptr;
  unsigned long flags = 0;
  unsigned mode = 0;
  dev_t dev = 0;
  bool optional = false;  // failure is ignored (e.g. masking a /proc file that does not exist)
  const char* step = "";  // what failed, for the error message
};

// The plan as the child reads it: plain pointers and counts, nothing to allocate.
struct PlanView {
  unsigned long unshare_flags = 0;  // CLONE_NEWNS | CLONE_NEWCGROUP
  const Op* ops = nullptr;          // run before pivot_root (host paths under root)
  size_t n_ops = 0;
  const char* root = nullptr;  // the new root (the overlay's mount point); null: no pivot_root
  const char* hostname = nullptr;
  const char* cwd = "/";
  const char* const* argv = nullptr;  // null-terminated
  const char* const* envp = nullptr;  // null-terminated
  const char* path = nullptr;         // PATH for an argv[0] without '/'
  // If argv[0] cannot be executed: this instead (the shell, to report "not found" as the jail's
  // output and exit status 127, as without the shortcut); null for none.
  const char* const* fallback_argv = nullptr;
  bool drop_privileges = true;  // capabilities and no_new_privs
  uint64_t keep_caps = 0;
  int last_cap = 40;
};

class Plan {
 public:
  // Owns every string the plan points to (a deque keeps addresses stable).
  const char* keep(std::string s);

  unsigned long unshare_flags = 0;
  std::vector<Op> ops;
  const char* root = nullptr;
  const char* hostname = nullptr;
  const char* cwd = "/";
  std::vector<const char*> argv;  // without the terminating null
  std::vector<const char*> envp;
  const char* path = nullptr;
  std::vector<const char*> fallback_argv;
  bool drop_privileges = true;
  uint64_t keep_caps = 0;
  int last_cap = 40;

  // A view of this plan (valid while the plan is unchanged).
  PlanView view();
  // The plan as bytes, for parse_plan() in another process.
  std::string serialize() const;

 private:
  std::deque<std::string> strings_;
  std::vector<const char*> argv_z_, envp_z_, fallback_z_;
};

// Rebuilds a view over `bytes` (modified in place) with the given storage for ops and pointer
// arrays. Async-signal-safe. False if the bytes are malformed or the storage too small.
bool parse_plan(char* bytes, size_t len, PlanView& out, Op* ops, size_t max_ops, const char** ptrs,
                size_t max_ptrs);

// The capabilities a jail keeps (docker's default set): chown, dac_override, fowner, fsetid,
// kill, setgid, setuid, setpcap, net_bind_service, net_raw, sys_chroot, mknod, audit_write,
// setfcap.
uint64_t default_capabilities();
int last_capability();  // /proc/sys/kernel/cap_last_cap

// Runs the plan: ops, pivot_root, hostname, privileges, exec. Returns only on failure: the errno,
// with *step naming what failed. Async-signal-safe.
int run_plan(const PlanView& plan, const char** step);

// The part shared with exec: drop privileges (if the plan says so) and exec argv, looked up in
// PATH.
int drop_privileges_and_exec(const PlanView& plan, const char** step);

}  // namespace warden::jail::detail
