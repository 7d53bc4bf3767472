// Nomad's defaults (api package Canonicalize methods), applied to the fields the job left unset.
#include <filesystem>

#include "warden/job/jobspec.hpp"

namespace warden::job {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

template <class T, class V>
void set_default(Nullable<T>& field, V&& value) {
  if (!field) field = T(std::forward<V>(value));
}

template <class T>
void empty_to_null(Nullable<T>& field) {
  if (field && field->empty()) field.reset();
}

UpdateStrategy default_update() {
  UpdateStrategy u;
  u.stagger = seconds(30);
  u.max_parallel = 1;
  u.health_check = "checks";
  u.min_healthy_time = seconds(10);
  u.healthy_deadline = minutes(5);
  u.progress_deadline = minutes(10);
  u.auto_revert = false;
  u.canary = 0;
  u.auto_promote = false;
  return u;
}

// Copies o's set fields over u (nomad's Merge).
void merge(UpdateStrategy& u, const UpdateStrategy& o) {
  if (o.stagger) u.stagger = o.stagger;
  if (o.max_parallel) u.max_parallel = o.max_parallel;
  if (o.health_check) u.health_check = o.health_check;
  if (o.min_healthy_time) u.min_healthy_time = o.min_healthy_time;
  if (o.healthy_deadline) u.healthy_deadline = o.healthy_deadline;
  if (o.progress_deadline) u.progress_deadline = o.progress_deadline;
  if (o.canary) u.canary = o.canary;
  if (o.auto_revert) u.auto_revert = o.auto_revert;
  if (o.auto_promote) u.auto_promote = o.auto_promote;
}

void canonicalize(UpdateStrategy& u) {
  UpdateStrategy d = default_update();
  merge(d, u);
  u = d;
}

bool empty(const UpdateStrategy& u) {
  auto zero_d = [](const Nullable<Duration>& d) { return !d || d->count() == 0; };
  auto zero_i = [](const Nullable<int64_t>& i) { return !i || *i == 0; };
  auto zero_b = [](const Nullable<bool>& b) { return !b || !*b; };
  return zero_d(u.stagger) && zero_i(u.max_parallel) &&
         (!u.health_check || u.health_check->empty()) && zero_d(u.min_healthy_time) &&
         zero_d(u.healthy_deadline) && zero_d(u.progress_deadline) && zero_i(u.canary) &&
         zero_b(u.auto_revert) && zero_b(u.auto_promote);
}

ReschedulePolicy default_reschedule(const std::string& type) {
  ReschedulePolicy r;
  if (type == "service") {
    r.attempts = 0;
    r.interval = Duration(0);
    r.delay = seconds(30);
    r.delay_function = "exponential";
    r.max_delay = hours(1);
    r.unlimited = true;
  } else if (type == "batch") {
    r.attempts = 1;
    r.interval = hours(24);
    r.delay = seconds(5);
    r.delay_function = "constant";
    r.max_delay = Duration(0);
    r.unlimited = false;
  } else {
    r.attempts = 0;
    r.interval = Duration(0);
    r.delay = Duration(0);
    r.delay_function = "";
    r.max_delay = Duration(0);
    r.unlimited = false;
  }
  return r;
}

void merge(ReschedulePolicy& r, const ReschedulePolicy& o) {
  if (o.interval) r.interval = o.interval;
  if (o.attempts) r.attempts = o.attempts;
  if (o.delay) r.delay = o.delay;
  if (o.delay_function) r.delay_function = o.delay_function;
  if (o.max_delay) r.max_delay = o.max_delay;
  if (o.unlimited) r.unlimited = o.unlimited;
}

void merge(MigrateStrategy& m, const MigrateStrategy& o) {
  if (o.max_parallel) m.max_parallel = o.max_parallel;
  if (o.health_check) m.health_check = o.health_check;
  if (o.min_healthy_time) m.min_healthy_time = o.min_healthy_time;
  if (o.healthy_deadline) m.healthy_deadline = o.healthy_deadline;
}

void merge(RestartPolicy& r, const RestartPolicy& o) {
  if (o.interval) r.interval = o.interval;
  if (o.attempts) r.attempts = o.attempts;
  if (o.delay) r.delay = o.delay;
  if (o.mode) r.mode = o.mode;
  if (o.render_templates) r.render_templates = o.render_templates;
}

RestartPolicy default_restart(const std::string& type) {
  RestartPolicy r;
  bool service = type == "service" || type == "system";
  r.delay = seconds(15);
  r.attempts = service ? 2 : 3;
  r.interval = service ? Duration(minutes(30)) : Duration(hours(24));
  r.mode = "fail";
  r.render_templates = false;
  return r;
}

LogConfig default_log_config() {
  LogConfig l;
  l.max_files = 10;
  l.max_file_size_mb = 10;
  l.disabled = false;
  return l;
}

void canonicalize(LogConfig& l) {
  set_default(l.max_files, 10);
  set_default(l.max_file_size_mb, 10);
  set_default(l.disabled, false);
}

void canonicalize(Resources& r) {
  if (!r.cores) {
    r.cores = 0;
    set_default(r.cpu, 100);
  }
  set_default(r.cpu, 0);
  set_default(r.memory_mb, 300);
  if (r.devices) {
    for (auto& d : *r.devices) {
      set_default(d.count, 1);
      if (d.affinities) {
        for (auto& a : *d.affinities) set_default(a.weight, 50);
      }
    }
  }
  if (r.numa) {
    if (r.numa->affinity.empty()) r.numa->affinity = "none";
    empty_to_null(r.numa->devices);
  }
}

Resources default_resources() {
  Resources r;
  r.cpu = 100;
  r.cores = 0;
  r.memory_mb = 300;
  return r;
}

void canonicalize(CheckRestart& c) {
  set_default(c.grace, seconds(1));
}

// CheckRestart.Merge: the service's settings, overridden by the check's own.
Nullable<CheckRestart> merge(const Nullable<CheckRestart>& service,
                             const Nullable<CheckRestart>& check) {
  if (!service) return check;
  CheckRestart out = *service;
  if (!check) return out;
  if (check->limit > 0) out.limit = check->limit;
  if (check->grace) out.grace = check->grace;
  if (check->ignore_warnings) out.ignore_warnings = true;
  return out;
}

void canonicalize(ConsulProxy& p) {
  if (p.expose) {
    empty_to_null(p.expose->paths);
    empty_to_null(p.expose->path);
  }
  empty_to_null(p.upstreams);
  if (p.transparent_proxy) {
    empty_to_null(p.transparent_proxy->exclude_inbound_ports);
    empty_to_null(p.transparent_proxy->exclude_outbound_ports);
    empty_to_null(p.transparent_proxy->exclude_outbound_cidrs);
    empty_to_null(p.transparent_proxy->exclude_uids);
  }
  if (p.upstreams) {
    for (auto& u : *p.upstreams) {
      if (u.config && u.config->length() == 0) u.config.reset();
    }
  }
  if (p.config && p.config->length() == 0) p.config.reset();
}

void canonicalize(ConsulConnect& c) {
  if (c.sidecar_service) {
    empty_to_null(c.sidecar_service->tags);
    empty_to_null(c.sidecar_service->meta);
    if (c.sidecar_service->proxy) canonicalize(*c.sidecar_service->proxy);
  }
  if (c.sidecar_task) {
    SidecarTask& t = *c.sidecar_task;
    if (t.config && t.config->length() == 0) t.config.reset();
    empty_to_null(t.env);
    empty_to_null(t.meta);
    if (!t.resources) {
      t.resources = default_resources();
    } else {
      canonicalize(*t.resources);
    }
    if (!t.log_config) {
      t.log_config = default_log_config();
    } else {
      canonicalize(*t.log_config);
    }
    set_default(t.kill_timeout, seconds(5));
    set_default(t.shutdown_delay, Duration(0));
  }
  if (c.gateway) {
    if (c.gateway->proxy) {
      set_default(c.gateway->proxy->connect_timeout, seconds(5));
      empty_to_null(c.gateway->proxy->envoy_gateway_bind_addresses);
      if (c.gateway->proxy->config && c.gateway->proxy->config->length() == 0)
        c.gateway->proxy->config.reset();
    }
    if (c.gateway->ingress) {
      empty_to_null(c.gateway->ingress->listeners);
      if (c.gateway->ingress->listeners) {
        for (auto& l : *c.gateway->ingress->listeners) {
          if (l.protocol.empty()) l.protocol = "tcp";
          empty_to_null(l.services);
        }
      }
    }
    if (c.gateway->terminating) empty_to_null(c.gateway->terminating->services);
  }
}

void canonicalize(Service& s, const Task* t, const TaskGroup& g, const Job& job) {
  if (s.name.empty()) {
    s.name = *job.name + "-" + *g.name;
    if (t) s.name += "-" + t->name;
  }
  if (s.address_mode.empty()) s.address_mode = "auto";
  if (s.on_update.empty()) s.on_update = "require_healthy";
  if (s.provider.empty()) s.provider = "consul";
  if (s.cluster.empty()) s.cluster = "default";
  empty_to_null(s.meta);
  empty_to_null(s.canary_meta);
  empty_to_null(s.tagged_addresses);
  if (s.connect) canonicalize(*s.connect);
  if (s.weights) {
    if (s.weights->passing <= 0) s.weights->passing = 1;
    if (s.weights->warning <= 0) s.weights->warning = 1;
  }
  if (s.checks) {
    for (ServiceCheck& c : *s.checks) {
      c.check_restart = merge(s.check_restart, c.check_restart);
      if (c.check_restart) canonicalize(*c.check_restart);
      if (c.success_before_passing < 0) c.success_before_passing = 0;
      if (c.failures_before_critical < 0) c.failures_before_critical = 0;
      if (c.failures_before_warning < 0) c.failures_before_warning = 0;
      if (c.on_update.empty()) c.on_update = s.on_update;
    }
  }
}

void canonicalize(TaskArtifact& a) {
  set_default(a.getter_mode, "any");
  set_default(a.getter_insecure, false);
  set_default(a.getter_source, "");
  empty_to_null(a.getter_options);
  empty_to_null(a.getter_headers);
  if (!a.relative_dest) {
    if (*a.getter_mode == "file") {
      a.relative_dest =
          (std::filesystem::path("local") / std::filesystem::path(*a.getter_source).filename())
              .string();
    } else {
      a.relative_dest = "local/";
    }
  }
}

void canonicalize(Template& t) {
  set_default(t.source_path, "");
  set_default(t.dest_path, "");
  set_default(t.embedded_tmpl, "");
  set_default(t.change_mode, "restart");
  if (!t.change_signal) {
    t.change_signal = *t.change_mode == "signal" ? "SIGHUP" : "";
  } else {
    for (char& c : *t.change_signal)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (t.change_script) {
    set_default(t.change_script->command, "");
    if (!t.change_script->args) t.change_script->args.emplace();
    set_default(t.change_script->timeout, seconds(5));
    set_default(t.change_script->fail_on_error, false);
  }
  set_default(t.once, false);
  set_default(t.splay, seconds(5));
  set_default(t.perms, "0644");
  set_default(t.left_delim, "{{");
  set_default(t.right_delim, "}}");
  set_default(t.envvars, false);
  set_default(t.err_missing_key, false);
  set_default(t.vault_grace, Duration(0));
}

void canonicalize(Vault& v) {
  set_default(v.env, true);
  set_default(v.disable_file, false);
  set_default(v.namespace_, "");
  if (v.cluster.empty()) v.cluster = "default";
  set_default(v.change_mode, "restart");
  set_default(v.change_signal, "SIGHUP");
  set_default(v.allow_token_expiration, false);
}

void canonicalize(Task& t, const TaskGroup& g, const Job& job) {
  if (!t.resources) t.resources.emplace();
  canonicalize(*t.resources);
  set_default(t.kill_timeout, seconds(5));
  if (!t.log_config) {
    t.log_config = default_log_config();
  } else {
    canonicalize(*t.log_config);
  }
  if (t.artifacts) {
    for (auto& a : *t.artifacts) canonicalize(a);
  }
  if (t.vault) canonicalize(*t.vault);
  if (t.consul && t.consul->cluster.empty()) t.consul->cluster = "default";
  if (t.templates) {
    for (auto& tpl : *t.templates) canonicalize(tpl);
  }
  if (t.secrets) {
    for (auto& s : *t.secrets) {
      if (s.config && s.config->length() == 0) s.config.reset();
      empty_to_null(s.env);
    }
  }
  if (t.services) {
    for (auto& s : *t.services) canonicalize(s, &t, g, job);
  }
  if (t.affinities) {
    for (auto& a : *t.affinities) set_default(a.weight, 50);
  }
  if (t.volume_mounts) {
    for (auto& vm : *t.volume_mounts) {
      set_default(vm.propagation_mode, "private");
      set_default(vm.read_only, false);
      set_default(vm.selinux_label, "");
    }
  }
  if (t.csi_plugin_config) {
    if (t.csi_plugin_config->mount_dir.empty()) t.csi_plugin_config->mount_dir = "/csi";
    if (t.csi_plugin_config->stage_publish_base_dir.empty())
      t.csi_plugin_config->stage_publish_base_dir = "/local/csi";
    if (t.csi_plugin_config->health_timeout.count() == 0)
      t.csi_plugin_config->health_timeout = seconds(30);
  }
  if (!t.restart_policy) {
    t.restart_policy = g.restart_policy;
  } else {
    RestartPolicy r = *g.restart_policy;
    merge(r, *t.restart_policy);
    t.restart_policy = r;
  }
}

void canonicalize(TaskGroup& g, const Job& job) {
  const std::string& type = *job.type;
  set_default(g.name, "");
  if (!g.count) g.count = g.scaling && g.scaling->min ? *g.scaling->min : 1;
  if (g.scaling) {
    set_default(g.scaling->enabled, true);
    set_default(g.scaling->min, *g.count);
    if (g.scaling->type.empty()) g.scaling->type = "horizontal";
  }
  if (!g.ephemeral_disk) g.ephemeral_disk.emplace();
  set_default(g.ephemeral_disk->sticky, false);
  set_default(g.ephemeral_disk->migrate, false);
  set_default(g.ephemeral_disk->size_mb, 300);
  if (g.consul) {
    if (g.consul->namespace_.empty() && job.consul_namespace)
      g.consul->namespace_ = *job.consul_namespace;
    if (g.consul->cluster.empty()) g.consul->cluster = "default";
  }

  if (job.update && g.update) {
    UpdateStrategy u = *job.update;
    merge(u, *g.update);
    g.update = u;
  } else if (job.update && !empty(*job.update)) {
    g.update = job.update;
  }
  if (g.update) canonicalize(*g.update);

  if (job.reschedule && g.reschedule_policy) {
    ReschedulePolicy r = *job.reschedule;
    merge(r, *g.reschedule_policy);
    g.reschedule_policy = r;
  } else if (job.reschedule) {
    g.reschedule_policy = job.reschedule;
  }
  if (!g.reschedule_policy && type != "sysbatch" && type != "system")
    g.reschedule_policy = default_reschedule(type);
  if (g.reschedule_policy) {
    ReschedulePolicy d = default_reschedule(type);
    merge(d, *g.reschedule_policy);
    g.reschedule_policy = d;
  }

  if (job.migrate && g.migrate) {
    MigrateStrategy m = *job.migrate;
    merge(m, *g.migrate);
    g.migrate = m;
  } else if (job.migrate) {
    g.migrate = job.migrate;
  }
  if (!g.migrate && type == "service") g.migrate.emplace();
  if (g.migrate) {
    set_default(g.migrate->max_parallel, 1);
    set_default(g.migrate->health_check, "checks");
    set_default(g.migrate->min_healthy_time, seconds(10));
    set_default(g.migrate->healthy_deadline, minutes(5));
  }

  RestartPolicy restart = default_restart(type);
  if (g.restart_policy) merge(restart, *g.restart_policy);
  g.restart_policy = restart;

  if (g.tasks) {
    for (auto& t : *g.tasks) canonicalize(t, g, job);
  }
  if (g.spreads) {
    for (auto& s : *g.spreads) set_default(s.weight, 50);
  }
  if (g.affinities) {
    for (auto& a : *g.affinities) set_default(a.weight, 50);
  }
  if (g.services) {
    for (auto& s : *g.services) canonicalize(s, nullptr, g, job);
  }
  if (g.disconnect) {
    set_default(g.disconnect->replace, true);
    set_default(g.disconnect->reconcile, "best_score");
  }
}

}  // namespace

void canonicalize(Job& job) {
  set_default(job.id, "");
  set_default(job.name, *job.id);
  set_default(job.parent_id, "");
  set_default(job.namespace_, "default");
  set_default(job.priority, 50);
  set_default(job.stop, false);
  set_default(job.region, "global");
  set_default(job.node_pool, "");
  set_default(job.type, "service");
  set_default(job.all_at_once, false);
  set_default(job.consul_namespace, "");
  set_default(job.vault_namespace, "");
  set_default(job.nomad_token_id, "");
  set_default(job.status, "");
  set_default(job.status_description, "");
  set_default(job.stable, false);
  set_default(job.version, 0);
  set_default(job.create_index, 0);
  set_default(job.modify_index, 0);
  set_default(job.job_modify_index, 0);
  if (job.periodic) {
    PeriodicConfig& p = *job.periodic;
    set_default(p.enabled, true);
    set_default(p.spec, "");
    if (!p.specs) p.specs.emplace();
    set_default(p.spec_type, "cron");
    set_default(p.prohibit_overlap, false);
    if (!p.time_zone || p.time_zone->empty()) p.time_zone = "UTC";
  }
  if (job.update) {
    canonicalize(*job.update);
  } else if (*job.type == "service" || *job.type == "system") {
    job.update = default_update();
  }
  if (job.multiregion) {
    Multiregion& m = *job.multiregion;
    if (!m.strategy) m.strategy.emplace();
    set_default(m.strategy->max_parallel, 0);
    set_default(m.strategy->on_failure, "");
    if (!m.regions) m.regions.emplace();
    for (auto& r : *m.regions) {
      set_default(r.count, 1);
      if (!r.datacenters) r.datacenters.emplace();
      if (!r.meta) r.meta.emplace();
    }
  }
  if (job.task_groups) {
    for (auto& g : *job.task_groups) canonicalize(g, job);
  }
  if (job.group_selections) {
    for (auto& s : *job.group_selections) set_default(s.count, 1);
  }
  if (job.spreads) {
    for (auto& s : *job.spreads) set_default(s.weight, 50);
  }
  if (job.affinities) {
    for (auto& a : *job.affinities) set_default(a.weight, 50);
  }
  if (job.ui) empty_to_null(job.ui->links);
}

}  // namespace warden::job
