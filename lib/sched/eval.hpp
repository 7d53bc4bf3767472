// One evaluation in progress: the job, the plan being built, per-group placement state, and the
// node selection (feasibility, scoring, both selection modes).
#pragma once

#include <cstdint>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "spread.hpp"
#include "state.hpp"

namespace warden::sched::detail {

// Per task group during one evaluation.
struct GroupState {
  const GroupAsk* ask = nullptr;
  std::vector<int8_t> class_ok;             // per class id: -1 unknown, 0 infeasible, 1 feasible
  std::unordered_map<int, int> collisions;  // node → running allocations of this job and group
  // Per spread: the group's allocations per attribute value.
  std::vector<SpreadCounts> spreads;
  // Per distinct_property: value → allocations (of the job or the group) there.
  std::vector<std::unordered_map<std::string, int64_t>> property_counts;
  int failure = -1;                   // index in plan.failures once a placement of the group failed
  double lowest_spread_boost = -1.0;  // nomad's SpreadIterator keeps the lowest boost seen
  // Exact mode: nodes running the group, by score (score, -node), kept out of the capacity index.
  std::set<std::pair<double, int>> collided;
  std::unordered_map<int, double> collided_key;
  bool exact_ready = false;
  // Exact mode: the best-first search over the capacity grid. An entry is a node with its
  // score, or a cell (node -1) with a bound of the scores inside it. Nodes outside the
  // collisions keep their score while the group places (only placements change usage, and a
  // node placed on joins the collisions), so the search carries over from one placement to
  // the next.
  struct RankEntry {
    double key;
    int node;
    int shape;
    int cell;
    bool operator<(const RankEntry& o) const {  // max-heap: higher key, then cells, then low node
      if (key != o.key) return key < o.key;
      if ((node < 0) != (o.node < 0)) return node >= 0;
      return node > o.node;
    }
  };
  std::priority_queue<RankEntry> ranked;
};

struct Candidate {
  int node = -1;
  double score = 0;
};

class Eval {
 public:
  Eval(Cluster::Impl& st, const CompiledJob& job, Plan& plan, uint64_t seed);

  // Prepares per-group state from the job's allocations that keep running (not stopped by
  // the plan so far). Call after the plan's stops are decided, before placing.
  GroupState& group(const GroupAsk& ask);

  // Chooses a node for one allocation of the group, or -1 (then fills the failure metrics).
  // `penalty` holds nodes to avoid (a rescheduled allocation's previous node).
  Candidate select(GroupState& g, const std::unordered_set<int>* penalty);
  // For system jobs: whether the group can go on this node; its score, or -1 node.
  Candidate select_on(GroupState& g, int node);

  // Records a placement on node n: usage, ports, collision and spread counts.
  Allocation place(GroupState& g, int n, int64_t index);
  // Releases a stopped allocation's resources in the speculative state.
  void release(const Allocation& a);

  // Feasibility of the node for the group: constraints, drivers, datacenter, pool (cached per
  // computed class when possible), then distinct_hosts and distinct_property.
  bool feasible(GroupState& g, int n);
  // Whether the group's resources and ports fit; `dim` names the exhausted dimension.
  bool fits(const GroupAsk& ask, int n, const char** dim) const;
  double score(GroupState& g, int n, const std::unordered_set<int>* penalty) const;
  // An upper bound of score() for nodes outside the collisions, given their bin-pack fit.
  double score_bound(const GroupState& g, double fit) const;

  // Allocations to evict from node n so the group fits there, as nomad chooses them: only of
  // jobs at least 10 priority below this one, lowest priority first and, within a priority,
  // the closest in size to what is still missing; then any not needed after all is dropped.
  // Empty when nothing (or not enough) can be evicted.
  std::vector<int> preemptions(GroupState& g, int n);
  // Records the evictions in the plan and frees their resources.
  void evict(const std::vector<int>& allocs);
  // Service and batch jobs with preemption enabled: the node needing the fewest evictions
  // (then the lowest priorities), or -1.
  Candidate select_preempting(GroupState& g, std::vector<int>& evictions);

  // Fills the failure metrics of a group by looking at every node.
  FailureMetrics explain_failure(GroupState& g);

  void finish_group(GroupState& g);
  std::string make_id();

  Cluster::Impl& st;
  const CompiledJob& job;
  Plan& plan;
  std::mt19937_64 rng;

 private:
  bool static_feasible(const GroupAsk& ask, int n, std::string* why) const;
  Candidate select_nomad(GroupState& g, const std::unordered_set<int>* penalty);
  Candidate select_exact(GroupState& g, const std::unordered_set<int>* penalty);
  void start_exact(GroupState& g);
  Candidate scan_all(GroupState& g, const std::unordered_set<int>* penalty);
  bool in_job_pool(int n) const;

  std::vector<std::unique_ptr<GroupState>> groups_;
  std::vector<int> shuffled_;  // nomad mode: nodes in the job's pool, shuffled once
  size_t offset_ = 0;
  bool shuffled_ready_ = false;
  // Exact mode: nodes taken out of the capacity index while a group collides with them.
  std::vector<int> collided_out_;
};

// Nomad's BestFit v3 (20 - (10^freeCpu + 10^freeMem), clamped to 0..18) and the spread
// algorithm (10^freeCpu + 10^freeMem - 2), before normalisation by 18.
double binpack_fit(const Resources& cap, const Resources& util);
double spread_fit(const Resources& cap, const Resources& util);

}  // namespace warden::sched::detail
