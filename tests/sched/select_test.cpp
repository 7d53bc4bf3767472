// Feasibility, ports, failure metrics and the two selection modes.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "support.hpp"

namespace warden::sched {
namespace {

using test::make_job;
using test::make_node;
using test::web_job;

TEST(SchedSelect, ConstraintsFilterAndFailureMetricsSayWhy) {
  Cluster c;
  auto linux = make_node("l", 2000, 2000);
  linux.attributes["kernel.name"] = "linux";
  ASSERT_TRUE(c.upsert_node(linux).ok());
  ASSERT_TRUE(c.upsert_node(make_node("f", 2000, 2000)).ok());
  auto plan = c.register_job(make_job(
      web_job(2, 1500, 100,
              "constraint {\n attribute = \"${attr.kernel.name}\"\n value = \"freebsd\"\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 1u);
  EXPECT_EQ(plan->placements[0].alloc.node_id, "node-f");
  ASSERT_EQ(plan->failures.size(), 1u);
  const auto& m = plan->failures[0].metrics;
  EXPECT_EQ(plan->failures[0].unplaced, 1);
  EXPECT_EQ(m.nodes_evaluated, 2);
  EXPECT_EQ(m.nodes_filtered, 1);
  EXPECT_EQ(m.constraint_filtered.at("${attr.kernel.name} = freebsd"), 1);
  EXPECT_EQ(m.nodes_exhausted, 1);
  EXPECT_EQ(m.dimension_exhausted.at("cpu"), 1);
  std::string text = describe(*plan);
  EXPECT_NE(text.find("Constraint \"${attr.kernel.name} = freebsd\" filtered 1 node"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dimension \"cpu\""), std::string::npos) << text;
}

TEST(SchedSelect, MissingDriverDatacenterAndPool) {
  Cluster c;
  auto no_pot = make_node("a", 2000, 2000);
  no_pot.drivers = {"exec"};
  auto other_dc = make_node("b", 2000, 2000, "east");
  auto other_pool = make_node("c", 2000, 2000);
  other_pool.node_pool = "gpu";
  for (auto* n : {&no_pot, &other_dc, &other_pool}) ASSERT_TRUE(c.upsert_node(*n).ok());
  std::string hcl = web_job(1, 100, 100);
  hcl.replace(hcl.find("[\"*\"]"), 5, "[\"dc*\"]");
  auto plan = c.register_job(make_job(hcl));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->failures.size(), 1u);
  const auto& m = plan->failures[0].metrics;
  EXPECT_EQ(m.nodes_in_pool, 1);  // only "a" is in dc* and the default pool
  EXPECT_EQ(m.constraint_filtered.at("missing drivers"), 1);
  ASSERT_TRUE(c.upsert_node(make_node("d", 2000, 2000, "dc2")).ok());
  auto again = c.evaluate_job("web");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->placements.size(), 1u);
  EXPECT_EQ(again->placements[0].alloc.node_id, "node-d");
}

TEST(SchedSelect, StaticPortCollision) {
  Cluster c;
  auto a = make_node("a", 4000, 4000);
  a.reserved_ports = {8080};
  ASSERT_TRUE(c.upsert_node(a).ok());
  ASSERT_TRUE(c.upsert_node(make_node("b", 4000, 4000)).ok());
  auto plan = c.register_job(
      make_job(web_job(2, 100, 100, "network {\n port \"http\" { static = 8080 }\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 1u);
  EXPECT_EQ(plan->placements[0].alloc.node_id, "node-b");
  ASSERT_EQ(plan->placements[0].alloc.ports.size(), 1u);
  EXPECT_EQ(plan->placements[0].alloc.ports[0].value, 8080);
  ASSERT_EQ(plan->failures.size(), 1u);
  EXPECT_EQ(plan->failures[0].metrics.dimension_exhausted.at("ports"), 2);
}

TEST(SchedSelect, DynamicPortsComeFromTheRangeAndRunOut) {
  Cluster c;
  auto a = make_node("a", 100000, 100000);
  a.min_dynamic_port = 20000;
  a.max_dynamic_port = 20002;
  a.reserved_ports = {20001};
  ASSERT_TRUE(c.upsert_node(a).ok());
  auto plan = c.register_job(make_job(web_job(3, 10, 10, "network {\n port \"http\" {}\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 2u);
  std::set<int> ports;
  for (const auto& p : plan->placements) ports.insert(p.alloc.ports.at(0).value);
  EXPECT_EQ(ports, (std::set<int>{20000, 20002}));
  ASSERT_EQ(plan->failures.size(), 1u);
  EXPECT_EQ(plan->failures[0].metrics.dimension_exhausted.at("ports"), 1);
}

TEST(SchedSelect, DistinctHostsAndDistinctProperty) {
  Cluster c;
  for (int i = 0; i < 4; ++i) {
    auto n = make_node(std::to_string(i), 8000, 8000);
    n.meta["rack"] = i < 2 ? "r1" : "r2";
    ASSERT_TRUE(c.upsert_node(n).ok());
  }
  auto hosts = c.register_job(make_job(web_job(
      5, 100, 100, "constraint {\n operator = \"distinct_hosts\"\n value = \"true\"\n}\n")));
  ASSERT_TRUE(hosts.ok());
  EXPECT_EQ(hosts->placements.size(), 4u);
  EXPECT_EQ(hosts->failures.at(0).metrics.constraint_filtered.at("distinct_hosts"), 4);

  Cluster d;
  for (int i = 0; i < 4; ++i) {
    auto n = make_node(std::to_string(i), 8000, 8000);
    n.meta["rack"] = i < 2 ? "r1" : "r2";
    ASSERT_TRUE(d.upsert_node(n).ok());
  }
  auto prop = d.register_job(make_job(
      web_job(4, 100, 100,
              "constraint {\n operator = \"distinct_property\"\n attribute = \"${meta.rack}\"\n"
              " value = \"1\"\n}\n")));
  ASSERT_TRUE(prop.ok());
  EXPECT_EQ(prop->placements.size(), 2u);  // one per rack
}

TEST(SchedSelect, ExactPicksTheFullestFittingNode) {
  Cluster c;
  ASSERT_TRUE(c.upsert_node(make_node("empty", 4000, 4000)).ok());
  ASSERT_TRUE(c.upsert_node(make_node("busy", 4000, 4000)).ok());
  ASSERT_TRUE(c.upsert_node(make_node("full", 4000, 4000)).ok());
  // Fill "busy" halfway and "full" almost completely with other jobs.
  test::place_pinned(c, "filler", "busy", 2000, 2000);
  test::place_pinned(c, "big", "full", 3900, 3900);
  auto plan = c.register_job(make_job(web_job(1, 1000, 1000)));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 1u);
  EXPECT_EQ(plan->placements[0].alloc.node_id, "node-busy");
}

TEST(SchedSelect, ExactPacksTighterThanNomadMode) {
  auto nodes_used = [](SelectionMode mode) {
    Cluster c({mode, 7, false});
    for (int i = 0; i < 64; ++i)
      EXPECT_TRUE(c.upsert_node(make_node(std::to_string(i), 4000, 4000)).ok());
    for (int j = 0; j < 8; ++j) {
      auto job = make_job(web_job(12, 300 + 50 * j, 300 + 40 * j));
      job.id = "job" + std::to_string(j);
      job.name = job.id;
      auto p = c.register_job(job);
      EXPECT_TRUE(p.ok() && p->failures.empty() && c.apply(*p).ok());
    }
    std::set<std::string> used;
    for (const auto* a : c.allocations()) used.insert(a->node_id);
    return used.size();
  };
  size_t exact = nodes_used(SelectionMode::exact), nomad = nodes_used(SelectionMode::nomad);
  EXPECT_LT(exact, nomad);
}

TEST(SchedSelect, SpreadAlgorithmPrefersTheEmptiestNode) {
  for (auto mode : {SelectionMode::exact, SelectionMode::nomad}) {
    SchedulerConfig config{mode, 1, false, SchedulerConfig::Algorithm::spread};
    Cluster c(config);
    ASSERT_TRUE(c.upsert_node(make_node("empty", 4000, 4000)).ok());
    ASSERT_TRUE(c.upsert_node(make_node("busy", 4000, 4000)).ok());
    test::place_pinned(c, "filler", "busy", 2000, 2000);
    auto plan = c.register_job(make_job(web_job(1, 1000, 1000)));
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->placements.size(), 1u);
    EXPECT_EQ(plan->placements[0].alloc.node_id, "node-empty");
    // 10^0.75 + 10^0.75 - 2, normalised.
    EXPECT_NEAR(plan->placements[0].score, (2 * std::pow(10.0, 0.75) - 2) / 18.0, 1e-9);
  }
}

TEST(SchedSelect, NomadModeLooksAtLog2NCandidates) {
  // With 1024 empty identical nodes nomad mode still places (it looks at ceil(log2 N) = 10).
  Cluster c({SelectionMode::nomad, 3, false});
  for (int i = 0; i < 1024; ++i)
    ASSERT_TRUE(c.upsert_node(make_node(std::to_string(i), 4000, 4000)).ok());
  auto plan = c.register_job(make_job(web_job(50, 100, 100)));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->placements.size(), 50u);
  std::set<std::string> nodes;
  for (const auto& p : plan->placements) nodes.insert(p.alloc.node_id);
  EXPECT_EQ(nodes.size(), 50u);  // anti-affinity spreads them
}

TEST(SchedSelect, NodeClassesAreComputedFromNonUniqueAttributes) {
  auto a = make_node("a", 1000, 1000);
  auto b = make_node("b", 1000, 1000);
  b.attributes["unique.hostname"] = "b.example";
  EXPECT_EQ(computed_class(a), computed_class(b));
  b.meta["rack"] = "r7";
  EXPECT_NE(computed_class(a), computed_class(b));
}

TEST(SchedSelect, ResolvesEveryTarget) {
  auto n = make_node("a", 1000, 1000, "dc9");
  n.node_class = "large";
  n.node_pool = "prod";
  n.meta["rack"] = "r1";
  EXPECT_EQ(resolve_target("${node.unique.id}", n), "node-a");
  EXPECT_EQ(resolve_target("${node.unique.name}", n), "a");
  EXPECT_EQ(resolve_target("${node.datacenter}", n), "dc9");
  EXPECT_EQ(resolve_target("${node.class}", n), "large");
  EXPECT_EQ(resolve_target("${node.pool}", n), "prod");
  EXPECT_EQ(resolve_target("${attr.kernel.name}", n), "freebsd");
  EXPECT_EQ(resolve_target("${meta.rack}", n), "r1");
  EXPECT_EQ(resolve_target("${meta.nope}", n), std::nullopt);
  EXPECT_EQ(resolve_target("literal", n), "literal");
}

}  // namespace
}  // namespace warden::sched
