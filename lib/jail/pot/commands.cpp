#include <simdjson.h>

#include "../util.hpp"
#include "warden/jail/pot.hpp"

namespace warden::jail::pot {

Result<Commands> commands(const JailSpec& spec) {
  const PotConfig& c = spec.config;
  if (spec.invocation.empty()) return Error(ErrorCode::internal, "pot commands need an invocation");
  if (!c.args.empty() && c.command.empty())
    return Error(ErrorCode::invalid_job, "command can not be empty if arguments are provided");
  Commands out;
  out.name = jail_name(spec.task_name, spec.invocation, spec.alloc_id);
  const std::string& name = out.name;

  Argv& p = out.prepare;
  p = {"prepare", "-U", c.image, "-p", c.pot, "-t", c.tag};
  // nomad-pot-driver quotes the command line; pot's set-cmd strips the quotes again.
  if (!c.command.empty()) p.insert(p.end(), {"-c", "\"" + command_line(c) + "\""});
  if (!c.network_mode.empty()) {
    p.insert(p.end(), {"-N", c.network_mode});
  } else if (!c.port_map.empty()) {
    p.insert(p.end(), {"-N", "public-bridge", "-i", "auto"});
  }
  if (c.network_mode != "host") {
    for (const auto& pm : c.port_map) {
      auto it = spec.host_ports.find(pm.label);
      if (it == spec.host_ports.end())
        return Error(ErrorCode::invalid_argument,
                     "port_map label \"" + pm.label + "\" has no host port in the allocation");
      p.insert(p.end(), {"-e", std::to_string(pm.jail_port) + ":" + std::to_string(it->second)});
    }
  }
  p.insert(p.end(), {"-a", spec.invocation + "_" + spec.alloc_id, "-n", spec.task_name, "-v"});

  for (const auto& a : c.attributes)
    out.setup.push_back({"set-attribute", "-p", name, "-A", a.key, "-V", a.value});
  for (const auto& cp : c.copy)
    out.setup.push_back({"copy-in", "-p", name, "-s", cp.source, "-d", cp.destination});
  if (!spec.task_dir.empty()) {
    out.setup.push_back({"mount-in", "-p", name, "-d", spec.task_dir + "/local", "-m", "/local"});
    out.setup.push_back(
        {"mount-in", "-p", name, "-d", spec.task_dir + "/secrets", "-m", "/secrets"});
  }
  for (const auto& m : c.mount)
    out.setup.push_back({"mount-in", "-p", name, "-d", m.source, "-m", m.destination});
  for (const auto& m : c.mount_read_only)
    out.setup.push_back({"mount-in", "-p", name, "-d", m.source, "-m", m.destination, "-r"});
  if (!spec.env.empty()) {
    Argv env = {"set-env", "-p", name};
    for (const auto& [k, v] : spec.env) env.insert(env.end(), {"-E", k + "=" + v});
    out.setup.push_back(std::move(env));
  }
  if (!c.extra_hosts.empty()) {
    Argv hosts = {"set-hosts", "-p", name};
    for (const auto& h : c.extra_hosts) hosts.insert(hosts.end(), {"-H", h});
    out.setup.push_back(std::move(hosts));
  }
  out.setup.push_back(
      {"set-rss", "-M", std::to_string(spec.resources.memory_mb) + "M", "-p", name});

  out.start = {"start", name};
  out.stop = {"stop", name};
  out.destroy = {"destroy", "-p", name, "-F"};
  out.get_rss = {"get-rss", "-p", name, "-J"};
  out.last_run_stats = {"last-run-stats", "-p", name};
  return out;
}

Argv signal_command(const std::string& name, const std::string& signal_name) {
  return {"signal", "-s", signal_name, "-p", name};
}

Argv exec_command(const std::string& name, const std::vector<std::string>& argv) {
  Argv out = {"exec", "-p", name};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

Argv version_command() {
  return {"version"};
}

Result<int> parse_last_run_stats(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::object obj;
  if (parser.parse(padded).get_object().get(obj))
    return Error(ErrorCode::syntax, "pot last-run-stats printed no JSON object");
  int64_t code = 0;
  if (obj["ExitCode"].get_int64().get(code))
    return Error(ErrorCode::not_found, "pot last-run-stats has no ExitCode");
  return int(code);
}

Result<Stats> parse_get_rss(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root))
    return Error(ErrorCode::syntax, "pot get-rss printed no JSON");
  Stats s;
  auto number = [](simdjson::dom::element e) -> double {
    double d = 0;
    if (!e.get_double().get(d)) return d;
    int64_t i = 0;
    if (!e.get_int64().get(i)) return double(i);
    return 0;
  };
  simdjson::dom::element v;
  if (!root.at_pointer("/ResourceUsage/MemoryStats/RSS").get(v)) s.memory_rss = uint64_t(number(v));
  if (!root.at_pointer("/ResourceUsage/MemoryStats/Swap").get(v))
    s.memory_swap = uint64_t(number(v));
  if (!root.at_pointer("/ResourceUsage/CpuStats/Percent").get(v)) s.cpu_percent = number(v);
  s.memory_usage = s.memory_rss;
  s.timestamp_ns = detail::wall_ns();
  return s;
}

}  // namespace warden::jail::pot
