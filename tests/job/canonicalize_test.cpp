// nomad's defaults, by job type.
#include <gtest/gtest.h>

#include "job_test_util.hpp"

using namespace warden::job;
using namespace warden::job::test;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

Job canonical(const std::string& text) {
  Job j = parse_ok(text);
  canonicalize(j);
  return j;
}

std::string typed_job(const std::string& type, const std::string& group_extra = "",
                      const std::string& job_extra = "") {
  return "job \"j\" {\n  type = \"" + type + "\"\n" + job_extra + "  group \"g\" {\n" +
         group_extra +
         "    task \"t\" {\n      driver = \"exec\"\n      service {\n        port = \"80\"\n      "
         "}\n    }\n  }\n}\n";
}

}  // namespace

TEST(Canonicalize, JobDefaults) {
  Job j = canonical(
      "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n");
  EXPECT_EQ(j.region, "global");
  EXPECT_EQ(j.namespace_, "default");
  EXPECT_EQ(j.type, "service");
  EXPECT_EQ(j.priority, 50);
  EXPECT_EQ(j.all_at_once, false);
  EXPECT_EQ(j.stop, false);
  EXPECT_EQ(j.version, 0);
  ASSERT_TRUE(j.update);
  EXPECT_EQ(j.update->max_parallel, 1);
  EXPECT_EQ(j.update->stagger, seconds(30));
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_EQ(g.count, 1);
  EXPECT_EQ(g.ephemeral_disk->size_mb, 300);
  const Task& t = (*g.tasks)[0];
  EXPECT_EQ(t.resources->cpu, 100);
  EXPECT_EQ(t.resources->memory_mb, 300);
  EXPECT_EQ(t.kill_timeout, seconds(5));
  EXPECT_EQ(t.log_config->max_files, 10);
  EXPECT_EQ(t.log_config->max_file_size_mb, 10);
}

TEST(Canonicalize, ServiceJobPolicies) {
  Job j = canonical(typed_job("service"));
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_EQ(g.restart_policy->attempts, 2);
  EXPECT_EQ(g.restart_policy->interval, minutes(30));
  EXPECT_EQ(g.restart_policy->delay, seconds(15));
  EXPECT_EQ(g.restart_policy->mode, "fail");
  EXPECT_EQ(g.reschedule_policy->delay_function, "exponential");
  EXPECT_EQ(g.reschedule_policy->unlimited, true);
  EXPECT_EQ(g.reschedule_policy->max_delay, hours(1));
  ASSERT_TRUE(g.migrate);
  EXPECT_EQ(g.migrate->max_parallel, 1);
  ASSERT_TRUE(g.update);
  EXPECT_EQ(g.update->health_check, "checks");
  EXPECT_EQ((*g.tasks)[0].restart_policy, g.restart_policy);
}

TEST(Canonicalize, BatchJobPolicies) {
  Job j = canonical(typed_job("batch"));
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_FALSE(j.update);
  EXPECT_FALSE(g.update);
  EXPECT_FALSE(g.migrate);
  EXPECT_EQ(g.restart_policy->attempts, 3);
  EXPECT_EQ(g.restart_policy->interval, hours(24));
  EXPECT_EQ(g.reschedule_policy->attempts, 1);
  EXPECT_EQ(g.reschedule_policy->delay_function, "constant");
  EXPECT_EQ(g.reschedule_policy->interval, hours(24));
}

TEST(Canonicalize, SystemJobsHaveNoReschedulePolicy) {
  Job j = canonical(typed_job("system"));
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_FALSE(g.reschedule_policy);
  EXPECT_FALSE(g.migrate);
  EXPECT_TRUE(g.update);
  EXPECT_EQ(g.restart_policy->attempts, 2);
}

TEST(Canonicalize, GroupSettingsMergeOverJobSettings) {
  Job j = canonical(
      typed_job("service",
                "    update {\n      canary = 2\n    }\n    restart {\n      attempts = 9\n    }\n",
                "  update {\n    max_parallel = 3\n  }\n  reschedule {\n    attempts = 4\n  }\n"));
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_EQ(g.update->max_parallel, 3);
  EXPECT_EQ(g.update->canary, 2);
  EXPECT_EQ(g.update->min_healthy_time, seconds(10));
  EXPECT_EQ(g.reschedule_policy->attempts, 4);
  EXPECT_EQ(g.reschedule_policy->delay_function, "exponential");
  EXPECT_EQ(g.restart_policy->attempts, 9);
  EXPECT_EQ(g.restart_policy->interval, minutes(30));
}

TEST(Canonicalize, ServiceNamesAndCheckDefaults) {
  Job j = canonical(
      "job \"web\" {\n  group \"front\" {\n    service {\n      port = \"80\"\n    }\n    task "
      "\"nginx\" {\n      driver = \"exec\"\n"
      "      service {\n        port = \"80\"\n        check_restart {\n          limit = 3\n      "
      "  }\n        check {\n          type = \"tcp\"\n"
      "          interval = \"5s\"\n          timeout = \"1s\"\n        }\n      }\n    }\n  "
      "}\n}\n");
  const TaskGroup& g = (*j.task_groups)[0];
  EXPECT_EQ((*g.services)[0].name, "web-front");
  const Service& s = (*(*g.tasks)[0].services)[0];
  EXPECT_EQ(s.name, "web-front-nginx");
  EXPECT_EQ(s.provider, "consul");
  EXPECT_EQ(s.address_mode, "auto");
  const ServiceCheck& c = (*s.checks)[0];
  EXPECT_EQ(c.on_update, "require_healthy");
  ASSERT_TRUE(c.check_restart);
  EXPECT_EQ(c.check_restart->limit, 3);
  EXPECT_EQ(c.check_restart->grace, seconds(1));
}

TEST(Canonicalize, CountFollowsScalingMin) {
  Job j = canonical(typed_job("service", "    scaling {\n      min = 2\n      max = 5\n    }\n"));
  EXPECT_EQ((*j.task_groups)[0].count, 2);
  EXPECT_EQ((*j.task_groups)[0].scaling->enabled, true);
}

TEST(Canonicalize, CoresClearsTheCpuDefault) {
  Job j = canonical(job_with_task("      resources {\n        cores = 2\n      }\n"));
  const Resources& r = *(*(*j.task_groups)[0].tasks)[0].resources;
  EXPECT_EQ(r.cores, 2);
  EXPECT_EQ(r.cpu, 0);
  EXPECT_EQ(r.memory_mb, 300);
}

TEST(Canonicalize, TemplatesAndArtifacts) {
  Job j =
      canonical(job_with_task("      template {\n        data = \"x\"\n        destination = "
                              "\"local/x\"\n        change_mode = \"signal\"\n      }\n"
                              "      artifact {\n        source = \"https://example.org/a.tgz\"\n  "
                              "      mode = \"file\"\n      }\n"));
  const Task& t = (*(*j.task_groups)[0].tasks)[0];
  EXPECT_EQ((*t.templates)[0].change_signal, "SIGHUP");
  EXPECT_EQ((*t.templates)[0].left_delim, "{{");
  EXPECT_EQ((*t.artifacts)[0].relative_dest, "local/a.tgz");
  EXPECT_EQ((*t.artifacts)[0].getter_insecure, false);
}

TEST(Canonicalize, IsIdempotent) {
  Job j = canonical(typed_job("service"));
  std::string once = to_json(j);
  canonicalize(j);
  EXPECT_EQ(to_json(j), once);
}
