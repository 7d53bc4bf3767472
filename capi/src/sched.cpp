// The scheduler's C ABI (warden_sched.h) over warden::sched::Cluster.
#include <string>
#include <vector>

#include "api.hpp"
#include "job.hpp"
#include "warden/sched/cluster.hpp"
#include "warden/sched/json.hpp"

struct warden_cluster {
  warden::sched::Cluster cluster;
};

struct warden_plan {
  warden::sched::Plan plan;
  std::vector<std::vector<std::string>> reasons;  // per failure, explain() kept for borrowing
};

namespace {

using warden::capi::make_error;
namespace sched = warden::sched;

warden_error* plan_out(warden_plan** out, warden::Result<sched::Plan> r) {
  if (!r) return make_error(std::move(r).error());
  auto p = std::make_unique<warden_plan>();
  p->plan = std::move(*r);
  for (const auto& f : p->plan.failures) p->reasons.push_back(f.metrics.explain());
  *out = p.release();
  return nullptr;
}

const sched::Placement* placement(const warden_plan* p, size_t i) {
  return p && i < p->plan.placements.size() ? &p->plan.placements[i] : nullptr;
}
const sched::FailedPlacement* failure(const warden_plan* p, size_t i) {
  return p && i < p->plan.failures.size() ? &p->plan.failures[i] : nullptr;
}

// A node change through the C API: the arguments checked, the error converted.
template <class F>
warden_error* node_call(warden_cluster* cluster, const char* node_id, const char* fn, F f) {
  WARDEN_API_BEGIN
  if (!cluster || !node_id)
    return make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                      std::string(fn) + ": cluster and node_id are required");
  if (auto r = f(cluster->cluster, node_id); !r) return make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

}  // namespace

extern "C" {

warden_error* warden_cluster_new(warden_cluster** out, const warden_cluster_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_cluster_new: out must not be NULL");
  WARDEN_REQUIRE(!opts || opts->version >= 1,
                 "warden_cluster_new: options have no version; use WARDEN_CLUSTER_OPTIONS_INIT");
  sched::SchedulerConfig config;
  if (opts) {
    WARDEN_REQUIRE(opts->mode == WARDEN_SELECT_EXACT || opts->mode == WARDEN_SELECT_NOMAD,
                   "warden_cluster_new: unknown selection mode");
    config.mode = opts->mode == WARDEN_SELECT_NOMAD ? sched::SelectionMode::nomad
                                                    : sched::SelectionMode::exact;
    config.seed = opts->seed ? opts->seed : 1;
    config.preempt_non_system = opts->preempt_non_system != 0;
    if (opts->spread_algorithm) config.algorithm = sched::SchedulerConfig::Algorithm::spread;
  }
  *out = new warden_cluster{sched::Cluster(config)};
  return nullptr;
  WARDEN_API_END
}

void warden_cluster_free(warden_cluster* cluster) {
  delete cluster;
}

void warden_cluster_set_now(warden_cluster* cluster, int64_t unix_nanos) {
  if (cluster) cluster->cluster.set_now(unix_nanos);
}

warden_error* warden_cluster_add_nodes_json(warden_cluster* cluster, const char* json, size_t len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(cluster, "warden_cluster_add_nodes_json: cluster must not be NULL");
  WARDEN_REQUIRE(json || len == 0, "warden_cluster_add_nodes_json: json must not be NULL");
  auto nodes = sched::nodes_from_json(std::string_view(json ? json : "", len));
  if (!nodes) return make_error(std::move(nodes).error());
  for (auto& n : *nodes)
    if (auto r = cluster->cluster.upsert_node(std::move(n)); !r)
      return make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_cluster_remove_node(warden_cluster* cluster, const char* node_id) {
  return node_call(cluster, node_id, "warden_cluster_remove_node",
                   [](sched::Cluster& c, const char* id) { return c.remove_node(id); });
}

warden_error* warden_cluster_set_node_status(warden_cluster* cluster, const char* node_id,
                                             const char* status) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(cluster && node_id && status,
                 "warden_cluster_set_node_status: cluster, node_id and status are required");
  auto s = sched::parse_node_status(status);
  if (!s)
    return make_error(WARDEN_ERROR_INVALID_ARGUMENT, std::string("unknown node status \"") +
                                                         status + "\" (ready, down, disconnected)");
  if (auto r = cluster->cluster.set_node_status(node_id, *s); !r)
    return make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_cluster_set_node_eligibility(warden_cluster* cluster, const char* node_id,
                                                  int eligible) {
  return node_call(
      cluster, node_id, "warden_cluster_set_node_eligibility",
      [&](sched::Cluster& c, const char* id) { return c.set_node_eligibility(id, eligible != 0); });
}

warden_error* warden_cluster_set_node_drain(warden_cluster* cluster, const char* node_id,
                                            int drain) {
  return node_call(
      cluster, node_id, "warden_cluster_set_node_drain",
      [&](sched::Cluster& c, const char* id) { return c.set_node_drain(id, drain != 0); });
}

warden_error* warden_cluster_evaluate_node(warden_cluster* cluster, const char* node_id,
                                           size_t* placed) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(cluster && node_id,
                 "warden_cluster_evaluate_node: cluster and node_id are required");
  auto plans = cluster->cluster.evaluate_node(node_id);
  if (!plans) return make_error(std::move(plans).error());
  size_t n = 0;
  for (const auto& p : *plans) n += p.placements.size();
  if (placed) *placed = n;
  return nullptr;
  WARDEN_API_END
}

size_t warden_cluster_node_count(const warden_cluster* cluster) {
  return cluster ? cluster->cluster.nodes().size() : 0;
}

warden_error* warden_cluster_register(warden_plan** out, warden_cluster* cluster,
                                      const warden_job* job) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && cluster && job,
                 "warden_cluster_register: out, cluster and job are required");
  return plan_out(out, cluster->cluster.register_job(job->job));
  WARDEN_API_END
}

warden_error* warden_cluster_stop_job(warden_plan** out, warden_cluster* cluster,
                                      const char* job_id) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && cluster && job_id,
                 "warden_cluster_stop_job: out, cluster and job_id are required");
  return plan_out(out, cluster->cluster.stop_job(job_id));
  WARDEN_API_END
}

warden_error* warden_cluster_scale(warden_plan** out, warden_cluster* cluster, const char* job_id,
                                   const char* group, int64_t count) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && cluster && job_id && group,
                 "warden_cluster_scale: out, cluster, job_id and group are required");
  return plan_out(out, cluster->cluster.scale_job(job_id, group, count));
  WARDEN_API_END
}

warden_error* warden_cluster_evaluate(warden_plan** out, warden_cluster* cluster,
                                      const char* job_id) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && cluster && job_id,
                 "warden_cluster_evaluate: out, cluster and job_id are required");
  return plan_out(out, cluster->cluster.evaluate_job(job_id));
  WARDEN_API_END
}

warden_error* warden_cluster_apply(warden_cluster* cluster, const warden_plan* plan) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(cluster && plan, "warden_cluster_apply: cluster and plan are required");
  if (auto r = cluster->cluster.apply(plan->plan); !r) return make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_cluster_set_alloc_status(warden_cluster* cluster, const char* alloc_id,
                                              const char* status) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(cluster && alloc_id && status,
                 "warden_cluster_set_alloc_status: cluster, alloc_id and status are required");
  auto s = sched::parse_client_status(status);
  if (!s)
    return make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                      std::string("unknown allocation status \"") + status +
                          "\" (pending, running, complete, failed, lost)");
  if (auto r = cluster->cluster.set_alloc_status(alloc_id, *s); !r)
    return make_error(std::move(r).error());
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_cluster_allocations_json(warden_buf* out, const warden_cluster* cluster,
                                              const char* job_id, int include_terminal) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && cluster, "warden_cluster_allocations_json: out and cluster are required");
  WARDEN_REQUIRE(!out->ptr, "warden_cluster_allocations_json: out must be empty (WARDEN_BUF_INIT)");
  return warden::capi::fill_buf(out, sched::to_json(cluster->cluster.allocations(
                                         job_id ? job_id : "", include_terminal != 0)));
  WARDEN_API_END
}

void warden_plan_free(warden_plan* plan) {
  delete plan;
}

warden_error* warden_plan_to_json(warden_buf* out, const warden_plan* plan, unsigned flags) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && plan, "warden_plan_to_json: out and plan are required");
  WARDEN_REQUIRE(!out->ptr, "warden_plan_to_json: out must be empty (WARDEN_BUF_INIT)");
  return warden::capi::fill_buf(out, sched::to_json(plan->plan, (flags & WARDEN_JSON_PRETTY) != 0));
  WARDEN_API_END
}

warden_error* warden_plan_describe(warden_buf* out, const warden_plan* plan) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && plan, "warden_plan_describe: out and plan are required");
  WARDEN_REQUIRE(!out->ptr, "warden_plan_describe: out must be empty (WARDEN_BUF_INIT)");
  return warden::capi::fill_buf(out, sched::describe(plan->plan));
  WARDEN_API_END
}

size_t warden_plan_placement_count(const warden_plan* p) {
  return p ? p->plan.placements.size() : 0;
}
const char* warden_plan_placement_alloc_id(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? x->alloc.id.c_str() : nullptr;
}
const char* warden_plan_placement_name(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? x->alloc.name.c_str() : nullptr;
}
const char* warden_plan_placement_node(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? x->alloc.node_id.c_str() : nullptr;
}
const char* warden_plan_placement_kind(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? sched::placement_kind_name(x->kind) : nullptr;
}
double warden_plan_placement_score(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? x->score : 0.0;
}
size_t warden_plan_placement_port_count(const warden_plan* p, size_t i) {
  auto* x = placement(p, i);
  return x ? x->alloc.ports.size() : 0;
}
const char* warden_plan_placement_port_label(const warden_plan* p, size_t i, size_t k) {
  auto* x = placement(p, i);
  return x && k < x->alloc.ports.size() ? x->alloc.ports[k].label.c_str() : nullptr;
}
int warden_plan_placement_port_value(const warden_plan* p, size_t i, size_t k) {
  auto* x = placement(p, i);
  return x && k < x->alloc.ports.size() ? x->alloc.ports[k].value : -1;
}

size_t warden_plan_stop_count(const warden_plan* p) {
  return p ? p->plan.stops.size() : 0;
}
const char* warden_plan_stop_alloc_id(const warden_plan* p, size_t i) {
  return p && i < p->plan.stops.size() ? p->plan.stops[i].alloc_id.c_str() : nullptr;
}
const char* warden_plan_stop_reason(const warden_plan* p, size_t i) {
  return p && i < p->plan.stops.size() ? p->plan.stops[i].reason.c_str() : nullptr;
}
size_t warden_plan_update_count(const warden_plan* p) {
  return p ? p->plan.inplace_updates.size() : 0;
}

size_t warden_plan_failure_count(const warden_plan* p) {
  return p ? p->plan.failures.size() : 0;
}
const char* warden_plan_failure_group(const warden_plan* p, size_t i) {
  auto* f = failure(p, i);
  return f ? f->group.c_str() : nullptr;
}
int64_t warden_plan_failure_unplaced(const warden_plan* p, size_t i) {
  auto* f = failure(p, i);
  return f ? f->unplaced : -1;
}
int64_t warden_plan_failure_nodes_evaluated(const warden_plan* p, size_t i) {
  auto* f = failure(p, i);
  return f ? f->metrics.nodes_evaluated : -1;
}
int64_t warden_plan_failure_nodes_filtered(const warden_plan* p, size_t i) {
  auto* f = failure(p, i);
  return f ? f->metrics.nodes_filtered : -1;
}
int64_t warden_plan_failure_nodes_exhausted(const warden_plan* p, size_t i) {
  auto* f = failure(p, i);
  return f ? f->metrics.nodes_exhausted : -1;
}
size_t warden_plan_failure_reason_count(const warden_plan* p, size_t i) {
  return p && i < p->reasons.size() ? p->reasons[i].size() : 0;
}
const char* warden_plan_failure_reason(const warden_plan* p, size_t i, size_t k) {
  return p && i < p->reasons.size() && k < p->reasons[i].size() ? p->reasons[i][k].c_str()
                                                                : nullptr;
}

}  // extern "C"
