/*
 * warden_sched.h — the scheduler's part of the C ABI. Included by warden.h; include warden.h,
 * not this file. The conventions of warden.h apply.
 *
 * A cluster holds nodes, jobs and allocations. Registering, scaling or stopping a job gives a
 * plan (placements, stops, in-place updates, and for what could not be placed the reasons);
 * the cluster's state changes only when the plan is applied. Same state and seed, same plan.
 *
 *   warden_cluster *c; warden_cluster_new(&c, NULL);
 *   warden_cluster_add_nodes_json(c, nodes_json, strlen(nodes_json));
 *   warden_plan *p; warden_cluster_register(&p, c, job);
 *   for (size_t i = 0; i < warden_plan_placement_count(p); i++)
 *     printf("%s on %s\n", warden_plan_placement_name(p, i), warden_plan_placement_node(p, i));
 *   warden_cluster_apply(c, p); warden_plan_free(p);
 *
 * Thread safety
 *   warden_cluster: one thread at a time (every function, the const ones included, may settle
 *     the state of an unapplied plan). warden_plan: immutable; readable from several threads.
 */
#ifndef WARDEN_SCHED_H
#define WARDEN_SCHED_H

#include "warden.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct warden_cluster warden_cluster;
typedef struct warden_plan warden_plan;

typedef enum warden_selection_mode {
  /* The best-scoring node of all feasible nodes (found through a capacity index). */
  WARDEN_SELECT_EXACT = 0,
  /* nomad's: the best of max(2, ceil(log2 N)) shuffled candidates. */
  WARDEN_SELECT_NOMAD = 1
} warden_selection_mode;

#define WARDEN_CLUSTER_OPTIONS_VERSION 1
typedef struct warden_cluster_options {
  unsigned int version; /* WARDEN_CLUSTER_OPTIONS_VERSION */
  warden_selection_mode mode;
  uint64_t seed; /* 0 means 1 */
  /* Non-zero: service and batch jobs may evict allocations at least 10 priority below them
   * (system jobs always may). */
  int preempt_non_system;
  /* Non-zero: nomad's "spread" scheduler algorithm (prefer empty nodes) instead of binpack. */
  int spread_algorithm;
} warden_cluster_options;
#define WARDEN_CLUSTER_OPTIONS_INIT \
  { WARDEN_CLUSTER_OPTIONS_VERSION, WARDEN_SELECT_EXACT, 1, 0, 0 }

/* `opts` may be NULL for the defaults. Free with warden_cluster_free(). */
WARDEN_API warden_error* warden_cluster_new(warden_cluster** out,
                                            const warden_cluster_options* opts);
WARDEN_API void warden_cluster_free(warden_cluster* cluster);
/* Fixes the clock used for reschedule delays (unix nanoseconds); 0 returns to the wall clock. */
WARDEN_API void warden_cluster_set_now(warden_cluster* cluster, int64_t unix_nanos);

/* ---- nodes ---- */

/* Adds or replaces nodes described as JSON (see warden/sched/json.hpp: one object, an array or
 * {"Nodes": [...]}, with nomad's field names and an optional "Count" to repeat a node). */
WARDEN_API warden_error* warden_cluster_add_nodes_json(warden_cluster* cluster, const char* json,
                                                       size_t len);
WARDEN_API warden_error* warden_cluster_remove_node(warden_cluster* cluster, const char* node_id);
/* status: "ready", "down" or "disconnected". */
WARDEN_API warden_error* warden_cluster_set_node_status(warden_cluster* cluster,
                                                        const char* node_id, const char* status);
WARDEN_API warden_error* warden_cluster_set_node_eligibility(warden_cluster* cluster,
                                                             const char* node_id, int eligible);
WARDEN_API warden_error* warden_cluster_set_node_drain(warden_cluster* cluster, const char* node_id,
                                                       int drain);
/* Re-plans and applies every job the node's change concerns (lost or migrating allocations,
 * system jobs, blocked jobs). *placed (may be NULL) receives how many allocations were placed. */
WARDEN_API warden_error* warden_cluster_evaluate_node(warden_cluster* cluster, const char* node_id,
                                                      size_t* placed);
WARDEN_API size_t warden_cluster_node_count(const warden_cluster* cluster);

/* ---- jobs → plans ---- */

/* Stores the job (a new version when it changed) and plans it. Free the plan with
 * warden_plan_free(). */
WARDEN_API warden_error* warden_cluster_register(warden_plan** out, warden_cluster* cluster,
                                                 const warden_job* job);
WARDEN_API warden_error* warden_cluster_stop_job(warden_plan** out, warden_cluster* cluster,
                                                 const char* job_id);
WARDEN_API warden_error* warden_cluster_scale(warden_plan** out, warden_cluster* cluster,
                                              const char* job_id, const char* group, int64_t count);
/* Re-plans a stored job (after failures, or to retry what was blocked). */
WARDEN_API warden_error* warden_cluster_evaluate(warden_plan** out, warden_cluster* cluster,
                                                 const char* job_id);
/* Commits a plan. Fails with WARDEN_ERROR_CONFLICT when the plan no longer fits (another plan
 * was applied since it was made). */
WARDEN_API warden_error* warden_cluster_apply(warden_cluster* cluster, const warden_plan* plan);

/* ---- allocations ---- */

/* status: "pending", "running", "complete", "failed" or "lost" (what a client reports). */
WARDEN_API warden_error* warden_cluster_set_alloc_status(warden_cluster* cluster,
                                                         const char* alloc_id, const char* status);
/* The allocations of a job (NULL: of every job) as a JSON array; `include_terminal` non-zero
 * lists stopped, complete, failed and lost ones too. *out must be empty (WARDEN_BUF_INIT). */
WARDEN_API warden_error* warden_cluster_allocations_json(warden_buf* out,
                                                         const warden_cluster* cluster,
                                                         const char* job_id, int include_terminal);

/* ---- plans ---- */

WARDEN_API void warden_plan_free(warden_plan* plan);
/* The whole plan as JSON (placements with their allocations, stops, updates, failures with
 * their metrics and explanation). *out must be empty. */
WARDEN_API warden_error* warden_plan_to_json(warden_buf* out, const warden_plan* plan,
                                             unsigned flags);
/* Plan text as `minipot sched simulate` prints it. *out must be empty. */
WARDEN_API warden_error* warden_plan_describe(warden_buf* out, const warden_plan* plan);

/* Iteration. Strings are borrowed: valid until warden_plan_free(); NULL when out of range. */
WARDEN_API size_t warden_plan_placement_count(const warden_plan* plan);
WARDEN_API const char* warden_plan_placement_alloc_id(const warden_plan* plan, size_t i);
WARDEN_API const char* warden_plan_placement_name(const warden_plan* plan, size_t i);
WARDEN_API const char* warden_plan_placement_node(const warden_plan* plan, size_t i);
/* "create", "replace", "reschedule", "lost" or "migrate". */
WARDEN_API const char* warden_plan_placement_kind(const warden_plan* plan, size_t i);
WARDEN_API double warden_plan_placement_score(const warden_plan* plan, size_t i);
WARDEN_API size_t warden_plan_placement_port_count(const warden_plan* plan, size_t i);
WARDEN_API const char* warden_plan_placement_port_label(const warden_plan* plan, size_t i,
                                                        size_t k);
/* The host port, or -1 when out of range. */
WARDEN_API int warden_plan_placement_port_value(const warden_plan* plan, size_t i, size_t k);

WARDEN_API size_t warden_plan_stop_count(const warden_plan* plan);
WARDEN_API const char* warden_plan_stop_alloc_id(const warden_plan* plan, size_t i);
WARDEN_API const char* warden_plan_stop_reason(const warden_plan* plan, size_t i);
WARDEN_API size_t warden_plan_update_count(const warden_plan* plan);

/* Task groups that could not be placed (all or some of their allocations). */
WARDEN_API size_t warden_plan_failure_count(const warden_plan* plan);
WARDEN_API const char* warden_plan_failure_group(const warden_plan* plan, size_t i);
/* How many allocations of the group found no node; -1 when out of range. */
WARDEN_API int64_t warden_plan_failure_unplaced(const warden_plan* plan, size_t i);
WARDEN_API int64_t warden_plan_failure_nodes_evaluated(const warden_plan* plan, size_t i);
WARDEN_API int64_t warden_plan_failure_nodes_filtered(const warden_plan* plan, size_t i);
WARDEN_API int64_t warden_plan_failure_nodes_exhausted(const warden_plan* plan, size_t i);
/* Readable reasons, a line each ("Constraint \"${attr.kernel.name} = freebsd\" filtered 3
 * nodes", "Resources exhausted on 2 nodes: dimension \"memory\"", ...). */
WARDEN_API size_t warden_plan_failure_reason_count(const warden_plan* plan, size_t i);
WARDEN_API const char* warden_plan_failure_reason(const warden_plan* plan, size_t i, size_t k);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARDEN_SCHED_H */
