#include "util.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sstream>

extern char** environ;

namespace warden::jail::detail {

int64_t wall_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

static Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("write " + path);
    }
    data.remove_prefix(size_t(n));
  }
  return {};
}

Result<void> copy_tree(const std::string& from, const std::string& to) {
  struct stat st;
  if (::lstat(from.c_str(), &st) != 0) return sys_error("stat " + from);
  if (S_ISLNK(st.st_mode)) {
    std::string target(size_t(st.st_size) + 1, '\0');
    ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
    if (n < 0) return sys_error("readlink " + from);
    target.resize(size_t(n));
    ::unlink(to.c_str());
    if (::symlink(target.c_str(), to.c_str()) != 0) return sys_error("symlink " + to);
    if (::lchown(to.c_str(), st.st_uid, st.st_gid) != 0) return sys_error("chown " + to);
    return {};
  }
  if (S_ISDIR(st.st_mode)) {
    if (::mkdir(to.c_str(), 0700) != 0 && errno != EEXIST) return sys_error("mkdir " + to);
    for (const auto& name : list_dir(from)) {
      if (auto r = copy_tree(from + "/" + name, to + "/" + name); !r) return r;
    }
    if (::chown(to.c_str(), st.st_uid, st.st_gid) != 0) return sys_error("chown " + to);
    if (::chmod(to.c_str(), st.st_mode & 07777) != 0) return sys_error("chmod " + to);
    return {};
  }
  if (!S_ISREG(st.st_mode))
    return Error(ErrorCode::unsupported, "cannot copy special file " + from);
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return sys_error("open " + from);
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out) return sys_error("create " + to);
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(in.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("read " + from);
    }
    if (n == 0) break;
    if (auto r = write_all(out.get(), std::string_view(buf, size_t(n)), to); !r) return r;
  }
  if (::fchown(out.get(), st.st_uid, st.st_gid) != 0) return sys_error("chown " + to);
  if (::fchmod(out.get(), st.st_mode & 07777) != 0) return sys_error("chmod " + to);
  return {};
}

static std::vector<std::string> components(std::string_view p) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Result<std::string> resolve_in_root(const std::string& root, const std::string& path) {
  std::vector<std::string> done;  // resolved components
  std::vector<std::string> todo = components(path);
  std::reverse(todo.begin(), todo.end());  // a stack: back() is next
  int links = 0;
  bool missing = false;
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    if (missing) {
      done.push_back(c);
      continue;
    }
    std::string rel;
    for (const auto& d : done) rel += "/" + d;
    rel += "/" + c;
    std::string host = root + rel;
    struct stat st;
    if (::lstat(host.c_str(), &st) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) return sys_error("stat " + host);
      missing = true;
      done.push_back(c);
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++links > 40) return Error(ErrorCode::io, "too many symlinks resolving " + path);
      std::string target(size_t(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(host.c_str(), target.data(), target.size());
      if (n < 0) return sys_error("readlink " + host);
      target.resize(size_t(n));
      if (!target.empty() && target[0] == '/') done.clear();
      auto parts = components(target);
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_back(*it);
      continue;
    }
    done.push_back(c);
  }
  std::string out;
  for (const auto& d : done) out += "/" + d;
  return out.empty() ? std::string("/") : out;
}

std::string join_path(std::string_view a, std::string_view b) {
  std::string out(a);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  out += "/";
  out += b;
  return out;
}

std::string parent_path(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  size_t slash = p.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(p.substr(0, slash));
}

std::optional<uint64_t> process_start_time(pid_t pid, bool live_only) {
  if (pid <= 0) return std::nullopt;
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  size_t close = text->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(text->substr(close + 1));
  std::string field;
  std::vector<std::string> fields;
  while (in >> field) fields.push_back(field);
  // fields[0] is the state (field 3); starttime is field 22.
  if (fields.size() < 20) return std::nullopt;
  if (live_only && (fields[0] == "Z" || fields[0] == "X")) return std::nullopt;
  return std::strtoull(fields[19].c_str(), nullptr, 10);
}

Result<RunResult> run(const std::vector<std::string>& argv, const RunOptions& options) {
  if (argv.empty()) return Error(ErrorCode::invalid_argument, "run: empty argv");
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return sys_error("pipe");
  Fd in_r(in[0]), in_w(in[1]);
  if (::pipe2(out, O_CLOEXEC) != 0) return sys_error("pipe");
  Fd out_r(out[0]), out_w(out[1]);
  if (::pipe2(err, O_CLOEXEC) != 0) return sys_error("pipe");
  Fd err_r(err[0]), err_w(err[1]);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_r.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, err_w.get(), 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, options.cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    bool replaced = false;
    for (const auto& o : options.env) {
      size_t eq = o.find('=');
      if (eq != std::string::npos && kv.substr(0, eq + 1) == std::string_view(o).substr(0, eq + 1))
        replaced = true;
    }
    if (!replaced) env_store.emplace_back(kv);
  }
  for (const auto& o : options.env) env_store.push_back(o);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &fa, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return sys_error("run " + argv[0], rc);
  in_r.reset();
  out_w.reset();
  err_w.reset();

  RunResult result;
  std::string_view input = options.input;
  if (input.empty()) in_w.reset();
  ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  int64_t deadline = options.timeout > 0 ? mono_ns() + options.timeout : 0;
  bool killed = false;
  while (out_r || err_r) {
    pollfd fds[3];
    int n = 0;
    if (out_r) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_r) fds[n++] = {err_r.get(), POLLIN, 0};
    if (in_w) fds[n++] = {in_w.get(), POLLOUT, 0};
    int wait_ms = -1;
    if (deadline && !killed) {
      int64_t left = deadline - mono_ns();
      wait_ms = left <= 0 ? 0 : int((left + 999999) / 1000000);
    }
    int r = ::poll(fds, nfds_t(n), wait_ms);
    if (r < 0 && errno != EINTR) break;
    if (r == 0 && deadline && !killed) {
      ::kill(pid, SIGKILL);
      killed = true;
      result.timed_out = true;
      continue;
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_w.get()) {
        ssize_t w = ::write(in_w.get(), input.data(), input.size());
        if (w > 0) input.remove_prefix(size_t(w));
        if (w < 0 && errno != EAGAIN && errno != EINTR) input = {};
        if (input.empty()) in_w.reset();
        continue;
      }
      char buf[8192];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (fds[i].fd == out_r.get() ? result.out : result.err).append(buf, size_t(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        if (fds[i].fd == out_r.get())
          out_r.reset();
        else
          err_r.reset();
      }
    }
  }
  in_w.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return sys_error("waitpid");
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::optional<int> signal_number(std::string_view name) {
  static const std::pair<const char*, int> table[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
      {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"IOT", SIGABRT},  {"BUS", SIGBUS},
      {"FPE", SIGFPE},   {"KILL", SIGKILL},     {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
      {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},
      {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
      {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
      {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
      {"IO", SIGIO},     {"SYS", SIGSYS},
#ifdef SIGPWR
      {"PWR", SIGPWR},
#endif
#ifdef SIGINFO
      {"INFO", SIGINFO},
#endif
  };
  if (name.empty()) return std::nullopt;
  if (name.find_first_not_of("0123456789") == std::string_view::npos) {
    int n = std::atoi(std::string(name).c_str());
    if (n > 0 && n < NSIG) return n;
    return std::nullopt;
  }
  std::string upper;
  for (char c : name) upper += char(c >= 'a' && c <= 'z' ? c - 32 : c);
  std::string_view s = upper;
  if (s.substr(0, 3) == "SIG") s.remove_prefix(3);
  for (const auto& [n, v] : table) {
    if (s == n) return v;
  }
  return std::nullopt;
}

int pidfd_open(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  return int(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

int pidfd_send_signal(int pidfd, int sig) {
#if defined(__linux__) && defined(SYS_pidfd_send_signal)
  return int(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
#else
  (void)pidfd;
  (void)sig;
  errno = ENOSYS;
  return -1;
#endif
}

bool wait_readable(int fd, Nanos timeout) {
  int64_t deadline = timeout >= 0 ? mono_ns() + timeout : 0;
  for (;;) {
    int ms = -1;
    if (timeout >= 0) {
      int64_t left = deadline - mono_ns();
      ms = left <= 0 ? 0 : int(std::min<int64_t>((left + 999999) / 1000000, 1 << 30));
    }
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}
}  // namespace warden::jail::detail
