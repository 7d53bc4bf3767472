/*
 * warden_jail.h — the jail layer's part of the C ABI. Included by warden.h; include warden.h,
 * not this file. The conventions of warden.h apply.
 *
 * A jail runs one task of an allocation: a job's task with driver "pot" (config { image, pot,
 * tag, command, args, port_map, network_mode, mount, mount_read_only, copy, extra_hosts,
 * attributes }). Two backends run it with the same semantics:
 *   "linux"  namespaces, the unpacked image as a read-only overlay, cgroup limits, a bridge with
 *            NAT and port forwarding; needs root;
 *   "pot"    FreeBSD's pot, run exactly as nomad-pot-driver runs it.
 * A supervisor process outlives the creator: jails keep running (and logging) while the
 * application restarts, and warden_jail_driver_recover() re-attaches to them.
 *
 * Thread safety
 *   A driver and its jails may be used from several threads at once; waiting on a jail in one
 *   thread while another stops it is the intended use. A log reader or a process handle is used
 *   by one thread at a time. Several processes may share a data directory.
 *   The linux backend creates child processes and reaps them by PID: an application must not
 *   reap all its children itself (waitpid(-1) in a SIGCHLD handler) or set SIGCHLD to SIG_IGN.
 */
#ifndef WARDEN_JAIL_H
#define WARDEN_JAIL_H

#include "warden.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- drivers ----------------------------------------------------------------------------- */

/* A jail driver over a data directory. Create with warden_jail_driver_open(); free with
 * warden_jail_driver_free(). Jail handles stay valid after their driver is freed. */
typedef struct warden_jail_driver warden_jail_driver;

#define WARDEN_JAIL_DRIVER_OPTIONS_VERSION 1
typedef struct warden_jail_driver_options {
  unsigned int version; /* WARDEN_JAIL_DRIVER_OPTIONS_VERSION */
  /* "linux" or "pot"; NULL: linux on Linux, pot elsewhere. */
  const char* backend;
  /* Where jails keep their state (persisted handles, overlays, default logs). Required. */
  const char* data_dir;
  /* linux: each jail's cgroup is <hierarchy>/<cgroup_parent>/<name>. NULL: "warden". */
  const char* cgroup_parent;
  /* linux: the public-bridge network — bridge name (NULL: "warden0"), address pool (NULL:
   * "10.192.0.0/10", pot's default; it must not overlap the host's networks) and nftables table
   * (NULL: "warden"). nft_binary (NULL: "nft") is run once, to create the table. */
  const char* bridge;
  const char* address_pool;
  const char* nft_table;
  const char* nft_binary;
  /* linux: the default pids limit of a jail; 0: 4096. */
  int64_t pids_limit;
  /* linux: non-zero turns on net.ipv4.ip_forward with the bridge (outbound NAT, other hosts
   * reaching mapped ports). 1 in WARDEN_JAIL_DRIVER_OPTIONS_INIT. */
  int ip_forward;
  /* linux: name servers of the jails' resolv.conf; none: a copy of the host's. Borrowed. */
  const char* const* dns_servers;
  size_t dns_servers_count;
  /* pot: the pot program. NULL: "/usr/local/bin/pot". */
  const char* pot_binary;
  /* linux, on cgroup v1 and hybrid hosts: how many supervisors to keep ready in spare cgroups,
   * so that starting a jail does not wait for the kernel's grace period of a cgroup v1 move;
   * -1: the default (2), 0: none (e.g. for a one-shot command line tool). */
  int64_t warm_pool;
} warden_jail_driver_options;
#define WARDEN_JAIL_DRIVER_OPTIONS_INIT                                                          \
  {                                                                                              \
    WARDEN_JAIL_DRIVER_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 1, NULL, 0, \
        NULL, -1                                                                                 \
  }

/* Opens a driver (creating the data directory). On success *out receives a driver the caller
 * frees with warden_jail_driver_free(). */
WARDEN_API warden_error* warden_jail_driver_open(warden_jail_driver** out,
                                                 const warden_jail_driver_options* opts);
/* Releases a driver handle (not its jails). Accepts NULL. */
WARDEN_API void warden_jail_driver_free(warden_jail_driver* driver);
/* Whether the driver can run jails here, as JSON: {"Healthy": true, "Description": "...",
 * "Version": "...", "Attributes": {"driver.pot": "true", ...}}. *out must be WARDEN_BUF_INIT;
 * release with warden_buf_dispose(). */
WARDEN_API warden_error* warden_jail_driver_fingerprint(warden_buf* out,
                                                        warden_jail_driver* driver);
/* Every jail of the data directory, as a JSON array of the objects warden_jail_info() gives. */
WARDEN_API warden_error* warden_jail_driver_list(warden_buf* out, warden_jail_driver* driver);
/* After a restart: re-attaches to the jails still running and cleans up those that ended.
 * *out receives {"Running": [names], "Cleaned": [{"Name": ..., "ExitCode": ..., ...}],
 * "Created": [names], "Errors": [messages]}. */
WARDEN_API warden_error* warden_jail_driver_recover(warden_buf* out, warden_jail_driver* driver);
/* Removes the bridge, the nftables table and the cgroup parent, once no jail is left. */
WARDEN_API warden_error* warden_jail_driver_teardown(warden_jail_driver* driver);

/* ---- jails ------------------------------------------------------------------------------- */

/* A handle on one jail. Create with warden_jail_create() or warden_jail_open(); free with
 * warden_jail_free() (which leaves the jail itself as it is). */
typedef struct warden_jail warden_jail;

#define WARDEN_JAIL_SPEC_VERSION 1
/* What a jail needs beyond the task: where it runs. Strings and arrays are borrowed for the call.
 * Numbers left 0 (NULL for strings) keep the task's value, or the default without a job. */
typedef struct warden_jail_spec {
  unsigned int version; /* WARDEN_JAIL_SPEC_VERSION */
  const char* alloc_id; /* required */
  /* The task's name; required without a job. */
  const char* task_name;
  /* Identifies this run of the task (8 hex digits); NULL: generated. The jail's name is
   * "<task>_<invocation>_<alloc_id>". */
  const char* invocation;
  /* The pot driver config as a JSON object, when no job is given. */
  const char* config_json;
  size_t config_json_len;
  /* linux: the unpacked image (the overlay's read-only lower layer). Required for linux. */
  const char* rootfs;
  /* The task directory: its local/ and secrets/ are mounted at /local and /secrets. */
  const char* task_dir;
  /* Where <task>.stdout.N and <task>.stderr.N go; NULL: in the jail's state directory. */
  const char* log_dir;
  /* "KEY=value" entries added to the task's environment. */
  const char* const* env;
  size_t env_count;
  /* "label=port": the allocation's host port for each port_map label. */
  const char* const* host_ports;
  size_t host_ports_count;
  int64_t cpu_mhz;
  int64_t memory_mb;
  int64_t memory_max_mb;
  int64_t pids_limit;
  int64_t kill_timeout_ms;
  const char* kill_signal;
  int64_t log_max_files;
  int64_t log_max_file_size_mb;
  /* linux: what runs when the config has no command; NULL: pot's "sh /etc/rc". */
  const char* default_command;
} warden_jail_spec;
#define WARDEN_JAIL_SPEC_INIT                                                                      \
  {                                                                                                \
    WARDEN_JAIL_SPEC_VERSION, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, 0, \
        0, 0, 0, NULL, 0, 0, NULL                                                                  \
  }

/* Creates a jail (not started) for task `task` of group `group` of `job`, which supplies the
 * config, resources, environment, log policy, kill timeout and kill signal. `job` may be NULL:
 * then spec->config_json and spec->task_name describe the task. On success *out receives a
 * handle the caller frees with warden_jail_free(). Errors: WARDEN_ERROR_INVALID_JOB for a bad
 * config (with diagnostics), WARDEN_ERROR_INVALID_ARGUMENT, WARDEN_ERROR_UNSUPPORTED (e.g. a
 * network mode the backend lacks), WARDEN_ERROR_IO. */
WARDEN_API warden_error* warden_jail_create(warden_jail** out, warden_jail_driver* driver,
                                            const warden_job* job, size_t group, size_t task,
                                            const warden_jail_spec* spec);
/* A handle on an existing jail of the driver's data directory, by name (created by this or
 * another process). WARDEN_ERROR_NOT_FOUND if there is none. */
WARDEN_API warden_error* warden_jail_open(warden_jail** out, warden_jail_driver* driver,
                                          const char* name, size_t len);
/* Releases the handle; the jail keeps running. Accepts NULL. */
WARDEN_API void warden_jail_free(warden_jail* jail);
/* The jail's name. Borrowed: valid until warden_jail_free(jail). */
WARDEN_API const char* warden_jail_name(const warden_jail* jail);

typedef enum warden_jail_status {
  WARDEN_JAIL_CREATED = 0,
  WARDEN_JAIL_RUNNING = 1,
  WARDEN_JAIL_EXITED = 2
} warden_jail_status;
WARDEN_API warden_jail_status warden_jail_get_status(warden_jail* jail);

/* {"Name", "Backend", "Status", "AllocID", "Task", "NetworkMode", "Address",
 *  "Ports": {"label": "host:jail"}, "CreatedAt", "Exit": null or {"ExitCode", "Signal",
 *  "OOMKilled", "Error", "FinishedAt"}} */
WARDEN_API warden_error* warden_jail_info(warden_buf* out, warden_jail* jail);
/* The persisted handle (what recovery reads), as JSON. */
WARDEN_API warden_error* warden_jail_state(warden_buf* out, warden_jail* jail);

WARDEN_API warden_error* warden_jail_start(warden_jail* jail);

#define WARDEN_JAIL_EXIT_VERSION 1
/* How a command ended. Filled by the library; the caller initializes it with
 * WARDEN_JAIL_EXIT_INIT. */
typedef struct warden_jail_exit {
  unsigned int version;   /* WARDEN_JAIL_EXIT_VERSION */
  int exited;             /* 0: still running when the wait timed out */
  int exit_code;          /* 128 + signal when killed by a signal */
  int signal;             /* 0, or the signal that killed it */
  int oom_killed;         /* killed by the memory limit */
  int64_t finished_at_ns; /* wall clock */
} warden_jail_exit;
#define WARDEN_JAIL_EXIT_INIT \
  { WARDEN_JAIL_EXIT_VERSION, 0, 0, 0, 0, 0 }

/* Waits until the jail's command ends, at most timeout_ms (< 0: no limit). out->exited tells
 * whether it did. */
WARDEN_API warden_error* warden_jail_wait(warden_jail_exit* out, warden_jail* jail,
                                          int64_t timeout_ms);
/* Sends a signal ("SIGHUP", "HUP" or a number) to the jail's command. */
WARDEN_API warden_error* warden_jail_signal(warden_jail* jail, const char* signal);
/* Sends `signal` (NULL: the task's kill_signal), then SIGKILL after timeout_ms (< 0: the task's
 * kill_timeout); returns once the command has ended. */
WARDEN_API warden_error* warden_jail_stop(warden_jail* jail, const char* signal,
                                          int64_t timeout_ms);
/* Removes every trace of the jail (processes, mounts, cgroups, links, addresses, forwarding
 * rules, state). A running jail is refused unless `force`, which kills it. The handle must still
 * be freed. */
WARDEN_API warden_error* warden_jail_destroy(warden_jail* jail, int force);

#define WARDEN_JAIL_STATS_VERSION 1
typedef struct warden_jail_stats {
  unsigned int version; /* WARDEN_JAIL_STATS_VERSION */
  uint64_t memory_rss;  /* bytes */
  uint64_t memory_cache;
  uint64_t memory_swap;
  uint64_t memory_usage;
  uint64_t memory_max_usage;
  uint64_t cpu_total_ns;
  uint64_t cpu_user_ns;
  uint64_t cpu_system_ns;
  double cpu_percent; /* since the previous call on this handle */
  uint64_t pids;
  int64_t timestamp_ns;
} warden_jail_stats;
#define WARDEN_JAIL_STATS_INIT \
  { WARDEN_JAIL_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0 }
WARDEN_API warden_error* warden_jail_get_stats(warden_jail_stats* out, warden_jail* jail);

/* ---- exec -------------------------------------------------------------------------------- */

#define WARDEN_JAIL_EXEC_OPTIONS_VERSION 1
typedef struct warden_jail_exec_options {
  unsigned int version; /* WARDEN_JAIL_EXEC_OPTIONS_VERSION */
  /* The command; argv[0] is looked up in the jail's PATH. Borrowed for the call. */
  const char* const* argv;
  size_t argc;
  /* "KEY=value" entries added to the jail's environment. */
  const char* const* env;
  size_t env_count;
  /* Non-zero: a terminal (from the jail's own devpts). */
  int tty;
  /* warden_jail_exec(): written to the command's stdin, which is then closed. */
  const char* input;
  size_t input_len;
  /* warden_jail_exec(): killed after this long; 0: no limit. */
  int64_t timeout_ms;
} warden_jail_exec_options;
#define WARDEN_JAIL_EXEC_OPTIONS_INIT \
  { WARDEN_JAIL_EXEC_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, NULL, 0, 0 }

#define WARDEN_JAIL_EXEC_RESULT_VERSION 1
typedef struct warden_jail_exec_result {
  unsigned int version; /* WARDEN_JAIL_EXEC_RESULT_VERSION */
  int exit_code;
  int signal;
  int timed_out;
  warden_buf out_data; /* what the command wrote to stdout (with a terminal: everything) */
  warden_buf err_data; /* ... and to stderr */
} warden_jail_exec_result;
#define WARDEN_JAIL_EXEC_RESULT_INIT \
  { WARDEN_JAIL_EXEC_RESULT_VERSION, 0, 0, 0, WARDEN_BUF_INIT, WARDEN_BUF_INIT }

/* Runs a command in a running jail and collects its output. Release the result's buffers with
 * warden_jail_exec_result_dispose(). WARDEN_ERROR_NOT_FOUND when the command does not exist in
 * the jail. */
WARDEN_API warden_error* warden_jail_exec(warden_jail_exec_result* out, warden_jail* jail,
                                          const warden_jail_exec_options* opts);
/* Frees the buffers of an exec result and resets them. Accepts NULL. */
WARDEN_API void warden_jail_exec_result_dispose(warden_jail_exec_result* result);

/* An interactive command in a jail; its standard streams are file descriptors owned by the
 * handle. Free with warden_jail_process_free(). */
typedef struct warden_jail_process warden_jail_process;
WARDEN_API warden_error* warden_jail_exec_start(warden_jail_process** out, warden_jail* jail,
                                                const warden_jail_exec_options* opts);
/* The descriptor to write the command's stdin to (which = 0), or to read its stdout (1) or
 * stderr (2) from; -1 if none. With a terminal, 0 and 1 are the terminal and 2 is -1. Owned by
 * the process handle: do not close. */
WARDEN_API int warden_jail_process_fd(const warden_jail_process* process, int which);
/* Closes the command's stdin (not with a terminal: send ^D). */
WARDEN_API void warden_jail_process_close_stdin(warden_jail_process* process);
WARDEN_API warden_error* warden_jail_process_resize(warden_jail_process* process, uint16_t rows,
                                                    uint16_t cols);
WARDEN_API warden_error* warden_jail_process_signal(warden_jail_process* process,
                                                    const char* signal);
WARDEN_API warden_error* warden_jail_process_wait(warden_jail_exit* out,
                                                  warden_jail_process* process, int64_t timeout_ms);
/* Releases the handle; a command still running is killed. Accepts NULL. */
WARDEN_API void warden_jail_process_free(warden_jail_process* process);

/* ---- logs -------------------------------------------------------------------------------- */

typedef enum warden_jail_log_stream {
  WARDEN_JAIL_LOG_STDOUT = 0,
  WARDEN_JAIL_LOG_STDERR = 1
} warden_jail_log_stream;

/* Reads a jail's stdout or stderr from a byte offset (0: from the oldest output kept), across
 * rotated files. Free with warden_jail_log_reader_free(). */
typedef struct warden_jail_log_reader warden_jail_log_reader;
WARDEN_API warden_error* warden_jail_log_reader_open(warden_jail_log_reader** out,
                                                     warden_jail* jail,
                                                     warden_jail_log_stream stream,
                                                     uint64_t offset);
/* Reads up to `cap` bytes into buf; *out receives how many. With `follow`, waits up to
 * timeout_ms (< 0: no limit) for more while the jail runs. *out == 0 means: the end for now, or
 * for good when warden_jail_log_reader_at_end() says so. */
WARDEN_API warden_error* warden_jail_log_reader_read(size_t* out, warden_jail_log_reader* reader,
                                                     char* buf, size_t cap, int follow,
                                                     int64_t timeout_ms);
/* Non-zero once the jail has ended and everything was read. */
WARDEN_API int warden_jail_log_reader_at_end(const warden_jail_log_reader* reader);
/* The offset of the next byte read. */
WARDEN_API uint64_t warden_jail_log_reader_offset(const warden_jail_log_reader* reader);
/* Accepts NULL. */
WARDEN_API void warden_jail_log_reader_free(warden_jail_log_reader* reader);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARDEN_JAIL_H */
