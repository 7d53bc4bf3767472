// The scheduler: cluster state (nodes, jobs, allocations) and the evaluations that plan changes
// to it, with nomad's semantics.
//
//   warden::sched::Cluster cluster;
//   cluster.upsert_node(node);
//   auto plan = cluster.register_job(job);      // plans; the state is unchanged
//   if (plan) cluster.apply(*plan);             // commits the placements and stops
//
// Evaluations never change the state: the plan says what to do, apply() does it (the agent
// applies a plan once its client has accepted it). Same state, same seed → same plan.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/job/model.hpp"
#include "warden/sched/allocation.hpp"
#include "warden/sched/node.hpp"
#include "warden/sched/plan.hpp"

namespace warden::sched {

enum class SelectionMode {
  // The best-scoring node among all feasible nodes, found through indexes over free capacity.
  exact,
  // nomad's own: nodes shuffled per evaluation, the best of max(2, ceil(log2 N)) fitting
  // candidates (2 for batch jobs; every node when the group has spreads or affinities).
  nomad,
};
const char* selection_mode_name(SelectionMode m);
std::optional<SelectionMode> parse_selection_mode(std::string_view s);

struct SchedulerConfig {
  SelectionMode mode = SelectionMode::exact;
  // Seeds the shuffle of nodes, dynamic port picks and allocation IDs; mixed with the job ID
  // and the state's index per evaluation.
  uint64_t seed = 1;
  // Preempt lower-priority allocations (at least 10 below) for service and batch jobs too;
  // system jobs always may.
  bool preempt_non_system = false;
  // nomad's scheduler algorithm: binpack (BestFit v3, fill nodes up) or spread (prefer the
  // emptiest nodes: 10^freeCpu + 10^freeMem - 2).
  enum class Algorithm { binpack, spread } algorithm = Algorithm::binpack;
};

class Cluster {
 public:
  explicit Cluster(SchedulerConfig config = {});
  ~Cluster();
  Cluster(Cluster&&) noexcept;
  Cluster& operator=(Cluster&&) noexcept;
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  const SchedulerConfig& config() const;
  void set_config(const SchedulerConfig& config);
  // The clock used for reschedule delays (unix nanoseconds); the wall clock unless set.
  void set_now(int64_t now);
  int64_t now() const;

  // ---- nodes ----
  // Adds a node or replaces the one with the same ID (keeping its allocations). Returns its ID.
  Result<std::string> upsert_node(Node node);
  Result<void> remove_node(std::string_view id);  // its allocations become lost
  Result<void> set_node_status(std::string_view id, NodeStatus status);
  Result<void> set_node_eligibility(std::string_view id, bool eligible);
  // Draining makes the node ineligible; ending the drain makes it eligible again.
  Result<void> set_node_drain(std::string_view id, bool drain);
  const Node* node(std::string_view id) const;
  std::vector<const Node*> nodes() const;
  // Resources used on a node by its running allocations.
  Resources node_usage(std::string_view id) const;

  // ---- jobs: each returns the evaluation's plan, to be applied ----
  // Stores the job (canonicalized; a new version if it changed) and plans it.
  Result<Plan> register_job(job::Job job);
  Result<Plan> stop_job(std::string_view job_id);
  Result<Plan> scale_job(std::string_view job_id, std::string_view group, int64_t count);
  // Re-plans a stored job (after node changes, failures, or when blocked).
  Result<Plan> evaluate_job(std::string_view job_id, std::string_view trigger = "job-eval");
  // Plans every job with allocations on the node, or that may now fit on it (system jobs and
  // blocked jobs), after the node changed status, eligibility or drain.
  Result<std::vector<Plan>> evaluate_node(std::string_view node_id);
  // Re-plans the jobs whose last plan left allocations unplaced.
  Result<std::vector<Plan>> unblock();
  const job::Job* job(std::string_view id, std::optional<int64_t> version = {}) const;
  std::vector<std::string> job_ids() const;
  std::vector<std::string> blocked_jobs() const;

  // ---- allocations ----
  // Commits a plan: placements become allocations, stops and updates are recorded.
  Result<void> apply(const Plan& plan);
  Result<void> apply(Plan&& plan);  // the same, moving the allocations
  // What a client reports: running, complete, failed (to be rescheduled), lost.
  Result<void> set_alloc_status(std::string_view alloc_id, ClientStatus status);
  const Allocation* allocation(std::string_view id) const;
  std::vector<const Allocation*> allocations(std::string_view job_id = {},
                                             bool include_terminal = false) const;
  size_t allocation_count() const;  // all, terminal included

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace warden::sched
