// sched::Cluster: the public face of the state (state.hpp) and the evaluations (reconcile.cpp).
#include "warden/sched/cluster.hpp"

#include <algorithm>

#include "state.hpp"
#include "warden/core/uuid.hpp"
#include "warden/job/jobspec.hpp"

namespace warden::sched {

using detail::JobRec;
using detail::NodeRec;

const char* selection_mode_name(SelectionMode m) {
  return m == SelectionMode::nomad ? "nomad" : "exact";
}

std::optional<SelectionMode> parse_selection_mode(std::string_view s) {
  if (s == "exact") return SelectionMode::exact;
  if (s == "nomad") return SelectionMode::nomad;
  return std::nullopt;
}

Cluster::Cluster(SchedulerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
}
Cluster::~Cluster() = default;
Cluster::Cluster(Cluster&&) noexcept = default;
Cluster& Cluster::operator=(Cluster&&) noexcept = default;

const SchedulerConfig& Cluster::config() const {
  return impl_->config;
}
void Cluster::set_config(const SchedulerConfig& config) {
  impl_->settle();
  impl_->config = config;
}
void Cluster::set_now(int64_t now) {
  impl_->fixed_now = now;
}
int64_t Cluster::now() const {
  return impl_->now();
}

// ---- nodes ----

Result<std::string> Cluster::upsert_node(Node node) {
  auto& st = *impl_;
  st.settle();
  if (node.id.empty()) node.id = uuid_v4();
  if (node.name.empty()) node.name = node.id;
  if (node.min_dynamic_port < 1 || node.max_dynamic_port > 65535 ||
      node.min_dynamic_port > node.max_dynamic_port)
    return Error(ErrorCode::invalid_argument, "node " + node.name + ": dynamic port range " +
                                                  std::to_string(node.min_dynamic_port) + "-" +
                                                  std::to_string(node.max_dynamic_port) +
                                                  " is not valid");
  if (node.total.cpu < 0 || node.total.memory_mb < 0 || node.total.disk_mb < 0 ||
      node.reserved.cpu < 0 || node.reserved.memory_mb < 0 || node.reserved.disk_mb < 0)
    return Error(ErrorCode::invalid_argument, "node " + node.name + ": negative resources");
  if (node.reserved.cpu > node.total.cpu || node.reserved.memory_mb > node.total.memory_mb ||
      node.reserved.disk_mb > node.total.disk_mb)
    return Error(ErrorCode::invalid_argument,
                 "node " + node.name + ": reserves more than it has (cpu " +
                     std::to_string(node.reserved.cpu) + " of " + std::to_string(node.total.cpu) +
                     ", memory " + std::to_string(node.reserved.memory_mb) + " of " +
                     std::to_string(node.total.memory_mb) + ", disk " +
                     std::to_string(node.reserved.disk_mb) + " of " +
                     std::to_string(node.total.disk_mb) + ")");
  int n = st.node_index(node.id);
  if (n < 0) {
    n = int(st.nodes.size());
    st.nodes.emplace_back();
    st.node_by_id[node.id] = n;
  }
  NodeRec& r = st.nodes[size_t(n)];
  st.index_remove(n);
  // Reserved ports leave the map; the new ones (and the allocations' ports) go back in.
  for (int p : r.node.reserved_ports) r.ports.clear(p);
  r.node = std::move(node);
  r.present = true;
  r.cap = r.node.total;
  r.cap -= r.node.reserved;
  r.class_name = computed_class(r.node);
  auto [it, added] = st.class_ids.emplace(r.class_name, int(st.class_ids.size()));
  r.class_id = it->second;
  for (int p : r.node.reserved_ports) r.ports.set(p);
  r.dyn_used = (r.node.max_dynamic_port - r.node.min_dynamic_port + 1) -
               r.ports.free_in(r.node.min_dynamic_port, r.node.max_dynamic_port);
  st.index_insert(n);
  ++st.index;
  return r.node.id;
}

Result<void> Cluster::remove_node(std::string_view id) {
  auto& st = *impl_;
  st.settle();
  int n = st.node_index(id);
  if (n < 0 || !st.nodes[size_t(n)].present)
    return Error(ErrorCode::not_found, "no node \"" + std::string(id) + "\"");
  st.index_remove(n);
  st.nodes[size_t(n)].present = false;
  ++st.index;
  return {};
}

namespace {
template <class F>
Result<void> change_node(Cluster::Impl& st, std::string_view id, F f) {
  st.settle();
  int n = st.node_index(id);
  if (n < 0 || !st.nodes[size_t(n)].present)
    return Error(ErrorCode::not_found, "no node \"" + std::string(id) + "\"");
  f(st.nodes[size_t(n)].node);
  st.reindex(n);
  ++st.index;
  return {};
}
}  // namespace

Result<void> Cluster::set_node_status(std::string_view id, NodeStatus status) {
  return change_node(*impl_, id, [&](Node& n) { n.status = status; });
}
Result<void> Cluster::set_node_eligibility(std::string_view id, bool eligible) {
  return change_node(*impl_, id, [&](Node& n) { n.eligible = eligible; });
}
Result<void> Cluster::set_node_drain(std::string_view id, bool drain) {
  return change_node(*impl_, id, [&](Node& n) {
    // As nomad: a draining node is ineligible, and ending a drain makes it eligible again
    // (`nomad node drain -disable` without -keep-ineligible).
    n.drain = drain;
    n.eligible = !drain;
  });
}

const Node* Cluster::node(std::string_view id) const {
  int n = impl_->node_index(id);
  return n < 0 || !impl_->nodes[size_t(n)].present ? nullptr : &impl_->nodes[size_t(n)].node;
}

std::vector<const Node*> Cluster::nodes() const {
  std::vector<const Node*> out;
  for (const auto& r : impl_->nodes)
    if (r.present) out.push_back(&r.node);
  return out;
}

Resources Cluster::node_usage(std::string_view id) const {
  impl_->settle();
  int n = impl_->node_index(id);
  return n < 0 ? Resources{} : impl_->nodes[size_t(n)].used;
}

// ---- jobs ----

namespace {
// The job without the fields the server sets, to tell a real change from a resubmission.
job::Job comparable(job::Job j) {
  j.version.reset();
  j.submit_time.reset();
  j.create_index.reset();
  j.modify_index.reset();
  j.job_modify_index.reset();
  j.status.reset();
  j.status_description.reset();
  j.stable.reset();
  j.stop.reset();
  return j;
}
}  // namespace

Result<Plan> Cluster::register_job(job::Job job) {
  auto& st = *impl_;
  st.settle();
  job::canonicalize(job);
  if (!job.id || job.id->empty()) return Error(ErrorCode::invalid_job, "the job has no ID");
  auto compiled = detail::compile_job(job);
  if (!compiled) return std::move(compiled).error();
  std::string id = *job.id;
  JobRec& jr = st.jobs[id];
  bool changed = jr.versions.empty() ||
                 !(comparable(*jr.versions.at(jr.version)) == comparable(job)) || jr.stopped;
  if (changed) {
    int64_t version = jr.versions.empty() ? 0 : jr.version + 1;
    job.version = version;
    compiled->version = version;
    jr.versions[version] = std::make_shared<const job::Job>(std::move(job));
    jr.compiled[version] = std::make_shared<const detail::CompiledJob>(std::move(*compiled));
    jr.version = version;
    jr.stopped = false;
  }
  ++st.index;
  return st.evaluate(id, "job-register");
}

Result<Plan> Cluster::stop_job(std::string_view job_id) {
  auto& st = *impl_;
  st.settle();
  JobRec* jr = st.job_rec(job_id);
  if (!jr) return Error(ErrorCode::not_found, "no job \"" + std::string(job_id) + "\"");
  jr->stopped = true;
  ++st.index;
  return st.evaluate(std::string(job_id), "job-deregister");
}

Result<Plan> Cluster::scale_job(std::string_view job_id, std::string_view group, int64_t count) {
  auto& st = *impl_;
  st.settle();
  JobRec* jr = st.job_rec(job_id);
  if (!jr) return Error(ErrorCode::not_found, "no job \"" + std::string(job_id) + "\"");
  if (count < 0) return Error(ErrorCode::invalid_argument, "count must not be negative");
  job::Job j = *jr->versions.at(jr->version);
  bool found = false;
  if (j.task_groups)
    for (auto& g : *j.task_groups)
      if (g.name.value_or("") == group) g.count = count, found = true;
  if (!found)
    return Error(ErrorCode::not_found,
                 "job \"" + std::string(job_id) + "\" has no group \"" + std::string(group) + "\"");
  auto plan = register_job(std::move(j));
  if (plan) plan->trigger = "job-scaling";
  return plan;
}

Result<Plan> Cluster::evaluate_job(std::string_view job_id, std::string_view trigger) {
  return impl_->evaluate(std::string(job_id), std::string(trigger));
}

Result<std::vector<Plan>> Cluster::evaluate_node(std::string_view node_id) {
  auto& st = *impl_;
  st.settle();
  int n = st.node_index(node_id);
  if (n < 0) return Error(ErrorCode::not_found, "no node \"" + std::string(node_id) + "\"");
  std::vector<std::string> ids;
  for (auto& [id, jr] : st.jobs) {
    bool affected = jr.blocked || (!jr.stopped && jr.compiled.at(jr.version)->system());
    for (int ai : jr.allocs) {
      const Allocation& a = st.allocs[size_t(ai)];
      affected = affected || (!a.terminal() && a.node_id == node_id);
    }
    if (affected) ids.push_back(id);
  }
  std::vector<Plan> plans;
  for (const auto& id : ids) {
    auto plan = st.evaluate(id, "node-update");
    if (!plan) return std::move(plan).error();
    if (auto r = apply(*plan); !r) return std::move(r).error();
    plans.push_back(std::move(*plan));
  }
  return plans;
}

Result<std::vector<Plan>> Cluster::unblock() {
  std::vector<Plan> plans;
  for (const auto& id : blocked_jobs()) {
    auto plan = impl_->evaluate(id, "queued-allocs");
    if (!plan) return std::move(plan).error();
    if (auto r = apply(*plan); !r) return std::move(r).error();
    plans.push_back(std::move(*plan));
  }
  return plans;
}

const job::Job* Cluster::job(std::string_view id, std::optional<int64_t> version) const {
  const JobRec* jr = impl_->job_rec(id);
  if (!jr) return nullptr;
  auto it = jr->versions.find(version.value_or(jr->version));
  return it == jr->versions.end() ? nullptr : it->second.get();
}

std::vector<std::string> Cluster::job_ids() const {
  std::vector<std::string> out;
  for (const auto& [id, jr] : impl_->jobs) out.push_back(id);
  return out;
}

std::vector<std::string> Cluster::blocked_jobs() const {
  std::vector<std::string> out;
  for (const auto& [id, jr] : impl_->jobs)
    if (jr.blocked && !jr.stopped) out.push_back(id);
  return out;
}

// ---- allocations ----

Result<void> Cluster::apply(const Plan& plan) {
  return impl_->apply(plan, false);
}

// A plan given away: its allocations move into the state instead of being copied.
Result<void> Cluster::apply(Plan&& plan) {
  return impl_->apply(plan, true);
}

Result<void> Cluster::Impl::apply(const Plan& plan, bool movable) {
  auto& st = *this;
  // The plan just evaluated is already in the usage: keep it. Any other is applied afresh,
  // checking that its placements still fit.
  bool speculative = !plan.eval_id.empty() && plan.eval_id == st.speculative_eval;
  if (!speculative) {
    st.settle();
    for (const auto& s : plan.stops)
      if (st.alloc_index(s.alloc_id) < 0)
        return Error(ErrorCode::not_found, "plan stops unknown allocation " + s.alloc_id);
    // Fit check against usage after the plan's stops.
    std::unordered_map<int, Resources> delta;
    for (const auto& s : plan.stops) {
      const Allocation& a = st.allocs[size_t(st.alloc_index(s.alloc_id))];
      int n = st.node_index(a.node_id);
      if (n >= 0 && !a.terminal()) delta[n] -= a.resources;
    }
    for (const auto& p : plan.placements) {
      int n = st.node_index(p.alloc.node_id);
      if (n < 0 || !st.nodes[size_t(n)].present)
        return Error(ErrorCode::conflict, "plan places on unknown node " + p.alloc.node_id);
      delta[n] += p.alloc.resources;
      const auto& r = st.nodes[size_t(n)];
      Resources after = r.used;
      after += delta[n];
      if (after.cpu > r.cap.cpu || after.memory_mb > r.cap.memory_mb ||
          after.disk_mb > r.cap.disk_mb)
        return Error(ErrorCode::conflict, "plan is stale: " + p.alloc.name + " no longer fits on " +
                                              r.node.name + "; evaluate again");
      for (const auto& port : p.alloc.ports)
        if (r.ports.used(port.value))
          return Error(ErrorCode::conflict, "plan is stale: port " + std::to_string(port.value) +
                                                " on " + r.node.name + " is taken");
    }
  }
  int64_t now = st.now();
  for (const auto& s : plan.stops) {
    Allocation& a = st.allocs[size_t(st.alloc_index(s.alloc_id))];
    bool was_live = !a.terminal();
    a.desired = s.preempted ? DesiredStatus::evict : DesiredStatus::stop;
    a.desired_description = s.reason;
    if (!s.keep_client_status) a.client = s.client;
    a.modify_time = now;
    int n = st.node_index(a.node_id);
    if (!speculative && was_live && n >= 0) {
      Resources back;
      back -= a.resources;
      st.change_usage(n, back, false);
      st.release_ports(n, a.ports, false);
    }
  }
  JobRec& jr = st.jobs[plan.job_id];
  for (size_t i = 0; i < plan.placements.size(); ++i) {
    const Placement& p = plan.placements[i];
    int n = speculative ? st.speculative_nodes[i] : st.node_index(p.alloc.node_id);
    if (!speculative) {
      st.change_usage(n, p.alloc.resources, false);
      st.take_ports(n, p.alloc.ports, false);
    }
    int ai = int(st.allocs.size());
    if (movable)
      st.allocs.push_back(std::move(const_cast<Placement&>(p).alloc));
    else
      st.allocs.push_back(p.alloc);
    Allocation& a = st.allocs.back();
    a.modify_time = now;
    st.alloc_by_id.insert(a.id, ai);
    jr.allocs.push_back(ai);
    st.nodes[size_t(n)].allocs.push_back(ai);
    if (!a.previous_allocation.empty())
      if (int prev = st.alloc_index(a.previous_allocation); prev >= 0)
        st.allocs[size_t(prev)].next_allocation = a.id;
  }
  for (const auto& u : plan.inplace_updates)
    if (int ai = st.alloc_index(u.alloc_id); ai >= 0)
      st.allocs[size_t(ai)].job_version = u.job_version;
  for (const auto& d : plan.delayed)
    if (int ai = st.alloc_index(d.alloc_id); ai >= 0) st.allocs[size_t(ai)].reschedule_at = d.at;
  st.undo.clear();
  st.speculative_eval.clear();
  st.speculative_nodes.clear();
  ++st.index;
  return {};
}

Result<void> Cluster::set_alloc_status(std::string_view alloc_id, ClientStatus status) {
  auto& st = *impl_;
  st.settle();
  int ai = st.alloc_index(alloc_id);
  if (ai < 0) return Error(ErrorCode::not_found, "no allocation \"" + std::string(alloc_id) + "\"");
  Allocation& a = st.allocs[size_t(ai)];
  bool was_live = !a.terminal();
  a.client = status;
  a.modify_time = st.now();
  int n = st.node_index(a.node_id);
  if (n >= 0 && was_live != !a.terminal()) {
    Resources d = a.resources;
    if (was_live) {
      d = Resources{};
      d -= a.resources;
      st.release_ports(n, a.ports, false);
    } else {
      st.take_ports(n, a.ports, false);
    }
    st.change_usage(n, d, false);
  }
  ++st.index;
  return {};
}

const Allocation* Cluster::allocation(std::string_view id) const {
  int ai = impl_->alloc_index(id);
  return ai < 0 ? nullptr : &impl_->allocs[size_t(ai)];
}

std::vector<const Allocation*> Cluster::allocations(std::string_view job_id,
                                                    bool include_terminal) const {
  std::vector<const Allocation*> out;
  auto add = [&](int ai) {
    const Allocation& a = impl_->allocs[size_t(ai)];
    if (include_terminal || !a.terminal()) out.push_back(&a);
  };
  if (job_id.empty()) {
    for (size_t i = 0; i < impl_->allocs.size(); ++i) add(int(i));
  } else if (const JobRec* jr = impl_->job_rec(job_id)) {
    for (int ai : jr->allocs) add(ai);
  }
  return out;
}

size_t Cluster::allocation_count() const {
  return impl_->allocs.size();
}

}  // namespace warden::sched
