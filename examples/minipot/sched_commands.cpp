// minipot sched simulate: plan job files against a described cluster, and say why what does not
// fit does not fit. Capacity planning without a cluster.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "commands.hpp"
#include "job_files.hpp"
#include "warden.h"

namespace minipot {
namespace {

using ClusterPtr = std::unique_ptr<warden_cluster, decltype(&warden_cluster_free)>;
using PlanPtr = std::unique_ptr<warden_plan, decltype(&warden_plan_free)>;

std::string take(warden_buf& b) {
  std::string s = b.ptr ? std::string(b.ptr, b.size) : std::string();
  warden_buf_dispose(&b);
  return s;
}

int simulate(const Parsed& p) {
  if (!p.has("nodes")) {
    std::fprintf(stderr, "sched simulate needs -nodes FILE: the cluster as JSON (see --help).\n");
    return 1;
  }
  if (p.args.empty()) {
    std::fprintf(stderr, "sched simulate takes one or more job files.\n");
    return 1;
  }
  warden_cluster_options opts = WARDEN_CLUSTER_OPTIONS_INIT;
  std::string mode = p.get("mode", "exact");
  if (mode == "nomad") {
    opts.mode = WARDEN_SELECT_NOMAD;
  } else if (mode != "exact") {
    std::fprintf(stderr, "-mode must be exact or nomad, not \"%s\".\n", mode.c_str());
    return 1;
  }
  std::string algorithm = p.get("algorithm", "binpack");
  if (algorithm == "spread") {
    opts.spread_algorithm = 1;
  } else if (algorithm != "binpack") {
    std::fprintf(stderr, "-algorithm must be binpack or spread, not \"%s\".\n", algorithm.c_str());
    return 1;
  }
  opts.preempt_non_system = p.has("preempt") ? 1 : 0;
  std::string seed = p.get("seed", "1");
  char* end = nullptr;
  opts.seed = std::strtoull(seed.c_str(), &end, 10);
  if (seed.empty() || *end) {
    std::fprintf(stderr, "-seed must be a number, not \"%s\".\n", seed.c_str());
    return 1;
  }
  warden_cluster* raw = nullptr;
  if (warden_error* err = warden_cluster_new(&raw, &opts)) return report(err);
  ClusterPtr cluster(raw, warden_cluster_free);

  std::string nodes;
  if (!read_file(p.get("nodes"), nodes)) {
    std::fprintf(stderr, "Error reading %s: %s\n", p.get("nodes").c_str(), std::strerror(errno));
    return 1;
  }
  if (warden_error* err = warden_cluster_add_nodes_json(cluster.get(), nodes.data(), nodes.size()))
    return report(err);

  bool json = p.has("json");
  bool all_placed = true;
  if (json) std::printf("[");
  for (size_t j = 0; j < p.args.size(); ++j) {
    int status = 0;
    JobPtr job = load_job(p, p.args[j], status);
    if (!job) return status;
    warden_plan* plan_raw = nullptr;
    if (warden_error* err = warden_cluster_register(&plan_raw, cluster.get(), job.get()))
      return report(err);
    PlanPtr plan(plan_raw, warden_plan_free);
    all_placed = all_placed && warden_plan_failure_count(plan.get()) == 0;
    if (json) {
      warden_buf out = WARDEN_BUF_INIT;
      if (warden_error* err = warden_plan_to_json(&out, plan.get(), WARDEN_JSON_PRETTY))
        return report(err);
      std::printf("%s%s", j ? "," : "", take(out).c_str());
    } else {
      size_t placed = warden_plan_placement_count(plan.get());
      std::printf("==> %s: %zu allocation%s placed\n", warden_job_id(job.get()), placed,
                  placed == 1 ? "" : "s");
      for (size_t i = 0; i < placed; ++i) {
        std::printf("    %-28s on %-24s score %.3f", warden_plan_placement_name(plan.get(), i),
                    warden_plan_placement_node(plan.get(), i),
                    warden_plan_placement_score(plan.get(), i));
        for (size_t k = 0; k < warden_plan_placement_port_count(plan.get(), i); ++k)
          std::printf(" %s=%d", warden_plan_placement_port_label(plan.get(), i, k),
                      warden_plan_placement_port_value(plan.get(), i, k));
        std::printf("\n");
      }
      for (size_t f = 0; f < warden_plan_failure_count(plan.get()); ++f) {
        std::printf("    %lld allocation(s) of group \"%s\" could not be placed:\n",
                    static_cast<long long>(warden_plan_failure_unplaced(plan.get(), f)),
                    warden_plan_failure_group(plan.get(), f));
        for (size_t k = 0; k < warden_plan_failure_reason_count(plan.get(), f); ++k)
          std::printf("      * %s\n", warden_plan_failure_reason(plan.get(), f, k));
      }
    }
    // Later jobs see the earlier ones' allocations.
    if (warden_error* err = warden_cluster_apply(cluster.get(), plan.get())) return report(err);
  }
  if (json) {
    std::printf("]\n");
  } else {
    warden_buf out = WARDEN_BUF_INIT;
    if (warden_error* err = warden_cluster_allocations_json(&out, cluster.get(), nullptr, 0))
      return report(err);
    // Nodes used, from the allocations' node IDs (a count of distinct "NodeID" values).
    std::string allocs = take(out);
    std::set<std::string> used;
    for (size_t at = allocs.find("\"NodeID\":\""); at != std::string::npos;
         at = allocs.find("\"NodeID\":\"", at + 1)) {
      size_t start = at + 10, stop = allocs.find('"', start);
      used.insert(allocs.substr(start, stop - start));
    }
    std::printf("==> %zu of %zu nodes used (mode %s)\n", used.size(),
                warden_cluster_node_count(cluster.get()), mode.c_str());
  }
  return all_placed ? 0 : 2;
}

std::vector<Command> sched_commands() {
  std::vector<FlagSpec> flags = var_flags();
  flags.push_back({"nodes", true, false, "The cluster: a JSON file of nodes (required)."});
  flags.push_back({"mode", true, false, "exact (default: the best node of all) or nomad."});
  flags.push_back({"seed", true, false, "Seed of the node shuffle and port picks (default 1)."});
  flags.push_back({"algorithm", true, false, "binpack (default: fill nodes up) or spread."});
  flags.push_back({"preempt", false, false,
                   "Let service and batch jobs evict allocations 10+ priority below them."});
  flags.push_back({"json", false, false, "Print each plan as JSON (an array)."});
  return {
      {"sched simulate", "-nodes FILE JOB...",
       "Plan jobs against a described cluster and show why anything does not fit.",
       "  Registers each job file in turn (each sees the ones before it) on a cluster read from\n"
       "  -nodes, and prints where every allocation would go, with its score and ports. For\n"
       "  anything unplaced it prints nomad's reasons: nodes filtered by which constraint, and\n"
       "  exhausted on which dimension (cpu, memory, disk, ports).\n"
       "\n"
       "  The nodes file holds one node object, an array of them, or {\"Nodes\": [...]}:\n"
       "    [{\"Name\": \"small\", \"Count\": 10, \"Datacenter\": \"dc1\",\n"
       "      \"Resources\": {\"CPU\": 4000, \"MemoryMB\": 8192},\n"
       "      \"Attributes\": {\"kernel.name\": \"freebsd\"}, \"Meta\": {\"rack\": \"r1\"},\n"
       "      \"Drivers\": [\"pot\"]}]\n"
       "  \"Count\" stands for that many nodes named <Name>-1 ... <Name>-N.\n"
       "\n"
       "  Exit status: 0 when everything was placed, 2 when something was not, 1 on errors.",
       flags, simulate},
  };
}
const Registrar registrar(sched_commands);

}  // namespace
}  // namespace minipot
