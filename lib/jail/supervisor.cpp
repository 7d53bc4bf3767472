#include "supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/signalfd.h>
#endif

#include <cerrno>
#include <cstring>
#include <ctime>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "fd_passing.hpp"

namespace warden::jail::detail {
namespace {

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
constexpr uint64_t kCloneIntoCgroup = 0x200000000ULL;

// Layout of the kernel's struct clone_args (clone3, Linux 5.7+ with the cgroup field).
struct CloneArgs {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
};

constexpr int kMaxCgroupFds = 8;
constexpr int kMaxJobFds = 3 + kMaxCgroupFds;
static_assert(kMaxJobFds <= kMaxPassedFds);
constexpr size_t kMaxJob = 256 * 1024;

// The job message after its 'J': this header, the task name, the plan's bytes. Descriptors
// travel along: the log and state directories, then the cgroup directory (if flagged), then the
// cgroup.procs files.
struct JobWire {
  uint32_t flags;  // kNewNetns, kCgroupDir
  uint32_t n_procs;
  uint64_t max_size;
  uint64_t max_files;
  uint32_t task_len;
  uint32_t plan_len;
};
constexpr uint32_t kNewNetns = 1, kCgroupDir = 2;

// What the intermediate and the supervisor use, prepared before the fork.
struct ShimArgs {
  unsigned long namespaces = 0;
  int devnull = -1;
  int ctl = -1;
  int attach[kMaxCgroupFds] = {};
  int n_attach = 0;
  const char* name = nullptr;
  uintptr_t arg_start = 0, arg_end = 0;  // our command line's strings (/proc/self/stat)
  // Filled by the intermediate.
  pid_t shim_pid = -1;
  int shim_pidfd = -1;
  int clone_errno = 0;
};

// ---- async-signal-safe helpers (supervisor and child) ----------------------------------------

size_t str_len(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

// Appends the decimal form of v; returns the new end.
char* put_u64(char* p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = char('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

char* put_i64(char* p, int64_t v) {
  if (v < 0) {
    *p++ = '-';
    return put_u64(p, uint64_t(-(v + 1)) + 1);
  }
  return put_u64(p, uint64_t(v));
}

char* put_str(char* p, const char* s) {
  while (*s) *p++ = *s++;
  return p;
}

void write_full(int fd, const char* p, size_t n) {
  while (n) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    n -= size_t(w);
  }
}

void send_tag(int ctl, char tag) {
  ::send(ctl, &tag, 1, MSG_NOSIGNAL);
}

// Reports a failure to the creator: 'E', errno, the step's name.
void report_error(int ctl, const char* step, int err) {
  char msg[256];
  msg[0] = 'E';
  std::memcpy(msg + 1, &err, sizeof err);
  size_t n = str_len(step);
  if (n > sizeof msg - 1 - sizeof err) n = sizeof msg - 1 - sizeof err;
  std::memcpy(msg + 1 + sizeof err, step, n);
  ::send(ctl, msg, 1 + sizeof err + n, MSG_NOSIGNAL);
}

// Closes every descriptor above 2 except those in keep.
void close_others(int* keep, int n) {
  for (int i = 1; i < n; ++i) {  // insertion sort
    int v = keep[i], j = i - 1;
    while (j >= 0 && keep[j] > v) {
      keep[j + 1] = keep[j];
      --j;
    }
    keep[j + 1] = v;
  }
  unsigned lo = 3;
  for (int i = 0; i <= n; ++i) {
    if (i < n && keep[i] < 3) continue;
    unsigned hi = i < n ? unsigned(keep[i]) : ~0U;
    if (hi > lo) {
#if defined(SYS_close_range)
      if (::syscall(SYS_close_range, lo, hi == ~0U ? ~0U : hi - 1, 0) != 0)
#endif
      {
        unsigned top = hi == ~0U ? 65536 : hi;
        for (unsigned fd = lo; fd < top; ++fd) ::close(int(fd));
      }
    }
    if (i < n) lo = unsigned(keep[i]) + 1;
  }
}

bool join_cgroups(const int* fds, int n) {
  for (int i = 0; i < n; ++i) {
    if (::write(fds[i], "0", 1) != 1) return false;
  }
  return true;
}

// ---- the job, as the supervisor (and then the child) received it -------------------------------

alignas(16) char g_job[kMaxJob];
size_t g_plan_at = 0, g_plan_len = 0;  // where the plan is in g_job
Op g_ops[1024];
const char* g_ptrs[8192];
PlanView g_plan;
char g_out_prefix[300], g_err_prefix[300];
uint64_t g_max_size = 1, g_max_files = 1;
int g_log_dir = -1, g_state_dir = -1, g_cgroup_dir = -1;
int g_procs[kMaxCgroupFds];
int g_n_procs = 0;
bool g_new_netns = false;
int g_out[2] = {-1, -1}, g_err[2] = {-1, -1};
int g_relay[2] = {-1, -1};  // supervisor -> child: the plan (and the network namespace)

// ---- the supervisor's log files -------------------------------------------------------------

struct LogFile {
  const char* prefix;
  int fd = -1;
  uint64_t index = 0;
  uint64_t size = 0;
};

void log_open(LogFile& f) {
  char name[512];
  size_t n = str_len(f.prefix);
  if (n > 480) n = 480;
  std::memcpy(name, f.prefix, n);
  *put_u64(name + n, f.index) = '\0';
  f.fd = ::openat(g_log_dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  f.size = 0;
  if (f.index >= g_max_files) {
    *put_u64(name + n, f.index - g_max_files) = '\0';
    ::unlinkat(g_log_dir, name, 0);
  }
}

void log_write(LogFile& f, const char* p, size_t n) {
  while (n) {
    if (f.size >= g_max_size) {
      if (f.fd >= 0) ::close(f.fd);
      ++f.index;
      log_open(f);
    }
    size_t chunk = n;
    if (chunk > g_max_size - f.size) chunk = size_t(g_max_size - f.size);
    if (f.fd >= 0) write_full(f.fd, p, chunk);
    f.size += chunk;
    p += chunk;
    n -= chunk;
  }
}

char g_buf[65536];

// Reads what is available on a pipe into the log; returns false at EOF.
bool pump(int fd, LogFile& f) {
  for (;;) {
    ssize_t n = ::read(fd, g_buf, sizeof g_buf);
    if (n > 0) {
      log_write(f, g_buf, size_t(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

void write_exit_record(int status) {
  int code = 0, sig = 0;
  if (WIFEXITED(status)) {
    code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    sig = WTERMSIG(status);
    code = 128 + sig;
  }
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  char buf[160];
  char* p = buf;
  p = put_str(p, "{\"ExitCode\":");
  p = put_i64(p, code);
  p = put_str(p, ",\"Signal\":");
  p = put_i64(p, sig);
  p = put_str(p, ",\"FinishedAt\":");
  p = put_i64(p, int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec);
  p = put_str(p, "}\n");
  int fd = ::openat(g_state_dir, "exit.json.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  write_full(fd, buf, size_t(p - buf));
  ::close(fd);
  ::renameat(g_state_dir, "exit.json.tmp", g_state_dir, "exit.json");
}

// ---- the child --------------------------------------------------------------------------------

// The relay message: a flags word (kRelayNetns: the first descriptor is the network namespace to
// enter; kRelayJoin: the others are cgroup.procs files to join), then the plan.
constexpr uint32_t kRelayNetns = 1, kRelayJoin = 2;

// The child: created when the jail starts, or ahead of time by a warm supervisor, in which case
// it moves into its (spare) cgroups first. Then it waits for its plan and runs it.
[[noreturn]] void child_main(const ShimArgs* a, bool warm) {
  ::close(g_relay[0]);
  ::close(g_out[0]);
  ::close(g_err[0]);
  if (warm) {
    if (!join_cgroups(a->attach, a->n_attach)) {
      report_error(a->ctl, "join a cgroup", errno);
      ::_exit(3);
    }
    for (int i = 0; i < a->n_attach; ++i) ::close(a->attach[i]);
    send_tag(a->ctl, 'A');
  }
  int fds[kMaxJobFds];
  int nfds = 0;
  ssize_t n = receive_with_fds(g_relay[1], g_job, sizeof g_job, fds, kMaxJobFds, nfds);
  if (n <= 0) ::_exit(2);  // the supervisor gave up
  uint32_t flags;
  if (size_t(n) < sizeof flags) ::_exit(2);
  std::memcpy(&flags, g_job, sizeof flags);
  if (!parse_plan(g_job + sizeof flags, size_t(n) - sizeof flags, g_plan, g_ops,
                  sizeof g_ops / sizeof g_ops[0], g_ptrs, sizeof g_ptrs / sizeof g_ptrs[0])) {
    report_error(a->ctl, "read the jail's plan", EPROTO);
    ::_exit(127);
  }
  int k = 0;
#if defined(__linux__)
  if ((flags & kRelayNetns) && k < nfds && ::setns(fds[k++], CLONE_NEWNET) != 0) {
    report_error(a->ctl, "enter the jail's network namespace", errno);
    ::_exit(127);
  }
#endif
  if ((flags & kRelayJoin) && !join_cgroups(fds + k, nfds - k)) {
    report_error(a->ctl, "join the jail's cgroup", errno);
    ::_exit(127);
  }
  if (::dup2(a->devnull, 0) < 0 || ::dup2(g_out[1], 1) < 0 || ::dup2(g_err[1], 2) < 0) {
    report_error(a->ctl, "stdio", errno);
    ::_exit(127);
  }
  int keep[1] = {a->ctl};
  close_others(keep, 1);
  // Back to default signal handling (the creator may ignore SIGPIPE, as Python does).
  for (int s = 1; s < NSIG; ++s) {
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    ::sigaction(s, &sa, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::setsid();
  const char* step = "exec";
  int err = run_plan(g_plan, &step);
  report_error(a->ctl, step, err);
  ::_exit(127);
}

// Forks the child, into the cgroup directory if one is given (v2); its pid (or -1).
long fork_child(const ShimArgs* a, bool warm, int cgroup_dir, int* pidfd, bool& joined) {
  long child = -1;
  joined = false;
  if (cgroup_dir >= 0) {
    CloneArgs ca{};
    ca.flags = CLONE_PIDFD | kCloneIntoCgroup;
    ca.pidfd = uint64_t(uintptr_t(pidfd));
    ca.exit_signal = SIGCHLD;
    ca.cgroup = uint64_t(cgroup_dir);
#if defined(SYS_clone3)
    child = ::syscall(SYS_clone3, &ca, sizeof ca);
#else
    errno = ENOSYS;
#endif
    if (child == 0) child_main(a, warm);
    joined = child > 0;
  }
  if (child < 0) {
#if defined(__linux__)
    child = ::syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, pidfd, 0, 0);
#else
    child = ::fork();
#endif
    if (child == 0) child_main(a, warm);
  }
  return child;
}

// Receives the job; false if the creator went away.
bool receive_job(const ShimArgs* a) {
  int fds[kMaxJobFds];
  int nfds = 0;
  ssize_t n = receive_with_fds(a->ctl, g_job, sizeof g_job, fds, kMaxJobFds, nfds);
  if (n == 0) return false;
  JobWire w;
  if (n < 0 || g_job[0] != 'J' || size_t(n) < 1 + sizeof w || nfds < 2) {
    report_error(a->ctl, "receive the job", EPROTO);
    return false;
  }
  std::memcpy(&w, g_job + 1, sizeof w);
  size_t at = 1 + sizeof w;
  if (at + w.task_len + w.plan_len > size_t(n) || w.task_len > 250 ||
      w.n_procs > unsigned(kMaxCgroupFds)) {
    report_error(a->ctl, "receive the job", EPROTO);
    return false;
  }
  std::memcpy(g_out_prefix, g_job + at, w.task_len);
  put_str(g_out_prefix + w.task_len, ".stdout.")[0] = '\0';
  std::memcpy(g_err_prefix, g_job + at, w.task_len);
  put_str(g_err_prefix + w.task_len, ".stderr.")[0] = '\0';
  at += w.task_len;
  g_plan_at = at;
  g_plan_len = w.plan_len;
  g_max_size = w.max_size ? w.max_size : 1;
  g_max_files = w.max_files ? w.max_files : 1;
  int k = 0;
  g_log_dir = fds[k++];
  g_state_dir = fds[k++];
  if (w.flags & kCgroupDir) g_cgroup_dir = k < nfds ? fds[k++] : -1;
  g_n_procs = 0;
  for (uint32_t i = 0; i < w.n_procs && k < nfds; ++i) g_procs[g_n_procs++] = fds[k++];
  g_new_netns = (w.flags & kNewNetns) != 0;
  return true;
}

// ---- the supervisor ---------------------------------------------------------------------------

[[noreturn]] void shim_main(ShimArgs* a) {
  ::setsid();
#if defined(__linux__)
  ::prctl(PR_SET_NAME, a->name, 0, 0, 0);
  // Jail processes see the supervisor as PID 1: /proc/1/root and /proc/1/fd must not be theirs.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
  // Show jail processes the supervisor's name rather than the command line of the process that
  // created it (which may say more than a jail should know): overwrite our copy of its argument
  // strings, as setproctitle does.
  if (a->arg_end > a->arg_start) {
    char* args = reinterpret_cast<char*>(a->arg_start);
    size_t room = a->arg_end - a->arg_start;
    std::memset(args, 0, room);
    size_t tl = str_len(a->name);
    std::memcpy(args, a->name, tl < room ? tl : room - 1);
  }
  sigset_t all;
  sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  ::dup2(a->devnull, 0);
  ::dup2(a->devnull, 1);
  ::dup2(a->devnull, 2);
  {
    int keep[2 + kMaxCgroupFds];
    int nk = 0;
    keep[nk++] = a->devnull;
    keep[nk++] = a->ctl;
    for (int i = 0; i < a->n_attach; ++i) keep[nk++] = a->attach[i];
    close_others(keep, nk);
  }
  if (::pipe2(g_out, O_CLOEXEC) != 0 || ::pipe2(g_err, O_CLOEXEC) != 0 ||
      ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, g_relay) != 0) {
    report_error(a->ctl, "pipe", errno);
    ::_exit(3);
  }
  int size = int(kMaxJob * 2);
  if (::setsockopt(g_relay[0], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(g_relay[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
#if defined(__linux__)
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  int sfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
#else
  int sfd = -1;
#endif

  // A warm supervisor makes its child now: the child moves into the spare cgroups (and waits
  // out the grace period) while no jail waits for it.
  int child_pidfd = -1;
  long child = -1;
  bool joined = false;
  if (a->n_attach) {
    child = fork_child(a, true, -1, &child_pidfd, joined);
    if (child < 0) {
      report_error(a->ctl, "clone", errno);
      ::_exit(3);
    }
    joined = true;
    for (int i = 0; i < a->n_attach; ++i) ::close(a->attach[i]);
  }
  if (!receive_job(a)) ::_exit(2);
  int netns = -1;
  if (g_new_netns) {
#if defined(__linux__)
    if (::unshare(CLONE_NEWNET) != 0) {
      report_error(a->ctl, "create the network namespace", errno);
      ::_exit(3);
    }
    netns = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
#endif
    send_tag(a->ctl, 'R');
  }
  char go = 0;
  ssize_t got;
  do {
    got = ::recv(a->ctl, &go, 1, 0);
  } while (got < 0 && errno == EINTR);
  if (got != 1 || go != 'G') ::_exit(2);  // the creator gave up

  if (child < 0) {
    child = fork_child(a, false, g_cgroup_dir, &child_pidfd, joined);
    if (child < 0) {
      report_error(a->ctl, "clone", errno);
      ::_exit(3);
    }
  }
  // The plan goes to the child, with the network namespace to enter and, unless it is in its
  // cgroups already, the cgroup.procs files to join.
  {
    uint32_t flags = (netns >= 0 ? kRelayNetns : 0) | (!joined && g_n_procs ? kRelayJoin : 0);
    std::memcpy(g_job + g_plan_at - sizeof flags, &flags, sizeof flags);
    int fds[1 + kMaxCgroupFds];
    int nfds = 0;
    if (netns >= 0) fds[nfds++] = netns;
    if (flags & kRelayJoin) {
      for (int i = 0; i < g_n_procs; ++i) fds[nfds++] = g_procs[i];
    }
    send_with_fds(g_relay[0], g_job + g_plan_at - sizeof flags, g_plan_len + sizeof flags, fds,
                  nfds);
  }
  if (child_pidfd >= 0) send_fd(a->ctl, 'C', child_pidfd);
  ::close(a->ctl);
  ::close(g_relay[0]);
  ::close(g_relay[1]);
  ::close(g_out[1]);
  ::close(g_err[1]);
  if (netns >= 0) ::close(netns);
  for (int i = 0; i < g_n_procs; ++i) ::close(g_procs[i]);
  if (g_cgroup_dir >= 0) ::close(g_cgroup_dir);
  if (child_pidfd >= 0) ::close(child_pidfd);
  ::fcntl(g_out[0], F_SETFL, O_NONBLOCK);
  ::fcntl(g_err[0], F_SETFL, O_NONBLOCK);

  LogFile outf{g_out_prefix}, errf{g_err_prefix};
  log_open(outf);
  log_open(errf);
  bool out_open = true, err_open = true, done = false;
  int status = 0;
  while (!done) {
    pollfd fds[3];
    int n = 0;
    int io = -1, ie = -1, is = -1;
    if (out_open) {
      io = n;
      fds[n++] = {g_out[0], POLLIN, 0};
    }
    if (err_open) {
      ie = n;
      fds[n++] = {g_err[0], POLLIN, 0};
    }
    if (sfd >= 0) {
      is = n;
      fds[n++] = {sfd, POLLIN, 0};
    }
    // Without a signalfd (not Linux) poll with a short timeout and reap by polling.
    int r = ::poll(fds, nfds_t(n), sfd >= 0 ? -1 : 100);
    if (r < 0 && errno != EINTR) break;
    if (io >= 0 && fds[io].revents) out_open = pump(g_out[0], outf);
    if (ie >= 0 && fds[ie].revents) err_open = pump(g_err[0], errf);
    if (is >= 0 && fds[is].revents) {
#if defined(__linux__)
      signalfd_siginfo si;
      while (::read(sfd, &si, sizeof si) > 0) {
      }
#endif
    }
    for (;;) {
      int st = 0;
      pid_t p = ::waitpid(-1, &st, WNOHANG);
      if (p <= 0) break;
      if (p == child) {
        status = st;
        done = true;
      }
    }
  }
  // Whatever the command wrote before it ended.
  if (out_open) pump(g_out[0], outf);
  if (err_open) pump(g_err[0], errf);
  if (outf.fd >= 0) ::close(outf.fd);
  if (errf.fd >= 0) ::close(errf.fd);
  write_exit_record(status);
  ::_exit(0);
}

int intermediate(void* p) {
  auto* a = static_cast<ShimArgs*>(p);
  int pidfd = -1;
#if defined(__linux__)
  long pid = ::syscall(SYS_clone, a->namespaces | CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
#else
  long pid = ::fork();
#endif
  if (pid == 0) shim_main(a);
  a->shim_pid = pid_t(pid);
  a->shim_pidfd = pidfd;
  a->clone_errno = pid < 0 ? errno : 0;
  return 0;
}

// The intermediate shares our memory and descriptors (like vfork): it creates the supervisor and
// exits, so the supervisor is reparented to init and never becomes our zombie. It runs on a
// buffer inside the calling thread's own stack (the thread is suspended meanwhile), so that the
// supervisor, a copy of it, also runs within a stack the sanitizers know.
__attribute__((noinline)) pid_t spawn_intermediate(ShimArgs* a) {
  alignas(64) char stack[64 * 1024];
#if defined(__linux__)
  pid_t mid = ::clone(intermediate, stack + sizeof stack,
                      CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, a);
#else
  pid_t mid = ::vfork();
  if (mid == 0) ::_exit(intermediate(a));
#endif
#if defined(__SANITIZE_ADDRESS__)
  __asan_unpoison_memory_region(stack, sizeof stack);
#endif
  return mid;
}

std::vector<std::string> split_fields(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Moves a descriptor to 3 or above (close-on-exec), so that the supervisor can put /dev/null on
// 0-2 without clobbering it.
Result<Fd> high(Fd fd) {
  if (fd.get() > 2) return fd;
  int n = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  if (n < 0) return sys_error("fcntl");
  return Fd(n);
}

// The next message: its tag and, for 'E', the error.
struct Reply {
  char tag = 0;  // 0 at EOF
  Fd fd;
  int err = 0;
  std::string step;
};

Result<Reply> receive(Supervisor& s, Nanos timeout, bool nonblocking = false) {
  if (!nonblocking && timeout >= 0 && !wait_readable(s.ctl.get(), timeout))
    return Error(ErrorCode::io, "the jail's supervisor does not answer");
  char data[256];
  int fd = -1, nfds = 0;
  ssize_t n = receive_with_fds(s.ctl.get(), data, sizeof data, &fd, 1, nfds,
                               nonblocking ? MSG_DONTWAIT : 0);
  Reply r;
  if (n < 0) {
    if (nonblocking && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      r.tag = '?';
      return r;
    }
    return sys_error("recvmsg");
  }
  if (nfds == 1) r.fd.reset(fd);
  if (n == 0) return r;
  r.tag = data[0];
  if (r.tag == 'E' && size_t(n) >= 1 + sizeof(int)) {
    std::memcpy(&r.err, data + 1, sizeof r.err);
    r.step.assign(data + 1 + sizeof(int), size_t(n) - 1 - sizeof(int));
  }
  return r;
}

Error supervisor_error(const Reply& r) {
  if (r.tag == 'E')
    return Error(ErrorCode::io,
                 "starting the jail failed at " + r.step + ": " + std::strerror(r.err));
  return Error(ErrorCode::io, "the jail's supervisor went away");
}

}  // namespace

Result<Supervisor> spawn_supervisor(const SupervisorSpec& spec) {
  if (spec.attach.size() > size_t(kMaxCgroupFds))
    return Error(ErrorCode::internal, "too many cgroup hierarchies");
  Fd devnull_raw(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!devnull_raw) return sys_error("open /dev/null");
  auto devnull = high(std::move(devnull_raw));
  if (!devnull) return devnull.error();
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    return sys_error("socketpair");
  Fd mine(sv[0]);
  auto theirs = high(Fd(sv[1]));
  if (!theirs) return theirs.error();
  // Room for a job with a large plan (SO_SNDBUFFORCE needs CAP_NET_ADMIN; SO_SNDBUF is capped).
  int size = int(kMaxJob * 2);
  if (::setsockopt(mine.get(), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0)
    ::setsockopt(mine.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);

  ShimArgs a;
  a.namespaces = spec.namespaces;
  a.devnull = devnull->get();
  a.ctl = theirs->get();
  for (int fd : spec.attach) a.attach[a.n_attach++] = fd;
  a.name = spec.process_name.c_str();
  if (auto stat = read_file("/proc/self/stat")) {
    // Fields 48 and 49 (arg_start, arg_end), counted after the command name's ')'.
    size_t close = stat->rfind(')');
    if (close != std::string::npos) {
      std::vector<std::string> f = split_fields(stat->substr(close + 2));
      if (f.size() >= 47) {
        a.arg_start = uintptr_t(std::strtoull(f[45].c_str(), nullptr, 10));
        a.arg_end = uintptr_t(std::strtoull(f[46].c_str(), nullptr, 10));
      }
    }
  }
  pid_t mid = spawn_intermediate(&a);
  if (mid < 0) return sys_error("clone");
  int st;
  while (::waitpid(mid, &st, 0) < 0 && errno == EINTR) {
  }
  if (a.shim_pid <= 0) return sys_error("clone supervisor", a.clone_errno);

  Supervisor s;
  s.pid = a.shim_pid;
  s.pidfd = Fd(a.shim_pidfd);
  s.ctl = std::move(mine);
  if (!s.pidfd) {
    // Without CLONE_PIDFD (old kernels): the supervisor waits for us, so it cannot be gone.
    s.pidfd = Fd(pidfd_open(s.pid));
  }
  return s;
}

Result<void> wait_attached(Supervisor& s, Nanos timeout) {
  if (s.attached) return {};
  auto r = receive(s, timeout);
  if (!r) return std::move(r).error();
  if (r->tag != 'A') return supervisor_error(*r);
  s.attached = true;
  return {};
}

bool poll_attached(Supervisor& s) {
  if (s.attached) return true;
  auto r = receive(s, 0, true);
  if (r && r->tag == 'A') s.attached = true;
  return s.attached;
}

Result<void> send_job(Supervisor& s, const Job& job, Nanos timeout) {
  if (!job.plan) return Error(ErrorCode::internal, "a job needs a plan");
  if (job.cgroup_procs.size() > size_t(kMaxCgroupFds))
    return Error(ErrorCode::internal, "too many cgroup hierarchies");
  std::string plan = job.plan->serialize();
  JobWire w{};
  w.flags = (job.new_netns ? kNewNetns : 0) | (job.cgroup_dir >= 0 ? kCgroupDir : 0);
  w.n_procs = uint32_t(job.cgroup_procs.size());
  w.max_size = job.max_file_size;
  w.max_files = job.max_files;
  w.task_len = uint32_t(std::min<size_t>(job.task.size(), 250));
  w.plan_len = uint32_t(plan.size());
  std::string msg = "J";
  msg.append(reinterpret_cast<const char*>(&w), sizeof w);
  msg.append(job.task, 0, w.task_len);
  msg += plan;
  if (msg.size() > kMaxJob)
    return Error(ErrorCode::invalid_argument, "the jail's setup is too large");
  std::vector<int> fds = {job.log_dir, job.state_dir};
  if (job.cgroup_dir >= 0) fds.push_back(job.cgroup_dir);
  fds.insert(fds.end(), job.cgroup_procs.begin(), job.cgroup_procs.end());
  ssize_t n = send_with_fds(s.ctl.get(), msg.data(), msg.size(), fds.data(), int(fds.size()));
  if (n < 0) return sys_error("send the jail's setup to its supervisor");
  if (!job.new_netns) return {};
  auto r = receive(s, timeout);
  if (!r) return std::move(r).error();
  if (r->tag != 'R') return supervisor_error(*r);
  return {};
}

Result<ChildStarted> start_child(Supervisor& s, Nanos timeout) {
  char g = 'G';
  if (::send(s.ctl.get(), &g, 1, MSG_NOSIGNAL) != 1) return sys_error("start the jail");
  ChildStarted started;
  Reply failure;
  int64_t deadline = timeout >= 0 ? mono_ns() + timeout : 0;
  for (;;) {
    Nanos left = timeout >= 0 ? deadline - mono_ns() : -1;
    if (timeout >= 0 && left <= 0) {
      if (s.pidfd) pidfd_send_signal(s.pidfd.get(), SIGKILL);
      return Error(ErrorCode::io, "the jail did not start in time");
    }
    auto r = receive(s, left);
    if (!r) {
      if (s.pidfd) pidfd_send_signal(s.pidfd.get(), SIGKILL);
      return std::move(r).error();
    }
    if (r->tag == 0) break;  // EOF: the child exec'd (or everyone is gone)
    if (r->tag == 'C') started.pidfd = std::move(r->fd);
    if (r->tag == 'E') failure = std::move(*r);
  }
  s.ctl.reset();
  if (failure.tag == 'E') {
    if (s.pidfd) pidfd_send_signal(s.pidfd.get(), SIGKILL);
    return supervisor_error(failure);
  }
  if (!started.pidfd) return Error(ErrorCode::io, "the jail's supervisor died while starting it");
  started.pid = pidfd_pid(started.pidfd.get());
  return started;
}

pid_t pidfd_pid(int pidfd) {
  auto text = read_file("/proc/self/fdinfo/" + std::to_string(pidfd));
  if (!text) return -1;
  size_t at = text->find("\nPid:");
  if (at == std::string::npos) return -1;
  return pid_t(std::strtol(text->c_str() + at + 5, nullptr, 10));
}

std::optional<ExitRecord> read_exit_record(const std::string& state_dir) {
  auto text = read_file(state_dir + "/exit.json");
  if (!text) return std::nullopt;
  auto field = [&](const char* key) -> std::optional<int64_t> {
    std::string k = std::string("\"") + key + "\":";
    size_t at = text->find(k);
    if (at == std::string::npos) return std::nullopt;
    return std::strtoll(text->c_str() + at + k.size(), nullptr, 10);
  };
  auto code = field("ExitCode");
  auto sig = field("Signal");
  if (!code || !sig) return std::nullopt;
  ExitRecord r;
  r.exit_code = int(*code);
  r.signal = int(*sig);
  r.finished_at_ns = field("FinishedAt").value_or(0);
  return r;
}

}  // namespace warden::jail::detail
