#include "exec.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "../base.hpp"
#include "../fd_passing.hpp"

namespace warden::jail::detail {
namespace {

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

constexpr int kMaxFds = 16;

struct ExecArgs {
  int target = -1;
  int cgroup_procs[8] = {};
  int n_cgroup = 0;
  int ctl = -1;
  int in = -1, out = -1, err = -1;  // the command's ends (pipes); -1 with a terminal
  bool tty = false;
  const PlanView* plan = nullptr;
};

void report(int ctl, char tag, const void* data, size_t n) {
  char msg[128];
  msg[0] = tag;
  if (n > sizeof msg - 1) n = sizeof msg - 1;
  std::memcpy(msg + 1, data, n);
  ::send(ctl, msg, 1 + n, MSG_NOSIGNAL);
}

void report_error(int ctl, const char* step, int err) {
  char msg[120];
  std::memcpy(msg, &err, sizeof err);
  size_t n = 0;
  while (step[n] && n < sizeof msg - sizeof err) {
    msg[sizeof err + n] = step[n];
    ++n;
  }
  report(ctl, 'E', msg, sizeof err + n);
}

[[noreturn]] void final_process(const ExecArgs* a, int slave) {
  if (a->tty) {
    ::setsid();
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    ::ioctl(0, TIOCSCTTY, 0);
  } else {
    ::dup2(a->in, 0);
    ::dup2(a->out, 1);
    ::dup2(a->err, 2);
    ::setsid();
  }
  // Everything else but the control socket (close-on-exec, above 2) goes.
  if (a->ctl > 3) ::syscall(SYS_close_range, 3u, unsigned(a->ctl - 1), 0u);
  ::syscall(SYS_close_range, unsigned(a->ctl + 1), ~0u, 0u);
  for (int s = 1; s < NSIG; ++s) {
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    ::sigaction(s, &sa, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::chdir(a->plan->cwd) != 0) (void)::chdir("/");
  const char* step = "exec";
  int err = drop_privileges_and_exec(*a->plan, &step);
  report_error(a->ctl, step, err);
  ::_exit(127);
}

[[noreturn]] void middle_process(const ExecArgs* a) {
  for (int i = 0; i < a->n_cgroup; ++i) {
    if (::write(a->cgroup_procs[i], "0", 1) != 1) {
      report_error(a->ctl, "join the jail's cgroup", errno);
      ::_exit(1);
    }
  }
  int flags =
      CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP;
  if (::setns(a->target, flags) != 0) {
    report_error(a->ctl, "enter the jail's namespaces", errno);
    ::_exit(1);
  }
  int slave = -1;
  if (a->tty) {
    // A terminal of the jail's own devpts instance, so that the command sees /dev/pts/N.
    int master = ::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    int unlock = 0;
    if (master < 0 || ::ioctl(master, TIOCSPTLCK, &unlock) != 0) {
      report_error(a->ctl, "open a terminal in the jail", errno);
      ::_exit(1);
    }
    slave = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0) {
      report_error(a->ctl, "open a terminal in the jail", errno);
      ::_exit(1);
    }
    send_fd(a->ctl, 'M', master);
    ::close(master);
  }
  // The command becomes the caller's child, inside the jail's PID namespace.
  long pid = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, nullptr, nullptr, 0);
  if (pid == 0) final_process(a, slave);
  if (pid < 0) {
    report_error(a->ctl, "clone", errno);
    ::_exit(1);
  }
  pid_t p = pid_t(pid);
  report(a->ctl, 'P', &p, sizeof p);
  ::_exit(0);
}

}  // namespace

Result<std::unique_ptr<Process>> exec_in_jail(const ExecRequest& req) {
  if (req.cgroup_procs.size() > 8) return Error(ErrorCode::internal, "too many cgroups");
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return sys_error("socketpair");
  Fd ctl_mine(sv[0]), ctl_theirs(::fcntl(sv[1], F_DUPFD_CLOEXEC, 3));
  ::close(sv[1]);
  if (!ctl_theirs) return sys_error("fcntl");
  Fd in_r, in_w, out_r, out_w, err_r, err_w;
  if (!req.tty) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
    in_r.reset(p[0]);
    in_w.reset(p[1]);
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
    out_r.reset(p[0]);
    out_w.reset(p[1]);
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe");
    err_r.reset(p[0]);
    err_w.reset(p[1]);
  }
  ExecArgs a;
  a.target = req.target_pidfd;
  for (int fd : req.cgroup_procs) a.cgroup_procs[a.n_cgroup++] = fd;
  a.ctl = ctl_theirs.get();
  a.in = in_r.get();
  a.out = out_w.get();
  a.err = err_w.get();
  a.tty = req.tty;
  a.plan = req.plan;

  long mid = ::syscall(SYS_clone, SIGCHLD, 0, nullptr, nullptr, 0);
  if (mid == 0) middle_process(&a);
  if (mid < 0) return sys_error("clone");
  ctl_theirs.reset();
  in_r.reset();
  out_w.reset();
  err_w.reset();
  int st;
  while (::waitpid(pid_t(mid), &st, 0) < 0 && errno == EINTR) {
  }

  Fd master;
  pid_t pid = -1;
  int err = 0;
  std::string step;
  for (;;) {
    char data[128];
    int fd = -1, nfds = 0;
    ssize_t n = receive_with_fds(ctl_mine.get(), data, sizeof data, &fd, 1, nfds);
    if (n < 0) return sys_error("recvmsg");
    if (nfds == 1) {
      if (data[0] == 'M')
        master.reset(fd);
      else
        ::close(fd);
    }
    if (n == 0) break;
    if (data[0] == 'P' && size_t(n) >= 1 + sizeof(pid_t)) {
      std::memcpy(&pid, data + 1, sizeof pid);
    } else if (data[0] == 'E' && size_t(n) >= 1 + sizeof(int)) {
      std::memcpy(&err, data + 1, sizeof err);
      step.assign(data + 1 + sizeof(int), size_t(n) - 1 - sizeof(int));
    }
  }
  if (!step.empty()) {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
      }
    }
    ErrorCode code = err == ENOENT && step == "exec" ? ErrorCode::not_found : ErrorCode::io;
    return Error(code, "exec in the jail failed at " + step + ": " + std::strerror(err));
  }
  if (pid <= 0) return Error(ErrorCode::io, "exec in the jail failed");
  if (req.tty) {
    return std::unique_ptr<Process>(new ChildProcess(pid, std::move(master), Fd(), Fd(), true));
  }
  return std::unique_ptr<Process>(
      new ChildProcess(pid, std::move(in_w), std::move(out_r), std::move(err_r), false));
}

}  // namespace warden::jail::detail
