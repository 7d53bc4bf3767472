// Warm supervisors for cgroup v1 (and hybrid) hosts.
//
// Putting a process into a cgroup v1 hierarchy takes the kernel's cgroup threadgroup lock for
// writing, which waits for an RCU grace period whenever nobody did it within the last one — on
// a busy two-CPU machine 6 to 15 ms, most of a jail's start. cgroup v2 avoids it with
// CLONE_INTO_CGROUP; v1 has no such thing. So the pool pays it ahead of time: it keeps a few
// supervisors already sitting in spare cgroups <parent>/.warm-<pid>-<n>, and a starting jail
// takes one, renames its cgroups to the jail's name (v1 allows renaming), applies the limits and
// sends it the job.
//
// A background thread refills the pool, but only once jails have been quiet (no start, no
// destroy) for 50 ms: the refill's move into a cgroup holds the kernel's cgroup_mutex through its
// grace period, stalling every cgroup operation meanwhile, while starts that come in quick
// succession do not need the pool — their moves fall within one grace period of each other and
// are cheap. The pool is for the lone start.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "../supervisor.hpp"
#include "cgroups.hpp"

namespace warden::jail::detail {

struct WarmSlot {
  Supervisor supervisor;
  Cgroups cgroups;
};

class WarmPool {
 public:
  WarmPool(CgroupLayout layout, std::string parent, size_t size, unsigned long namespaces);
  ~WarmPool();
  WarmPool(const WarmPool&) = delete;
  WarmPool& operator=(const WarmPool&) = delete;

  // A warm supervisor, if one is ready (never waits). Counts as activity.
  std::optional<WarmSlot> take();
  // Notes jail activity (a destroy), which postpones refilling.
  void touch();
  // Stops refilling and releases the spare supervisors and cgroups.
  void stop();

  // Ends a slot that will not be used: its supervisor exits, its cgroups are removed.
  static void release(WarmSlot& slot);

 private:
  void run();
  Result<WarmSlot> fill_one();

  CgroupLayout layout_;
  std::string parent_;
  size_t size_;
  unsigned long namespaces_;
  std::string prefix_;
  int counter_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WarmSlot> ready_;
  bool stop_ = false;
  std::chrono::steady_clock::time_point last_activity_;
  std::thread thread_;
};

// Removes the spare cgroups left by processes that are gone (".warm-<pid>-...").
void remove_stale_warm(const CgroupLayout& layout, const std::string& parent);

}  // namespace warden::jail::detail
