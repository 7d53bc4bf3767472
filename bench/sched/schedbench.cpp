// schedbench: the scheduler on generated clusters and workloads, both selection modes side by
// side. Deterministic from --seed. Prints a table, then one JSON line per run.
//
//   schedbench c1m                 10,000 nodes, 1,000 jobs × 1,000 allocations
//   schedbench nomad-grid          nomad's BenchmarkServiceScheduler grid
//   schedbench churn               80% full, then waves of node failures and drains
//   schedbench fragment            heterogeneous asks that strand capacity
//   schedbench all
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "warden/sched/cluster.hpp"

using namespace warden;
using namespace warden::sched;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct NodeSize {
  int64_t cpu, mem;
};

struct Ask {
  int64_t cpu, mem;
  int64_t count;
  bool half_racks = false;
  bool spread_racks = false;
};

struct Result {
  std::string scenario, mode;
  int64_t nodes = 0, placed = 0, failed = 0, evals = 0;
  double seconds = 0;
  std::vector<double> eval_ms;
  int64_t nodes_used = 0, lower_bound = 0;
  double cpu_util = 0, mem_util = 0;
  std::string extra;
};

Result start_result(const char* scenario, SelectionMode mode, int nodes) {
  Result r;
  r.scenario = scenario;
  r.mode = selection_mode_name(mode);
  r.nodes = nodes;
  return r;
}

Node make_node(int i, const NodeSize& size, int racks, int dcs) {
  Node n;
  n.id = "node-" + std::to_string(i);
  n.name = n.id;
  n.datacenter = "dc" + std::to_string(i % dcs + 1);
  n.total = {size.cpu, size.mem, 1000000};
  n.drivers = {"pot"};
  n.attributes = {{"kernel.name", "freebsd"},
                  {"driver.pot", "1"},
                  {"cpu.arch", "amd64"},
                  {"unique.hostname", n.id}};
  n.meta["rack"] = "r" + std::to_string(i % racks);
  return n;
}

job::Job make_job(const std::string& id, const Ask& ask, int racks) {
  job::Job j;
  j.id = id;
  j.name = id;
  j.type = "service";
  j.datacenters = std::vector<std::string>{"*"};
  job::TaskGroup g;
  g.name = "g";
  g.count = ask.count;
  job::Task t;
  t.name = "t";
  t.driver = "pot";
  job::Resources r;
  r.cpu = ask.cpu;
  r.memory_mb = ask.mem;
  t.resources = r;
  g.tasks = std::vector<job::Task>{t};
  if (ask.half_racks) {
    std::string list;
    for (int k = 0; k < racks / 2; ++k) list += (k ? "," : "") + ("r" + std::to_string(k));
    g.constraints = std::vector<job::Constraint>{{"${meta.rack}", list, "set_contains_any"}};
  }
  if (ask.spread_racks) g.spreads = std::vector<job::Spread>{{"${meta.rack}", 100, {}}};
  j.task_groups = std::vector<job::TaskGroup>{g};
  return j;
}

// The fewest of the largest nodes whose summed capacity covers the demand, per dimension; the
// largest of the dimensions.
int64_t lower_bound_nodes(const std::vector<NodeSize>& sizes, int64_t cpu, int64_t mem) {
  auto fewest = [&](std::vector<int64_t> caps, int64_t demand) {
    std::sort(caps.rbegin(), caps.rend());
    int64_t n = 0, sum = 0;
    for (int64_t c : caps) {
      if (sum >= demand) break;
      sum += c, ++n;
    }
    return n;
  };
  std::vector<int64_t> c, m;
  for (const auto& s : sizes) c.push_back(s.cpu), m.push_back(s.mem);
  return std::max(fewest(c, cpu), fewest(m, mem));
}

void measure_use(Cluster& cluster, Result& r, const std::vector<NodeSize>& sizes) {
  int64_t used_nodes = 0, cap_cpu = 0, cap_mem = 0, use_cpu = 0, use_mem = 0;
  for (const auto* n : cluster.nodes()) {
    Resources u = cluster.node_usage(n->id);
    if (u.cpu == 0 && u.memory_mb == 0) continue;
    ++used_nodes;
    cap_cpu += n->total.cpu - n->reserved.cpu;
    cap_mem += n->total.memory_mb - n->reserved.memory_mb;
    use_cpu += u.cpu;
    use_mem += u.memory_mb;
  }
  r.nodes_used = used_nodes;
  r.cpu_util = cap_cpu ? double(use_cpu) / double(cap_cpu) : 0;
  r.mem_util = cap_mem ? double(use_mem) / double(cap_mem) : 0;
  r.lower_bound = lower_bound_nodes(sizes, use_cpu, use_mem);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = size_t(std::ceil(p * double(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

// Registers and applies each job, timing every evaluation.
void run_jobs(Cluster& cluster, const std::vector<job::Job>& jobs, Result& r) {
  auto start = Clock::now();
  for (const auto& j : jobs) {
    auto t = Clock::now();
    auto plan = cluster.register_job(j);
    if (!plan) {
      std::fprintf(stderr, "schedbench: %s\n", plan.error().message().c_str());
      std::exit(1);
    }
    r.placed += int64_t(plan->placements.size());
    for (const auto& f : plan->failures) r.failed += f.unplaced;
    if (auto applied = cluster.apply(std::move(*plan)); !applied) {
      std::fprintf(stderr, "schedbench: %s\n", applied.error().message().c_str());
      std::exit(1);
    }
    r.eval_ms.push_back(seconds_since(t) * 1e3);
    ++r.evals;
  }
  r.seconds = seconds_since(start);
}

std::vector<Result> results;

// c1m's three node sizes share 8 cores and differ in memory (like a compute, a general and a
// memory-optimised instance type). c1m-mixed doubles the cores from size to size as well: there
// every BestFit scheduler fills the small nodes first (it ranks by the share left free), while
// the lower bound counts the largest nodes first, so that bound cannot be reached.
const std::vector<NodeSize> kC1mSizes = {{8000, 24576}, {8000, 32768}, {8000, 49152}};
const std::vector<NodeSize> kC1mMixedSizes = {{4000, 8192}, {8000, 16384}, {16000, 32768}};

void c1m(SelectionMode mode, uint64_t seed, double scale, bool mixed) {
  const int nodes = int(10000 * scale), jobs = int(1000 * scale), per_job = 1000, racks = 50;
  const std::vector<NodeSize>& kinds = mixed ? kC1mMixedSizes : kC1mSizes;
  std::mt19937_64 rng(seed);
  Cluster cluster({mode, seed, false});
  std::vector<NodeSize> sizes;
  for (int i = 0; i < nodes; ++i) {
    const auto& k = kinds[size_t(i) % kinds.size()];
    sizes.push_back(k);
    (void)cluster.upsert_node(make_node(i, k, racks, 2));
  }
  std::vector<job::Job> list;
  for (int j = 0; j < jobs; ++j) {
    Ask a;
    if (rng() % 5 == 0)
      a = {100 + int64_t(rng() % 3) * 50, 128 + int64_t(rng() % 4) * 128, per_job};
    else
      a = {20 + int64_t(rng() % 3) * 10, 32 + int64_t(rng() % 3) * 32, per_job};
    a.half_racks = j % 4 == 3;
    list.push_back(make_job("job-" + std::to_string(j), a, racks));
  }
  Result r = start_result(mixed ? "c1m-mixed" : "c1m", mode, nodes);
  run_jobs(cluster, list, r);
  measure_use(cluster, r, sizes);
  results.push_back(std::move(r));
}

void nomad_grid(SelectionMode mode, uint64_t seed) {
  for (int nodes : {500, 1000, 5000, 10000}) {
    for (int allocs : {50, 300, 600, 900, 1200}) {
      for (bool spread : {false, true}) {
        Cluster cluster({mode, seed, false});
        std::vector<NodeSize> sizes;
        for (int i = 0; i < nodes; ++i) {
          sizes.push_back({4000, 8192});
          (void)cluster.upsert_node(make_node(i, sizes.back(), 50, 1));
        }
        Ask a{100, 256, allocs};
        a.spread_racks = spread;
        Result r = start_result("nomad-grid", mode, nodes);
        r.extra = std::to_string(allocs) + (spread ? " allocs, spread" : " allocs");
        run_jobs(cluster, {make_job("grid", a, 50)}, r);
        measure_use(cluster, r, sizes);
        results.push_back(std::move(r));
      }
    }
  }
}

void fragment(SelectionMode mode, uint64_t seed) {
  // Asks that leave awkward remainders: tall-memory and wide-cpu jobs interleaved, sized so that
  // a careless placement strands one dimension.
  const int nodes = 2000;
  std::mt19937_64 rng(seed);
  Cluster cluster({mode, seed, false});
  std::vector<NodeSize> sizes;
  for (int i = 0; i < nodes; ++i) {
    sizes.push_back({8000, 16384});
    (void)cluster.upsert_node(make_node(i, sizes.back(), 20, 1));
  }
  std::vector<job::Job> list;
  for (int j = 0; j < 240; ++j) {
    Ask a;
    switch (rng() % 4) {
      case 0:
        a = {3000, 1024, 20};
        break;  // cpu-heavy
      case 1:
        a = {500, 6000, 20};
        break;  // memory-heavy
      case 2:
        a = {2500, 5000, 20};
        break;  // balanced, large
      default:
        a = {700, 900, 40};
        break;  // small filler
    }
    list.push_back(make_job("frag-" + std::to_string(j), a, 20));
  }
  Result r = start_result("fragment", mode, nodes);
  run_jobs(cluster, list, r);
  measure_use(cluster, r, sizes);
  results.push_back(std::move(r));
}

void churn(SelectionMode mode, uint64_t seed) {
  const int nodes = 2000, racks = 20;
  std::mt19937_64 rng(seed);
  Cluster cluster({mode, seed, false});
  std::vector<NodeSize> sizes;
  for (int i = 0; i < nodes; ++i) {
    sizes.push_back({8000, 16384});
    (void)cluster.upsert_node(make_node(i, sizes.back(), racks, 2));
  }
  // Fill to about 80%: 2000 nodes × 8000 MHz × 0.8 = 12.8 M MHz in 200-MHz asks.
  std::vector<job::Job> list;
  for (int j = 0; j < 320; ++j)
    list.push_back(make_job("svc-" + std::to_string(j), {200, 300, 200}, racks));
  Result fill = start_result("churn", mode, nodes);
  fill.extra = "fill to 80%";
  run_jobs(cluster, list, fill);
  measure_use(cluster, fill, sizes);
  results.push_back(fill);
  // Waves: 2% of the nodes fail, then 2% drain; every affected job is re-evaluated.
  Result waves = start_result("churn", mode, nodes);
  waves.extra = "5 waves of failures + drains";
  auto start = Clock::now();
  for (int wave = 0; wave < 5; ++wave) {
    for (int k = 0; k < nodes / 50; ++k) {
      std::string id = "node-" + std::to_string(rng() % uint64_t(nodes));
      bool drain = k % 2;
      if (drain ? !cluster.set_node_drain(id, true).ok()
                : !cluster.set_node_status(id, NodeStatus::down).ok())
        continue;
      auto t = Clock::now();
      for (int round = 0; round < 4; ++round) {  // drains migrate max_parallel at a time
        auto plans = cluster.evaluate_node(id);
        if (!plans) break;
        int64_t moved = 0;
        for (const auto& p : *plans) {
          moved += int64_t(p.placements.size());
          for (const auto& f : p.failures) waves.failed += f.unplaced;
        }
        waves.placed += moved;
        ++waves.evals;
        if (moved == 0) break;
      }
      waves.eval_ms.push_back(seconds_since(t) * 1e3);
    }
  }
  waves.seconds = seconds_since(start);
  measure_use(cluster, waves, sizes);
  results.push_back(std::move(waves));
}

void print_table() {
  std::printf("%-11s %-6s %-26s %7s %9s %7s %10s %9s %9s %7s %7s %6s %6s\n", "scenario", "mode",
              "case", "nodes", "placed", "failed", "place/s", "p50 ms", "p99 ms", "used", "bound",
              "cpu%", "mem%");
  for (const auto& r : results) {
    std::printf("%-11s %-6s %-26s %7lld %9lld %7lld %10.0f %9.3f %9.3f %7lld %7lld %6.1f %6.1f\n",
                r.scenario.c_str(), r.mode.c_str(), r.extra.c_str(), (long long)r.nodes,
                (long long)r.placed, (long long)r.failed,
                r.seconds > 0 ? double(r.placed) / r.seconds : 0.0, percentile(r.eval_ms, 0.5),
                percentile(r.eval_ms, 0.99), (long long)r.nodes_used, (long long)r.lower_bound,
                100 * r.cpu_util, 100 * r.mem_util);
  }
  for (const auto& r : results) {
    std::printf(
        "{\"scenario\":\"%s\",\"mode\":\"%s\",\"case\":\"%s\",\"nodes\":%lld,\"placed\":%lld,"
        "\"failed\":%lld,\"seconds\":%.4f,\"placements_per_second\":%.0f,\"eval_p50_ms\":%.4f,"
        "\"eval_p99_ms\":%.4f,\"nodes_used\":%lld,\"lower_bound\":%lld,\"cpu_util\":%.4f,"
        "\"mem_util\":%.4f}\n",
        r.scenario.c_str(), r.mode.c_str(), r.extra.c_str(), (long long)r.nodes,
        (long long)r.placed, (long long)r.failed, r.seconds,
        r.seconds > 0 ? double(r.placed) / r.seconds : 0.0, percentile(r.eval_ms, 0.5),
        percentile(r.eval_ms, 0.99), (long long)r.nodes_used, (long long)r.lower_bound, r.cpu_util,
        r.mem_util);
  }
}

void usage() {
  std::puts(
      "usage: schedbench [c1m|c1m-mixed|nomad-grid|churn|fragment|all] [--seed N] [--mode "
      "exact|nomad|both]\n"
      "                  [--scale F]\n"
      "Generates clusters and workloads from the seed, runs them through warden's scheduler in\n"
      "each selection mode and prints a table and a JSON line per run: placements per second,\n"
      "evaluation latency p50/p99, failed placements, nodes used against the lower bound (the\n"
      "fewest largest nodes covering the summed demand) and utilisation of the used nodes.\n"
      "--scale shrinks c1m (0.1: 1,000 nodes and 100 jobs) for a quick look.");
}

}  // namespace

int main(int argc, char** argv) {
  std::string what = "c1m", modes = "both";
  uint64_t seed = 1;
  double scale = 1.0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") return usage(), 0;
    if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--mode" && i + 1 < argc)
      modes = argv[++i];
    else if (a == "--scale" && i + 1 < argc)
      scale = std::atof(argv[++i]);
    else if (a[0] != '-')
      what = a;
    else
      return usage(), 2;
  }
  std::vector<SelectionMode> run;
  if (modes == "both" || modes == "exact") run.push_back(SelectionMode::exact);
  if (modes == "both" || modes == "nomad") run.push_back(SelectionMode::nomad);
  if (run.empty() || scale <= 0) return usage(), 2;
  bool all = what == "all";
  bool known = all || what == "c1m" || what == "c1m-mixed" || what == "nomad-grid" ||
               what == "churn" || what == "fragment";
  if (!known) return usage(), 2;
  for (auto mode : run) {
    if (all || what == "c1m") c1m(mode, seed, scale, false);
    if (all || what == "c1m-mixed") c1m(mode, seed, scale, true);
    if (all || what == "nomad-grid") nomad_grid(mode, seed);
    if (all || what == "churn") churn(mode, seed);
    if (all || what == "fragment") fragment(mode, seed);
  }
  print_table();
  return 0;
}
