// Nomad API JSON: exact shape, envelope, round trip, and reading JSON written by others.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "job_test_util.hpp"
#include "warden/job/hcl2json.hpp"

using namespace warden::job;
using namespace warden::job::test;
using ::testing::HasSubstr;

namespace {

std::string hello_web() {
  std::ifstream in(std::string(WARDEN_SOURCE_DIR) + "/examples/jobs/hello-web.nomad");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(ApiJson, HelloWebIsNomadShaped) {
  Job j = parse_ok(hello_web());
  canonicalize(j);
  std::string json = to_json(j, {true, ""});
  EXPECT_EQ(
      json.rfind(
          "{\"Job\":{\"Region\":\"global\",\"Namespace\":\"default\",\"ID\":\"nginx-minipot\",", 0),
      0u);
  EXPECT_THAT(json, HasSubstr("\"DynamicPorts\":[{\"Label\":\"http\",\"Value\":0,\"To\":0,"
                              "\"HostNetwork\":\"\",\"IgnoreCollision\":false}]"));
  EXPECT_THAT(json,
              HasSubstr("\"Config\":{\"args\":[\"-g\",\"'daemon off;'\"],\"command\":\"nginx\","));
  EXPECT_THAT(json, HasSubstr("\"port_map\":[{\"http\":\"80\"}]"));
  EXPECT_THAT(json, HasSubstr("\"Interval\":5000000000,\"Timeout\":2000000000"));
  EXPECT_THAT(
      json,
      HasSubstr("\"Resources\":{\"CPU\":200,\"Cores\":0,\"MemoryMB\":64,\"MemoryMaxMB\":null"));
  EXPECT_THAT(json,
              HasSubstr("\"Services\":[{\"Name\":\"hello-web\",\"Tags\":[\"nginx\",\"www\"]"));
}

TEST(ApiJson, IndentedLikeNomadRunOutput) {
  Job j = parse_ok("job \"x\" {\n}\n");
  std::string json = to_json(j, {true, "    "});
  EXPECT_EQ(json.rfind("{\n    \"Job\": {\n        \"Region\": null,\n        \"Namespace\": "
                       "null,\n        \"ID\": \"x\",",
                       0),
            0u);
}

TEST(ApiJson, RoundTripIsByteIdentical) {
  Job j = parse_ok(hello_web());
  canonicalize(j);
  std::string json = to_json(j);
  auto back = from_json(json);
  ASSERT_TRUE(back.ok()) << back.error().format();
  EXPECT_EQ(to_json(*back), json);
  EXPECT_EQ(*back, j);
  auto enveloped = from_json(to_json(j, {true, "  "}));
  ASSERT_TRUE(enveloped.ok());
  EXPECT_EQ(to_json(*enveloped), json);
}

TEST(ApiJson, ParseJobAcceptsApiJsonToo) {
  auto r =
      parse_job("{\"Job\": {\"ID\": \"api\", \"TaskGroups\": [{\"Name\": \"g\", \"Count\": 3}]}}",
                "job.json");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_EQ(r->id, "api");
  EXPECT_EQ((*r->task_groups)[0].count, 3);
}

TEST(ApiJson, KeysMatchCaseInsensitivelyLikeGo) {
  auto r = from_json("{\"id\": \"lower\", \"taskgroups\": [{\"name\": \"g\"}]}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, "lower");
  EXPECT_EQ((*r->task_groups)[0].name, "g");
}

TEST(ApiJson, ErrorsNameThePath) {
  auto bad_type = from_json("{\"TaskGroups\": [{\"Count\": \"lots\"}]}");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_THAT(bad_type.error().message(),
              HasSubstr("TaskGroups: element 0: Count: a number is required"));
  auto syntax = from_json("{\"ID\": ");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code(), warden::ErrorCode::syntax);
}

TEST(ApiJson, NumbersInConfigKeepTheirKind) {
  Job j = parse_ok(job_with_task(
      "      config {\n        big = 21474836470\n        f = 0.1\n        neg = -3\n      }\n"));
  std::string json = to_json(j);
  EXPECT_THAT(json, HasSubstr("\"Config\":{\"big\":21474836470,\"f\":0.1,\"neg\":-3}"));
  auto back = from_json(json);
  EXPECT_EQ(to_json(*back), json);
}

TEST(ApiJson, PayloadIsBase64) {
  auto r = from_json("{\"Payload\": \"aGVsbG8=\"}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->payload->data, "hello");
  EXPECT_THAT(to_json(*r), HasSubstr("\"Payload\":\"aGVsbG8=\""));
}

TEST(Hcl2Json, BlocksNestUnderTypeAndLabels) {
  auto r = hcl_to_json(
      "job \"web\" {\n  group \"g1\" {\n    count = 2\n  }\n  group \"g1\" {\n  }\n}\n", "x.hcl");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, R"({"job":{"web":[{"group":{"g1":[{"count":2},{}]}}]}})");
}

TEST(Hcl2Json, UnevaluableExpressionsKeepTheirSource) {
  auto r = hcl_to_json(
      "a = var.x + 1\nb = \"hi ${name}!\"\nc = \"${x}\"\nd = [1, \"two\", true]\ne = max(1, 5)\n",
      "x.hcl");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, R"({"a":"${var.x + 1}","b":"hi ${name}!","c":"${x}","d":[1,"two",true],"e":5})");
}

TEST(Hcl2Json, SyntaxErrorsAreReported) {
  auto r = hcl_to_json("a = \n", "x.hcl");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().diagnostics()[0].subject->start.line, 1u);
}
