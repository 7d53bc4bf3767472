// Fuzz target for the scheduler's input side: any bytes as a nodes JSON document; whatever
// parses becomes a cluster (up to 500 nodes) on which a small job with a port, a constraint and
// a spread is planned, applied, scaled and stopped. No crash, every failure explains itself,
// and the invariants hold: placements only on nodes that fit, usage back to zero at the end.
//
// With clang (preset "fuzz") this links against libFuzzer; otherwise standalone_driver.cpp
// replays the corpus in tests/fuzz/corpus/sched as a regression test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "warden/sched/cluster.hpp"
#include "warden/sched/json.hpp"

namespace {

warden::job::Job small_job() {
  warden::job::Job j;
  j.id = "fuzz";
  j.name = "fuzz";
  j.datacenters = std::vector<std::string>{"*"};
  warden::job::Task t;
  t.name = "t";
  t.driver = "pot";
  warden::job::Resources r;
  r.cpu = 100;
  r.memory_mb = 64;
  warden::job::NetworkResource net;
  net.dynamic_ports = std::vector<warden::job::Port>{{"http", 0, 80, "", false}};
  t.resources = r;
  warden::job::TaskGroup g;
  g.name = "g";
  g.count = 5;
  g.tasks = std::vector<warden::job::Task>{t};
  g.networks = std::vector<warden::job::NetworkResource>{net};
  g.constraints = std::vector<warden::job::Constraint>{{"${attr.kernel.name}", "linux", "!="}};
  g.spreads = std::vector<warden::job::Spread>{{"${meta.rack}", 50, {}}};
  j.task_groups = std::vector<warden::job::TaskGroup>{g};
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace warden::sched;
  auto nodes = nodes_from_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!nodes) {
    if (nodes.error().message().empty()) std::abort();
    return 0;
  }
  if (nodes->size() > 500) return 0;
  for (auto mode : {SelectionMode::exact, SelectionMode::nomad}) {
    Cluster c({mode, 1, false});
    for (auto& n : *nodes) {
      auto id = c.upsert_node(n);
      if (!id && id.error().message().empty()) std::abort();
    }
    auto plan = c.register_job(small_job());
    if (!plan) std::abort();  // the job is valid: planning it cannot fail
    if (!c.apply(*plan)) std::abort();
    for (const auto* node : c.nodes()) {
      Resources u = c.node_usage(node->id);
      Resources cap = node->total;
      cap -= node->reserved;
      if (u.cpu > cap.cpu || u.memory_mb > cap.memory_mb || u.disk_mb > cap.disk_mb) std::abort();
    }
    auto scaled = c.scale_job("fuzz", "g", 2);
    if (!scaled || !c.apply(*scaled)) std::abort();
    auto stop = c.stop_job("fuzz");
    if (!stop || !c.apply(*stop)) std::abort();
    for (const auto* node : c.nodes()) {
      Resources u = c.node_usage(node->id);
      if (u.cpu != 0 || u.memory_mb != 0 || u.disk_mb != 0) std::abort();
    }
  }
  return 0;
}
