// The pot backend: FreeBSD jails through the `pot` program, run exactly as nomad-pot-driver runs
// it (see warden/jail/pot.hpp). `pot start` runs in the foreground under the jail supervisor,
// which writes its output as the task's logs and records its exit status.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "../backends.hpp"
#include "../base.hpp"
#include "../plan.hpp"
#include "warden/core/log.hpp"
#include "warden/core/strings.hpp"
#include "warden/jail/pot.hpp"

extern char** environ;

namespace warden::jail::detail {
namespace {

constexpr Nanos kCommandTimeout = 10 * kMinute;  // pot prepare may download an image

struct PotCore : Core {};

std::string pot_error(const std::vector<std::string>& argv, const RunResult& r) {
  std::string what = trim(r.err).empty() ? std::string(trim(r.out)) : std::string(trim(r.err));
  return "pot " + argv[0] + " failed with status " + std::to_string(r.status) +
         (what.empty() ? "" : ": " + what);
}

class PotJail final : public BaseJail {
 public:
  PotJail(std::shared_ptr<PotCore> core, JailState st)
      : BaseJail(core, std::move(st)), pc_(std::move(core)) {}

  Result<void> start() override;
  Result<void> signal(std::string_view signal) override;
  Result<void> stop(std::string_view signal, Nanos timeout) override;
  Result<void> destroy(bool force) override;
  Result<std::unique_ptr<Process>> exec_interactive(const ExecOptions& options) override;
  Result<Stats> stats() override;

  Result<RunResult> pot(const std::vector<std::string>& args, Nanos timeout = kCommandTimeout);

 protected:
  ExitResult finish(const std::optional<ExitRecord>& record) override;

 private:
  std::shared_ptr<PotCore> pc_;
};

Result<RunResult> PotJail::pot(const std::vector<std::string>& args, Nanos timeout) {
  std::vector<std::string> argv = {pc_->options.pot_binary};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions o;
  o.timeout = timeout;
  o.cwd = st_.task_dir;
  return run(argv, o);
}

ExitResult PotJail::finish(const std::optional<ExitRecord>& record) {
  ExitResult e;
  e.finished_at_ns = record ? record->finished_at_ns : wall_ns();
  if (!record) {
    e.exit_code = 128 + SIGKILL;
    e.signal = SIGKILL;
    e.error = "the jail's supervisor was killed";
    return e;
  }
  e.exit_code = record->exit_code;
  e.signal = record->signal;
  if (e.signal == 0 && e.exit_code == 125) {
    // pot start's way of saying "the jail's command failed": the code is in last-run-stats.
    auto r = pot({"last-run-stats", "-p", st_.name});
    if (r && r->status == 0) {
      auto code = pot::parse_last_run_stats(r->out);
      if (code) {
        e.exit_code = *code;
        return e;
      }
      e.error = code.error().message();
    } else {
      e.error = r ? pot_error({"last-run-stats"}, *r) : r.error().message();
    }
  } else if (e.signal == 0 && e.exit_code != 0) {
    e.error = "pot start exited with status " + std::to_string(e.exit_code);
  }
  return e;
}

Result<void> PotJail::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (destroyed_) return Error(ErrorCode::not_found, "jail " + name_ + " was destroyed");
  if (st_.status != "created")
    return Error(ErrorCode::conflict, "jail " + name_ + " was already started");
  std::string path = pc_->options.pot_binary;
  if (path.find('/') == std::string::npos) {
    // Resolve it now: the supervisor's child does not search PATH for a plan without one.
    for (const auto& dir : split(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin", ":")) {
      if (::access((dir + "/" + path).c_str(), X_OK) == 0) {
        path = dir + "/" + path;
        break;
      }
    }
  }
  // `pot start <name>` in the foreground, in the task directory, with our environment and
  // privileges (pot makes the jail).
  Plan plan;
  plan.argv = {plan.keep(path), "start", plan.keep(name_)};
  for (char** e = environ; e && *e; ++e) plan.envp.push_back(plan.keep(*e));
  plan.cwd = plan.keep(st_.task_dir.empty() ? "/" : st_.task_dir);
  plan.drop_privileges = false;
  Fd log_dir(::open(st_.log_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd state_dir(::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!log_dir || !state_dir) return sys_error("open the jail's directories");
  ::unlink((dir() + "/exit.json").c_str());
  auto sup = spawn_supervisor(SupervisorSpec{});
  if (!sup) return std::move(sup).error();
  st_.shim_pid = sup->pid;
  st_.shim_start = process_start_time(sup->pid).value_or(0);
  Job job = job_for(plan, log_dir.get(), state_dir.get());
  auto child = send_job(*sup, job, kCommandTimeout)
                   ? start_child(*sup, kCommandTimeout)
                   : Result<ChildStarted>(Error(ErrorCode::io, "pot start: no supervisor"));
  if (!child) {
    if (sup->pidfd) pidfd_send_signal(sup->pidfd.get(), SIGKILL);
    st_.shim_pid = -1;
    (void)save_locked();
    return std::move(child).error();
  }
  return mark_running_locked(*sup, *child);
}

Result<void> PotJail::signal(std::string_view name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sig = signal_number_locked(name);
  if (!sig) return std::move(sig).error();
  if (!*sig) return {};  // ended already
  auto argv = pot::signal_command(name_, signal_name(**sig));
  auto r = pot(argv);
  if (!r) return std::move(r).error();
  if (r->status != 0) return Error(ErrorCode::io, pot_error(argv, *r));
  return {};
}

Result<void> PotJail::stop(std::string_view, Nanos timeout) {
  // As nomad-pot-driver: `pot stop` (which signals the jail's processes itself); the supervised
  // `pot start` then returns. The signal is pot's business.
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (check_exited_locked() || st_.status != "running") return {};
    if (timeout < 0) timeout = st_.kill_timeout_ns;
    auto argv = std::vector<std::string>{"stop", name_};
    auto r = pot(argv);
    if (!r) return std::move(r).error();
    if (r->status != 0) log(LogLevel::warn, "jail", pot_error(argv, *r));
  }
  auto w = wait(timeout);
  if (w && *w) return {};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cmd_pidfd_) pidfd_send_signal(cmd_pidfd_.get(), SIGKILL);
  }
  w = wait(10 * kSecond);
  if (w && *w) return {};
  return Error(ErrorCode::io, "pot start " + name_ + " did not end");
}

Result<void> PotJail::destroy(bool force) {
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
    if (auto r = stop("", 5 * kSecond); !r) return r;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (destroyed_) return {};
  if (shim_pidfd_ && *shim_pidfd_ && !wait_readable(shim_pidfd_->get(), 0)) {
    pidfd_send_signal(shim_pidfd_->get(), SIGKILL);
    wait_readable(shim_pidfd_->get(), 10 * kSecond);
  }
  auto argv = std::vector<std::string>{"destroy", "-p", name_, "-F"};
  auto r = pot(argv);
  if (!r) return std::move(r).error();
  if (r->status != 0) return Error(ErrorCode::io, pot_error(argv, *r));
  if (auto rm = remove_tree(dir()); !rm) return rm;
  destroyed_ = true;
  return {};
}

Result<std::unique_ptr<Process>> PotJail::exec_interactive(const ExecOptions& options) {
  if (options.argv.empty()) return Error(ErrorCode::invalid_argument, "exec: empty command");
  std::vector<std::string> argv;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (check_exited_locked() || st_.status != "running")
      return Error(ErrorCode::invalid_argument, "jail " + name_ + " is not running");
    argv = {pc_->options.pot_binary};
    auto cmd = pot::exec_command(name_, options.argv);
    // Extra environment: pot exec's -e, before the pot name.
    std::vector<std::string> env;
    for (const auto& [k, v] : options.env) env.insert(env.end(), {"-e", k + "=" + v});
    cmd.insert(cmd.begin() + 1, env.begin(), env.end());
    argv.insert(argv.end(), cmd.begin(), cmd.end());
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  Fd in_r, in_w, out_r, out_w, err_r, err_w, master;
  std::string slave_name;
  if (options.tty) {
    master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0)
      return sys_error("open a terminal");
    char buf[128];
    if (::ptsname_r(master.get(), buf, sizeof buf) != 0) return sys_error("ptsname");
    slave_name = buf;
    flags |= POSIX_SPAWN_SETSID;
    // Opened by the new session leader: it becomes the controlling terminal.
    posix_spawn_file_actions_addopen(&fa, 0, slave_name.c_str(), O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 0, 1);
    posix_spawn_file_actions_adddup2(&fa, 0, 2);
  } else {
    int p[2];
    for (auto [r, w] :
         {std::pair{&in_r, &in_w}, std::pair{&out_r, &out_w}, std::pair{&err_r, &err_w}}) {
      if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
      r->reset(p[0]);
      w->reset(p[1]);
    }
    posix_spawn_file_actions_adddup2(&fa, in_r.get(), 0);
    posix_spawn_file_actions_adddup2(&fa, out_w.get(), 1);
    posix_spawn_file_actions_adddup2(&fa, err_w.get(), 2);
  }
  posix_spawnattr_setflags(&attr, flags);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return sys_error("run " + argv[0], rc);
  if (options.tty)
    return std::unique_ptr<Process>(new ChildProcess(pid, std::move(master), Fd(), Fd(), true));
  return std::unique_ptr<Process>(
      new ChildProcess(pid, std::move(in_w), std::move(out_r), std::move(err_r), false));
}

Result<Stats> PotJail::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  auto argv = std::vector<std::string>{"get-rss", "-p", name_, "-J"};
  auto r = pot(argv, 30 * kSecond);
  if (!r) return std::move(r).error();
  if (r->status != 0) return Error(ErrorCode::io, pot_error(argv, *r));
  return pot::parse_get_rss(r->out);
}

class PotDriver final : public Driver {
 public:
  explicit PotDriver(std::shared_ptr<PotCore> core) : core_(std::move(core)) {}

  Backend backend() const override { return Backend::pot; }
  const DriverOptions& options() const override { return core_->options; }
  Fingerprint fingerprint() override;
  Result<std::shared_ptr<Jail>> create(const JailSpec& spec) override;
  Result<std::shared_ptr<Jail>> open(std::string_view name) override;
  Result<std::vector<JailInfo>> list() override { return list_jails(*this, *core_); }
  Result<RecoverReport> recover() override { return recover_jails(*this, *core_); }
  Result<void> teardown() override {
    if (!jail_names(*core_).empty())
      return Error(ErrorCode::invalid_argument, "jails remain in " + core_->jails_dir());
    return {};
  }

 private:
  std::shared_ptr<PotCore> core_;
};

Fingerprint PotDriver::fingerprint() {
  Fingerprint f;
  f.attributes["driver.pot.backend"] = "pot";
  auto r = run({core_->options.pot_binary, "version"}, RunOptions{{}, 30 * kSecond, {}, {}});
  if (!r || r->status != 0) {
    f.description = r ? "pot version failed: " + std::string(trim(r->err))
                      : "pot is not available: " + r.error().message();
    return f;
  }
  std::string out(trim(r->out));
  size_t colon = out.rfind(':');
  f.version = std::string(trim(colon == std::string::npos ? out : out.substr(colon + 1)));
  f.healthy = true;
  f.description = "healthy";
  f.attributes["driver.pot"] = "true";
  f.attributes["driver.pot.version"] = f.version;
  return f;
}

Result<std::shared_ptr<Jail>> PotDriver::create(const JailSpec& spec_in) {
  if (spec_in.alloc_id.empty() || spec_in.task_name.empty())
    return Error(ErrorCode::invalid_argument, "a jail needs an allocation ID and a task name");
  JailSpec spec = spec_in;
  if (spec.invocation.empty()) spec.invocation = new_invocation();
  auto cmds = pot::commands(spec);
  if (!cmds) return std::move(cmds).error();
  JailState st;
  st.backend = "pot";
  st.name = cmds->name;
  st.invocation = spec.invocation;
  st.alloc_id = spec.alloc_id;
  st.task_name = spec.task_name;
  st.created_at_ns = wall_ns();
  st.task_dir = spec.task_dir;
  st.logs = spec.logs;
  if (st.logs.max_files < 1) st.logs.max_files = 1;
  if (st.logs.max_file_size_mb < 1) st.logs.max_file_size_mb = 1;
  st.kill_timeout_ns = spec.kill_timeout;
  st.kill_signal = spec.kill_signal;
  st.resources = spec.resources;
  st.network_mode = effective_network_mode(spec.config);
  st.command = command_line(spec.config);
  for (const auto& pm : spec.config.port_map) {
    auto it = spec.host_ports.find(pm.label);
    if (it != spec.host_ports.end()) st.ports.push_back({pm.label, it->second, pm.jail_port});
  }
  std::string d = core_->jail_dir(st.name);
  st.log_dir = spec.log_dir.empty() ? d + "/logs" : spec.log_dir;
  if (auto r = make_dirs(core_->jails_dir(), 0700); !r) return std::move(r).error();
  if (::mkdir(d.c_str(), 0700) != 0) {
    if (errno == EEXIST)
      return Error(ErrorCode::conflict, "a jail named " + st.name + " already exists");
    return sys_error("mkdir " + d);
  }
  if (auto r = make_dirs(st.log_dir, 0755); !r) {
    (void)remove_tree(d);
    return std::move(r).error();
  }
  if (auto r = save_state(d, st); !r) {
    (void)remove_tree(d);
    return std::move(r).error();
  }
  auto jail = std::make_shared<PotJail>(core_, st);
  std::vector<std::vector<std::string>> steps = {cmds->prepare};
  steps.insert(steps.end(), cmds->setup.begin(), cmds->setup.end());
  for (const auto& argv : steps) {
    auto r = jail->pot(argv);
    if (!r || r->status != 0) {
      Error e = r ? Error(ErrorCode::io, pot_error(argv, *r)) : std::move(r).error();
      // As nomad-pot-driver: a failed creation is destroyed.
      (void)jail->pot(cmds->destroy);
      (void)remove_tree(d);
      return e;
    }
  }
  st.status = "created";
  if (auto r = save_state(d, st); !r) return std::move(r).error();
  return std::shared_ptr<Jail>(std::make_shared<PotJail>(core_, std::move(st)));
}

Result<std::shared_ptr<Jail>> PotDriver::open(std::string_view name) {
  auto st = load_jail(*core_, name, "pot");
  if (!st) return std::move(st).error();
  auto jail = std::make_shared<PotJail>(core_, std::move(*st));
  jail->attach();
  return std::shared_ptr<Jail>(jail);
}

}  // namespace

Result<std::unique_ptr<Driver>> make_pot_driver(DriverOptions options) {
  auto core = std::make_shared<PotCore>();
  core->options = std::move(options);
  return std::unique_ptr<Driver>(new PotDriver(std::move(core)));
}

}  // namespace warden::jail::detail
