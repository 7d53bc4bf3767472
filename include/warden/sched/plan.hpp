// The result of an evaluation, as plain data: what to place, stop and update, and why; what
// could not be placed, and why not. The cluster applies it (Cluster::apply); the agent runs it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "warden/sched/allocation.hpp"

namespace warden::sched {

enum class PlacementKind {
  create,      // a new index (register, count up)
  replace,     // a destructive update: the new version replaces the old allocation
  reschedule,  // the previous allocation failed
  lost,        // the previous allocation's node is down
  migrate,     // the previous allocation's node is draining
};
const char* placement_kind_name(PlacementKind k);

struct Placement {
  Allocation alloc;  // desired run, client pending, with node, resources and ports
  PlacementKind kind = PlacementKind::create;
  std::string reason;
  double score = 0;  // the winning node's final (normalised) score
};

struct Stop {
  std::string alloc_id;
  std::string node_id;
  std::string reason;
  // lost when the node is down, otherwise unchanged (the client reports complete).
  ClientStatus client = ClientStatus::pending;
  bool keep_client_status = true;
  // Evicted to make room for a job at least 10 priority higher (desired status "evict"); the
  // evicted allocation's job needs an evaluation of its own afterwards.
  bool preempted = false;
};

// Only non-destructive fields changed: the allocation keeps running under the new version.
struct InPlaceUpdate {
  std::string alloc_id;
  int64_t job_version = 0;
  std::string reason;
};

// Why a task group (or some of its allocations) could not be placed: nomad's AllocMetric.
struct FailureMetrics {
  int64_t nodes_in_pool = 0;                       // nodes in the job's node pool and datacenters
  int64_t nodes_evaluated = 0;                     // nodes looked at
  int64_t nodes_filtered = 0;                      // rejected by a constraint, driver or class
  int64_t nodes_exhausted = 0;                     // feasible but out of some resource
  std::map<std::string, int64_t> nodes_available;  // ready nodes per datacenter
  std::map<std::string, int64_t> class_filtered;   // node class → nodes filtered
  std::map<std::string, int64_t> constraint_filtered;  // "${attr.kernel.name} = freebsd" → nodes
  std::map<std::string, int64_t> class_exhausted;
  std::map<std::string, int64_t> dimension_exhausted;  // "cpu", "memory", "disk", "ports" → nodes
  // A readable explanation in nomad's style ("Constraint ... filtered 3 nodes", ...), a line each.
  std::vector<std::string> explain() const;
};

struct FailedPlacement {
  std::string group;
  int64_t unplaced = 0;  // allocations of the group that found no node
  FailureMetrics metrics;
};

// A failed allocation whose replacement waits for its reschedule delay.
struct DelayedReschedule {
  std::string alloc_id;
  int64_t at = 0;  // unix nanoseconds
};

struct Plan {
  std::string eval_id;
  std::string job_id;
  int64_t job_version = 0;
  std::string trigger;  // "job-register", "job-deregister", "job-scaling", "node-update", ...
  std::vector<Placement> placements;
  std::vector<Stop> stops;
  std::vector<InPlaceUpdate> inplace_updates;
  std::vector<FailedPlacement> failures;
  std::vector<DelayedReschedule> delayed;
  // Destructive updates or migrations held back by max_parallel; a later evaluation does them.
  int64_t deferred = 0;
  // Some placement failed: the job waits for capacity (Cluster::unblock re-evaluates it).
  bool blocked() const { return !failures.empty(); }
  bool empty() const {
    return placements.empty() && stops.empty() && inplace_updates.empty() && failures.empty() &&
           delayed.empty();
  }
};

// A one-line-per-change text, for `minipot sched simulate` and logs.
std::string describe(const Plan& plan);

}  // namespace warden::sched
