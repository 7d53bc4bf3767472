// minipot jail run | ls | exec | logs | stop | rm | inspect | recover: jails by hand, on the C
// API. Jails live under <data-dir>/jail (state, overlays, logs), so every command — and an
// agent — sees the same jails.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "commands.hpp"
#include "warden.h"

namespace minipot {
namespace {

using ErrorPtr = std::unique_ptr<warden_error, decltype(&warden_error_free)>;
using DriverPtr = std::unique_ptr<warden_jail_driver, decltype(&warden_jail_driver_free)>;
using JailPtr = std::unique_ptr<warden_jail, decltype(&warden_jail_free)>;

volatile sig_atomic_t g_interrupted = 0;

void on_interrupt(int) {
  g_interrupted = 1;
}

int report(warden_error* err) {
  ErrorPtr e(err, warden_error_free);
  std::fprintf(stderr, "Error: %s\n", warden_error_format(e.get()));
  return 1;
}

std::string take(warden_buf& b) {
  std::string s = b.ptr ? std::string(b.ptr, b.size) : std::string();
  warden_buf_dispose(&b);
  return s;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_string(items[i]);
  return out + "]";
}

// A word the jail's /bin/sh reads back as exactly this argument (pot joins command and args with
// spaces and runs `exec <line>`).
std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789@%+=:,./-_") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<FlagSpec> driver_flags() {
  return {
      {"backend", true, false, "Jail backend: linux (the default on Linux) or pot."},
      {"bridge", true, false, "Bridge of the public-bridge network (default warden0)."},
      {"pool", true, false, "Address pool of the bridge (default 10.192.0.0/10)."},
      {"nft-table", true, false, "nftables table for NAT and port forwarding (default warden)."},
      {"cgroup-parent", true, false, "Parent cgroup of the jails (default warden)."},
      {"pot", true, false, "The pot program, for the pot backend."}};
}

std::vector<FlagSpec> with(std::vector<FlagSpec> a, const std::vector<FlagSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

DriverPtr open_driver(const Parsed& p) {
  DriverPtr d(nullptr, warden_jail_driver_free);
  std::string dir = data_dir(p) + "/jail";
  std::string backend = p.get("backend"), bridge = p.get("bridge"), pool = p.get("pool"),
              pot = p.get("pot"), table = p.get("nft-table"), parent = p.get("cgroup-parent");
  warden_jail_driver_options o = WARDEN_JAIL_DRIVER_OPTIONS_INIT;
  o.data_dir = dir.c_str();
  o.warm_pool = 0;  // a command line tool starts one jail at most: nothing to keep warm
  if (!table.empty()) o.nft_table = table.c_str();
  if (!parent.empty()) o.cgroup_parent = parent.c_str();
  if (!backend.empty()) o.backend = backend.c_str();
  if (!bridge.empty()) o.bridge = bridge.c_str();
  if (!pool.empty()) o.address_pool = pool.c_str();
  if (!pot.empty()) o.pot_binary = pot.c_str();
  warden_jail_driver* raw = nullptr;
  if (warden_error* err = warden_jail_driver_open(&raw, &o)) {
    report(err);
    return d;
  }
  d.reset(raw);
  return d;
}

JailPtr open_jail(warden_jail_driver* d, const std::string& name) {
  JailPtr j(nullptr, warden_jail_free);
  warden_jail* raw = nullptr;
  if (warden_error* err = warden_jail_open(&raw, d, name.data(), name.size())) {
    report(err);
    return j;
  }
  j.reset(raw);
  return j;
}

// The jail named by a command's single argument, through the driver the flags choose (kept in
// `d`, which must outlive the jail handle).
JailPtr open_named_jail(const Parsed& p, DriverPtr& d) {
  if (p.args.size() != 1) {
    std::fprintf(stderr, "This command takes one argument: the jail's name.\n");
    return JailPtr(nullptr, warden_jail_free);
  }
  d = open_driver(p);
  if (!d) return JailPtr(nullptr, warden_jail_free);
  return open_jail(d.get(), p.args[0]);
}

std::string random_uuid() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  char buf[40];
  uint64_t a = rng(), b = rng();
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", unsigned(a >> 32),
                unsigned((a >> 16) & 0xffff), unsigned(a & 0xfff),
                unsigned(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

// Copies what the jail writes to our stdout/stderr until it ends (or we are interrupted).
void stream_logs(warden_jail* j) {
  warden_jail_log_reader *out = nullptr, *err = nullptr;
  if (warden_error* e = warden_jail_log_reader_open(&out, j, WARDEN_JAIL_LOG_STDOUT, 0)) {
    report(e);
    return;
  }
  if (warden_error* e = warden_jail_log_reader_open(&err, j, WARDEN_JAIL_LOG_STDERR, 0)) {
    report(e);
    warden_jail_log_reader_free(out);
    return;
  }
  char buf[16384];
  while (!g_interrupted) {
    bool any = false;
    for (auto [r, f] : {std::pair{out, stdout}, std::pair{err, stderr}}) {
      size_t n = 0;
      if (warden_error* e = warden_jail_log_reader_read(&n, r, buf, sizeof buf, 1, 50)) {
        warden_error_free(e);
        continue;
      }
      if (n) {
        std::fwrite(buf, 1, n, f);
        std::fflush(f);
        any = true;
      }
    }
    if (!any && warden_jail_log_reader_at_end(out) && warden_jail_log_reader_at_end(err)) break;
  }
  warden_jail_log_reader_free(out);
  warden_jail_log_reader_free(err);
}

int jail_run(const Parsed& p) {
  if (p.args.size() < 2) {
    std::fprintf(stderr, "This command takes a root file system and a command: ROOTFS -- CMD...\n");
    return 1;
  }
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  const std::string& rootfs = p.args[0];
  std::vector<std::string> cmd(p.args.begin() + 1, p.args.end());
  // The pot driver config, with argv quoted so the jail's shell gets it back word for word.
  std::string config = "{\"image\":\"local\",\"pot\":\"local\",\"tag\":\"0\",\"command\":" +
                       json_string(shell_quote(cmd[0]));
  std::vector<std::string> args;
  for (size_t i = 1; i < cmd.size(); ++i) args.push_back(shell_quote(cmd[i]));
  config += ",\"args\":" + json_list(args);
  std::vector<std::string> host_ports;
  std::string port_map;
  int label = 0;
  for (const auto& spec : p.all("port")) {
    size_t colon = spec.find(':');
    if (colon == std::string::npos) {
      std::fprintf(stderr, "-port %s: use HOST_PORT:JAIL_PORT\n", spec.c_str());
      return 1;
    }
    std::string l = "port" + std::to_string(label++);
    port_map += std::string(port_map.empty() ? "" : ",") + json_string(l) + ":" +
                json_string(spec.substr(colon + 1));
    host_ports.push_back(l + "=" + spec.substr(0, colon));
  }
  if (!port_map.empty()) config += ",\"port_map\":{" + port_map + "}";
  if (p.has("network")) config += ",\"network_mode\":" + json_string(p.get("network"));
  for (auto [flag, key] : {std::pair{"mount", "mount"}, std::pair{"mount-ro", "mount_read_only"},
                           std::pair{"copy", "copy"}, std::pair{"host", "extra_hosts"}}) {
    if (!p.all(flag).empty()) config += std::string(",\"") + key + "\":" + json_list(p.all(flag));
  }
  config += "}";

  std::string alloc = p.get("alloc", random_uuid());
  std::string task = p.get("name", "run");
  std::vector<const char*> env, ports;
  for (const auto& e : p.all("env")) env.push_back(e.c_str());
  for (const auto& hp : host_ports) ports.push_back(hp.c_str());
  warden_jail_spec spec = WARDEN_JAIL_SPEC_INIT;
  spec.alloc_id = alloc.c_str();
  spec.task_name = task.c_str();
  spec.config_json = config.c_str();
  spec.config_json_len = config.size();
  spec.rootfs = rootfs.c_str();
  spec.env = env.data();
  spec.env_count = env.size();
  spec.host_ports = ports.data();
  spec.host_ports_count = ports.size();
  spec.memory_mb = std::atoll(p.get("memory", "0").c_str());
  spec.cpu_mhz = std::atoll(p.get("cpu", "0").c_str());
  spec.pids_limit = std::atoll(p.get("pids", "0").c_str());
  warden_jail* raw = nullptr;
  if (warden_error* err = warden_jail_create(&raw, d.get(), nullptr, 0, 0, &spec))
    return report(err);
  JailPtr j(raw, warden_jail_free);
  if (warden_error* err = warden_jail_start(j.get())) {
    report(err);
    (void)warden_jail_destroy(j.get(), 1);
    return 1;
  }
  if (p.has("detach")) {
    if (p.has("json"))
      std::printf("{\"Name\":%s}\n", json_string(warden_jail_name(j.get())).c_str());
    else
      std::printf("%s\n", warden_jail_name(j.get()));
    return 0;
  }
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  stream_logs(j.get());
  if (g_interrupted) (void)warden_jail_stop(j.get(), "SIGTERM", 5000);
  warden_jail_exit e = WARDEN_JAIL_EXIT_INIT;
  if (warden_error* err = warden_jail_wait(&e, j.get(), -1)) return report(err);
  if (p.has("json")) {
    std::printf("{\"Name\":%s,\"ExitCode\":%d,\"Signal\":%d,\"OOMKilled\":%s}\n",
                json_string(warden_jail_name(j.get())).c_str(), e.exit_code, e.signal,
                e.oom_killed ? "true" : "false");
  }
  if (!p.has("keep")) {
    if (warden_error* err = warden_jail_destroy(j.get(), 1)) return report(err);
  }
  return e.exit_code;
}

int jail_ls(const Parsed& p) {
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  warden_buf out = WARDEN_BUF_INIT;
  if (warden_error* err = warden_jail_driver_list(&out, d.get())) return report(err);
  std::string json = take(out);
  if (p.has("json")) {
    std::printf("%s\n", json.c_str());
    return 0;
  }
  // The list is JSON; pick the few fields a table shows without a JSON library.
  auto field = [](const std::string& obj, const std::string& key) {
    std::string k = "\"" + key + "\":";
    size_t at = obj.find(k);
    if (at == std::string::npos) return std::string();
    at += k.size();
    if (obj[at] == '"') return obj.substr(at + 1, obj.find('"', at + 1) - at - 1);
    if (obj[at] == '{') return obj.substr(at, obj.find('}', at) - at + 1);
    return obj.substr(at, obj.find_first_of(",}", at) - at);
  };
  std::printf("%-56s %-8s %-14s %-15s %s\n", "NAME", "STATUS", "NETWORK", "ADDRESS", "EXIT");
  size_t at = 0;
  int depth = 0;
  size_t start = 0;
  for (; at < json.size(); ++at) {
    if (json[at] == '{' && depth++ == 0) start = at;
    if (json[at] == '}' && --depth == 0) {
      std::string obj = json.substr(start, at - start + 1);
      std::string exit = field(obj, "Exit");
      std::string code = exit == "null" ? "-" : field(exit, "ExitCode");
      std::printf("%-56s %-8s %-14s %-15s %s\n", field(obj, "Name").c_str(),
                  field(obj, "Status").c_str(), field(obj, "NetworkMode").c_str(),
                  field(obj, "Address").empty() ? "-" : field(obj, "Address").c_str(),
                  code.c_str());
    }
  }
  return 0;
}

// Copies between our terminal/stdio and an interactive process until it ends.
int pump(warden_jail_process* proc, bool tty) {
  int in = warden_jail_process_fd(proc, 0), out = warden_jail_process_fd(proc, 1),
      err = warden_jail_process_fd(proc, 2);
  termios saved{};
  bool raw = tty && isatty(0) && tcgetattr(0, &saved) == 0;
  if (raw) {
    termios t = saved;
    cfmakeraw(&t);
    tcsetattr(0, TCSANOW, &t);
    winsize ws{};
    if (ioctl(0, TIOCGWINSZ, &ws) == 0)
      (void)warden_jail_process_resize(proc, ws.ws_row, ws.ws_col);
  }
  bool stdin_open = true, out_open = true, err_open = err >= 0;
  char buf[16384];
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0, io = -1, ie = -1, ii = -1;
    if (out_open) io = n, fds[n++] = {out, POLLIN, 0};
    if (err_open) ie = n, fds[n++] = {err, POLLIN, 0};
    if (stdin_open) ii = n, fds[n++] = {0, POLLIN, 0};
    if (poll(fds, nfds_t(n), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    auto copy = [&](int idx, int from, int to, bool& open) {
      if (idx < 0 || !fds[idx].revents) return;
      ssize_t got = read(from, buf, sizeof buf);
      if (got <= 0) {
        open = false;
        return;
      }
      for (ssize_t w = 0; w < got;) {
        ssize_t k = write(to, buf + w, size_t(got - w));
        if (k <= 0) break;
        w += k;
      }
    };
    copy(io, out, 1, out_open);
    copy(ie, err, 2, err_open);
    if (ii >= 0 && fds[ii].revents) {
      ssize_t got = read(0, buf, sizeof buf);
      if (got <= 0) {
        stdin_open = false;
        if (!tty) warden_jail_process_close_stdin(proc);
      } else {
        for (ssize_t w = 0; w < got;) {
          ssize_t k = write(in, buf + w, size_t(got - w));
          if (k <= 0) break;
          w += k;
        }
      }
    }
  }
  if (raw) tcsetattr(0, TCSANOW, &saved);
  warden_jail_exit e = WARDEN_JAIL_EXIT_INIT;
  if (warden_error* er = warden_jail_process_wait(&e, proc, -1)) return report(er);
  return e.exit_code;
}

int jail_exec(const Parsed& p) {
  if (p.args.size() < 2) {
    std::fprintf(stderr, "This command takes a jail name and a command: NAME -- CMD...\n");
    return 1;
  }
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  JailPtr j = open_jail(d.get(), p.args[0]);
  if (!j) return 1;
  std::vector<const char*> argv, env;
  for (size_t i = 1; i < p.args.size(); ++i) argv.push_back(p.args[i].c_str());
  for (const auto& e : p.all("env")) env.push_back(e.c_str());
  warden_jail_exec_options o = WARDEN_JAIL_EXEC_OPTIONS_INIT;
  o.argv = argv.data();
  o.argc = argv.size();
  o.env = env.data();
  o.env_count = env.size();
  o.tty = p.has("t") ? 1 : 0;
  if (p.has("json")) {
    warden_jail_exec_result r = WARDEN_JAIL_EXEC_RESULT_INIT;
    if (warden_error* err = warden_jail_exec(&r, j.get(), &o)) return report(err);
    std::printf("{\"ExitCode\":%d,\"Signal\":%d,\"Stdout\":%s,\"Stderr\":%s}\n", r.exit_code,
                r.signal, json_string(r.out_data.ptr ? r.out_data.ptr : "").c_str(),
                json_string(r.err_data.ptr ? r.err_data.ptr : "").c_str());
    warden_jail_exec_result_dispose(&r);
    return 0;
  }
  warden_jail_process* proc = nullptr;
  if (warden_error* err = warden_jail_exec_start(&proc, j.get(), &o)) return report(err);
  int code = pump(proc, o.tty != 0);
  warden_jail_process_free(proc);
  return code;
}

int jail_logs(const Parsed& p) {
  DriverPtr d(nullptr, warden_jail_driver_free);
  JailPtr j = open_named_jail(p, d);
  if (!j) return 1;
  warden_jail_log_reader* r = nullptr;
  auto stream = p.has("stderr") ? WARDEN_JAIL_LOG_STDERR : WARDEN_JAIL_LOG_STDOUT;
  if (warden_error* err = warden_jail_log_reader_open(&r, j.get(), stream, 0)) return report(err);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigaction(SIGINT, &sa, nullptr);
  char buf[16384];
  bool follow = p.has("f");
  while (!g_interrupted) {
    size_t n = 0;
    if (warden_error* err = warden_jail_log_reader_read(&n, r, buf, sizeof buf, follow, 200)) {
      warden_jail_log_reader_free(r);
      return report(err);
    }
    if (n) {
      std::fwrite(buf, 1, n, stream == WARDEN_JAIL_LOG_STDOUT ? stdout : stderr);
      std::fflush(stdout);
    } else if (!follow || warden_jail_log_reader_at_end(r)) {
      break;
    }
  }
  warden_jail_log_reader_free(r);
  return 0;
}

int jail_stop(const Parsed& p) {
  DriverPtr d(nullptr, warden_jail_driver_free);
  JailPtr j = open_named_jail(p, d);
  if (!j) return 1;
  std::string sig = p.get("signal");
  int64_t timeout = p.has("timeout") ? std::atoll(p.get("timeout").c_str()) * 1000 : -1;
  if (warden_error* err = warden_jail_stop(j.get(), sig.empty() ? nullptr : sig.c_str(), timeout))
    return report(err);
  return 0;
}

int jail_rm(const Parsed& p) {
  if (p.args.empty()) {
    std::fprintf(stderr, "This command takes the names of the jails to remove.\n");
    return 1;
  }
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  int status = 0;
  for (const auto& name : p.args) {
    JailPtr j = open_jail(d.get(), name);
    if (!j) {
      status = 1;
      continue;
    }
    if (warden_error* err = warden_jail_destroy(j.get(), p.has("force") ? 1 : 0))
      status = report(err);
  }
  return status;
}

int jail_inspect(const Parsed& p) {
  DriverPtr d(nullptr, warden_jail_driver_free);
  JailPtr j = open_named_jail(p, d);
  if (!j) return 1;
  warden_buf out = WARDEN_BUF_INIT;
  if (warden_error* err =
          p.has("state") ? warden_jail_state(&out, j.get()) : warden_jail_info(&out, j.get()))
    return report(err);
  std::printf("%s\n", take(out).c_str());
  return 0;
}

int jail_teardown(const Parsed& p) {
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  if (warden_error* err = warden_jail_driver_teardown(d.get())) return report(err);
  return 0;
}

int jail_recover(const Parsed& p) {
  DriverPtr d = open_driver(p);
  if (!d) return 1;
  warden_buf out = WARDEN_BUF_INIT;
  if (warden_error* err = warden_jail_driver_recover(&out, d.get())) return report(err);
  std::printf("%s\n", take(out).c_str());
  return 0;
}

std::vector<Command> jail_commands();
const Registrar registrar(jail_commands);

std::vector<Command> jail_commands() {
  std::vector<FlagSpec> run_flags =
      with({{"port", true, true, "Forward a host port to a port in the jail: HOST:JAIL."},
            {"network", true, false, "Network mode: host, inherit or public-bridge."},
            {"env", true, true, "Set an environment variable: KEY=value."},
            {"mount", true, true, "Bind mount a host directory: SRC:DST."},
            {"mount-ro", true, true, "Bind mount a host directory read-only: SRC:DST."},
            {"copy", true, true, "Copy a host file into the jail: SRC:DST."},
            {"host", true, true, "Add an /etc/hosts entry: NAME:IP."},
            {"memory", true, false, "Memory limit in MB (default 300)."},
            {"cpu", true, false, "CPU weight in MHz (default 100)."},
            {"pids", true, false, "Process limit (default 4096)."},
            {"name", true, false, "Task name (default run)."},
            {"alloc", true, false, "Allocation ID (default: a new UUID)."},
            {"detach", false, false, "Start the jail and print its name instead of waiting."},
            {"keep", false, false, "Keep the jail once its command ended (default: destroy it)."},
            {"json", false, false, "Print the result as JSON."}},
           driver_flags());
  return {
      {"jail run", "ROOTFS -- CMD [ARGS...]",
       "Run a command in a jail made from a root file system.",
       "  ROOTFS is an unpacked image (a directory with /bin/sh). The command runs as pot runs\n"
       "  it: the jail's /bin/sh executes it, here with each argument quoted so that it arrives\n"
       "  as given. The jail's output is shown until it ends (Ctrl-C stops it); the exit status\n"
       "  is the command's. The jail is then destroyed, unless -keep or -detach.",
       run_flags, jail_run},
      {"jail ls", "", "List the jails of the data directory.", "",
       with({{"json", false, false, "Print the list as JSON."}}, driver_flags()), jail_ls},
      {"jail exec", "NAME -- CMD [ARGS...]", "Run a command in a running jail.",
       "  The command joins the jail's namespaces and cgroups, with the jail's environment.\n"
       "  Standard input and output are connected; -t gives it a terminal.",
       with({{"t", false, false, "Allocate a terminal."},
             {"env", true, true, "Set an environment variable: KEY=value."},
             {"json", false, false, "Collect the output and print it as JSON."}},
            driver_flags()),
       jail_exec},
      {"jail logs", "NAME", "Show a jail's output.", "",
       with({{"f", false, false, "Follow the output while the jail runs."},
             {"stderr", false, false, "Show stderr instead of stdout."}},
            driver_flags()),
       jail_logs},
      {"jail stop", "NAME", "Stop a jail: its kill signal, then SIGKILL after its kill timeout.",
       "",
       with({{"signal", true, false, "The signal to send first."},
             {"timeout", true, false, "Seconds before SIGKILL."}},
            driver_flags()),
       jail_stop},
      {"jail rm", "NAME...", "Destroy jails, leaving no trace.", "",
       with({{"force", false, false, "Kill running jails first."}}, driver_flags()), jail_rm},
      {"jail inspect", "NAME", "Show a jail as JSON.", "",
       with({{"state", false, false, "Show the persisted handle instead."},
             {"json", false, false, "Accepted for symmetry; the output is always JSON."}},
            driver_flags()),
       jail_inspect},
      {"jail teardown", "",
       "Remove the bridge, nftables table and parent cgroup once no jail is left.", "",
       driver_flags(), jail_teardown},
      {"jail recover", "", "Re-attach to running jails and clean up those that ended.", "",
       with({{"json", false, false, "Accepted for symmetry; the output is always JSON."}},
            driver_flags()),
       jail_recover},
  };
}

}  // namespace
}  // namespace minipot
