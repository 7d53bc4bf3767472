#include "state.hpp"

#include <simdjson.h>

#include "util.hpp"
#include "warden/core/json_writer.hpp"

namespace warden::jail::detail {

std::string to_json(const JailState& s, bool pretty) {
  JsonWriter w(pretty ? "  " : "");
  w.begin_object();
  w.key("Version").integer(s.version);
  w.key("Name").string(s.name);
  w.key("Backend").string(s.backend);
  w.key("Status").string(s.status);
  w.key("AllocID").string(s.alloc_id);
  w.key("Task").string(s.task_name);
  w.key("Invocation").string(s.invocation);
  w.key("CreatedAt").integer(s.created_at_ns);
  w.key("Rootfs").string(s.rootfs);
  w.key("TaskDir").string(s.task_dir);
  w.key("LogDir").string(s.log_dir);
  w.key("LogMaxFiles").integer(s.logs.max_files);
  w.key("LogMaxFileSizeMB").integer(s.logs.max_file_size_mb);
  w.key("KillTimeout").integer(s.kill_timeout_ns);
  w.key("KillSignal").string(s.kill_signal);
  w.key("Env").begin_array();
  for (const auto& e : s.env) w.string(e);
  w.end_array();
  w.key("Command").string(s.command);
  w.key("Mounts").begin_array();
  for (const auto& m : s.mounts) {
    w.begin_object();
    w.key("Source").string(m.source);
    w.key("Destination").string(m.destination);
    w.key("ReadOnly").boolean(m.read_only);
    w.end_object();
  }
  w.end_array();
  w.key("CPU").integer(s.resources.cpu_mhz);
  w.key("MemoryMB").integer(s.resources.memory_mb);
  w.key("MemoryMaxMB").integer(s.resources.memory_max_mb);
  w.key("PidsLimit").integer(s.resources.pids_limit);
  w.key("NetworkMode").string(s.network_mode);
  w.key("Address").string(s.address);
  w.key("Veth").string(s.veth);
  w.key("Ports").begin_array();
  for (const auto& p : s.ports) {
    w.begin_object();
    w.key("Label").string(p.label);
    w.key("Host").integer(p.host);
    w.key("Jail").integer(p.jail);
    w.end_object();
  }
  w.end_array();
  w.key("Cgroups").begin_array();
  for (const auto& c : s.cgroups) w.string(c);
  w.end_array();
  w.key("ShimPid").integer(s.shim_pid);
  w.key("ShimStart").unsigned_integer(s.shim_start);
  w.key("CmdPid").integer(s.cmd_pid);
  w.key("CmdStart").unsigned_integer(s.cmd_start);
  w.key("Exit");
  if (s.exit) {
    w.begin_object();
    w.key("ExitCode").integer(s.exit->exit_code);
    w.key("Signal").integer(s.exit->signal);
    w.key("OOMKilled").boolean(s.exit->oom_killed);
    w.key("Error").string(s.exit->error);
    w.key("FinishedAt").integer(s.exit->finished_at_ns);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
  return w.take();
}

namespace {

struct Reader {
  simdjson::dom::object obj;
  std::string str(const char* k) const {
    std::string_view v;
    if (obj[k].get_string().get(v)) return {};
    return std::string(v);
  }
  int64_t num(const char* k) const {
    int64_t v = 0;
    if (obj[k].get_int64().get(v)) {
      uint64_t u = 0;
      if (!obj[k].get_uint64().get(u)) return int64_t(u);
      return 0;
    }
    return v;
  }
  uint64_t unum(const char* k) const {
    uint64_t v = 0;
    if (obj[k].get_uint64().get(v)) return 0;
    return v;
  }
  bool boolean(const char* k) const {
    bool v = false;
    if (obj[k].get_bool().get(v)) return false;
    return v;
  }
};

}  // namespace

Result<JailState> parse_state(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::object obj;
  if (auto err = parser.parse(padded).get_object().get(obj))
    return Error(ErrorCode::syntax, std::string("jail state: ") + simdjson::error_message(err));
  Reader r{obj};
  JailState s;
  s.version = int(r.num("Version"));
  s.name = r.str("Name");
  s.backend = r.str("Backend");
  s.status = r.str("Status");
  s.alloc_id = r.str("AllocID");
  s.task_name = r.str("Task");
  s.invocation = r.str("Invocation");
  s.created_at_ns = r.num("CreatedAt");
  s.rootfs = r.str("Rootfs");
  s.task_dir = r.str("TaskDir");
  s.log_dir = r.str("LogDir");
  s.logs.max_files = r.num("LogMaxFiles");
  s.logs.max_file_size_mb = r.num("LogMaxFileSizeMB");
  s.kill_timeout_ns = r.num("KillTimeout");
  s.kill_signal = r.str("KillSignal");
  simdjson::dom::array arr;
  if (!obj["Env"].get_array().get(arr)) {
    for (auto e : arr) {
      std::string_view v;
      if (!e.get_string().get(v)) s.env.emplace_back(v);
    }
  }
  s.command = r.str("Command");
  if (!obj["Mounts"].get_array().get(arr)) {
    for (auto e : arr) {
      simdjson::dom::object mo;
      if (e.get_object().get(mo)) continue;
      Reader mr{mo};
      s.mounts.push_back({mr.str("Source"), mr.str("Destination"), mr.boolean("ReadOnly")});
    }
  }
  s.resources.cpu_mhz = r.num("CPU");
  s.resources.memory_mb = r.num("MemoryMB");
  s.resources.memory_max_mb = r.num("MemoryMaxMB");
  s.resources.pids_limit = r.num("PidsLimit");
  s.network_mode = r.str("NetworkMode");
  s.address = r.str("Address");
  s.veth = r.str("Veth");
  if (!obj["Ports"].get_array().get(arr)) {
    for (auto e : arr) {
      simdjson::dom::object po;
      if (e.get_object().get(po)) continue;
      Reader pr{po};
      s.ports.push_back({pr.str("Label"), uint16_t(pr.num("Host")), uint16_t(pr.num("Jail"))});
    }
  }
  if (!obj["Cgroups"].get_array().get(arr)) {
    for (auto e : arr) {
      std::string_view v;
      if (!e.get_string().get(v)) s.cgroups.emplace_back(v);
    }
  }
  s.shim_pid = pid_t(r.num("ShimPid"));
  s.shim_start = r.unum("ShimStart");
  s.cmd_pid = pid_t(r.num("CmdPid"));
  s.cmd_start = r.unum("CmdStart");
  simdjson::dom::object ex;
  if (!obj["Exit"].get_object().get(ex)) {
    Reader er{ex};
    ExitResult e;
    e.exit_code = int(er.num("ExitCode"));
    e.signal = int(er.num("Signal"));
    e.oom_killed = er.boolean("OOMKilled");
    e.error = er.str("Error");
    e.finished_at_ns = er.num("FinishedAt");
    s.exit = e;
  }
  return s;
}

Result<JailState> load_state(const std::string& jail_dir) {
  auto text = read_file(jail_dir + "/state.json");
  if (!text) {
    if (!exists(jail_dir)) return Error(ErrorCode::not_found, "no jail at " + jail_dir);
    return std::move(text).error();
  }
  return parse_state(*text);
}

Result<void> save_state(const std::string& jail_dir, const JailState& s) {
  return write_file_atomic(jail_dir + "/state.json", to_json(s, true) + "\n", 0600);
}

JailStatus parse_status(const std::string& s) {
  if (s == "running") return JailStatus::running;
  if (s == "exited") return JailStatus::exited;
  return JailStatus::created;
}

}  // namespace warden::jail::detail
