#include "warden/sched/plan.hpp"

#include <cstdio>

namespace warden::sched {

const char* placement_kind_name(PlacementKind k) {
  switch (k) {
    case PlacementKind::create:
      return "create";
    case PlacementKind::replace:
      return "replace";
    case PlacementKind::reschedule:
      return "reschedule";
    case PlacementKind::lost:
      return "lost";
    case PlacementKind::migrate:
      return "migrate";
  }
  return "?";
}

namespace {
std::string nodes(int64_t n) {
  return std::to_string(n) + (n == 1 ? " node" : " nodes");
}
}  // namespace

std::vector<std::string> FailureMetrics::explain() const {
  std::vector<std::string> out;
  if (nodes_in_pool == 0) {
    out.push_back("No nodes are in the job's datacenters and node pool");
    return out;
  }
  out.push_back(nodes(nodes_evaluated) + " evaluated of " + nodes(nodes_in_pool) +
                " in the job's datacenters and node pool");
  for (const auto& [c, n] : class_filtered)
    out.push_back("Class \"" + c + "\" filtered " + nodes(n));
  for (const auto& [c, n] : constraint_filtered)
    out.push_back("Constraint \"" + c + "\" filtered " + nodes(n));
  for (const auto& [d, n] : dimension_exhausted)
    out.push_back("Resources exhausted on " + nodes(n) + ": dimension \"" + d + "\"");
  if (nodes_evaluated == 0 && nodes_in_pool > 0)
    out.push_back("No node of the pool is ready and eligible");
  return out;
}

std::string describe(const Plan& plan) {
  std::string out;
  char buf[64];
  for (const auto& p : plan.placements) {
    std::snprintf(buf, sizeof buf, "%.4f", p.score);
    out += "place  " + p.alloc.name + " on " + p.alloc.node_id + " (" +
           placement_kind_name(p.kind) + ", score " + buf + ")";
    for (const auto& port : p.alloc.ports)
      out += " " + port.label + "=" + std::to_string(port.value);
    out += "\n";
  }
  for (const auto& s : plan.stops) out += "stop   " + s.alloc_id + " (" + s.reason + ")\n";
  for (const auto& u : plan.inplace_updates)
    out += "update " + u.alloc_id + " to version " + std::to_string(u.job_version) + "\n";
  for (const auto& d : plan.delayed)
    out += "later  " + d.alloc_id + " rescheduled at " + std::to_string(d.at) + "\n";
  for (const auto& f : plan.failures) {
    out += "failed " + std::to_string(f.unplaced) + " allocation(s) of group \"" + f.group +
           "\" found no node:\n";
    for (const auto& line : f.metrics.explain()) out += "         " + line + "\n";
  }
  return out;
}

}  // namespace warden::sched
