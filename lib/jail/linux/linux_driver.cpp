// The linux backend: pot's jail semantics with namespaces, an overlay, cgroups and a bridge.
//
// A jail's directory <data_dir>/jails/<name>/ holds state.json, exit.json (written by the
// supervisor), the overlay's upper/, work/ and merged/ directories and, by default, logs/.
// The overlay is mounted inside the jail's own mount namespace only, so nothing is ever mounted
// on the host and nothing needs unmounting: the mounts end with the jail's last process.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "../backends.hpp"
#include "../base.hpp"
#include "../plan.hpp"
#include "cgroups.hpp"
#include "exec.hpp"
#include "network.hpp"
#include "warden/core/strings.hpp"
#include "warden/core/version.hpp"
#include "warm_pool.hpp"

namespace warden::jail::detail {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr Nanos kStartTimeout = 60 * kSecond;

constexpr unsigned long kJailNamespaces = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;

struct LinuxCore : Core {
  std::optional<CgroupLayout> cgroups;
  std::string cgroup_error;
  std::mutex net_mu;
  std::unique_ptr<BridgeNetwork> network;
  std::mutex pool_mu;
  std::unique_ptr<WarmPool> pool;
  bool pool_stopped = false;
  uint64_t caps = default_capabilities();
  int last_cap = last_capability();

  ~LinuxCore() { stop_pool(); }

  BridgeNetwork& net() {
    std::lock_guard<std::mutex> lock(net_mu);
    if (!network) network = std::make_unique<BridgeNetwork>(options);
    return *network;
  }

  // A warm supervisor, on cgroup v1 and hybrid hosts (the pool starts with the first jail).
  std::optional<WarmSlot> warm() {
    if (!cgroups || cgroups->mode == CgroupMode::v2 || options.warm_pool <= 0) return {};
    std::lock_guard<std::mutex> lock(pool_mu);
    if (pool_stopped) return {};
    if (!pool) {
      pool = std::make_unique<WarmPool>(*cgroups, options.cgroup_parent, size_t(options.warm_pool),
                                        kJailNamespaces);
      return {};
    }
    return pool->take();
  }

  void touch_pool() {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (pool) pool->touch();
  }

  void stop_pool() {
    std::unique_ptr<WarmPool> p;
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      p = std::move(pool);
      pool_stopped = true;
    }
    if (p) p->stop();
  }
};

// The words of a command line that has nothing a shell would interpret, or none.
std::vector<std::string> plain_words(const std::string& line) {
  static const std::string safe =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:@%";
  std::vector<std::string> words;
  std::string cur;
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else if (safe.find(c) != std::string::npos) {
      cur += c;
    } else {
      return {};
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

bool overlay_safe(const std::string& p) {
  return p.find_first_of(",:\\") == std::string::npos;
}

// Creates the directories of `rel` (absolute inside the jail, symlinks already resolved) in the
// overlay's upper layer, with the owner and mode of the image's own directories where they
// exist, so that the merged view keeps them.
Result<void> upper_dirs(const std::string& rootfs, const std::string& upper,
                        const std::string& rel) {
  std::string prefix;
  for (const auto& c : split(rel, "/")) {
    if (c.empty()) continue;
    prefix += "/" + c;
    std::string up = upper + prefix;
    if (is_dir(up)) continue;
    struct stat st;
    mode_t mode = 0755;
    uid_t uid = 0;
    gid_t gid = 0;
    if (::stat((rootfs + prefix).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      mode = st.st_mode & 07777;
      uid = st.st_uid;
      gid = st.st_gid;
    }
    if (::mkdir(up.c_str(), mode) != 0 && errno != EEXIST) return sys_error("mkdir " + up);
    if (::chown(up.c_str(), uid, gid) != 0 || ::chmod(up.c_str(), mode) != 0)
      return sys_error("chown " + up);
  }
  return {};
}

Result<void> write_in_root(const std::string& rootfs, const std::string& upper,
                           const std::string& path, const std::string& content) {
  auto rel = resolve_in_root(rootfs, path);
  if (!rel) return std::move(rel).error();
  if (auto r = upper_dirs(rootfs, upper, parent_path(*rel)); !r) return r;
  std::string target = upper + *rel;
  ::unlink(target.c_str());
  return write_file(target, content, 0644);
}

class LinuxJail final : public BaseJail {
 public:
  LinuxJail(std::shared_ptr<LinuxCore> core, JailState st)
      : BaseJail(core, std::move(st)), lc_(std::move(core)) {}

  Result<void> start() override;
  Result<void> signal(std::string_view signal) override;
  Result<void> stop(std::string_view signal, Nanos timeout) override;
  Result<void> destroy(bool force) override;
  Result<std::unique_ptr<Process>> exec_interactive(const ExecOptions& options) override;
  Result<Stats> stats() override;

  // A start interrupted by a crash may have left its network behind.
  void repair_created();

 protected:
  ExitResult finish(const std::optional<ExitRecord>& record) override;

 private:
  Cgroups cgroups() const { return Cgroups::attach(*lc_->cgroups, st_.cgroups); }
  Result<void> build_plan(Plan& plan);
  void exec_plan(Plan& plan, const ExecOptions& options);
  Result<void> kill_and_wait();
  void release_network();

  std::shared_ptr<LinuxCore> lc_;
  uint64_t last_cpu_ = 0;
  int64_t last_ts_ = 0;
};

ExitResult LinuxJail::finish(const std::optional<ExitRecord>& record) {
  ExitResult e;
  if (record) {
    e.exit_code = record->exit_code;
    e.signal = record->signal;
    e.finished_at_ns = record->finished_at_ns;
  } else {
    e.exit_code = 128 + SIGKILL;
    e.signal = SIGKILL;
    e.error = "the jail's supervisor was killed";
    e.finished_at_ns = wall_ns();
  }
  if (e.signal == SIGKILL && !st_.cgroups.empty() && cgroups().oom_kills() > 0) e.oom_killed = true;
  return e;
}

Result<void> LinuxJail::build_plan(Plan& plan) {
  const std::string root = dir() + "/merged";
  const std::string& rootfs = st_.rootfs;
  plan.unshare_flags = CLONE_NEWNS | CLONE_NEWCGROUP;
  plan.root = plan.keep(root);
  auto add = [&](Op op) { plan.ops.push_back(op); };
  auto in_root = [&](const std::string& rel) { return plan.keep(root + rel); };
  // The directories leading to `rel` (and `rel` itself as a directory, or a file).
  auto make_target = [&](const std::string& rel, bool dir) {
    std::string prefix;
    auto parts = split(rel, "/");
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i].empty()) continue;
      prefix += "/" + parts[i];
      bool last = i + 1 == parts.size();
      Op op{};
      op.optional = true;
      op.a = in_root(prefix);
      if (last && !dir) {
        op.kind = Op::mknod;
        op.mode = S_IFREG | 0644;
      } else {
        op.kind = Op::mkdir;
        op.mode = 0755;
      }
      add(op);
    }
  };

  Op overlay{};
  overlay.kind = Op::mount;
  overlay.a = "overlay";
  overlay.b = plan.root;
  overlay.c = "overlay";
  overlay.data = plan.keep("lowerdir=" + rootfs + ",upperdir=" + dir() + "/upper,workdir=" + dir() +
                           "/work,volatile");
  overlay.step = "mount the overlay root";
  add(overlay);

  // /proc, with the parts that reach the host read-only or masked.
  make_target("/proc", true);
  add({Op::mount, "proc", in_root("/proc"), "proc", nullptr, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0,
       false, "mount /proc"});
  for (const char* p : {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus"}) {
    const char* t = in_root(p);
    add({Op::mount, t, t, nullptr, nullptr, MS_BIND | MS_REC, 0, 0, true, "protect /proc"});
    add({Op::remount, nullptr, t, nullptr, nullptr,
         MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, true,
         "protect /proc"});
  }
  for (const char* p : {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"})
    add({Op::mount, "/dev/null", in_root(p), nullptr, nullptr, MS_BIND, 0, 0, true, "mask /proc"});

  // A minimal /dev.
  make_target("/dev", true);
  add({Op::mount, "tmpfs", in_root("/dev"), "tmpfs", "mode=755,size=65536k",
       MS_NOSUID | MS_STRICTATIME, 0, 0, false, "mount /dev"});
  struct Node {
    const char* name;
    unsigned major, minor;
  };
  for (Node n : {Node{"null", 1, 3}, Node{"zero", 1, 5}, Node{"full", 1, 7}, Node{"random", 1, 8},
                 Node{"urandom", 1, 9}, Node{"tty", 5, 0}}) {
    add({Op::mknod, in_root(std::string("/dev/") + n.name), nullptr, nullptr, nullptr, 0,
         S_IFCHR | 0666, makedev(n.major, n.minor), false, "create the /dev nodes"});
  }
  add({Op::mkdir, in_root("/dev/pts"), nullptr, nullptr, nullptr, 0, 0755, 0, false, "mkdir"});
  add({Op::mount, "devpts", in_root("/dev/pts"), "devpts",
       "newinstance,ptmxmode=0666,mode=0620,gid=5", MS_NOSUID | MS_NOEXEC, 0, 0, false,
       "mount /dev/pts"});
  add({Op::mkdir, in_root("/dev/shm"), nullptr, nullptr, nullptr, 0, 01777, 0, false, "mkdir"});
  add({Op::mount, "shm", in_root("/dev/shm"), "tmpfs", "mode=1777,size=65536k",
       MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, 0, false, "mount /dev/shm"});
  struct Link {
    const char* target;
    const char* path;
  };
  for (Link l : {Link{"pts/ptmx", "/dev/ptmx"}, Link{"/proc/self/fd", "/dev/fd"},
                 Link{"/proc/self/fd/0", "/dev/stdin"}, Link{"/proc/self/fd/1", "/dev/stdout"},
                 Link{"/proc/self/fd/2", "/dev/stderr"}}) {
    add({Op::symlink, l.target, in_root(l.path), nullptr, nullptr, 0, 0, 0, false,
         "create the /dev links"});
  }

  make_target("/tmp", true);
  add({Op::mount, "tmpfs", in_root("/tmp"), "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV, 0, 0, false,
       "mount /tmp"});

  // Bind mounts: mount, mount_read_only, /local and /secrets.
  for (const auto& m : st_.mounts) {
    auto rel = resolve_in_root(rootfs, m.destination);
    if (!rel) return std::move(rel).error();
    make_target(*rel, is_dir(m.source));
    const char* target = in_root(*rel);
    const char* step = plan.keep("bind " + m.source + " on " + m.destination);
    add({Op::mount, plan.keep(m.source), target, nullptr, nullptr, MS_BIND | MS_REC, 0, 0, false,
         step});
    if (m.read_only)
      add({Op::remount, nullptr, target, nullptr, nullptr,
           MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, 0, 0, false, step});
  }

  std::string host = st_.name.substr(0, 64);
  plan.hostname = plan.keep(host);
  for (const auto& e : st_.env) plan.envp.push_back(plan.keep(e));
  // pot runs `exec <command>` with the image's /bin/sh. When the line has no shell syntax at all
  // (no quoting, expansion, redirection, globbing, assignment), that is exactly an exec of its
  // words looked up in PATH, which we do directly: one exec fewer.
  auto words = plain_words(st_.command);
  const char* line = plan.keep("exec " + st_.command);
  if (words.empty()) {
    plan.argv = {"/bin/sh", "-c", line};
  } else {
    plan.fallback_argv = {"/bin/sh", "-c", line};
    for (auto& w : words) plan.argv.push_back(plan.keep(std::move(w)));
    for (const auto& e : st_.env) {
      if (e.compare(0, 5, "PATH=") == 0) plan.path = plan.keep(e.substr(5));
    }
  }
  plan.keep_caps = lc_->caps;
  plan.last_cap = lc_->last_cap;
  return {};
}

void LinuxJail::exec_plan(Plan& plan, const ExecOptions& options) {
  for (const auto& a : options.argv) plan.argv.push_back(plan.keep(a));
  std::map<std::string, std::string> env;
  for (const auto& e : st_.env) {
    size_t eq = e.find('=');
    env[e.substr(0, eq)] = eq == std::string::npos ? "" : e.substr(eq + 1);
  }
  for (const auto& [k, v] : options.env) env[k] = v;
  for (const auto& [k, v] : env) plan.envp.push_back(plan.keep(k + "=" + v));
  plan.path = plan.keep(env.count("PATH") ? env["PATH"] : kDefaultPath);
  plan.keep_caps = lc_->caps;
  plan.last_cap = lc_->last_cap;
}

void LinuxJail::release_network() {
  if (st_.network_mode != "public-bridge") return;
  auto& net = lc_->net();
  std::vector<uint16_t> ports;
  for (const auto& p : st_.ports) ports.push_back(p.host);
  (void)net.unforward(ports);
  if (!st_.veth.empty()) (void)net.detach(st_.veth);
  st_.veth.clear();
}

void LinuxJail::repair_created() {
  std::lock_guard<std::mutex> lock(mu_);
  if (st_.status != "created" || st_.veth.empty()) return;
  release_network();
  (void)save_locked();
}

CgroupLimits limits_for(const Resources& r, const DriverOptions& o) {
  CgroupLimits limits;
  int64_t mem = r.memory_mb, max = r.memory_max_mb;
  limits.memory_bytes = std::max(mem, max) * 1024 * 1024;
  if (max > mem) limits.memory_soft_bytes = mem * 1024 * 1024;
  limits.cpu_shares = r.cpu_mhz;
  limits.pids_max = r.pids_limit > 0 ? r.pids_limit : o.pids_limit;
  return limits;
}

Result<void> LinuxJail::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (destroyed_) return Error(ErrorCode::not_found, "jail " + name_ + " was destroyed");
  if (st_.status != "created")
    return Error(ErrorCode::conflict, "jail " + name_ + " was already started");
  if (!lc_->cgroups) return Error(ErrorCode::unsupported, lc_->cgroup_error);
  const CgroupLayout& layout = *lc_->cgroups;
  bool bridge = st_.network_mode == "public-bridge";
  uint32_t addr = 0;
  if (bridge) {
    if (auto r = lc_->net().ensure(); !r) return r;
    nl::parse_ipv4(st_.address, addr);
  }
  Plan plan;
  if (auto r = build_plan(plan); !r) return r;
  Fd log_dir(::open(st_.log_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd state_dir(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!log_dir || !state_dir) return sys_error("open the jail's directories");
  ::unlink((dir() + "/exit.json").c_str());

  // The cgroups and the supervisor: warm ones if there are, else made now. Recorded before they
  // exist, so that a crash in between leaves nothing destroy() does not know of.
  st_.cgroups = Cgroups::paths(layout, lc_->options.cgroup_parent, name_);
  if (auto r = save_locked(); !r) return r;
  Supervisor sup;
  Cgroups cg;
  std::vector<Fd> procs;
  Fd v2dir;
  auto undo = [&](Error e) -> Result<void> {
    if (sup.pidfd) {
      pidfd_send_signal(sup.pidfd.get(), SIGKILL);
      wait_readable(sup.pidfd.get(), 5 * kSecond);
    }
    release_network();
    (void)Cgroups::attach(layout, st_.cgroups).remove();
    st_.cgroups.clear();
    st_.shim_pid = -1;
    st_.shim_start = 0;
    ::unlink((dir() + "/exit.json").c_str());
    (void)save_locked();
    return e;
  };
  if (auto slot = lc_->warm()) {
    auto renamed = slot->cgroups.renamed(name_);
    if (renamed) {
      cg = std::move(*renamed);
      sup = std::move(slot->supervisor);
    } else {
      WarmPool::release(*slot);
    }
  }
  if (!sup.pidfd) {
    auto c = Cgroups::create(layout, lc_->options.cgroup_parent, name_);
    if (!c) return undo(std::move(c).error());
    cg = std::move(*c);
    if (layout.mode == CgroupMode::v2) {
      auto d = cg.open_v2_dir();
      if (!d) return undo(std::move(d).error());
      v2dir = std::move(*d);
    }
    auto p = cg.open_procs();
    if (!p) return undo(std::move(p).error());
    procs = std::move(*p);
    SupervisorSpec spec;
    spec.namespaces = kJailNamespaces;
    auto s = spawn_supervisor(spec);
    if (!s) return undo(std::move(s).error());
    sup = std::move(*s);
  }
  if (auto r = cg.apply(limits_for(st_.resources, lc_->options)); !r)
    return undo(std::move(r).error());
  st_.shim_pid = sup.pid;
  st_.shim_start = process_start_time(sup.pid).value_or(0);
  if (bridge) st_.veth = BridgeNetwork::veth_name(addr);
  if (auto r = save_locked(); !r) return undo(std::move(r).error());

  Job job = job_for(plan, log_dir.get(), state_dir.get());
  job.cgroup_dir = v2dir ? v2dir.get() : -1;
  for (const auto& fd : procs) job.cgroup_procs.push_back(fd.get());
  job.new_netns = bridge;
  if (auto r = send_job(sup, job, kStartTimeout); !r) return undo(std::move(r).error());
  if (bridge) {
    if (auto r = lc_->net().attach(st_.veth, sup.pid, sup.pidfd.get(), addr); !r)
      return undo(std::move(r).error());
    std::vector<nl::PortForward> fw;
    for (const auto& p : st_.ports) fw.push_back({p.host, addr, p.jail});
    if (auto r = lc_->net().forward(fw); !r) return undo(std::move(r).error());
  }
  auto child = start_child(sup, kStartTimeout);
  if (!child) return undo(std::move(child).error());
  return mark_running_locked(sup, *child);
}

Result<void> LinuxJail::signal(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sig = signal_number_locked(name);
  if (!sig) return std::move(sig).error();
  if (!*sig) return {};  // ended already
  if (!cmd_pidfd_) return Error(ErrorCode::io, "the command of jail " + name_ + " is gone");
  if (pidfd_send_signal(cmd_pidfd_.get(), **sig) != 0 && errno != ESRCH)
    return sys_error("signal jail " + name_);
  return {};
}

Result<void> LinuxJail::kill_and_wait() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cmd_pidfd_) pidfd_send_signal(cmd_pidfd_.get(), SIGKILL);
  }
  auto w = wait(2 * kSecond);
  if (w && *w) return {};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shim_pidfd_ && *shim_pidfd_) pidfd_send_signal(shim_pidfd_->get(), SIGKILL);
  }
  w = wait(10 * kSecond);
  if (w && *w) return {};
  return Error(ErrorCode::io, "jail " + name_ + " did not die");
}

Result<void> LinuxJail::stop(std::string_view signal_name, Nanos timeout) {
  std::string sig;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (check_exited_locked() || st_.status != "running") return {};
    sig = signal_name.empty() ? st_.kill_signal : std::string(signal_name);
    if (timeout < 0) timeout = st_.kill_timeout_ns;
  }
  if (!parse_signal(sig))
    return Error(ErrorCode::invalid_argument, "unknown signal \"" + sig + "\"");
  if (auto r = signal(sig); !r) return r;
  auto w = wait(timeout);
  if (w && *w) return {};
  return kill_and_wait();
}

Result<void> LinuxJail::destroy(bool force) {
  bool running;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (destroyed_) return {};
    running = st_.status == "running" && !check_exited_locked();
    if (running && !force)
      return Error(ErrorCode::conflict,
                   "jail " + name_ + " is running: stop it first, or destroy it with force");
  }
  if (running) {
    if (auto r = kill_and_wait(); !r) return r;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (destroyed_) return {};
  lc_->touch_pool();
  if (shim_pidfd_ && *shim_pidfd_ && !wait_readable(shim_pidfd_->get(), 0)) {
    pidfd_send_signal(shim_pidfd_->get(), SIGKILL);
    wait_readable(shim_pidfd_->get(), 10 * kSecond);
  }
  release_network();
  if (st_.network_mode == "public-bridge") (void)lc_->net().release(name_);
  Result<void> result;
  if (!st_.cgroups.empty()) {
    if (auto r = cgroups().remove(); !r) result = std::move(r);
  }
  if (auto r = remove_tree(dir()); !r && result) result = std::move(r);
  destroyed_ = true;
  return result;
}

Result<std::unique_ptr<Process>> LinuxJail::exec_interactive(const ExecOptions& options) {
  if (options.argv.empty()) return Error(ErrorCode::invalid_argument, "exec: empty command");
  std::lock_guard<std::mutex> lock(mu_);
  if (check_exited_locked() || st_.status != "running")
    return Error(ErrorCode::invalid_argument, "jail " + name_ + " is not running");
  if (!cmd_pidfd_) return Error(ErrorCode::io, "the command of jail " + name_ + " is gone");
  Plan plan;
  exec_plan(plan, options);
  auto procs = cgroups().open_procs();
  if (!procs) return std::move(procs).error();
  ExecRequest req;
  req.target_pidfd = cmd_pidfd_.get();
  for (const auto& fd : *procs) req.cgroup_procs.push_back(fd.get());
  PlanView view = plan.view();
  req.plan = &view;
  req.tty = options.tty;
  return exec_in_jail(req);
}

Result<Stats> LinuxJail::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  if (st_.cgroups.empty()) return Error(ErrorCode::invalid_argument, "jail has no cgroups");
  auto s = cgroups().stats();
  if (!s) return s;
  s->timestamp_ns = wall_ns();
  int64_t now = mono_ns();
  if (last_ts_ && now > last_ts_ && s->cpu_total_ns >= last_cpu_)
    s->cpu_percent = double(s->cpu_total_ns - last_cpu_) * 100.0 / double(now - last_ts_);
  last_ts_ = now;
  last_cpu_ = s->cpu_total_ns;
  return s;
}

class LinuxDriver final : public Driver {
 public:
  explicit LinuxDriver(std::shared_ptr<LinuxCore> core) : core_(std::move(core)) {}

  Backend backend() const override { return Backend::linux_native; }
  const DriverOptions& options() const override { return core_->options; }
  Fingerprint fingerprint() override;
  Result<std::shared_ptr<Jail>> create(const JailSpec& spec) override;
  Result<std::shared_ptr<Jail>> open(std::string_view name) override;
  Result<std::vector<JailInfo>> list() override { return list_jails(*this, *core_); }
  Result<RecoverReport> recover() override;
  Result<void> teardown() override;

 private:
  Result<void> prepare(const JailSpec& spec, JailState& st);
  std::shared_ptr<LinuxCore> core_;
};

Fingerprint LinuxDriver::fingerprint() {
  Fingerprint f;
  f.version = WARDEN_VERSION_STRING;
  f.attributes["driver.pot.backend"] = "linux";
  std::vector<std::string> problems;
  if (::geteuid() != 0) problems.push_back("the linux backend needs root");
  if (!core_->cgroups) {
    problems.push_back(core_->cgroup_error);
  } else {
    f.attributes["driver.pot.cgroup"] = cgroup_mode_name(core_->cgroups->mode);
    if (!core_->cgroups->memory) problems.push_back("the memory cgroup controller is missing");
    if (!core_->cgroups->pids) problems.push_back("the pids cgroup controller is missing");
  }
  auto fs = read_file("/proc/filesystems");
  if (!fs || fs->find("\toverlay\n") == std::string::npos)
    problems.push_back("the kernel has no overlay file system");
  Fd self(pidfd_open(::getpid()));
  if (!self) problems.push_back("the kernel has no pidfds (Linux 5.8 or later is needed)");
  utsname u{};
  if (::uname(&u) == 0) f.attributes["kernel.version"] = u.release;
  f.attributes["driver.pot.network.bridge"] = core_->options.bridge;
  f.attributes["driver.pot.network.pool"] = core_->options.address_pool;
  if (problems.empty()) {
    f.healthy = true;
    f.description = "healthy";
    f.attributes["driver.pot"] = "true";
    f.attributes["driver.pot.version"] = f.version;
  } else {
    f.description = join(problems, "; ");
  }
  return f;
}

Result<void> LinuxDriver::prepare(const JailSpec& spec, JailState& st) {
  std::string d = core_->jail_dir(st.name);
  std::string upper = d + "/upper";
  for (const char* sub : {"/upper", "/work", "/merged"}) {
    if (::mkdir((d + sub).c_str(), 0700) != 0) return sys_error("mkdir " + d + sub);
  }
  if (auto r = make_dirs(st.log_dir, 0755); !r) return r;

  // Network: the address is leased now, as `pot prepare -i auto` does.
  if (st.network_mode == "public-bridge") {
    auto a = core_->net().lease(st.name);
    if (!a) return std::move(a).error();
    st.address = nl::format_ipv4(*a);
  }
  std::string host = st.name.substr(0, 64);
  std::string hosts =
      "# Generated by warden\n127.0.0.1\tlocalhost " + host + "\n::1\tlocalhost " + host + "\n";
  if (!st.address.empty()) hosts += st.address + "\t" + host + "\n";
  for (const auto& h : spec.config.extra_hosts) {
    size_t colon = h.find(':');
    hosts += h.substr(colon + 1) + "\t" + h.substr(0, colon) + "\n";
  }
  if (auto r = write_in_root(st.rootfs, upper, "/etc/hosts", hosts); !r) return r;
  std::string resolv;
  if (core_->options.dns_servers.empty()) {
    if (auto host = read_file("/etc/resolv.conf")) resolv = std::move(*host);
  } else {
    for (const auto& s : core_->options.dns_servers) resolv += "nameserver " + s + "\n";
  }
  if (auto r = write_in_root(st.rootfs, upper, "/etc/resolv.conf", resolv); !r) return r;

  // copy entries go into the upper layer now (pot's copy-in).
  for (const auto& c : spec.config.copy) {
    if (!exists(c.source))
      return Error(ErrorCode::invalid_argument, "copy source " + c.source + " does not exist");
    auto rel = resolve_in_root(st.rootfs, c.destination);
    if (!rel) return std::move(rel).error();
    if (auto r = upper_dirs(st.rootfs, upper, parent_path(*rel)); !r) return r;
    if (auto r = copy_tree(c.source, upper + *rel); !r) return r;
  }

  return {};
}

Result<std::shared_ptr<Jail>> LinuxDriver::create(const JailSpec& spec) {
  if (!core_->cgroups) return Error(ErrorCode::unsupported, core_->cgroup_error);
  if (spec.alloc_id.empty() || spec.task_name.empty())
    return Error(ErrorCode::invalid_argument, "a jail needs an allocation ID and a task name");
  if (spec.rootfs.empty() || !is_dir(spec.rootfs))
    return Error(ErrorCode::invalid_argument,
                 "the jail's root file system \"" + spec.rootfs + "\" is not a directory");
  if (!exists(spec.rootfs + "/bin/sh"))
    return Error(ErrorCode::invalid_argument,
                 "the root file system " + spec.rootfs + " has no /bin/sh to run the command");
  if (!overlay_safe(spec.rootfs) || !overlay_safe(core_->options.data_dir))
    return Error(ErrorCode::invalid_argument,
                 "the root file system and data directory paths cannot contain ',', ':' or '\\'");
  std::string mode = effective_network_mode(spec.config);
  if (mode != "inherit" && mode != "public-bridge")
    return Error(ErrorCode::unsupported, "network mode \"" + mode +
                                             "\" is not supported by the linux backend "
                                             "(use host, inherit or public-bridge)");
  JailState st;
  st.backend = "linux";
  st.invocation = spec.invocation.empty() ? new_invocation() : spec.invocation;
  st.name = jail_name(spec.task_name, st.invocation, spec.alloc_id);
  st.alloc_id = spec.alloc_id;
  st.task_name = spec.task_name;
  st.created_at_ns = wall_ns();
  st.rootfs = spec.rootfs;
  st.task_dir = spec.task_dir;
  st.logs = spec.logs;
  if (st.logs.max_files < 1) st.logs.max_files = 1;
  if (st.logs.max_file_size_mb < 1) st.logs.max_file_size_mb = 1;
  st.kill_timeout_ns = spec.kill_timeout;
  st.kill_signal = spec.kill_signal.empty() ? "SIGINT" : spec.kill_signal;
  st.resources = spec.resources;
  st.network_mode = mode;
  st.command = spec.config.command.empty() ? spec.default_command : command_line(spec.config);
  std::map<std::string, std::string> env = {{"PATH", kDefaultPath}, {"HOME", "/root"}};
  for (const auto& [k, v] : spec.env) env[k] = v;
  for (const auto& [k, v] : env) st.env.push_back(k + "=" + v);
  if (mode == "public-bridge") {
    for (const auto& pm : spec.config.port_map) {
      auto it = spec.host_ports.find(pm.label);
      if (it == spec.host_ports.end())
        return Error(ErrorCode::invalid_argument,
                     "port_map label \"" + pm.label + "\" has no host port in the allocation");
      st.ports.push_back({pm.label, it->second, pm.jail_port});
    }
  }
  for (const auto& m : spec.config.mount) st.mounts.push_back({m.source, m.destination, false});
  for (const auto& m : spec.config.mount_read_only)
    st.mounts.push_back({m.source, m.destination, true});
  if (!spec.task_dir.empty()) {
    for (const char* sub : {"local", "secrets"}) {
      std::string src = spec.task_dir + "/" + sub;
      if (auto r = make_dirs(src, 0755); !r) return std::move(r).error();
      st.mounts.push_back({src, std::string("/") + sub, false});
    }
  }
  for (const auto& m : st.mounts) {
    if (!exists(m.source))
      return Error(ErrorCode::invalid_argument, "mount source " + m.source + " does not exist");
  }

  std::string d = core_->jail_dir(st.name);
  st.log_dir = spec.log_dir.empty() ? d + "/logs" : spec.log_dir;
  if (auto r = make_dirs(core_->jails_dir(), 0700); !r) return std::move(r).error();
  if (::mkdir(d.c_str(), 0700) != 0) {
    if (errno == EEXIST)
      return Error(ErrorCode::conflict, "a jail named " + st.name + " already exists");
    return sys_error("mkdir " + d);
  }
  // Persisted before anything else exists, so that recover() can clean up after a crash.
  if (auto r = save_state(d, st); !r) {
    (void)remove_tree(d);
    return std::move(r).error();
  }
  if (auto r = prepare(spec, st); !r) {
    auto jail = std::make_shared<LinuxJail>(core_, st);
    (void)jail->destroy(true);
    return std::move(r).error();
  }
  st.status = "created";
  if (auto r = save_state(d, st); !r) return std::move(r).error();
  return std::shared_ptr<Jail>(std::make_shared<LinuxJail>(core_, std::move(st)));
}

Result<std::shared_ptr<Jail>> LinuxDriver::open(std::string_view name) {
  auto st = load_jail(*core_, name, "linux");
  if (!st) return std::move(st).error();
  if (!core_->cgroups) return Error(ErrorCode::unsupported, core_->cgroup_error);
  auto jail = std::make_shared<LinuxJail>(core_, std::move(*st));
  jail->attach();
  jail->repair_created();
  return std::shared_ptr<Jail>(jail);
}

Result<RecoverReport> LinuxDriver::recover() {
  auto report = recover_jails(*this, *core_);
  if (!report) return report;
  if (core_->cgroups) remove_stale_warm(*core_->cgroups, core_->options.cgroup_parent);
  // Leases and forwards whose jail is gone (a crash between steps).
  std::string leases = core_->options.data_dir + "/network/" + core_->options.bridge + ".leases";
  if (exists(leases)) {
    auto& net = core_->net();
    auto current = net.leases();
    std::set<uint32_t> live;
    if (current) {
      for (const auto& [name, addr] : *current) {
        if (!exists(core_->jail_dir(name)))
          (void)net.release(name);
        else
          live.insert(addr);
      }
    }
    if (auto fw = net.forwards()) {
      std::vector<uint16_t> stale;
      for (const auto& f : *fw) {
        if (!live.count(f.address)) stale.push_back(f.host_port);
      }
      (void)net.unforward(stale);
    }
  }
  return report;
}

Result<void> LinuxDriver::teardown() {
  auto names = jail_names(*core_);
  if (!names.empty())
    return Error(ErrorCode::invalid_argument,
                 std::to_string(names.size()) + " jail(s) remain in " + core_->jails_dir());
  core_->stop_pool();
  if (auto r = core_->net().teardown(); !r) return r;
  if (core_->cgroups) {
    if (auto r = remove_cgroup_parent(*core_->cgroups, core_->options.cgroup_parent); !r) return r;
  }
  (void)::rmdir(core_->jails_dir().c_str());
  (void)::rmdir((core_->options.data_dir + "/network").c_str());
  return {};
}

}  // namespace

Result<std::unique_ptr<Driver>> make_linux_driver(DriverOptions options) {
  auto core = std::make_shared<LinuxCore>();
  core->options = std::move(options);
  auto layout = detect_cgroups();
  if (layout) {
    core->cgroups = *layout;
    remove_stale_warm(*layout, core->options.cgroup_parent);
  } else {
    core->cgroup_error = layout.error().message();
  }
  return std::unique_ptr<Driver>(new LinuxDriver(std::move(core)));
}

}  // namespace warden::jail::detail
