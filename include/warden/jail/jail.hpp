// The jail layer: one driver interface for running a task in a jail, with two backends.
//
//   - linux: a native backend with pot's semantics — namespaces, an overlay over the unpacked
//     image, pivot_root, cgroup limits (v1, hybrid or v2), a veth into a bridge with NAT and
//     port forwarding (nftables), logs with rotation.
//   - pot: drives FreeBSD's `pot` command exactly as nomad-pot-driver does.
//
//   auto driver = warden::jail::make_driver({.data_dir = "/var/lib/warden"});
//   auto spec = warden::jail::spec_from_task(task, alloc_id);   // config, resources, env, logs
//   spec->rootfs = "/var/cache/warden/images/nginx";              // the unpacked image
//   auto jail = (*driver)->create(*spec);
//   (*jail)->start();
//   auto exit = (*jail)->wait(-1);                                // exit code, signal, OOM
//   (*jail)->destroy(false);
//
// Every jail runs under a supervisor process that outlives the process that created it: it keeps
// writing the logs, and records the exit status. Handles are persisted under the data directory,
// so a restarted agent re-attaches with Driver::recover() (or Driver::open(name)).
//
// Thread safety: a Driver and its Jails may be used from several threads at once (wait() in one
// thread while stop() runs in another is the usual pattern). Several processes may share a data
// directory (an agent and a CLI): each operation re-reads what it needs from disk.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/core/duration.hpp"
#include "warden/core/error.hpp"
#include "warden/jail/config.hpp"
#include "warden/jail/logs.hpp"

namespace warden::job {
struct Task;
}

namespace warden::jail {

enum class Backend { linux_native, pot };
const char* backend_name(Backend b);  // "linux", "pot"
std::optional<Backend> parse_backend(std::string_view name);

struct DriverOptions {
  // Backend to use; linux on Linux, pot elsewhere.
  Backend backend =
#if defined(__linux__)
      Backend::linux_native;
#else
      Backend::pot;
#endif
  // Where jails keep their state: persisted handles, overlays, default log directories, address
  // leases. Required.
  std::string data_dir;

  // --- linux backend ---
  // Every jail's cgroup is <hierarchy>/<cgroup_parent>/<jail name> in each controller hierarchy.
  std::string cgroup_parent = "warden";
  // The bridge of the public-bridge network, the pool its jails take addresses from (the first
  // address is the bridge's, the gateway), and the nftables table (family ip) holding NAT and
  // port forwarding. The pool must not overlap the host's routes, addresses or name servers.
  std::string bridge = "warden0";
  std::string address_pool = "10.192.0.0/10";
  std::string nft_table = "warden";
  std::string nft_binary = "nft";  // used once, to create the table
  // Default pids limit per jail (JailSpec::resources.pids_limit overrides it).
  int64_t pids_limit = 4096;
  // cgroup v1 and hybrid hosts: supervisors kept ready in spare cgroups, so that a starting jail
  // does not wait for the kernel's grace period of a cgroup v1 move (see docs/jail.md). 0 turns
  // it off; the pool starts with the first jail.
  int64_t warm_pool = 2;
  // Turn on net.ipv4.ip_forward when the bridge is set up, so that jails reach the outside and
  // other hosts reach mapped ports (as pot and docker do). Mapped ports answer on the host's own
  // addresses and on 127.0.0.1 without it.
  bool ip_forward = true;
  // Name servers written to the jails' /etc/resolv.conf; empty copies the host's resolv.conf.
  std::vector<std::string> dns_servers;

  // --- pot backend ---
  std::string pot_binary = "/usr/local/bin/pot";
};

struct Resources {
  int64_t cpu_mhz = 100;      // cpu weight (nomad's cpu.shares = MHz)
  int64_t memory_mb = 300;    // hard limit (pot's set-rss -M), or the reservation with memory_max
  int64_t memory_max_mb = 0;  // when above memory_mb: the hard limit, memory_mb the soft one
  int64_t pids_limit = 0;     // 0: the driver's default
};

// Everything a driver needs to create a jail for one run of one task of an allocation.
struct JailSpec {
  std::string alloc_id;    // required
  std::string task_name;   // required
  std::string invocation;  // identifies this run of the task (8 hex digits); generated when empty
  PotConfig config;
  // linux: the unpacked image, used read-only as the overlay's lower layer. Required.
  std::string rootfs;
  // The task's directory; its local/ and secrets/ are mounted at /local and /secrets.
  std::string task_dir;
  // Where <task>.stdout.N and <task>.stderr.N are written; default <data_dir>/jails/<name>/logs.
  std::string log_dir;
  std::map<std::string, std::string> env;
  // The allocation's host ports by label; port_map forwards them into the jail.
  std::map<std::string, uint16_t> host_ports;
  Resources resources;
  LogPolicy logs;
  Nanos kill_timeout = 5 * kSecond;
  std::string kill_signal = "SIGINT";  // nomad's default
  // linux: the command when config.command is empty (the image's own; pot's default is this).
  std::string default_command = "sh /etc/rc";
};

// A spec from a job's task: its config (decoded), resources, env, log policy, kill timeout and
// signal. The caller fills in the rest (rootfs, task_dir, host_ports, ...).
Result<JailSpec> spec_from_task(const job::Task& task, std::string alloc_id);

enum class JailStatus { created, running, exited };
const char* status_name(JailStatus s);

struct ExitResult {
  int exit_code = 0;  // 128 + signal when killed by a signal
  int signal = 0;
  bool oom_killed = false;
  std::string error;           // the supervisor died, the jail could not start, ...
  int64_t finished_at_ns = 0;  // wall clock, ns since the epoch
  bool successful() const { return exit_code == 0 && signal == 0 && error.empty(); }
};

struct Stats {
  uint64_t memory_rss = 0;    // bytes
  uint64_t memory_cache = 0;  // bytes
  uint64_t memory_swap = 0;   // bytes
  uint64_t memory_usage = 0;  // bytes charged to the jail
  uint64_t memory_max_usage = 0;
  uint64_t cpu_total_ns = 0;
  uint64_t cpu_user_ns = 0;
  uint64_t cpu_system_ns = 0;
  double cpu_percent = 0;  // since the previous stats() of this handle (0 the first time)
  uint64_t pids = 0;
  int64_t timestamp_ns = 0;
};

struct Fingerprint {
  bool healthy = false;
  std::string description;  // why not, when unhealthy
  std::string version;
  // Node attributes: driver.pot = "true", driver.pot.version, driver.pot.backend, ...
  std::map<std::string, std::string> attributes;
};

struct ExecOptions {
  std::vector<std::string> argv;           // argv[0] is looked up in the jail's PATH
  std::map<std::string, std::string> env;  // added to the jail's environment
  bool tty = false;                        // a terminal from the jail's devpts
  std::string input;                       // exec(): written to stdin, which is then closed
  Nanos timeout = 0;                       // exec(): killed after this long (0: no limit)
};

struct ExecResult {
  int exit_code = 0;
  int signal = 0;
  bool timed_out = false;
  std::string stdout_data;  // with a terminal: everything the terminal showed
  std::string stderr_data;
};

// An interactive command in a jail (exec_interactive): its standard streams are file
// descriptors the caller reads and writes. With a terminal, in_fd() == out_fd() (the terminal's
// master side) and err_fd() is -1.
class Process {
 public:
  virtual ~Process() = default;
  virtual int in_fd() const = 0;
  virtual int out_fd() const = 0;
  virtual int err_fd() const = 0;
  // Closes the caller's side of stdin (not for terminals: send ^D instead).
  virtual void close_in() = 0;
  virtual Result<void> resize(uint16_t rows, uint16_t cols) = 0;
  virtual Result<void> signal(std::string_view signal) = 0;
  // Waits for the exit (timeout < 0: no limit); nullopt on timeout.
  virtual Result<std::optional<ExitResult>> wait(Nanos timeout) = 0;
};

// What `list` and `ls` show.
struct JailInfo {
  std::string name;
  Backend backend = Backend::linux_native;
  JailStatus status = JailStatus::created;
  std::string alloc_id;
  std::string task_name;
  std::string network_mode;
  std::string address;                       // the jail's address on the bridge, if any
  std::map<std::string, std::string> ports;  // label -> "host:jail"
  int64_t created_at_ns = 0;
  std::optional<ExitResult> exit;
};

class Jail {
 public:
  virtual ~Jail() = default;
  virtual const std::string& name() const = 0;
  virtual JailInfo info() = 0;
  virtual JailStatus status() = 0;

  virtual Result<void> start() = 0;
  // Waits for the jail's command to end (timeout < 0: no limit); nullopt on timeout.
  virtual Result<std::optional<ExitResult>> wait(Nanos timeout) = 0;
  // Sends a signal ("SIGHUP", "HUP" or a number) to the jail's command.
  virtual Result<void> signal(std::string_view signal) = 0;
  // Sends `signal` (empty: the spec's kill_signal), then SIGKILL after `timeout` (< 0: the
  // spec's kill_timeout) if the command is still running. Returns once it has exited.
  virtual Result<void> stop(std::string_view signal, Nanos timeout) = 0;
  // Removes every trace: processes, mounts, cgroups, links, addresses, forwarding rules, state.
  // A running jail is refused unless `force` (then it is killed first).
  virtual Result<void> destroy(bool force) = 0;

  virtual Result<ExecResult> exec(const ExecOptions& options) = 0;
  virtual Result<std::unique_ptr<Process>> exec_interactive(const ExecOptions& options) = 0;
  virtual Result<Stats> stats() = 0;
  virtual Result<LogReader> logs(LogStream stream, uint64_t offset) = 0;
  // The persisted handle, as JSON.
  virtual std::string state_json() = 0;
};

struct RecoverReport {
  std::vector<std::string> running;  // re-attached
  // Jails whose command ended (or whose supervisor died) while nobody watched, and which were
  // cleaned up; with their exit.
  std::vector<std::pair<std::string, ExitResult>> cleaned;
  std::vector<std::string> created;  // created but never started: kept
  std::vector<std::string> errors;   // jails that could not be recovered or cleaned, and why
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual Backend backend() const = 0;
  virtual const DriverOptions& options() const = 0;
  virtual Fingerprint fingerprint() = 0;
  virtual Result<std::shared_ptr<Jail>> create(const JailSpec& spec) = 0;
  // A handle on an existing jail of the data directory (created by this or another process).
  virtual Result<std::shared_ptr<Jail>> open(std::string_view name) = 0;
  virtual Result<std::vector<JailInfo>> list() = 0;
  // After a restart: re-attaches to every jail still running, cleans up those that died.
  virtual Result<RecoverReport> recover() = 0;
  // Removes what the driver set up for all its jails (the bridge, the nftables table, the
  // cgroup parent) when no jail uses them any more. For tests and uninstalls.
  virtual Result<void> teardown() = 0;
};

Result<std::unique_ptr<Driver>> make_driver(DriverOptions options);

// Signal names as nomad writes them ("SIGTERM"), without the prefix ("TERM") or as numbers.
std::optional<int> parse_signal(std::string_view name);
std::string signal_name(int signal);

}  // namespace warden::jail
