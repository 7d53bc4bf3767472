#include "cgroups.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <sstream>
#include <thread>

#include "warden/core/strings.hpp"

namespace warden::jail::detail {
namespace {

// mountinfo escapes spaces and such as \040.
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += char((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<void> write_value(const std::string& path, const std::string& value) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  if (::write(fd.get(), value.data(), value.size()) < 0) return sys_error("write " + path);
  return {};
}

uint64_t read_u64(const std::string& path) {
  auto t = read_file(path);
  if (!t) return 0;
  return std::strtoull(t->c_str(), nullptr, 10);
}

// "key value" lines (memory.stat, cpu.stat, memory.events, ...).
std::map<std::string, uint64_t> read_keyed(const std::string& path) {
  std::map<std::string, uint64_t> out;
  auto t = read_file(path);
  if (!t) return out;
  std::istringstream in(*t);
  std::string k;
  uint64_t v;
  while (in >> k >> v) out[k] = v;
  return out;
}

}  // namespace

const char* cgroup_mode_name(CgroupMode m) {
  switch (m) {
    case CgroupMode::v1:
      return "v1";
    case CgroupMode::hybrid:
      return "hybrid";
    case CgroupMode::v2:
      return "v2";
  }
  return "?";
}

int64_t cpu_weight_from_shares(int64_t shares) {
  if (shares < 2) shares = 2;
  if (shares > 262144) shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

Result<CgroupLayout> detect_cgroups() {
  auto text = read_file("/proc/self/mountinfo");
  if (!text) return std::move(text).error();
  CgroupLayout l;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream left(line.substr(0, dash)), right(line.substr(dash + 3));
    std::string id, parent, dev, root, mountpoint, fstype, source, super;
    left >> id >> parent >> dev >> root >> mountpoint;
    right >> fstype >> source >> super;
    mountpoint = unescape(mountpoint);
    if (fstype == "cgroup2") {
      if (l.v2.empty()) l.v2 = mountpoint;
    } else if (fstype == "cgroup") {
      for (const auto& opt : split(super, ",")) {
        if (opt == "memory" || opt == "cpu" || opt == "cpuacct" || opt == "pids")
          l.v1.emplace(opt, mountpoint);
      }
    }
  }
  if (!l.v1.empty()) {
    l.mode = l.v2.empty() ? CgroupMode::v1 : CgroupMode::hybrid;
    l.memory = l.v1.count("memory") > 0;
    l.cpu = l.v1.count("cpu") > 0;
    l.cpuacct = l.v1.count("cpuacct") > 0;
    l.pids = l.v1.count("pids") > 0;
  } else if (!l.v2.empty()) {
    l.mode = CgroupMode::v2;
    auto ctl = read_file(l.v2 + "/cgroup.controllers");
    std::set<std::string> have;
    if (ctl) {
      for (const auto& c : split(std::string(trim(*ctl)), " ")) have.insert(c);
    }
    l.memory = have.count("memory") > 0;
    l.cpu = l.cpuacct = have.count("cpu") > 0;
    l.pids = have.count("pids") > 0;
  } else {
    return Error(ErrorCode::unsupported, "no cgroup file system is mounted");
  }
  return l;
}

std::vector<std::string> Cgroups::paths(const CgroupLayout& layout, const std::string& parent,
                                        const std::string& name) {
  std::vector<std::string> out;
  if (layout.mode == CgroupMode::v2) {
    out.push_back(join_path(join_path(layout.v2, parent), name));
    return out;
  }
  std::set<std::string> seen;
  for (const auto& [controller, mount] : layout.v1) {
    if (!seen.insert(mount).second) continue;  // co-mounted controllers share a directory
    out.push_back(join_path(join_path(mount, parent), name));
  }
  return out;
}

Result<Cgroups> Cgroups::create(const CgroupLayout& layout, const std::string& parent,
                                const std::string& name) {
  Cgroups cg;
  cg.layout_ = layout;
  if (layout.mode == CgroupMode::v2) {
    std::string p = join_path(layout.v2, parent);
    if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("mkdir " + p);
    // Controllers must be enabled on every level above the jail's cgroup; one at a time, so
    // that a controller the parent cannot delegate does not stop the others.
    for (const char* c : {"+memory", "+cpu", "+pids"}) {
      if ((c[1] == 'm' && !layout.memory) || (c[1] == 'c' && !layout.cpu) ||
          (c[1] == 'p' && !layout.pids))
        continue;
      (void)write_value(layout.v2 + "/cgroup.subtree_control", c);
      (void)write_value(p + "/cgroup.subtree_control", c);
    }
  }
  for (const auto& dir : paths(layout, parent, name)) {
    std::string p = parent_path(dir);
    if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("mkdir " + p);
    if (::mkdir(dir.c_str(), 0755) != 0) {
      auto e = sys_error("mkdir " + dir);
      (void)cg.remove();
      return e;
    }
    cg.dirs_.push_back(dir);
  }
  return cg;
}

Result<void> Cgroups::apply(const CgroupLimits& limits) const {
  if (layout_.mode == CgroupMode::v2) {
    std::string dir = dirs_.empty() ? "" : dirs_[0];
    if (layout_.memory && limits.memory_bytes > 0) {
      if (auto r = write_value(dir + "/memory.max", std::to_string(limits.memory_bytes)); !r)
        return r;
      if (exists(dir + "/memory.swap.max")) (void)write_value(dir + "/memory.swap.max", "0");
      if (limits.memory_soft_bytes > 0)
        (void)write_value(dir + "/memory.low", std::to_string(limits.memory_soft_bytes));
    }
    if (layout_.cpu && limits.cpu_shares > 0)
      (void)write_value(dir + "/cpu.weight",
                        std::to_string(cpu_weight_from_shares(limits.cpu_shares)));
    if (layout_.pids && limits.pids_max > 0)
      return write_value(dir + "/pids.max", std::to_string(limits.pids_max));
    return {};
  }
  if (layout_.memory && limits.memory_bytes > 0) {
    std::string d = dir_of("memory");
    // memsw must stay at or above the limit: lower it after, raise it before.
    bool memsw = exists(d + "/memory.memsw.limit_in_bytes");
    if (memsw) (void)write_value(d + "/memory.memsw.limit_in_bytes", "-1");
    if (auto r = write_value(d + "/memory.limit_in_bytes", std::to_string(limits.memory_bytes)); !r)
      return r;
    // No swapping beyond the limit either (the file exists only with swap accounting).
    if (memsw)
      (void)write_value(d + "/memory.memsw.limit_in_bytes", std::to_string(limits.memory_bytes));
    if (limits.memory_soft_bytes > 0)
      (void)write_value(d + "/memory.soft_limit_in_bytes",
                        std::to_string(limits.memory_soft_bytes));
  }
  if (layout_.cpu && limits.cpu_shares > 0)
    (void)write_value(dir_of("cpu") + "/cpu.shares",
                      std::to_string(std::max<int64_t>(2, limits.cpu_shares)));
  if (layout_.pids && limits.pids_max > 0)
    return write_value(dir_of("pids") + "/pids.max", std::to_string(limits.pids_max));
  return {};
}

Result<Cgroups> Cgroups::renamed(const std::string& name) const {
  if (layout_.mode == CgroupMode::v2)
    return Error(ErrorCode::unsupported, "cgroup v2 directories cannot be renamed");
  Cgroups out;
  out.layout_ = layout_;
  for (const auto& d : dirs_) {
    std::string to = join_path(parent_path(d), name);
    if (::rename(d.c_str(), to.c_str()) != 0) {
      auto e = sys_error("rename " + d);
      // Put back what was renamed already.
      for (size_t i = 0; i < out.dirs_.size(); ++i)
        ::rename(out.dirs_[i].c_str(), dirs_[i].c_str());
      return e;
    }
    out.dirs_.push_back(to);
  }
  return out;
}

Cgroups Cgroups::attach(const CgroupLayout& layout, std::vector<std::string> dirs) {
  Cgroups cg;
  cg.layout_ = layout;
  cg.dirs_ = std::move(dirs);
  return cg;
}

std::string Cgroups::dir_of(const std::string& controller) const {
  if (layout_.mode == CgroupMode::v2) return dirs_.empty() ? "" : dirs_[0];
  auto it = layout_.v1.find(controller);
  if (it == layout_.v1.end()) return "";
  for (const auto& d : dirs_) {
    if (d.compare(0, it->second.size() + 1, it->second + "/") == 0) return d;
  }
  return "";
}

Result<std::vector<Fd>> Cgroups::open_procs() const {
  std::vector<Fd> out;
  for (const auto& d : dirs_) {
    Fd fd(::open((d + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return sys_error("open " + d + "/cgroup.procs");
    out.push_back(std::move(fd));
  }
  return out;
}

Result<Fd> Cgroups::open_v2_dir() const {
  if (layout_.mode != CgroupMode::v2 || dirs_.empty())
    return Error(ErrorCode::internal, "not a cgroup v2 jail");
  Fd fd(::open(dirs_[0].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return sys_error("open " + dirs_[0]);
  return fd;
}

Result<Stats> Cgroups::stats() const {
  Stats s;
  if (layout_.mode == CgroupMode::v2) {
    std::string d = dirs_.empty() ? "" : dirs_[0];
    auto mem = read_keyed(d + "/memory.stat");
    s.memory_rss = mem["anon"];
    s.memory_cache = mem["file"];
    s.memory_usage = read_u64(d + "/memory.current");
    s.memory_max_usage = read_u64(d + "/memory.peak");
    s.memory_swap = read_u64(d + "/memory.swap.current");
    auto cpu = read_keyed(d + "/cpu.stat");
    s.cpu_total_ns = cpu["usage_usec"] * 1000;
    s.cpu_user_ns = cpu["user_usec"] * 1000;
    s.cpu_system_ns = cpu["system_usec"] * 1000;
    s.pids = read_u64(d + "/pids.current");
    return s;
  }
  if (std::string d = dir_of("memory"); !d.empty()) {
    auto mem = read_keyed(d + "/memory.stat");
    s.memory_rss = mem["total_rss"];
    s.memory_cache = mem["total_cache"];
    s.memory_swap = mem["total_swap"];
    s.memory_usage = read_u64(d + "/memory.usage_in_bytes");
    s.memory_max_usage = read_u64(d + "/memory.max_usage_in_bytes");
  }
  if (std::string d = dir_of("cpuacct"); !d.empty()) {
    s.cpu_total_ns = read_u64(d + "/cpuacct.usage");
    auto st = read_keyed(d + "/cpuacct.stat");  // in USER_HZ ticks
    long hz = ::sysconf(_SC_CLK_TCK);
    if (hz <= 0) hz = 100;
    s.cpu_user_ns = st["user"] * (1000000000 / uint64_t(hz));
    s.cpu_system_ns = st["system"] * (1000000000 / uint64_t(hz));
  }
  if (std::string d = dir_of("pids"); !d.empty()) s.pids = read_u64(d + "/pids.current");
  return s;
}

uint64_t Cgroups::oom_kills() const {
  if (layout_.mode == CgroupMode::v2)
    return dirs_.empty() ? 0 : read_keyed(dirs_[0] + "/memory.events")["oom_kill"];
  std::string d = dir_of("memory");
  return d.empty() ? 0 : read_keyed(d + "/memory.oom_control")["oom_kill"];
}

std::vector<pid_t> Cgroups::processes() const {
  std::set<pid_t> out;
  for (const auto& d : dirs_) {
    auto t = read_file(d + "/cgroup.procs");
    if (!t) continue;
    std::istringstream in(*t);
    pid_t p;
    while (in >> p) out.insert(p);
  }
  return {out.begin(), out.end()};
}

Result<void> Cgroups::remove() const {
  Result<void> result;
  int64_t deadline = mono_ns() + 5 * kSecond;
  for (const auto& d : dirs_) {
    for (int attempt = 0;; ++attempt) {
      if (::rmdir(d.c_str()) == 0 || errno == ENOENT) break;
      if (errno != EBUSY || mono_ns() > deadline) {
        if (result) result = sys_error("rmdir " + d);
        break;
      }
      // Processes still leaving (or left behind): kill them and wait for them to go.
      if (exists(d + "/cgroup.kill")) {
        (void)write_value(d + "/cgroup.kill", "1");
      } else {
        auto t = read_file(d + "/cgroup.procs");
        if (t) {
          std::istringstream in(*t);
          pid_t p;
          while (in >> p) ::kill(p, SIGKILL);
        }
      }
      std::this_thread::sleep_for(std::chrono::microseconds(attempt < 20 ? 200 : 5000));
    }
  }
  return result;
}

Result<std::vector<Fd>> open_own_procs(const CgroupLayout& layout) {
  auto text = read_file("/proc/self/cgroup");
  if (!text) return std::move(text).error();
  std::map<std::string, std::string> own;  // controller (or "" for v2) -> path
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (controllers.empty()) own[""] = path;
    for (const auto& c : split(controllers, ",")) own[c] = path;
  }
  std::vector<Fd> out;
  auto open_one = [&](const std::string& mount, const std::string& path) -> Result<void> {
    std::string f = join_path(join_path(mount, path), "cgroup.procs");
    Fd fd(::open(f.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return sys_error("open " + f);
    out.push_back(std::move(fd));
    return {};
  };
  if (layout.mode == CgroupMode::v2) {
    if (auto r = open_one(layout.v2, own[""]); !r) return std::move(r).error();
    return out;
  }
  std::set<std::string> seen;
  for (const auto& [controller, mount] : layout.v1) {
    if (!seen.insert(mount).second) continue;
    if (auto r = open_one(mount, own[controller]); !r) return std::move(r).error();
  }
  return out;
}

std::vector<std::string> cgroup_children(const CgroupLayout& layout, const std::string& parent) {
  std::string base = layout.mode == CgroupMode::v2 ? layout.v2
                     : layout.v1.empty()           ? std::string()
                                                   : layout.v1.begin()->second;
  std::vector<std::string> out;
  for (const auto& n : list_dir(join_path(base, parent))) {
    if (is_dir(join_path(join_path(base, parent), n))) out.push_back(n);
  }
  return out;
}

Result<void> remove_cgroup_parent(const CgroupLayout& layout, const std::string& parent) {
  std::set<std::string> mounts;
  if (layout.mode == CgroupMode::v2) {
    mounts.insert(layout.v2);
  } else {
    for (const auto& [c, m] : layout.v1) mounts.insert(m);
  }
  for (const auto& m : mounts) {
    std::string p = join_path(m, parent);
    if (::rmdir(p.c_str()) != 0 && errno != ENOENT) return sys_error("rmdir " + p);
  }
  return {};
}

}  // namespace warden::jail::detail
