// Micro-benchmarks of the scheduler's pieces: a constraint check, the bin-pack score, and one
// placement on a 10,000-node cluster in each selection mode.
#include <benchmark/benchmark.h>

#include <string>

#include "warden/sched/cluster.hpp"
#include "warden/sched/constraint.hpp"

using namespace warden;
using namespace warden::sched;

namespace {

Node node(int i) {
  Node n;
  n.id = "node-" + std::to_string(i);
  n.name = n.id;
  n.total = {8000, 32768, 100000};
  n.drivers = {"pot"};
  n.attributes = {{"kernel.name", "freebsd"}, {"os.version", "14.1"}};
  n.meta["rack"] = "r" + std::to_string(i % 50);
  return n;
}

job::Job one_alloc_job(const std::string& id) {
  job::Job j;
  j.id = id;
  j.name = id;
  j.datacenters = std::vector<std::string>{"*"};
  job::Task t;
  t.name = "t";
  t.driver = "pot";
  job::Resources r;
  r.cpu = 100;
  r.memory_mb = 256;
  t.resources = r;
  job::TaskGroup g;
  g.name = "g";
  g.count = 1;
  g.tasks = std::vector<job::Task>{t};
  g.constraints = std::vector<job::Constraint>{{"${attr.os.version}", ">= 13.0", "version"}};
  j.task_groups = std::vector<job::TaskGroup>{g};
  return j;
}

void BM_ConstraintVersion(benchmark::State& state) {
  std::optional<std::string> l = "14.1", r = ">= 13.0, < 15";
  for (auto _ : state) benchmark::DoNotOptimize(check_operator(Operator::version, l, r));
}
BENCHMARK(BM_ConstraintVersion);

void BM_ConstraintRegexp(benchmark::State& state) {
  std::optional<std::string> l = "r17", r = "^r1[0-9]$";
  for (auto _ : state) benchmark::DoNotOptimize(check_operator(Operator::regexp, l, r));
}
BENCHMARK(BM_ConstraintRegexp);

// One evaluation placing one allocation on a cluster of 10,000 nodes, half of them busy.
void BM_PlaceOneAt10k(benchmark::State& state) {
  Cluster c({SelectionMode(state.range(0)), 1, false});
  for (int i = 0; i < 10000; ++i) (void)c.upsert_node(node(i));
  int k = 0;
  for (int i = 0; i < 50; ++i) {
    auto filler = one_alloc_job("fill-" + std::to_string(i));
    filler.task_groups->at(0).count = 100;
    auto p = c.register_job(filler);
    if (p) (void)c.apply(std::move(*p));
  }
  for (auto _ : state) {
    auto p = c.register_job(one_alloc_job("job-" + std::to_string(k++)));
    benchmark::DoNotOptimize(p);
  }
  state.SetLabel(selection_mode_name(SelectionMode(state.range(0))));
}
BENCHMARK(BM_PlaceOneAt10k)->Arg(int(SelectionMode::exact))->Arg(int(SelectionMode::nomad));

}  // namespace

BENCHMARK_MAIN();
