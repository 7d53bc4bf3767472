// Small builders for scheduler tests: nodes and jobs from HCL text.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "warden/job/jobspec.hpp"
#include "warden/sched/cluster.hpp"

namespace warden::sched::test {

inline Node make_node(const std::string& name, int64_t cpu, int64_t mem,
                      const std::string& dc = "dc1") {
  Node n;
  n.id = "node-" + name;
  n.name = name;
  n.datacenter = dc;
  n.total = {cpu, mem, 100000};
  n.drivers = {"pot", "exec"};
  n.attributes = {{"kernel.name", "freebsd"}, {"driver.pot", "1"}, {"cpu.arch", "amd64"}};
  return n;
}

inline job::Job make_job(const std::string& hcl) {
  auto j = job::parse_job(hcl, "test.nomad");
  EXPECT_TRUE(j.ok()) << (j.ok() ? "" : j.error().format());
  return j.ok() ? std::move(*j) : job::Job{};
}

// A service job "web" with one group "g" of `count` pot tasks asking cpu/memory.
inline std::string web_job(int count, int cpu, int mem, const std::string& extra_group = "",
                           const std::string& extra_job = "") {
  return "job \"web\" {\n  datacenters = [\"*\"]\n" + extra_job +
         "\n  group \"g\" {\n    count = " + std::to_string(count) + "\n" + extra_group +
         "\n    task \"t\" {\n      driver = \"pot\"\n      config {\n image = \"x\"\n pot = "
         "\"p\"\n "
         "tag = \"1\"\n }\n      resources {\n        cpu = " +
         std::to_string(cpu) + "\n        memory = " + std::to_string(mem) +
         "\n      }\n    }\n  }\n}\n";
}

// Registers and applies a one-allocation job `id` pinned (by constraint) to the node `name`.
inline void place_pinned(Cluster& c, const std::string& id, const std::string& name, int cpu,
                         int mem) {
  auto job = make_job(web_job(1, cpu, mem));
  job.id = id;
  job.name = id;
  job.task_groups->at(0).constraints = {{"${node.unique.name}", name, "="}};
  auto plan = c.register_job(job);
  ASSERT_TRUE(plan.ok() && plan->placements.size() == 1 && c.apply(*plan).ok()) << id;
}

}  // namespace warden::sched::test
