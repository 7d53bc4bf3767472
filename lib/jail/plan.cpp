#include "plan.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include <cstring>

#include "util.hpp"

namespace warden::jail::detail {
namespace {

constexpr uint32_t kMagic = 0x6e6c7077;  // "wpln"

// The wire layout: a header, the ops, the pointer arrays (string offsets), then the strings.
// Offsets count from the start of the bytes; 0 stands for a null pointer.
struct WireHeader {
  uint32_t magic;
  uint32_t n_ops, n_argv, n_envp, n_fallback;
  uint32_t root, hostname, cwd, path;
  uint32_t drop_privileges;
  int32_t last_cap;
  uint32_t pad;
  uint64_t unshare_flags;
  uint64_t keep_caps;
};

struct WireOp {
  uint32_t kind, optional, a, b, c, data, step, mode;
  uint64_t flags, dev;
};

char g_exec_path[4096];

size_t slen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

}  // namespace

const char* Plan::keep(std::string s) {
  strings_.push_back(std::move(s));
  return strings_.back().c_str();
}

PlanView Plan::view() {
  argv_z_ = argv;
  argv_z_.push_back(nullptr);
  envp_z_ = envp;
  envp_z_.push_back(nullptr);
  fallback_z_ = fallback_argv;
  fallback_z_.push_back(nullptr);
  PlanView v;
  v.unshare_flags = unshare_flags;
  v.ops = ops.data();
  v.n_ops = ops.size();
  v.root = root;
  v.hostname = hostname;
  v.cwd = cwd;
  v.argv = argv_z_.data();
  v.envp = envp_z_.data();
  v.path = path;
  v.fallback_argv = fallback_argv.empty() ? nullptr : fallback_z_.data();
  v.drop_privileges = drop_privileges;
  v.keep_caps = keep_caps;
  v.last_cap = last_cap;
  return v;
}

std::string Plan::serialize() const {
  std::string strings;
  size_t fixed = sizeof(WireHeader) + ops.size() * sizeof(WireOp) +
                 4 * (argv.size() + envp.size() + fallback_argv.size());
  auto off = [&](const char* s) -> uint32_t {
    if (!s) return 0;
    uint32_t at = uint32_t(fixed + strings.size());
    strings.append(s);
    strings.push_back('\0');
    return at;
  };
  WireHeader h{};
  h.magic = kMagic;
  h.n_ops = uint32_t(ops.size());
  h.n_argv = uint32_t(argv.size());
  h.n_envp = uint32_t(envp.size());
  h.n_fallback = uint32_t(fallback_argv.size());
  h.root = off(root);
  h.hostname = off(hostname);
  h.cwd = off(cwd);
  h.path = off(path);
  h.drop_privileges = drop_privileges ? 1 : 0;
  h.last_cap = last_cap;
  h.unshare_flags = unshare_flags;
  h.keep_caps = keep_caps;
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  for (const Op& op : ops) {
    WireOp w{};
    w.kind = op.kind;
    w.optional = op.optional ? 1 : 0;
    w.a = off(op.a);
    w.b = off(op.b);
    w.c = off(op.c);
    w.data = off(op.data);
    w.step = off(op.step);
    w.mode = op.mode;
    w.flags = op.flags;
    w.dev = uint64_t(op.dev);
    out.append(reinterpret_cast<const char*>(&w), sizeof w);
  }
  for (const auto* list : {&argv, &envp, &fallback_argv}) {
    for (const char* s : *list) {
      uint32_t o = off(s);
      out.append(reinterpret_cast<const char*>(&o), sizeof o);
    }
  }
  return out + strings;
}

bool parse_plan(char* bytes, size_t len, PlanView& out, Op* ops, size_t max_ops, const char** ptrs,
                size_t max_ptrs) {
  WireHeader h;
  if (len < sizeof h) return false;
  std::memcpy(&h, bytes, sizeof h);
  if (h.magic != kMagic || h.n_ops > max_ops) return false;
  size_t n_ptrs = size_t(h.n_argv) + h.n_envp + h.n_fallback + 3;
  if (n_ptrs > max_ptrs || h.n_argv == 0) return false;
  size_t fixed = sizeof h + size_t(h.n_ops) * sizeof(WireOp) +
                 4 * (size_t(h.n_argv) + h.n_envp + h.n_fallback);
  if (fixed > len || bytes[len - 1] != '\0') return false;
  bool ok = true;
  // A string offset: inside the string area (which ends with a NUL, checked above).
  auto str = [&](uint32_t o) -> const char* {
    if (o == 0) return nullptr;
    if (o < fixed || o >= len) {
      ok = false;
      return nullptr;
    }
    return bytes + o;
  };
  for (uint32_t i = 0; i < h.n_ops; ++i) {
    WireOp w;
    std::memcpy(&w, bytes + sizeof h + i * sizeof w, sizeof w);
    if (w.kind > Op::mkdir) return false;
    Op& op = ops[i];
    op.kind = Op::Kind(w.kind);
    op.optional = w.optional != 0;
    op.a = str(w.a);
    op.b = str(w.b);
    op.c = str(w.c);
    op.data = str(w.data);
    op.step = str(w.step);
    if (!op.step) op.step = "";
    op.mode = w.mode;
    op.flags = (unsigned long)w.flags;
    op.dev = dev_t(w.dev);
  }
  const char* at = bytes + sizeof h + size_t(h.n_ops) * sizeof(WireOp);
  size_t p = 0;
  auto list = [&](uint32_t n) -> const char* const* {
    const char** start = ptrs + p;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t o;
      std::memcpy(&o, at, sizeof o);
      at += sizeof o;
      ptrs[p++] = str(o);
    }
    ptrs[p++] = nullptr;
    return start;
  };
  out.argv = list(h.n_argv);
  out.envp = list(h.n_envp);
  const char* const* fallback = list(h.n_fallback);
  out.fallback_argv = h.n_fallback ? fallback : nullptr;
  out.unshare_flags = (unsigned long)h.unshare_flags;
  out.ops = ops;
  out.n_ops = h.n_ops;
  out.root = str(h.root);
  out.hostname = str(h.hostname);
  out.cwd = str(h.cwd);
  if (!out.cwd) out.cwd = "/";
  out.path = str(h.path);
  out.drop_privileges = h.drop_privileges != 0;
  out.keep_caps = h.keep_caps;
  out.last_cap = h.last_cap;
  return ok && out.argv[0] != nullptr;
}

uint64_t default_capabilities() {
#if defined(__linux__)
  uint64_t keep = 0;
  for (int c : {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID,
                CAP_SETUID, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_CHROOT,
                CAP_MKNOD, CAP_AUDIT_WRITE, CAP_SETFCAP})
    keep |= uint64_t(1) << c;
  return keep;
#else
  return 0;
#endif
}

int last_capability() {
  auto t = read_file("/proc/sys/kernel/cap_last_cap");
  if (!t) return 40;
  return std::atoi(t->c_str());
}

int drop_privileges_and_exec(const PlanView& plan, const char** step) {
#if defined(__linux__)
  if (plan.drop_privileges) {
    for (int c = 0; c <= plan.last_cap; ++c) {
      if (plan.keep_caps & (uint64_t(1) << c)) continue;
      if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) {
        *step = "drop capabilities";
        return errno;
      }
    }
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct hdr{};
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    __user_cap_data_struct data[2]{};
    for (int i = 0; i < 2; ++i) {
      uint32_t bits = uint32_t(plan.keep_caps >> (32 * i));
      data[i].effective = bits;
      data[i].permitted = bits;
      data[i].inheritable = bits;
    }
    if (::syscall(SYS_capset, &hdr, data) != 0) {
      *step = "set capabilities";
      return errno;
    }
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
      *step = "set no_new_privs";
      return errno;
    }
  }
#endif
  ::umask(022);
  char* const* argv = const_cast<char* const*>(plan.argv);
  char* const* envp = const_cast<char* const*>(plan.envp);
  const char* file = plan.argv[0];
  *step = "exec";
  auto fallback = [&](int err) {
    if (plan.fallback_argv)
      ::execve(plan.fallback_argv[0], const_cast<char* const*>(plan.fallback_argv), envp);
    return err;
  };
  bool has_slash = false;
  for (const char* p = file; *p; ++p) has_slash = has_slash || *p == '/';
  if (has_slash || !plan.path || !*plan.path) {
    ::execve(file, argv, envp);
    return fallback(errno);
  }
  // Look argv[0] up in PATH, as execvp does (without allocating).
  int err = ENOENT;
  size_t flen = slen(file);
  const char* p = plan.path;
  for (;;) {
    const char* end = p;
    while (*end && *end != ':') ++end;
    size_t dlen = size_t(end - p);
    if (dlen + 1 + flen + 1 < sizeof g_exec_path) {
      std::memcpy(g_exec_path, p, dlen);
      size_t n = dlen;
      if (n == 0) g_exec_path[n++] = '.';
      g_exec_path[n++] = '/';
      std::memcpy(g_exec_path + n, file, flen + 1);
      ::execve(g_exec_path, argv, envp);
      if (errno != ENOENT && errno != ENOTDIR) err = errno;
    }
    if (!*end) break;
    p = end + 1;
  }
  return fallback(err);
}

int run_plan(const PlanView& plan, const char** step) {
#if defined(__linux__)
  ::umask(0);
  if (plan.unshare_flags && ::unshare(int(plan.unshare_flags)) != 0) {
    *step = "unshare namespaces";
    return errno;
  }
  if (plan.root) {
    // Nothing mounted from here on may propagate back to the host.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      *step = "make mounts private";
      return errno;
    }
  }
  for (size_t i = 0; i < plan.n_ops; ++i) {
    const Op& op = plan.ops[i];
    int rc = 0;
    switch (op.kind) {
      case Op::mount:
        rc = ::mount(op.a, op.b, op.c, op.flags, op.data);
        break;
      case Op::remount:
        rc = ::mount(nullptr, op.b, nullptr, op.flags, nullptr);
        break;
      case Op::mknod:
        rc = ::mknod(op.a, op.mode, op.dev);
        break;
      case Op::symlink:
        rc = ::symlink(op.a, op.b);
        break;
      case Op::mkdir:
        rc = ::mkdir(op.a, op.mode);
        if (rc != 0 && errno == EEXIST) rc = 0;
        break;
    }
    if (rc != 0 && !op.optional) {
      *step = op.step;
      return errno;
    }
  }
  if (plan.root) {
    if (::chdir(plan.root) != 0) {
      *step = "chdir to the new root";
      return errno;
    }
    // pivot_root(".", "."): the old root ends up stacked on the new one, and is detached at once.
    if (::syscall(SYS_pivot_root, ".", ".") != 0) {
      *step = "pivot_root";
      return errno;
    }
    if (::umount2(".", MNT_DETACH) != 0) {
      *step = "detach the old root";
      return errno;
    }
  }
  if (plan.hostname && ::sethostname(plan.hostname, slen(plan.hostname)) != 0) {
    *step = "set the hostname";
    return errno;
  }
#endif
  if (::chdir(plan.cwd) != 0 && ::chdir("/") != 0) {
    *step = "chdir";
    return errno;
  }
  return drop_privileges_and_exec(plan, step);
}

}  // namespace warden::jail::detail
