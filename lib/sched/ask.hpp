// A job compiled for scheduling: per task group, the summed resources, ports, drivers and the
// constraints, affinities and spreads of the job, the group and its tasks, parsed once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/job/model.hpp"
#include "warden/sched/constraint.hpp"
#include "warden/sched/node.hpp"

namespace warden::sched::detail {

struct CompiledConstraint {
  std::string ltarget;
  std::string rtarget;
  Operator op = Operator::equal;
  bool unique = false;  // names a unique target: not cacheable per node class
  std::string text;     // "${attr.kernel.name} = freebsd", for failure metrics
};

struct CompiledAffinity {
  CompiledConstraint match;
  int64_t weight = 0;
};

struct CompiledSpread {
  std::string attribute;
  int64_t weight = 0;
  std::vector<std::pair<std::string, double>> desired;  // value → desired count ("*": the rest)
};

struct PortAsk {
  std::string label;
  int value = 0;  // > 0: a static port
  int to = 0;
};

struct DistinctProperty {
  std::string attribute;
  int64_t limit = 1;
  bool job_level = false;
};

struct ReschedulePolicy {
  int64_t attempts = 0;
  int64_t interval = 0;  // ns
  int64_t delay = 0;     // ns
  std::string delay_function = "constant";
  int64_t max_delay = 0;  // ns
  bool unlimited = false;
};

struct GroupAsk {
  std::string name;
  int64_t count = 1;
  Resources resources;
  std::vector<PortAsk> ports;
  std::vector<std::string> drivers;
  std::vector<CompiledConstraint> constraints;  // job, group and task levels
  bool class_cacheable = true;
  bool distinct_hosts = false;
  std::vector<DistinctProperty> distinct_properties;
  std::vector<CompiledAffinity> affinities;
  int64_t affinity_weight_sum = 0;  // sum of |weight|
  std::vector<CompiledSpread> spreads;
  int64_t spread_weight_sum = 0;
  ReschedulePolicy reschedule;
  int64_t update_max_parallel = 0;  // 0: no update block, replace everything at once
  int64_t migrate_max_parallel = 1;
};

struct CompiledJob {
  std::string id;
  std::string type = "service";  // service, batch, system, sysbatch
  int64_t priority = 50;
  int64_t version = 0;
  std::vector<std::string> datacenters;  // globs
  std::string node_pool = "default";
  std::vector<GroupAsk> groups;

  bool batch() const { return type == "batch" || type == "sysbatch"; }
  bool system() const { return type == "system" || type == "sysbatch"; }
  const GroupAsk* group(const std::string& name) const {
    for (const auto& g : groups)
      if (g.name == name) return &g;
    return nullptr;
  }
};

// Compiles a canonicalized job; errors name the bad constraint operator or spread.
Result<CompiledJob> compile_job(const job::Job& job);

// Glob match with `*` (datacenters).
bool glob_match(std::string_view pattern, std::string_view text);

// Whether a task group changed in a way that needs a new allocation (nomad's tasksUpdated):
// anything but count, update, migrate, reschedule, restart, scaling and constraints.
bool destructive_change(const job::TaskGroup& a, const job::TaskGroup& b);

}  // namespace warden::sched::detail
