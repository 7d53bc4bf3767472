// Each score term against nomad's formulas computed by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"

namespace warden::sched {
// Exposed for tests from lib/sched/eval.hpp.
namespace detail {
double binpack_fit(const Resources& cap, const Resources& util);
double spread_fit(const Resources& cap, const Resources& util);
}  // namespace detail
namespace {

using test::make_job;
using test::make_node;
using test::web_job;

TEST(SchedScore, BestFitV3AtHalfUse) {
  // free 0.5 of cpu and memory: 20 - (10^0.5 + 10^0.5)
  EXPECT_NEAR(detail::binpack_fit({1000, 1000, 0}, {500, 500, 0}), 20 - 2 * std::sqrt(10.0), 1e-9);
  // spread algorithm: 10^0.5 + 10^0.5 - 2
  EXPECT_NEAR(detail::spread_fit({1000, 1000, 0}, {500, 500, 0}), 2 * std::sqrt(10.0) - 2, 1e-9);
}

TEST(SchedScore, BestFitClampsAndFullNodeScoresMost) {
  EXPECT_NEAR(detail::binpack_fit({1000, 1000, 0}, {1000, 1000, 0}), 18.0, 1e-9);  // 20 - 2
  EXPECT_NEAR(detail::binpack_fit({1000, 1000, 0}, {0, 0, 0}), 0.0, 1e-9);         // 20 - 20
  EXPECT_NEAR(detail::binpack_fit({1000, 2000, 0}, {250, 1500, 0}),
              20 - (std::pow(10, 0.75) + std::pow(10, 0.25)), 1e-9);
}

TEST(SchedScore, PlacementScoreIsNormalisedBinPack) {
  Cluster c;
  ASSERT_TRUE(c.upsert_node(make_node("a", 1000, 1000)).ok());
  auto plan = c.register_job(make_job(web_job(1, 500, 500)));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 1u);
  EXPECT_NEAR(plan->placements[0].score, (20 - 2 * std::sqrt(10.0)) / 18.0, 1e-9);
}

TEST(SchedScore, JobAntiAffinityIsMeanWithPenalty) {
  // One node only: the second allocation collides with the first.
  Cluster c;
  ASSERT_TRUE(c.upsert_node(make_node("a", 1000, 1000)).ok());
  auto plan = c.register_job(make_job(web_job(4, 250, 250)));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 4u);
  // Second placement: util 500/500 → fit 20 - 2·10^0.5; penalty -(1+1)/4; mean of the two.
  double fit = (20 - 2 * std::sqrt(10.0)) / 18.0;
  EXPECT_NEAR(plan->placements[1].score, (fit - 0.5) / 2, 1e-9);
  // Fourth: util 1000/1000 → fit 1; penalty -(3+1)/4.
  EXPECT_NEAR(plan->placements[3].score, (1.0 - 1.0) / 2, 1e-9);
}

TEST(SchedScore, AffinityAddsWeightedTerm) {
  Cluster c;
  auto a = make_node("a", 1000, 1000);
  a.meta["rack"] = "r1";
  auto b = make_node("b", 1000, 1000);
  b.meta["rack"] = "r2";
  ASSERT_TRUE(c.upsert_node(a).ok());
  ASSERT_TRUE(c.upsert_node(b).ok());
  auto plan = c.register_job(make_job(
      web_job(1, 100, 100,
              "affinity {\n attribute = \"${meta.rack}\"\n value = \"r2\"\n weight = 50\n}\n"
              "affinity {\n attribute = \"${meta.rack}\"\n value = \"r9\"\n weight = -50\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 1u);
  EXPECT_EQ(plan->placements[0].alloc.node_id, "node-b");
  double fit = (20 - 2 * std::pow(10.0, 0.9)) / 18.0;
  // total 50 of |50| + |-50| = 100 → 0.5, averaged with the bin-pack term. (As in nomad, the
  // mean means a matching affinity lowers the score of a node whose fit is above 0.5.)
  EXPECT_NEAR(plan->placements[0].score, (fit + 0.5) / 2, 1e-9);
}

TEST(SchedScore, SpreadTargetBoost) {
  Cluster c;
  auto a = make_node("a", 4000, 4000, "dc1");
  auto b = make_node("b", 4000, 4000, "dc2");
  ASSERT_TRUE(c.upsert_node(a).ok());
  ASSERT_TRUE(c.upsert_node(b).ok());
  auto plan = c.register_job(
      make_job(web_job(10, 100, 100,
                       "spread {\n attribute = \"${node.datacenter}\"\n weight = 100\n"
                       " target \"dc1\" { percent = 70 }\n target \"dc2\" { percent = 30 }\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 10u);
  int in_dc1 = 0;
  for (const auto& p : plan->placements) in_dc1 += p.alloc.node_id == "node-a";
  EXPECT_EQ(in_dc1, 7);
  // First placement goes to dc1: boost (7 - 1)/7 · 1 and the bin-pack term, averaged.
  double fit = (20 - 2 * std::pow(10.0, 1 - 100.0 / 4000)) / 18.0;
  EXPECT_EQ(plan->placements[0].alloc.node_id, "node-a");
  EXPECT_NEAR(plan->placements[0].score, (fit + 6.0 / 7.0) / 2, 1e-9);
}

TEST(SchedScore, EvenSpreadAlternatesRacks) {
  Cluster c;
  for (int i = 0; i < 4; ++i) {
    auto n = make_node("n" + std::to_string(i), 4000, 4000);
    n.meta["rack"] = i < 2 ? "r1" : "r2";
    ASSERT_TRUE(c.upsert_node(n).ok());
  }
  auto plan = c.register_job(
      make_job(web_job(4, 100, 100, "spread {\n attribute = \"${meta.rack}\"\n}\n")));
  ASSERT_TRUE(plan.ok());
  int r1 = 0;
  for (const auto& p : plan->placements)
    r1 += p.alloc.node_id == "node-n0" || p.alloc.node_id == "node-n1";
  EXPECT_EQ(r1, 2);
}

TEST(SchedScore, EvenSpreadBoostValues) {
  // Rack r1 holds the first allocation: for the second, an r1 node gets nomad's -1 (even
  // distribution reached), an r2 node +1 ((min - 0) / min), each averaged with the bin-pack term.
  Cluster c;
  for (int i = 0; i < 4; ++i) {
    auto n = make_node("n" + std::to_string(i), 4000, 4000);
    n.meta["rack"] = i < 2 ? "r1" : "r2";
    ASSERT_TRUE(c.upsert_node(n).ok());
  }
  auto plan = c.register_job(
      make_job(web_job(2, 100, 100, "spread {\n attribute = \"${meta.rack}\"\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->placements.size(), 2u);
  double fit = (20 - 2 * std::pow(10.0, 1 - 100.0 / 4000)) / 18.0;
  EXPECT_NEAR(plan->placements[0].score, fit, 1e-9);  // nothing placed yet: the boost is 0
  EXPECT_NEAR(plan->placements[1].score, (fit + 1.0) / 2, 1e-9);
  auto in_r1 = [](const std::string& node) { return node == "node-n0" || node == "node-n1"; };
  EXPECT_NE(in_r1(plan->placements[0].alloc.node_id), in_r1(plan->placements[1].alloc.node_id));
}

TEST(SchedScore, ReschedulePenaltyAvoidsPreviousNode) {
  Cluster c;
  c.set_now(1'000'000'000'000);
  ASSERT_TRUE(c.upsert_node(make_node("a", 1000, 1000)).ok());
  ASSERT_TRUE(c.upsert_node(make_node("b", 1000, 1000)).ok());
  auto plan = c.register_job(
      make_job(web_job(1, 500, 500, "reschedule {\n delay = \"0s\"\n unlimited = true\n}\n")));
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(c.apply(*plan).ok());
  std::string first = plan->placements[0].alloc.node_id;
  ASSERT_TRUE(c.set_alloc_status(plan->placements[0].alloc.id, ClientStatus::failed).ok());
  auto again = c.evaluate_job("web");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->placements.size(), 1u);
  EXPECT_EQ(again->placements[0].kind, PlacementKind::reschedule);
  EXPECT_NE(again->placements[0].alloc.node_id, first);
  EXPECT_EQ(again->placements[0].alloc.previous_allocation, plan->placements[0].alloc.id);
}

TEST(SchedScore, ReschedulePenaltyIsMinusOneInTheMean) {
  // One node only: the replacement has to go back to it, with the penalty term.
  Cluster c;
  c.set_now(1'000'000'000'000);
  ASSERT_TRUE(c.upsert_node(make_node("a", 1000, 1000)).ok());
  auto plan = c.register_job(
      make_job(web_job(1, 500, 500, "reschedule {\n delay = \"0s\"\n unlimited = true\n}\n")));
  ASSERT_TRUE(plan.ok() && c.apply(*plan).ok());
  ASSERT_TRUE(c.set_alloc_status(plan->placements[0].alloc.id, ClientStatus::failed).ok());
  auto again = c.evaluate_job("web");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->placements.size(), 1u);
  double fit = (20 - 2 * std::sqrt(10.0)) / 18.0;
  EXPECT_NEAR(again->placements[0].score, (fit - 1.0) / 2, 1e-9);
}

}  // namespace
}  // namespace warden::sched
