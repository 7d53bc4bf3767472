#include <signal.h>

#include "backends.hpp"
#include "util.hpp"
#include "warden/jail/jail.hpp"
#include "warden/job/model.hpp"

namespace warden::jail {

const char* backend_name(Backend b) {
  return b == Backend::pot ? "pot" : "linux";
}

std::optional<Backend> parse_backend(std::string_view name) {
  if (name == "linux") return Backend::linux_native;
  if (name == "pot") return Backend::pot;
  return std::nullopt;
}

const char* status_name(JailStatus s) {
  switch (s) {
    case JailStatus::created:
      return "created";
    case JailStatus::running:
      return "running";
    case JailStatus::exited:
      return "exited";
  }
  return "?";
}

std::optional<int> parse_signal(std::string_view name) {
  return detail::signal_number(name);
}

std::string signal_name(int sig) {
  // Probe the table of names: the first name that maps to the number.
  static const char* names[] = {"HUP",    "INT",  "QUIT",  "ILL",  "TRAP", "ABRT", "BUS",  "FPE",
                                "KILL",   "USR1", "SEGV",  "USR2", "PIPE", "ALRM", "TERM", "CHLD",
                                "CONT",   "STOP", "TSTP",  "TTIN", "TTOU", "URG",  "XCPU", "XFSZ",
                                "VTALRM", "PROF", "WINCH", "IO",   "SYS",  "PWR",  "INFO"};
  for (const char* n : names) {
    auto v = detail::signal_number(n);
    if (v && *v == sig) return std::string("SIG") + n;
  }
  return std::to_string(sig);
}

Result<JailSpec> spec_from_task(const job::Task& task, std::string alloc_id) {
  JailSpec spec;
  spec.alloc_id = std::move(alloc_id);
  spec.task_name = task.name;
  if (!task.config)
    return Error(ErrorCode::invalid_job, "task " + task.name + " has no driver config");
  auto config = decode_config(*task.config);
  if (!config) return std::move(config).error();
  spec.config = std::move(*config);
  if (task.resources) {
    if (task.resources->cpu) spec.resources.cpu_mhz = *task.resources->cpu;
    if (task.resources->memory_mb) spec.resources.memory_mb = *task.resources->memory_mb;
    if (task.resources->memory_max_mb)
      spec.resources.memory_max_mb = *task.resources->memory_max_mb;
  }
  if (task.env) {
    for (const auto& [k, v] : *task.env) spec.env[k] = v;
  }
  if (task.log_config) {
    if (task.log_config->max_files) spec.logs.max_files = *task.log_config->max_files;
    if (task.log_config->max_file_size_mb)
      spec.logs.max_file_size_mb = *task.log_config->max_file_size_mb;
  }
  if (task.kill_timeout) spec.kill_timeout = task.kill_timeout->count();
  if (!task.kill_signal.empty()) spec.kill_signal = task.kill_signal;
  return spec;
}

Result<std::unique_ptr<Driver>> make_driver(DriverOptions options) {
  if (options.data_dir.empty())
    return Error(ErrorCode::invalid_argument, "the jail driver needs a data directory");
  while (options.data_dir.size() > 1 && options.data_dir.back() == '/') options.data_dir.pop_back();
  if (auto r = make_dirs(options.data_dir, 0711); !r) return std::move(r).error();
  if (options.backend == Backend::pot) return detail::make_pot_driver(std::move(options));
#if defined(__linux__)
  return detail::make_linux_driver(std::move(options));
#else
  return Error(ErrorCode::unsupported, "the linux backend runs on Linux only");
#endif
}

}  // namespace warden::jail
