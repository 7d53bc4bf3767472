// Semantic checks of a job, with messages that name the group, task and service concerned.
// With the parser's SourceMap, each problem points at the block or attribute that causes it.
#include <set>

#include "warden/job/jobspec.hpp"

namespace warden::job {
namespace {

class Checker {
 public:
  Checker(const SourceMap* sources, Diagnostics& diags) : sources_(sources), diags_(diags) {}

  // Reports at the first of `paths` the source map knows (an attribute, else its block, ...).
  void error(std::string summary, std::string detail, std::initializer_list<std::string> paths) {
    Diagnostic d;
    d.summary = std::move(summary);
    d.detail = std::move(detail);
    if (sources_) {
      d.file = sources_->filename;
      for (const auto& p : paths) {
        if (const Range* r = sources_->find(p)) {
          d.subject = *r;
          break;
        }
      }
    }
    diags_.add(std::move(d));
  }

 private:
  const SourceMap* sources_;
  Diagnostics& diags_;
};

std::string q(const std::string& s) {
  return "\"" + s + "\"";
}
std::string idx(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}
// The path of a field below `base` ("" is the job itself).
std::string at(const std::string& base, const char* field) {
  return base.empty() ? field : base + "." + field;
}

const std::set<std::string> kOperators = {"=",
                                          "==",
                                          "is",
                                          "!=",
                                          "not",
                                          "<",
                                          "<=",
                                          ">",
                                          ">=",
                                          "regexp",
                                          "version",
                                          "semver",
                                          "set_contains",
                                          "set_contains_all",
                                          "set_contains_any",
                                          "distinct_hosts",
                                          "distinct_property",
                                          "is_set",
                                          "is_not_set"};

void check_constraints(Checker& c, const Nullable<std::vector<Constraint>>& cs,
                       const std::string& base, const std::string& where) {
  if (!cs) return;
  for (size_t i = 0; i < cs->size(); ++i) {
    const Constraint& k = (*cs)[i];
    std::string path = idx(at(base, "Constraints"), i);
    if (!kOperators.count(k.operand)) {
      c.error("Invalid constraint",
              "Unknown constraint operator " + q(k.operand) + " in " + where + ".", {path});
    } else if (k.operand != "distinct_hosts" && k.operand != "distinct_property" &&
               k.operand != "is_set" && k.operand != "is_not_set" && k.ltarget.empty() &&
               k.rtarget.empty()) {
      c.error("Invalid constraint",
              "A constraint with operator " + q(k.operand) + " in " + where +
                  " needs an attribute or a value.",
              {path});
    }
  }
}

void check_affinities(Checker& c, const Nullable<std::vector<Affinity>>& as,
                      const std::string& base, const std::string& where) {
  if (!as) return;
  for (size_t i = 0; i < as->size(); ++i) {
    const Affinity& a = (*as)[i];
    std::string path = idx(at(base, "Affinities"), i);
    if (!kOperators.count(a.operand) || a.operand == "distinct_hosts" ||
        a.operand == "distinct_property") {
      c.error("Invalid affinity",
              "Unknown affinity operator " + q(a.operand) + " in " + where + ".", {path});
    }
    if (a.weight && (*a.weight < -100 || *a.weight > 100 || *a.weight == 0)) {
      c.error("Invalid affinity",
              "Affinity weight in " + where +
                  " must be within the range [-100,100] and not 0, not " +
                  std::to_string(*a.weight) + ".",
              {path + ".Weight", path});
    }
  }
}

// Port labels a service in a group may use: the group's network ports, then its tasks' own.
std::set<std::string> port_labels(const TaskGroup& g, const Task* t) {
  std::set<std::string> out;
  auto add = [&](const Nullable<std::vector<NetworkResource>>& nets) {
    if (!nets) return;
    for (const auto& n : *nets) {
      for (const auto* ports : {&n.dynamic_ports, &n.reserved_ports}) {
        if (*ports) {
          for (const auto& p : **ports) out.insert(p.label);
        }
      }
    }
  };
  add(g.networks);
  if (t && t->resources) add(t->resources->networks);
  return out;
}

bool is_number(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

void check_services(Checker& c, const Nullable<std::vector<Service>>& services,
                    const std::string& base, const TaskGroup& g, const Task* t,
                    const std::string& where) {
  if (!services) return;
  std::set<std::string> labels = port_labels(g, t);
  for (size_t i = 0; i < services->size(); ++i) {
    const Service& s = (*services)[i];
    std::string path = idx(at(base, "Services"), i);
    std::string name = s.name.empty() ? "#" + std::to_string(i + 1) : q(s.name);
    if (!s.port_label.empty() && !is_number(s.port_label) && !labels.count(s.port_label)) {
      c.error("Unknown port label",
              "Service " + name + " of " + where + " uses port " + q(s.port_label) +
                  ", but no network of the group defines a port with that label.",
              {path + ".PortLabel", path});
    }
    if (!s.checks) continue;
    for (size_t k = 0; k < s.checks->size(); ++k) {
      const ServiceCheck& ck = (*s.checks)[k];
      std::string cpath = idx(path + ".Checks", k);
      std::string cname = "check " + (ck.name.empty() ? "#" + std::to_string(k + 1) : q(ck.name)) +
                          " of service " + name;
      static const std::set<std::string> kTypes = {"tcp", "http", "script", "grpc"};
      if (!kTypes.count(ck.type)) {
        c.error("Invalid check type",
                "The " + cname + " has type " + q(ck.type) +
                    "; it must be one of \"tcp\", \"http\", \"script\" or \"grpc\".",
                {cpath + ".Type", cpath});
        continue;
      }
      if (ck.interval.count() <= 0) {
        c.error("Missing check interval",
                "The " + ck.type + " " + cname + " needs an interval, such as interval = \"10s\".",
                {cpath + ".Interval", cpath});
      }
      if (ck.timeout.count() <= 0) {
        c.error("Missing check timeout",
                "The " + ck.type + " " + cname + " needs a timeout, such as timeout = \"2s\".",
                {cpath + ".Timeout", cpath});
      }
      if (ck.type == "http" && ck.path.empty()) {
        c.error("Missing check path",
                "The http " + cname + " needs a path, such as path = \"/health\".", {cpath});
      }
      if (ck.type == "script" && ck.command.empty()) {
        c.error("Missing check command", "The script " + cname + " needs a command.", {cpath});
      }
      if (!ck.port_label.empty() && !is_number(ck.port_label) && !labels.count(ck.port_label)) {
        c.error("Unknown port label",
                "The " + cname + " uses port " + q(ck.port_label) +
                    ", but no network of the group defines a port with that label.",
                {cpath + ".PortLabel", cpath});
      }
      if (ck.success_before_passing < 0 || ck.failures_before_critical < 0) {
        c.error(
            "Invalid check thresholds",
            "The " + cname + " has a negative success_before_passing or failures_before_critical.",
            {cpath});
      }
    }
  }
}

const hcl::Value* config_value(const Task& t, const char* key) {
  if (!t.config) return nullptr;
  const hcl::Value* v = t.config->get(key);
  return v && !v->is_null() ? v : nullptr;
}

// The nomad-pot-driver schema: image, pot and tag are required; args need a command.
void check_pot_driver(Checker& c, const Task& t, const TaskGroup& g, const std::string& path,
                      const std::string& where) {
  for (const char* key : {"image", "pot", "tag"}) {
    const hcl::Value* v = config_value(t, key);
    if (!v || v->type().kind() != hcl::Type::Kind::string || v->as_string().empty()) {
      c.error("Invalid pot driver config",
              std::string("The pot driver needs config.") + key + " (a string) in " + where + ".",
              {path + ".Config", path});
    }
  }
  if (config_value(t, "args") && !config_value(t, "command")) {
    c.error("Invalid pot driver config",
            "config.args is set without config.command in " + where +
                ": the pot driver runs \"command args...\".",
            {path + ".Config", path});
  }
  if (const hcl::Value* pm = config_value(t, "port_map")) {
    std::set<std::string> labels = port_labels(g, &t);
    std::vector<const hcl::Value*> maps;
    if (pm->type().is_list_like()) {
      for (const auto& e : pm->elements()) maps.push_back(&e);
    } else {
      maps.push_back(pm);
    }
    for (const hcl::Value* m : maps) {
      for (const auto& [label, port] : m->entries()) {
        if (!labels.count(label)) {
          c.error("Unknown port label",
                  "config.port_map of " + where + " maps " + q(label) +
                      ", but no network of the group defines a port with that label.",
                  {path + ".Config", path});
        }
      }
    }
  }
}

void check_task(Checker& c, const Task& t, const TaskGroup& g, const std::string& path,
                const std::string& where) {
  if (t.driver.empty())
    c.error("Missing task driver", "The " + where + " needs a driver, such as driver = \"pot\".",
            {path});
  if (t.resources) {
    const Resources& r = *t.resources;
    if (r.cpu && *r.cpu < 0)
      c.error("Invalid resources", "CPU of " + where + " must not be negative.",
              {path + ".Resources.CPU", path});
    if (r.memory_mb && *r.memory_mb < 10) {
      c.error("Invalid resources",
              "Memory of " + where + " must be at least 10 MB, not " +
                  std::to_string(*r.memory_mb) + ".",
              {path + ".Resources.MemoryMB", path + ".Resources", path});
    }
    if (r.memory_max_mb && r.memory_mb && *r.memory_max_mb > 0 && *r.memory_max_mb < *r.memory_mb) {
      c.error("Invalid resources",
              "memory_max (" + std::to_string(*r.memory_max_mb) + " MB) of " + where +
                  " is below memory (" + std::to_string(*r.memory_mb) +
                  " MB); it must be at least as large.",
              {path + ".Resources.MemoryMaxMB", path + ".Resources", path});
    }
  }
  if (t.kill_timeout && t.kill_timeout->count() < 0)
    c.error("Invalid kill_timeout", "kill_timeout of " + where + " is negative.",
            {path + ".KillTimeout"});
  if (t.lifecycle && t.lifecycle->hook != "prestart" && t.lifecycle->hook != "poststart" &&
      t.lifecycle->hook != "poststop") {
    c.error("Invalid lifecycle hook",
            "The lifecycle hook of " + where + " is " + q(t.lifecycle->hook) +
                "; it must be \"prestart\", \"poststart\" or \"poststop\".",
            {path + ".Lifecycle.Hook", path + ".Lifecycle"});
  }
  if (t.restart_policy && t.restart_policy->mode && *t.restart_policy->mode != "delay" &&
      *t.restart_policy->mode != "fail") {
    c.error("Invalid restart policy",
            "Restart mode of " + where + " must be \"delay\" or \"fail\", not " +
                q(*t.restart_policy->mode) + ".",
            {path + ".RestartPolicy.Mode", path + ".RestartPolicy"});
  }
  if (t.driver == "pot") check_pot_driver(c, t, g, path, where);
  check_constraints(c, t.constraints, path, where);
  check_affinities(c, t.affinities, path, where);
  check_services(c, t.services, path, g, &t, where);
}

void check_group(Checker& c, const Job& job, const TaskGroup& g, const std::string& path,
                 size_t index) {
  std::string name = g.name ? *g.name : "";
  std::string where = "group " + (name.empty() ? "#" + std::to_string(index + 1) : q(name));
  if (name.empty())
    c.error("Missing group name", "Task group " + std::to_string(index + 1) + " has no name.",
            {path});
  if (g.count && *g.count < 0) {
    c.error(
        "Invalid count",
        "The count of " + where + " must not be negative, not " + std::to_string(*g.count) + ".",
        {path + ".Count", path});
  }
  if (!g.tasks || g.tasks->empty()) c.error("Missing tasks", where + " has no task.", {path});
  std::set<std::string> port_names;
  if (g.networks) {
    for (size_t n = 0; n < g.networks->size(); ++n) {
      const NetworkResource& net = (*g.networks)[n];
      for (const auto* ports : {&net.dynamic_ports, &net.reserved_ports}) {
        if (!*ports) continue;
        for (const auto& p : **ports) {
          if (p.label.empty())
            c.error("Invalid port", "A port of " + where + " has an empty label.",
                    {idx(path + ".Networks", n)});
          if (!port_names.insert(p.label).second) {
            c.error("Duplicate port label",
                    "Port label " + q(p.label) + " is defined twice in " + where + ".",
                    {idx(path + ".Networks", n)});
          }
          if (p.value < 0 || p.value > 65535 || p.to < -1 || p.to > 65535) {
            c.error("Invalid port",
                    "Port " + q(p.label) + " of " + where + " is out of range (0-65535).",
                    {idx(path + ".Networks", n)});
          }
        }
      }
    }
  }
  if (g.reschedule_policy && g.reschedule_policy->delay_function) {
    const std::string& f = *g.reschedule_policy->delay_function;
    if (!f.empty() && f != "constant" && f != "exponential" && f != "fibonacci") {
      c.error("Invalid reschedule policy",
              "delay_function of " + where +
                  " must be \"constant\", \"exponential\" or \"fibonacci\", not " + q(f) + ".",
              {path + ".ReschedulePolicy.DelayFunction", path + ".ReschedulePolicy"});
    }
  }
  if (g.update) {
    if (g.update->max_parallel && *g.update->max_parallel < 0) {
      c.error("Invalid update strategy", "max_parallel of " + where + " must not be negative.",
              {path + ".Update.MaxParallel", path + ".Update"});
    }
    if (g.update->health_check && !g.update->health_check->empty() &&
        *g.update->health_check != "checks" && *g.update->health_check != "task_states" &&
        *g.update->health_check != "manual") {
      c.error("Invalid update strategy",
              "health_check of " + where +
                  " must be \"checks\", \"task_states\" or \"manual\", not " +
                  q(*g.update->health_check) + ".",
              {path + ".Update.HealthCheck", path + ".Update"});
    }
  }
  check_constraints(c, g.constraints, path, where);
  check_affinities(c, g.affinities, path, where);
  check_services(c, g.services, path, g, nullptr, where);
  if (!g.tasks) return;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < g.tasks->size(); ++i) {
    const Task& t = (*g.tasks)[i];
    std::string tpath = idx(path + ".Tasks", i);
    if (t.name.empty()) {
      c.error("Missing task name",
              "Task " + std::to_string(i + 1) + " of " + where + " has no name.", {tpath});
    } else if (auto it = seen.find(t.name); it != seen.end()) {
      c.error("Duplicate task name",
              "Task " + q(t.name) + " is defined twice in " + where + " (tasks " +
                  std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ").",
              {tpath});
    } else {
      seen.emplace(t.name, i);
    }
    check_task(c, t, g, tpath, "task " + q(t.name) + " of " + where);
  }
  (void)job;
}

}  // namespace

Diagnostics validate(const Job& job, const SourceMap* sources) {
  Diagnostics diags;
  Checker c(sources, diags);
  std::string id = job.id.value_or("");
  if (id.empty())
    c.error("Missing job ID", "The job needs an ID (the label of the job block).", {""});
  if (id.find(' ') != std::string::npos)
    c.error("Invalid job ID", "Job ID " + q(id) + " contains a space.", {"ID", ""});
  if (id.find('\0') != std::string::npos)
    c.error("Invalid job ID", "Job ID contains a null character.", {"ID", ""});
  if (job.type) {
    static const std::set<std::string> kTypes = {"service", "batch", "system", "sysbatch"};
    if (!kTypes.count(*job.type)) {
      c.error("Invalid job type",
              "Job type " + q(*job.type) +
                  " is not one of \"service\", \"batch\", \"system\" or \"sysbatch\".",
              {"Type", ""});
    }
  }
  if (job.priority && (*job.priority < 1 || *job.priority > 100)) {
    c.error("Invalid priority",
            "Job priority must be between 1 and 100, not " + std::to_string(*job.priority) + ".",
            {"Priority", ""});
  }
  if (job.periodic && job.type && *job.type != "batch" && *job.type != "sysbatch") {
    c.error("Invalid periodic job",
            "A periodic job must have type \"batch\" or \"sysbatch\", not " + q(*job.type) + ".",
            {"Periodic", ""});
  }
  check_constraints(c, job.constraints, "", "the job");
  check_affinities(c, job.affinities, "", "the job");
  if (!job.task_groups || job.task_groups->empty()) {
    c.error("Missing task groups", "The job has no group (and no task).", {""});
    return diags;
  }
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < job.task_groups->size(); ++i) {
    const TaskGroup& g = (*job.task_groups)[i];
    std::string path = idx("TaskGroups", i);
    std::string name = g.name.value_or("");
    if (!name.empty()) {
      if (auto it = seen.find(name); it != seen.end()) {
        c.error("Duplicate group name",
                "Group " + q(name) + " is defined twice (groups " + std::to_string(it->second + 1) +
                    " and " + std::to_string(i + 1) + ").",
                {path});
      } else {
        seen.emplace(name, i);
      }
    }
    check_group(c, job, g, path, i);
  }
  if (sources) {
    SourceFile src(sources->filename, sources->text);
    src.annotate(diags);
  }
  return diags;
}

}  // namespace warden::job
