// A jail's cgroups, on cgroup v1, hybrid (v1 controllers plus an empty v2 mount, as on these
// machines) and pure v2: one directory <hierarchy>/<parent>/<jail> per controller hierarchy on
// v1, one directory on v2.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "../util.hpp"
#include "warden/core/error.hpp"
#include "warden/jail/jail.hpp"

namespace warden::jail::detail {

enum class CgroupMode { v1, hybrid, v2 };
const char* cgroup_mode_name(CgroupMode m);

struct CgroupLayout {
  CgroupMode mode = CgroupMode::v1;
  std::map<std::string, std::string> v1;  // controller -> mount point of its hierarchy
  std::string v2;                         // the unified hierarchy's mount point, if any
  // The controllers warden uses that are available.
  bool memory = false, cpu = false, cpuacct = false, pids = false;
};

// From /proc/self/mountinfo.
Result<CgroupLayout> detect_cgroups();

struct CgroupLimits {
  int64_t memory_bytes = 0;       // hard limit; 0 for none
  int64_t memory_soft_bytes = 0;  // reservation; 0 for none
  int64_t cpu_shares = 0;         // v1 cpu.shares; v2 cpu.weight is derived
  int64_t pids_max = 0;           // 0 for none
};

// cgroup v2's cpu.weight for a v1 cpu.shares value (the kernel's and runc's conversion).
int64_t cpu_weight_from_shares(int64_t shares);

class Cgroups {
 public:
  Cgroups() = default;
  // The directories <hierarchy>/<parent>/<name> (not created).
  static std::vector<std::string> paths(const CgroupLayout& layout, const std::string& parent,
                                        const std::string& name);
  // Creates the directories (and the parent's, enabling the controllers on v2).
  static Result<Cgroups> create(const CgroupLayout& layout, const std::string& parent,
                                const std::string& name);
  // The cgroups of an existing jail, from its directories.
  static Cgroups attach(const CgroupLayout& layout, std::vector<std::string> dirs);

  Result<void> apply(const CgroupLimits& limits) const;
  // The same cgroups under another name in the same parent (cgroup v1 renames directories;
  // v2 does not allow it).
  Result<Cgroups> renamed(const std::string& name) const;

  const std::vector<std::string>& dirs() const { return dirs_; }
  // v1: the cgroup.procs files a new process writes itself into. v2: the directory, for
  // CLONE_INTO_CGROUP (and its cgroup.procs as a fallback).
  Result<std::vector<Fd>> open_procs() const;
  Result<Fd> open_v2_dir() const;

  Result<Stats> stats() const;
  uint64_t oom_kills() const;
  std::vector<pid_t> processes() const;
  // SIGKILLs whatever is left, then removes the directories (retrying while they drain).
  Result<void> remove() const;

 private:
  std::string dir_of(const std::string& controller) const;
  CgroupLayout layout_;
  std::vector<std::string> dirs_;
};

// Removes <hierarchy>/<parent> in every hierarchy if empty.
Result<void> remove_cgroup_parent(const CgroupLayout& layout, const std::string& parent);

// The cgroup.procs files of the calling process's own cgroups, one per hierarchy of the layout.
Result<std::vector<Fd>> open_own_procs(const CgroupLayout& layout);

// The names of the directories in <hierarchy>/<parent> (of the first hierarchy).
std::vector<std::string> cgroup_children(const CgroupLayout& layout, const std::string& parent);

}  // namespace warden::jail::detail
