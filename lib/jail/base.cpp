#include "base.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

namespace warden::jail::detail {

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

BaseJail::BaseJail(std::shared_ptr<Core> core, JailState state)
    : core_(std::move(core)), name_(state.name), st_(std::move(state)) {}

void BaseJail::attach() {
  std::lock_guard<std::mutex> lock(mu_);
  if (st_.status != "running") return;
  auto open_if = [](pid_t pid, uint64_t start) -> Fd {
    if (pid <= 0) return Fd();
    auto t = process_start_time(pid);
    if (!t || *t != start) return Fd();
    Fd fd(pidfd_open(pid));
    // Opened after checking: check again, so that the pidfd is surely the recorded process.
    auto again = process_start_time(pid);
    if (!again || *again != start) return Fd();
    return fd;
  };
  Fd shim = open_if(st_.shim_pid, st_.shim_start);
  shim_pidfd_ = shim ? std::make_shared<Fd>(std::move(shim)) : nullptr;
  cmd_pidfd_ = open_if(st_.cmd_pid, st_.cmd_start);
}

JailState BaseJail::snapshot() {
  std::lock_guard<std::mutex> lock(mu_);
  return st_;
}

Result<void> BaseJail::save_locked() {
  if (destroyed_) return {};
  return save_state(dir(), st_);
}

Result<std::optional<int>> BaseJail::signal_number_locked(std::string_view name) {
  auto sig = parse_signal(name);
  if (!sig)
    return Error(ErrorCode::invalid_argument, "unknown signal \"" + std::string(name) + "\"");
  if (check_exited_locked()) return std::optional<int>();
  if (st_.status != "running")
    return Error(ErrorCode::invalid_argument, "jail " + name_ + " has not been started");
  return std::optional<int>(*sig);
}

Job BaseJail::job_for(Plan& plan, int log_dir, int state_dir) const {
  Job job;
  job.plan = &plan;
  job.task = st_.task_name;
  job.max_file_size = uint64_t(st_.logs.max_file_size_bytes());
  job.max_files = uint64_t(st_.logs.max_files);
  job.log_dir = log_dir;
  job.state_dir = state_dir;
  return job;
}

Result<void> BaseJail::mark_running_locked(Supervisor& sup, ChildStarted& child) {
  shim_pidfd_ = std::make_shared<Fd>(std::move(sup.pidfd));
  cmd_pidfd_ = std::move(child.pidfd);
  st_.cmd_pid = child.pid;
  st_.cmd_start = process_start_time(child.pid).value_or(0);
  st_.status = "running";
  return save_locked();
}

Result<ExecResult> BaseJail::exec(const ExecOptions& options) {
  auto p = exec_interactive(options);
  if (!p) return std::move(p).error();
  return run_captured(**p, options.input, options.timeout);
}

bool BaseJail::check_exited_locked() {
  if (st_.exit) return true;
  if (st_.status != "running") return false;
  if (shim_pidfd_ && *shim_pidfd_ && !wait_readable(shim_pidfd_->get(), 0)) return false;
  if (shim_pidfd_ && *shim_pidfd_) {
    // Our child only if we are the subreaper the supervisor was reparented to.
    siginfo_t si{};
    ::waitid(idtype_t(P_PIDFD), id_t(shim_pidfd_->get()), &si, WEXITED | WNOHANG);
  }
  st_.exit = finish(read_exit_record(dir()));
  st_.status = "exited";
  (void)save_locked();
  return true;
}

JailStatus BaseJail::status() {
  std::lock_guard<std::mutex> lock(mu_);
  check_exited_locked();
  return parse_status(st_.status);
}

JailInfo BaseJail::info() {
  std::lock_guard<std::mutex> lock(mu_);
  check_exited_locked();
  JailInfo i;
  i.name = st_.name;
  i.backend = parse_backend(st_.backend).value_or(Backend::linux_native);
  i.status = parse_status(st_.status);
  i.alloc_id = st_.alloc_id;
  i.task_name = st_.task_name;
  i.network_mode = st_.network_mode;
  i.address = st_.address;
  for (const auto& p : st_.ports)
    i.ports[p.label] = std::to_string(p.host) + ":" + std::to_string(p.jail);
  i.created_at_ns = st_.created_at_ns;
  i.exit = st_.exit;
  return i;
}

Result<std::optional<ExitResult>> BaseJail::wait(Nanos timeout) {
  std::shared_ptr<Fd> fd;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (check_exited_locked()) return std::optional<ExitResult>(*st_.exit);
    if (st_.status != "running")
      return Error(ErrorCode::invalid_argument, "jail " + name_ + " has not been started");
    fd = shim_pidfd_;
  }
  if (fd && *fd && !wait_readable(fd->get(), timeout)) return std::optional<ExitResult>();
  std::lock_guard<std::mutex> lock(mu_);
  if (!check_exited_locked()) return std::optional<ExitResult>();
  return std::optional<ExitResult>(*st_.exit);
}

Result<LogReader> BaseJail::logs(LogStream stream, uint64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<Fd> fd = st_.status == "running" && !st_.exit ? shim_pidfd_ : nullptr;
  auto alive = [fd] { return fd && *fd && !wait_readable(fd->get(), 0); };
  return LogReader(st_.log_dir, st_.task_name, stream, uint64_t(st_.logs.max_file_size_bytes()),
                   offset, alive, fd && *fd ? fd->get() : -1);
}

std::string BaseJail::state_json() {
  std::lock_guard<std::mutex> lock(mu_);
  check_exited_locked();
  return to_json(st_, true);
}

ChildProcess::ChildProcess(pid_t pid, Fd in, Fd out, Fd err, bool tty)
    : pid_(pid),
      pidfd_(pidfd_open(pid)),
      in_(std::move(in)),
      out_(std::move(out)),
      err_(std::move(err)),
      tty_(tty) {}

ChildProcess::~ChildProcess() {
  if (!exit_ && pid_ > 0) {
    // Not waited for: do not leave a zombie (nor a process) behind.
    ::kill(pid_, SIGKILL);
    int st;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildProcess::close_in() {
  if (!tty_) in_.reset();
}

Result<void> ChildProcess::resize(uint16_t rows, uint16_t cols) {
  if (!tty_) return Error(ErrorCode::invalid_argument, "the process has no terminal");
  winsize ws{};
  ws.ws_row = rows;
  ws.ws_col = cols;
  if (::ioctl(in_.get(), TIOCSWINSZ, &ws) != 0) return sys_error("resize the terminal");
  return {};
}

Result<void> ChildProcess::signal(std::string_view name) {
  auto sig = signal_number(name);
  if (!sig) return Error(ErrorCode::invalid_argument, "unknown signal " + std::string(name));
  if (exit_) return {};
  if (::kill(pid_, *sig) != 0 && errno != ESRCH) return sys_error("kill");
  return {};
}

Result<std::optional<ExitResult>> ChildProcess::wait(Nanos timeout) {
  if (exit_) return exit_;
  if (pidfd_) {
    if (!wait_readable(pidfd_.get(), timeout)) return std::optional<ExitResult>();
  } else {
    int64_t deadline = timeout >= 0 ? mono_ns() + timeout : 0;
    for (;;) {
      int st;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        ExitResult e;
        e.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        e.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
        e.finished_at_ns = wall_ns();
        exit_ = e;
        return exit_;
      }
      if (timeout >= 0 && mono_ns() >= deadline) return std::optional<ExitResult>();
      ::usleep(2000);
    }
  }
  int st = 0;
  while (::waitpid(pid_, &st, 0) < 0) {
    if (errno != EINTR) return sys_error("waitpid");
  }
  ExitResult e;
  e.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  e.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
  e.finished_at_ns = wall_ns();
  exit_ = e;
  return exit_;
}

Result<ExecResult> run_captured(Process& p, const std::string& input, Nanos timeout) {
  ExecResult out;
  std::string_view in = input;
  bool tty = p.err_fd() < 0;
  int in_fd = p.in_fd();
  if (in.empty()) {
    if (tty) {
      in_fd = -1;
    } else {
      p.close_in();
      in_fd = -1;
    }
  }
  if (in_fd >= 0) ::fcntl(in_fd, F_SETFL, ::fcntl(in_fd, F_GETFL) | O_NONBLOCK);
  bool out_open = true, err_open = !tty;
  int64_t deadline = timeout > 0 ? mono_ns() + timeout : 0;
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0, io = -1, ie = -1, ii = -1;
    if (out_open) {
      io = n;
      fds[n++] = {p.out_fd(), POLLIN, 0};
    }
    if (err_open) {
      ie = n;
      fds[n++] = {p.err_fd(), POLLIN, 0};
    }
    if (in_fd >= 0 && !in.empty()) {
      ii = n;
      fds[n++] = {in_fd, POLLOUT, 0};
    }
    int ms = -1;
    if (deadline) {
      int64_t left = deadline - mono_ns();
      ms = left <= 0 ? 0 : int((left + 999999) / 1000000);
    }
    int r = ::poll(fds, nfds_t(n), ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      return sys_error("poll");
    }
    if (r == 0) {
      out.timed_out = true;
      (void)p.signal("SIGKILL");
      break;
    }
    char buf[16384];
    auto drain = [&](int idx, int fd, std::string& into, bool& open) {
      if (idx < 0 || !fds[idx].revents) return;
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got > 0) {
        into.append(buf, size_t(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        open = false;  // a terminal reports EIO once the other side is gone
      }
    };
    drain(io, p.out_fd(), out.stdout_data, out_open);
    drain(ie, p.err_fd(), out.stderr_data, err_open);
    if (ii >= 0 && fds[ii].revents) {
      ssize_t w = ::write(in_fd, in.data(), in.size());
      if (w > 0) in.remove_prefix(size_t(w));
      if (w < 0 && errno != EAGAIN && errno != EINTR) in = {};
      if (in.empty() && !tty) {
        p.close_in();
        in_fd = -1;
      }
    }
  }
  auto e = p.wait(-1);
  if (!e) return std::move(e).error();
  out.exit_code = (*e)->exit_code;
  out.signal = (*e)->signal;
  return out;
}

Result<JailState> load_jail(const Core& core, std::string_view name, std::string_view backend) {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." || name == "..")
    return Error(ErrorCode::invalid_argument, "invalid jail name \"" + std::string(name) + "\"");
  std::string d = core.jail_dir(std::string(name));
  auto st = load_state(d);
  if (!st) {
    if (st.error().code() == ErrorCode::not_found || !exists(d))
      return Error(ErrorCode::not_found, "no jail named " + std::string(name));
    return std::move(st).error();
  }
  if (st->backend != backend)
    return Error(ErrorCode::invalid_argument,
                 "jail " + std::string(name) + " belongs to the " + st->backend + " backend");
  return st;
}

std::vector<std::string> jail_names(const Core& core) {
  std::vector<std::string> out;
  for (const auto& n : list_dir(core.jails_dir())) {
    if (exists(core.jail_dir(n) + "/state.json")) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<JailInfo>> list_jails(Driver& d, const Core& core) {
  std::vector<JailInfo> out;
  for (const auto& name : jail_names(core)) {
    auto j = d.open(name);
    if (!j) continue;  // being destroyed by someone else
    out.push_back((*j)->info());
  }
  return out;
}

Result<RecoverReport> recover_jails(Driver& d, const Core& core) {
  RecoverReport report;
  for (const auto& name : list_dir(core.jails_dir())) {
    std::string dir = core.jail_dir(name);
    if (!exists(dir + "/state.json")) {
      // Interrupted before its state was first written: nothing else exists yet.
      (void)remove_tree(dir);
      continue;
    }
    auto j = d.open(name);
    if (!j) {
      report.errors.push_back(name + ": " + j.error().message());
      continue;
    }
    auto* base = dynamic_cast<BaseJail*>(j->get());
    JailState st = base->snapshot();
    if (st.status == "created") {
      report.created.push_back(name);
      continue;
    }
    if (st.status == "running" && (*j)->status() == JailStatus::running) {
      report.running.push_back(name);
      continue;
    }
    ExitResult exit;
    if (st.status == "creating") {
      exit.error = "the agent stopped while creating the jail";
    } else {
      auto w = (*j)->wait(0);
      if (w && *w) exit = **w;
    }
    if (auto r = (*j)->destroy(true); !r) {
      report.errors.push_back(name + ": " + r.error().message());
      continue;
    }
    report.cleaned.emplace_back(name, exit);
  }
  return report;
}

std::string new_invocation() {
  return random_hex(8);
}

}  // namespace warden::jail::detail
