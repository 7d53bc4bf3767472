#include <cstring>
#include <memory>
#include <string>

#include "api.hpp"
#include "job.hpp"
#include "warden/core/json_writer.hpp"
#include "warden/jail/jail.hpp"
#include "warden/job/jobspec.hpp"

struct warden_jail_driver {
  std::unique_ptr<warden::jail::Driver> driver;
};

struct warden_jail {
  std::shared_ptr<warden::jail::Jail> jail;
};

struct warden_jail_process {
  std::unique_ptr<warden::jail::Process> process;
};

struct warden_jail_log_reader {
  warden::jail::LogReader reader;
};

namespace {

using warden::Nanos;
using warden::jail::ExitResult;

std::string str(const char* s) {
  return s ? std::string(s) : std::string();
}

Nanos ms(int64_t v) {
  return v < 0 ? -1 : v * warden::kMillisecond;
}

void write_exit(warden::JsonWriter& w, const std::optional<ExitResult>& e) {
  if (!e) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("ExitCode").integer(e->exit_code);
  w.key("Signal").integer(e->signal);
  w.key("OOMKilled").boolean(e->oom_killed);
  w.key("Error").string(e->error);
  w.key("FinishedAt").integer(e->finished_at_ns);
  w.end_object();
}

void write_info(warden::JsonWriter& w, const warden::jail::JailInfo& i) {
  w.begin_object();
  w.key("Name").string(i.name);
  w.key("Backend").string(warden::jail::backend_name(i.backend));
  w.key("Status").string(warden::jail::status_name(i.status));
  w.key("AllocID").string(i.alloc_id);
  w.key("Task").string(i.task_name);
  w.key("NetworkMode").string(i.network_mode);
  w.key("Address").string(i.address);
  w.key("Ports").begin_object();
  for (const auto& [label, ports] : i.ports) w.key(label).string(ports);
  w.end_object();
  w.key("CreatedAt").integer(i.created_at_ns);
  w.key("Exit");
  write_exit(w, i.exit);
  w.end_object();
}

void fill_exit(warden_jail_exit* out, const std::optional<ExitResult>& e) {
  out->exited = e ? 1 : 0;
  out->exit_code = e ? e->exit_code : 0;
  out->signal = e ? e->signal : 0;
  out->oom_killed = e && e->oom_killed ? 1 : 0;
  out->finished_at_ns = e ? e->finished_at_ns : 0;
}

// "K=V" entries into a map; false (with the bad entry) when one has no '='.
bool pairs(const char* const* items, size_t n, char sep, std::map<std::string, std::string>& out,
           std::string& bad) {
  for (size_t i = 0; i < n; ++i) {
    if (!items || !items[i]) continue;
    std::string kv = items[i];
    size_t at = kv.find(sep);
    if (at == std::string::npos || at == 0) {
      bad = kv;
      return false;
    }
    out[kv.substr(0, at)] = kv.substr(at + 1);
  }
  return true;
}

warden_error* exec_options(warden::jail::ExecOptions& o, const warden_jail_exec_options* opts) {
  WARDEN_REQUIRE(opts && opts->version >= 1,
                 "exec options are missing; use WARDEN_JAIL_EXEC_OPTIONS_INIT");
  WARDEN_REQUIRE(opts->argv && opts->argc > 0, "exec needs a command (argv)");
  for (size_t i = 0; i < opts->argc; ++i) {
    WARDEN_REQUIRE(opts->argv[i], "exec: argv has a NULL entry");
    o.argv.emplace_back(opts->argv[i]);
  }
  std::string bad;
  if (!pairs(opts->env, opts->env_count, '=', o.env, bad))
    return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                    "exec: environment entry \"" + bad + "\" has no '='");
  o.tty = opts->tty != 0;
  if (opts->input) o.input.assign(opts->input, opts->input_len);
  o.timeout = opts->timeout_ms > 0 ? opts->timeout_ms * warden::kMillisecond : 0;
  return nullptr;
}

}  // namespace

extern "C" {

warden_error* warden_jail_driver_open(warden_jail_driver** out,
                                      const warden_jail_driver_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_driver_open: out must not be NULL");
  WARDEN_REQUIRE(opts && opts->version >= 1,
                 "warden_jail_driver_open: options are required (WARDEN_JAIL_DRIVER_OPTIONS_INIT)");
  WARDEN_REQUIRE(opts->data_dir && *opts->data_dir,
                 "warden_jail_driver_open: options.data_dir is required");
  warden::jail::DriverOptions o;
  if (opts->backend) {
    auto b = warden::jail::parse_backend(opts->backend);
    if (!b)
      return warden::capi::make_error(
          WARDEN_ERROR_INVALID_ARGUMENT,
          std::string("unknown jail backend \"") + opts->backend + "\" (linux or pot)");
    o.backend = *b;
  }
  o.data_dir = opts->data_dir;
  if (opts->cgroup_parent) o.cgroup_parent = opts->cgroup_parent;
  if (opts->bridge) o.bridge = opts->bridge;
  if (opts->address_pool) o.address_pool = opts->address_pool;
  if (opts->nft_table) o.nft_table = opts->nft_table;
  if (opts->nft_binary) o.nft_binary = opts->nft_binary;
  if (opts->pids_limit > 0) o.pids_limit = opts->pids_limit;
  o.ip_forward = opts->ip_forward != 0;
  for (size_t i = 0; i < opts->dns_servers_count; ++i) {
    if (opts->dns_servers && opts->dns_servers[i]) o.dns_servers.emplace_back(opts->dns_servers[i]);
  }
  if (opts->pot_binary) o.pot_binary = opts->pot_binary;
  if (opts->warm_pool >= 0) o.warm_pool = opts->warm_pool;
  auto d = warden::jail::make_driver(std::move(o));
  if (!d) return warden::capi::make_error(std::move(d).error());
  *out = new warden_jail_driver{std::move(*d)};
  return nullptr;
  WARDEN_API_END
}

void warden_jail_driver_free(warden_jail_driver* driver) {
  delete driver;
}

warden_error* warden_jail_driver_fingerprint(warden_buf* out, warden_jail_driver* driver) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr, "warden_jail_driver_fingerprint: out must be WARDEN_BUF_INIT");
  WARDEN_REQUIRE(driver, "warden_jail_driver_fingerprint: driver must not be NULL");
  auto f = driver->driver->fingerprint();
  warden::JsonWriter w;
  w.begin_object();
  w.key("Healthy").boolean(f.healthy);
  w.key("Description").string(f.description);
  w.key("Version").string(f.version);
  w.key("Attributes").begin_object();
  for (const auto& [k, v] : f.attributes) w.key(k).string(v);
  w.end_object();
  w.end_object();
  return warden::capi::fill_buf(out, w.str());
  WARDEN_API_END
}

warden_error* warden_jail_driver_list(warden_buf* out, warden_jail_driver* driver) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr, "warden_jail_driver_list: out must be WARDEN_BUF_INIT");
  WARDEN_REQUIRE(driver, "warden_jail_driver_list: driver must not be NULL");
  auto list = driver->driver->list();
  if (!list) return warden::capi::make_error(std::move(list).error());
  warden::JsonWriter w;
  w.begin_array();
  for (const auto& i : *list) write_info(w, i);
  w.end_array();
  return warden::capi::fill_buf(out, w.str());
  WARDEN_API_END
}

warden_error* warden_jail_driver_recover(warden_buf* out, warden_jail_driver* driver) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr, "warden_jail_driver_recover: out must be WARDEN_BUF_INIT");
  WARDEN_REQUIRE(driver, "warden_jail_driver_recover: driver must not be NULL");
  auto r = driver->driver->recover();
  if (!r) return warden::capi::make_error(std::move(r).error());
  warden::JsonWriter w;
  w.begin_object();
  w.key("Running").begin_array();
  for (const auto& n : r->running) w.string(n);
  w.end_array();
  w.key("Cleaned").begin_array();
  for (const auto& [name, e] : r->cleaned) {
    w.begin_object();
    w.key("Name").string(name);
    w.key("ExitCode").integer(e.exit_code);
    w.key("Signal").integer(e.signal);
    w.key("OOMKilled").boolean(e.oom_killed);
    w.key("Error").string(e.error);
    w.end_object();
  }
  w.end_array();
  w.key("Created").begin_array();
  for (const auto& n : r->created) w.string(n);
  w.end_array();
  w.key("Errors").begin_array();
  for (const auto& n : r->errors) w.string(n);
  w.end_array();
  w.end_object();
  return warden::capi::fill_buf(out, w.str());
  WARDEN_API_END
}

warden_error* warden_jail_driver_teardown(warden_jail_driver* driver) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(driver, "warden_jail_driver_teardown: driver must not be NULL");
  if (auto r = driver->driver->teardown(); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_create(warden_jail** out, warden_jail_driver* driver,
                                 const warden_job* job, size_t group, size_t task,
                                 const warden_jail_spec* spec) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_create: out must not be NULL");
  WARDEN_REQUIRE(driver, "warden_jail_create: driver must not be NULL");
  WARDEN_REQUIRE(spec && spec->version >= 1,
                 "warden_jail_create: a spec is required (WARDEN_JAIL_SPEC_INIT)");
  WARDEN_REQUIRE(spec->alloc_id && *spec->alloc_id,
                 "warden_jail_create: spec.alloc_id is required");
  warden::jail::JailSpec s;
  if (job) {
    const auto& groups = job->job.task_groups;
    if (!groups || group >= groups->size() || !(*groups)[group].tasks ||
        task >= (*groups)[group].tasks->size())
      return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                      "warden_jail_create: no task " + std::to_string(task) +
                                          " in group " + std::to_string(group));
    auto r = warden::jail::spec_from_task((*(*groups)[group].tasks)[task], spec->alloc_id);
    if (!r) return warden::capi::make_error(std::move(r).error());
    s = std::move(*r);
  } else {
    WARDEN_REQUIRE(spec->task_name && *spec->task_name,
                   "warden_jail_create: spec.task_name is required without a job");
    WARDEN_REQUIRE(spec->config_json,
                   "warden_jail_create: spec.config_json is required without a job");
    auto c = warden::jail::decode_config_json(
        std::string_view(spec->config_json, spec->config_json_len));
    if (!c) return warden::capi::make_error(std::move(c).error());
    s.config = std::move(*c);
    s.alloc_id = spec->alloc_id;
  }
  if (spec->task_name) s.task_name = spec->task_name;
  s.invocation = str(spec->invocation);
  s.rootfs = str(spec->rootfs);
  s.task_dir = str(spec->task_dir);
  s.log_dir = str(spec->log_dir);
  std::string bad;
  if (!pairs(spec->env, spec->env_count, '=', s.env, bad))
    return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                    "environment entry \"" + bad + "\" has no '='");
  std::map<std::string, std::string> ports;
  if (!pairs(spec->host_ports, spec->host_ports_count, '=', ports, bad))
    return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                    "host port \"" + bad + "\" must be label=port");
  for (const auto& [label, port] : ports) {
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end || p < 1 || p > 65535)
      return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                      "host port \"" + label + "=" + port + "\" is not a port");
    s.host_ports[label] = uint16_t(p);
  }
  if (spec->cpu_mhz > 0) s.resources.cpu_mhz = spec->cpu_mhz;
  if (spec->memory_mb > 0) s.resources.memory_mb = spec->memory_mb;
  if (spec->memory_max_mb > 0) s.resources.memory_max_mb = spec->memory_max_mb;
  if (spec->pids_limit > 0) s.resources.pids_limit = spec->pids_limit;
  if (spec->kill_timeout_ms > 0) s.kill_timeout = spec->kill_timeout_ms * warden::kMillisecond;
  if (spec->kill_signal) s.kill_signal = spec->kill_signal;
  if (spec->log_max_files > 0) s.logs.max_files = spec->log_max_files;
  if (spec->log_max_file_size_mb > 0) s.logs.max_file_size_mb = spec->log_max_file_size_mb;
  if (spec->default_command) s.default_command = spec->default_command;
  auto j = driver->driver->create(s);
  if (!j) return warden::capi::make_error(std::move(j).error());
  *out = new warden_jail{std::move(*j)};
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_open(warden_jail** out, warden_jail_driver* driver, const char* name,
                               size_t len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_open: out must not be NULL");
  WARDEN_REQUIRE(driver, "warden_jail_open: driver must not be NULL");
  WARDEN_REQUIRE(name || len == 0, "warden_jail_open: name must not be NULL");
  auto j = driver->driver->open(std::string_view(name ? name : "", len));
  if (!j) return warden::capi::make_error(std::move(j).error());
  *out = new warden_jail{std::move(*j)};
  return nullptr;
  WARDEN_API_END
}

void warden_jail_free(warden_jail* jail) {
  delete jail;
}

const char* warden_jail_name(const warden_jail* jail) {
  return jail ? jail->jail->name().c_str() : nullptr;
}

warden_jail_status warden_jail_get_status(warden_jail* jail) {
  try {
    if (!jail) return WARDEN_JAIL_EXITED;
    switch (jail->jail->status()) {
      case warden::jail::JailStatus::created:
        return WARDEN_JAIL_CREATED;
      case warden::jail::JailStatus::running:
        return WARDEN_JAIL_RUNNING;
      case warden::jail::JailStatus::exited:
        return WARDEN_JAIL_EXITED;
    }
  } catch (...) {
  }
  return WARDEN_JAIL_EXITED;
}

warden_error* warden_jail_info(warden_buf* out, warden_jail* jail) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr, "warden_jail_info: out must be WARDEN_BUF_INIT");
  WARDEN_REQUIRE(jail, "warden_jail_info: jail must not be NULL");
  warden::JsonWriter w;
  write_info(w, jail->jail->info());
  return warden::capi::fill_buf(out, w.str());
  WARDEN_API_END
}

warden_error* warden_jail_state(warden_buf* out, warden_jail* jail) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr, "warden_jail_state: out must be WARDEN_BUF_INIT");
  WARDEN_REQUIRE(jail, "warden_jail_state: jail must not be NULL");
  return warden::capi::fill_buf(out, jail->jail->state_json());
  WARDEN_API_END
}

warden_error* warden_jail_start(warden_jail* jail) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(jail, "warden_jail_start: jail must not be NULL");
  if (auto r = jail->jail->start(); !r) return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_wait(warden_jail_exit* out, warden_jail* jail, int64_t timeout_ms) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && out->version >= 1, "warden_jail_wait: out must be WARDEN_JAIL_EXIT_INIT");
  WARDEN_REQUIRE(jail, "warden_jail_wait: jail must not be NULL");
  auto r = jail->jail->wait(ms(timeout_ms));
  if (!r) return warden::capi::make_error(std::move(r).error());
  fill_exit(out, *r);
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_signal(warden_jail* jail, const char* signal) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(jail, "warden_jail_signal: jail must not be NULL");
  WARDEN_REQUIRE(signal, "warden_jail_signal: signal must not be NULL");
  if (auto r = jail->jail->signal(signal); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_stop(warden_jail* jail, const char* signal, int64_t timeout_ms) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(jail, "warden_jail_stop: jail must not be NULL");
  if (auto r = jail->jail->stop(signal ? signal : "", ms(timeout_ms)); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_destroy(warden_jail* jail, int force) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(jail, "warden_jail_destroy: jail must not be NULL");
  if (auto r = jail->jail->destroy(force != 0); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_get_stats(warden_jail_stats* out, warden_jail* jail) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && out->version >= 1,
                 "warden_jail_get_stats: out must be WARDEN_JAIL_STATS_INIT");
  WARDEN_REQUIRE(jail, "warden_jail_get_stats: jail must not be NULL");
  auto s = jail->jail->stats();
  if (!s) return warden::capi::make_error(std::move(s).error());
  out->memory_rss = s->memory_rss;
  out->memory_cache = s->memory_cache;
  out->memory_swap = s->memory_swap;
  out->memory_usage = s->memory_usage;
  out->memory_max_usage = s->memory_max_usage;
  out->cpu_total_ns = s->cpu_total_ns;
  out->cpu_user_ns = s->cpu_user_ns;
  out->cpu_system_ns = s->cpu_system_ns;
  out->cpu_percent = s->cpu_percent;
  out->pids = s->pids;
  out->timestamp_ns = s->timestamp_ns;
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_exec(warden_jail_exec_result* out, warden_jail* jail,
                               const warden_jail_exec_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && out->version >= 1 && !out->out_data.ptr && !out->err_data.ptr,
                 "warden_jail_exec: out must be WARDEN_JAIL_EXEC_RESULT_INIT");
  WARDEN_REQUIRE(jail, "warden_jail_exec: jail must not be NULL");
  warden::jail::ExecOptions o;
  if (warden_error* err = exec_options(o, opts)) return err;
  auto r = jail->jail->exec(o);
  if (!r) return warden::capi::make_error(std::move(r).error());
  if (warden_error* err = warden::capi::fill_buf(&out->out_data, r->stdout_data)) return err;
  if (warden_error* err = warden::capi::fill_buf(&out->err_data, r->stderr_data)) {
    warden_buf_dispose(&out->out_data);
    return err;
  }
  out->exit_code = r->exit_code;
  out->signal = r->signal;
  out->timed_out = r->timed_out ? 1 : 0;
  return nullptr;
  WARDEN_API_END
}

void warden_jail_exec_result_dispose(warden_jail_exec_result* result) {
  if (!result) return;
  warden_buf_dispose(&result->out_data);
  warden_buf_dispose(&result->err_data);
}

warden_error* warden_jail_exec_start(warden_jail_process** out, warden_jail* jail,
                                     const warden_jail_exec_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_exec_start: out must not be NULL");
  WARDEN_REQUIRE(jail, "warden_jail_exec_start: jail must not be NULL");
  warden::jail::ExecOptions o;
  if (warden_error* err = exec_options(o, opts)) return err;
  auto p = jail->jail->exec_interactive(o);
  if (!p) return warden::capi::make_error(std::move(p).error());
  *out = new warden_jail_process{std::move(*p)};
  return nullptr;
  WARDEN_API_END
}

int warden_jail_process_fd(const warden_jail_process* process, int which) {
  if (!process) return -1;
  switch (which) {
    case 0:
      return process->process->in_fd();
    case 1:
      return process->process->out_fd();
    case 2:
      return process->process->err_fd();
    default:
      return -1;
  }
}

void warden_jail_process_close_stdin(warden_jail_process* process) {
  if (process) process->process->close_in();
}

warden_error* warden_jail_process_resize(warden_jail_process* process, uint16_t rows,
                                         uint16_t cols) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(process, "warden_jail_process_resize: process must not be NULL");
  if (auto r = process->process->resize(rows, cols); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_process_signal(warden_jail_process* process, const char* signal) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(process && signal, "warden_jail_process_signal: process and signal are required");
  if (auto r = process->process->signal(signal); !r)
    return warden::capi::make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_process_wait(warden_jail_exit* out, warden_jail_process* process,
                                       int64_t timeout_ms) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && out->version >= 1,
                 "warden_jail_process_wait: out must be WARDEN_JAIL_EXIT_INIT");
  WARDEN_REQUIRE(process, "warden_jail_process_wait: process must not be NULL");
  auto r = process->process->wait(ms(timeout_ms));
  if (!r) return warden::capi::make_error(std::move(r).error());
  fill_exit(out, *r);
  return nullptr;
  WARDEN_API_END
}

void warden_jail_process_free(warden_jail_process* process) {
  delete process;
}

warden_error* warden_jail_log_reader_open(warden_jail_log_reader** out, warden_jail* jail,
                                          warden_jail_log_stream stream, uint64_t offset) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_log_reader_open: out must not be NULL");
  WARDEN_REQUIRE(jail, "warden_jail_log_reader_open: jail must not be NULL");
  WARDEN_REQUIRE(stream == WARDEN_JAIL_LOG_STDOUT || stream == WARDEN_JAIL_LOG_STDERR,
                 "warden_jail_log_reader_open: stream must be stdout or stderr");
  auto r = jail->jail->logs(stream == WARDEN_JAIL_LOG_STDOUT ? warden::jail::LogStream::out
                                                             : warden::jail::LogStream::err,
                            offset);
  if (!r) return warden::capi::make_error(std::move(r).error());
  *out = new warden_jail_log_reader{std::move(*r)};
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_jail_log_reader_read(size_t* out, warden_jail_log_reader* reader, char* buf,
                                          size_t cap, int follow, int64_t timeout_ms) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_jail_log_reader_read: out must not be NULL");
  WARDEN_REQUIRE(reader, "warden_jail_log_reader_read: reader must not be NULL");
  WARDEN_REQUIRE(buf || cap == 0, "warden_jail_log_reader_read: buf must not be NULL");
  auto n = reader->reader.read(buf, cap, follow != 0, ms(timeout_ms));
  if (!n) return warden::capi::make_error(std::move(n).error());
  *out = *n;
  return nullptr;
  WARDEN_API_END
}

int warden_jail_log_reader_at_end(const warden_jail_log_reader* reader) {
  return reader && reader->reader.at_end() ? 1 : 0;
}

uint64_t warden_jail_log_reader_offset(const warden_jail_log_reader* reader) {
  return reader ? reader->reader.offset() : 0;
}

void warden_jail_log_reader_free(warden_jail_log_reader* reader) {
  delete reader;
}

}  // extern "C"
