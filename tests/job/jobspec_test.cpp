// Decoding job files into the job model: structure, nomad's special cases, variables and locals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "job_test_util.hpp"

using namespace warden::job;
using namespace warden::job::test;
using ::testing::HasSubstr;

TEST(Jobspec, IdAndNameComeFromTheLabel) {
  Job j = parse_ok("job \"web\" {\n}\n");
  EXPECT_EQ(j.id, "web");
  EXPECT_EQ(j.name, "web");
  Job named = parse_ok("job \"web\" {\n  name = \"Web\"\n}\n");
  EXPECT_EQ(named.id, "web");
  EXPECT_EQ(named.name, "Web");
}

TEST(Jobspec, MissingAndDuplicateJobBlocks) {
  auto e = parse_err("variable \"x\" {\n  default = 1\n}\n");
  EXPECT_EQ(e.diagnostics()[0].summary, "Missing job block");
  auto d = parse_err("job \"a\" {\n}\njob \"b\" {\n}\n");
  EXPECT_EQ(d.diagnostics()[0].summary, "Duplicate job block");
  EXPECT_EQ(d.diagnostics()[0].subject->start.line, 3u);
}

TEST(Jobspec, UnknownAttributeSuggestsTheRightName) {
  auto e = parse_err(job_with_task("      kill_timout = \"5s\"\n"));
  ASSERT_EQ(e.diagnostics().size(), 1u);
  const auto& d = e.diagnostics()[0];
  EXPECT_EQ(d.summary, "Unsupported argument");
  EXPECT_THAT(d.detail, HasSubstr("Did you mean \"kill_timeout\"?"));
  EXPECT_EQ(d.subject->start.line, 5u);
  EXPECT_EQ(d.subject->start.column, 7u);
  EXPECT_THAT(d.excerpt, HasSubstr("kill_timout = \"5s\""));
}

TEST(Jobspec, UnknownBlockAndWrongTypes) {
  auto e = parse_err(job_with_task("      resoures {\n      }\n      kill_timeout = [1]\n"));
  ASSERT_EQ(e.diagnostics().size(), 2u);
  EXPECT_EQ(e.diagnostics()[0].summary, "Unsupported block type");
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("Did you mean \"resources\"?"));
  EXPECT_EQ(e.diagnostics()[1].summary, "Unsuitable value type");
}

TEST(Jobspec, DurationsInGoSyntax) {
  Job j =
      parse_ok(job_with_task("      kill_timeout = \"1h30m\"\n      shutdown_delay = \"300ms\"\n"));
  const Task& t = (*(*j.task_groups)[0].tasks)[0];
  EXPECT_EQ(t.kill_timeout, std::chrono::minutes(90));
  EXPECT_EQ(t.shutdown_delay, std::chrono::milliseconds(300));
  auto e = parse_err(job_with_task("      kill_timeout = \"5 seconds\"\n"));
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("time: unknown unit"));
}

TEST(Jobspec, PortsSplitIntoDynamicAndReserved) {
  Job j = parse_ok(job_with_task("",
                                 "    network {\n      port \"http\" {}\n      port \"db\" {\n     "
                                 "   static = 5432\n        to = 5432\n      }\n    }\n"));
  const NetworkResource& n = (*(*j.task_groups)[0].networks)[0];
  ASSERT_TRUE(n.dynamic_ports && n.reserved_ports);
  EXPECT_EQ((*n.dynamic_ports)[0].label, "http");
  EXPECT_EQ((*n.reserved_ports)[0].label, "db");
  EXPECT_EQ((*n.reserved_ports)[0].value, 5432);
}

TEST(Jobspec, ConfigKeepsNomadsHcl1Shape) {
  Job j =
      parse_ok(job_with_task("      config {\n        image = \"x\"\n        port_map = {\n        "
                             "  http = \"80\"\n        }\n"
                             "        args = [\"-g\", \"'daemon off;'\"]\n        mount {\n        "
                             "  a = 1\n        }\n        n = 2.5\n      }\n"));
  const Task& t = (*(*j.task_groups)[0].tasks)[0];
  ASSERT_TRUE(t.config);
  EXPECT_EQ(
      t.config->to_json(),
      R"({"args":["-g","'daemon off;'"],"image":"x","mount":[{"a":1}],"n":2.5,"port_map":[{"http":"80"}]})");
}

TEST(Jobspec, UndefinedRootNamesSurviveAsInterpolations) {
  Job j = parse_ok(
      "job \"j\" {\n  region = meta.region\n  group \"g\" {\n    task \"t\" {\n      driver = "
      "\"exec\"\n"
      "      env {\n        PORT = \"${NOMAD_PORT_http}\"\n        KERNEL = "
      "\"k-${attr.kernel.name}\"\n      }\n    }\n  }\n}\n");
  EXPECT_EQ(j.region, "${meta.region}");
  const Task& t = (*(*j.task_groups)[0].tasks)[0];
  EXPECT_EQ(t.env->at("PORT"), "${NOMAD_PORT_http}");
  EXPECT_EQ(t.env->at("KERNEL"), "k-${attr.kernel.name}");
}

TEST(Jobspec, MetaAndEnvAsBlockOrAttributeButNotBoth) {
  Job a = parse_ok("job \"j\" {\n  meta = {\n    \"a.b\" = \"c\"\n  }\n}\n");
  EXPECT_EQ(a.meta->at("a.b"), "c");
  Job b = parse_ok("job \"j\" {\n  meta {\n    x = 1\n  }\n}\n");
  EXPECT_EQ(b.meta->at("x"), "1");
  auto e = parse_err("job \"j\" {\n  meta = { a = \"1\" }\n  meta {\n    b = \"2\"\n  }\n}\n");
  EXPECT_EQ(e.diagnostics()[0].summary, "Duplicate meta block");
}

TEST(Jobspec, ConstraintShorthands) {
  Job j = parse_ok(
      "job \"j\" {\n"
      "  constraint {\n    distinct_hosts = true\n  }\n"
      "  constraint {\n    attribute = \"${attr.os.version}\"\n    version = \">= 1.2\"\n  }\n"
      "  constraint {\n    distinct_property = \"${meta.rack}\"\n    value = \"2\"\n  }\n"
      "  constraint {\n    attribute = \"${attr.kernel.name}\"\n    value = \"freebsd\"\n  }\n"
      "  constraint {\n    attribute = \"${meta.tags}\"\n    set_contains_any = \"a,b\"\n  }\n"
      "}\n");
  const auto& c = *j.constraints;
  EXPECT_EQ(c[0].operand, "distinct_hosts");
  EXPECT_EQ(c[1].operand, "version");
  EXPECT_EQ(c[1].rtarget, ">= 1.2");
  EXPECT_EQ(c[1].ltarget, "${attr.os.version}");
  EXPECT_EQ(c[2].operand, "distinct_property");
  EXPECT_EQ(c[2].ltarget, "${meta.rack}");
  EXPECT_EQ(c[2].rtarget, "2");
  EXPECT_EQ(c[3].operand, "=");
  EXPECT_EQ(c[4].operand, "set_contains_any");
}

TEST(Jobspec, AffinityWeights) {
  Job j = parse_ok(
      "job \"j\" {\n  affinity {\n    attribute = \"${node.datacenter}\"\n    value = \"dc1\"\n    "
      "weight = -50\n  }\n}\n");
  EXPECT_EQ((*j.affinities)[0].weight, -50);
  EXPECT_EQ((*j.affinities)[0].operand, "=");
}

TEST(Jobspec, JobLevelTasksBecomeTheirOwnGroupsFirst) {
  Job j = parse_ok(
      "job \"j\" {\n  group \"g\" {\n    task \"a\" {\n      driver = \"exec\"\n    }\n  }\n  task "
      "\"solo\" {\n    driver = \"raw_exec\"\n  }\n}\n");
  ASSERT_EQ(j.task_groups->size(), 2u);
  EXPECT_EQ((*j.task_groups)[0].name, "solo");
  EXPECT_EQ((*(*j.task_groups)[0].tasks)[0].driver, "raw_exec");
  EXPECT_EQ((*j.task_groups)[1].name, "g");
}

TEST(Jobspec, VaultBlocksAreInheritedByTasks) {
  Job j = parse_ok(
      "job \"j\" {\n  vault {\n    policies = [\"job\"]\n  }\n  group \"g\" {\n    vault {\n      "
      "policies = [\"group\"]\n    }\n"
      "    task \"a\" {\n      driver = \"exec\"\n    }\n    task \"b\" {\n      driver = "
      "\"exec\"\n      vault {\n        policies = [\"own\"]\n      }\n    }\n  }\n"
      "  group \"h\" {\n    task \"c\" {\n      driver = \"exec\"\n    }\n  }\n}\n");
  const auto& g = (*j.task_groups)[0];
  EXPECT_EQ((*(*g.tasks)[0].vault->policies)[0], "group");
  EXPECT_EQ((*(*g.tasks)[1].vault->policies)[0], "own");
  EXPECT_EQ((*(*(*j.task_groups)[1].tasks)[0].vault->policies)[0], "job");
  EXPECT_EQ((*g.tasks)[0].vault->env, true);  // normalized like nomad
}

TEST(Jobspec, TaskScalingPolicies) {
  Job j =
      parse_ok(job_with_task("      scaling \"cpu\" {\n        min = 100\n        max = 500\n      "
                             "  policy {\n          cooldown = \"5m\"\n        }\n      }\n"));
  const Task& t = (*(*j.task_groups)[0].tasks)[0];
  ASSERT_TRUE(t.scaling_policies);
  EXPECT_EQ((*t.scaling_policies)[0].type, "vertical_cpu");
  EXPECT_EQ((*t.scaling_policies)[0].max, 500);
  auto e = parse_err(job_with_task("      scaling \"disk\" {\n        max = 1\n      }\n"));
  EXPECT_EQ(e.diagnostics()[0].summary, "Invalid scaling policy name");
}

TEST(Jobspec, DynamicBlocks) {
  Job j = parse_ok(
      "locals {\n  ports = [\"http\", \"admin\"]\n}\n"
      "job \"j\" {\n  group \"g\" {\n    network {\n      dynamic \"port\" {\n        for_each = "
      "local.ports\n"
      "        labels = [port.value]\n        content {\n          to = port.key + 8000\n        "
      "}\n      }\n    }\n"
      "    task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n");
  const auto& ports = *(*(*j.task_groups)[0].networks)[0].dynamic_ports;
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].label, "http");
  EXPECT_EQ(ports[0].to, 8000);
  EXPECT_EQ(ports[1].label, "admin");
  EXPECT_EQ(ports[1].to, 8001);
  auto e =
      parse_err("job \"j\" {\n  dynamic \"nope\" {\n    for_each = [1]\n    content {}\n  }\n}\n");
  EXPECT_EQ(e.diagnostics()[0].summary, "Unsupported block type");
}

TEST(Jobspec, VariablesTypesDefaultsAndPrecedence) {
  const std::string text =
      "variable \"count\" {\n  type = number\n  default = 1\n}\n"
      "variable \"tags\" {\n  type = list(string)\n  default = [\"a\"]\n}\n"
      "job \"j\" {\n  meta {\n    tags = join(\",\", var.tags)\n  }\n  group \"g\" {\n    count = "
      "var.count\n"
      "    task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n";
  EXPECT_EQ(*(*parse_ok(text).task_groups)[0].count, 1);
  ParseOptions env;
  env.environment = {"NOMAD_VAR_count=2", "NOMAD_VAR_tags=[\"x\", \"y\"]", "PATH=/bin"};
  Job j = parse_ok(text, env);
  EXPECT_EQ(*(*j.task_groups)[0].count, 2);
  EXPECT_EQ(j.meta->at("tags"), "x,y");
  env.variables = {{"count", "3"}};
  EXPECT_EQ(*(*parse_ok(text, env).task_groups)[0].count, 3);
}

TEST(Jobspec, VariableFilesHclAndJson) {
  auto dir = std::filesystem::temp_directory_path() / "warden_varfiles";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.hcl") << "dc = \"from-hcl\"\n";
  std::ofstream(dir / "b.json") << "{\"dc\": \"from-json\"}";
  const std::string text = "variable \"dc\" {}\njob \"j\" {\n  datacenters = [var.dc]\n}\n";
  ParseOptions o;
  o.var_files = {(dir / "a.hcl").string()};
  EXPECT_EQ((*parse_ok(text, o).datacenters)[0], "from-hcl");
  o.var_files.push_back((dir / "b.json").string());
  EXPECT_EQ((*parse_ok(text, o).datacenters)[0], "from-json");
  o.variables = {{"dc", "cli"}};
  EXPECT_EQ((*parse_ok(text, o).datacenters)[0], "cli");
  std::filesystem::remove_all(dir);
}

TEST(Jobspec, VariableErrors) {
  auto unset = parse_err("variable \"x\" {}\njob \"j\" {\n  region = var.x\n}\n");
  EXPECT_EQ(unset.diagnostics()[0].summary, "Unset variable \"x\"");
  EXPECT_EQ(unset.diagnostics()[0].subject->start.line, 1u);
  ParseOptions o;
  o.variables = {{"nope", "1"}};
  auto undefined = parse_err("job \"j\" {\n}\n", o);
  EXPECT_EQ(undefined.diagnostics()[0].summary, "Undefined -var variable");
  auto bad_type =
      parse_err("variable \"n\" {\n  type = number\n  default = \"many\"\n}\njob \"j\" {\n}\n");
  EXPECT_EQ(bad_type.diagnostics()[0].summary, "Invalid default value for variable");
}

TEST(Jobspec, VariableValidation) {
  const std::string text =
      "variable \"n\" {\n  type = number\n  default = 3\n  validation {\n    condition = var.n < "
      "5\n"
      "    error_message = \"The count must be below 5.\"\n  }\n}\njob \"j\" {\n}\n";
  parse_ok(text);
  ParseOptions o;
  o.variables = {{"n", "7"}};
  auto e = parse_err(text, o);
  EXPECT_EQ(e.diagnostics()[0].summary, "Invalid value for cmd variable");
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("The count must be below 5."));
}

TEST(Jobspec, LocalsInAnyOrderAndCycles) {
  Job j = parse_ok(
      "locals {\n  b = \"${local.a}-b\"\n  a = upper(\"x\")\n}\njob \"j\" {\n  region = "
      "local.b\n}\n");
  EXPECT_EQ(j.region, "X-b");
  auto e = parse_err("locals {\n  a = local.b\n  b = local.a\n}\njob \"j\" {\n}\n");
  EXPECT_EQ(e.diagnostics()[0].summary, "Cycle in local values");
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("local.a -> local.b -> local.a"));
}

TEST(Jobspec, FilesystemFunctionsAreOffByDefault) {
  auto dir = std::filesystem::temp_directory_path() / "warden_fsfn";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "motd.txt") << "hello";
  const std::string text = "job \"j\" {\n  meta {\n    motd = file(\"motd.txt\")\n  }\n}\n";
  auto e = parse_err(text);
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("filesystem function"));
  ParseOptions o;
  o.allow_fs = true;
  o.base_dir = dir.string();
  EXPECT_EQ(parse_ok(text, o).meta->at("motd"), "hello");
  std::filesystem::remove_all(dir);
}

TEST(Jobspec, SeveralErrorsInSourceOrder) {
  auto e = parse_err(
      "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      resources {\n        cpuu = 1\n      "
      "}\n    }\n  }\n"
      "  priorty = 1\n  datacenter = [\"x\"]\n}\n");
  ASSERT_EQ(e.diagnostics().size(), 3u);
  EXPECT_EQ(e.diagnostics()[0].subject->start.line, 5u);
  EXPECT_EQ(e.diagnostics()[1].subject->start.line, 9u);
  EXPECT_EQ(e.diagnostics()[2].subject->start.line, 10u);
  EXPECT_THAT(e.diagnostics()[2].detail, HasSubstr("Did you mean \"datacenters\"?"));
}

TEST(Jobspec, SyntaxErrorsComeBackAsSyntaxCode) {
  auto e = parse_err("job \"j\" {\n  x = \xe2\x80\x9cquoted\xe2\x80\x9d\n}\n");
  EXPECT_EQ(e.code(), warden::ErrorCode::syntax);
  EXPECT_THAT(e.diagnostics()[0].detail, HasSubstr("Typographic quotes"));
}

TEST(Jobspec, SourceMapPointsAtBlocksAndAttributes) {
  SourceMap sm;
  auto r = parse_job("job \"j\" {\n  group \"g\" {\n    count = 2\n  }\n}\n", "s.nomad", {}, &sm);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(sm.find("TaskGroups[0]"));
  EXPECT_EQ(sm.find("TaskGroups[0]")->start.line, 2u);
  ASSERT_TRUE(sm.find("TaskGroups[0].Count"));
  EXPECT_EQ(sm.find("TaskGroups[0].Count")->start.column, 13u);
}
