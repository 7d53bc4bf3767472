// Semantic validation: each rule, with the position the SourceMap gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "job_test_util.hpp"

using namespace warden::job;
using namespace warden::job::test;
using ::testing::HasSubstr;

namespace {

warden::Diagnostics check(const std::string& text) {
  SourceMap sm;
  auto r = parse_job(text, "v.nomad", {}, &sm);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  if (!r.ok()) return {};
  canonicalize(*r);
  return validate(*r, &sm);
}

const warden::Diagnostic* find(const warden::Diagnostics& ds, const std::string& summary) {
  for (const auto& d : ds) {
    if (d.summary == summary) return &d;
  }
  return nullptr;
}

const std::string kPot =
    "      config {\n        image = \"https://example.org/x\"\n        pot = \"x\"\n        tag = "
    "\"1\"\n      }\n";

}  // namespace

TEST(Validate, TheHelloWebJobIsValid) {
  std::string text =
      "job \"j\" {\n  group \"g\" {\n    network {\n      port \"http\" {}\n    }\n    task \"t\" "
      "{\n      driver = \"pot\"\n" +
      kPot +
      "      service {\n        port = \"http\"\n        check {\n          type = \"tcp\"\n       "
      "   interval = \"5s\"\n"
      "          timeout = \"2s\"\n        }\n      }\n    }\n  }\n}\n";
  EXPECT_TRUE(check(text).empty()) << check(text).format();
}

TEST(Validate, PriorityOutOfRange) {
  auto ds = check(
      "job \"j\" {\n  priority = 101\n  group \"g\" {\n    task \"t\" {\n      driver = \"exec\"\n "
      "   }\n  }\n}\n");
  const auto* d = find(ds, "Invalid priority");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->subject->start.line, 2u);
  EXPECT_THAT(d->detail, HasSubstr("between 1 and 100"));
  EXPECT_THAT(d->excerpt, HasSubstr("priority = 101"));
}

TEST(Validate, NegativeCount) {
  auto ds = check(
      "job \"j\" {\n  group \"g\" {\n    count = -1\n    task \"t\" {\n      driver = \"exec\"\n   "
      " }\n  }\n}\n");
  ASSERT_TRUE(find(ds, "Invalid count"));
  EXPECT_EQ(find(ds, "Invalid count")->subject->start.line, 3u);
}

TEST(Validate, ServiceAndCheckPortsMustExist) {
  auto ds =
      check(job_with_task("      service {\n        port = \"web\"\n        check {\n          "
                          "type = \"http\"\n          path = \"/\"\n"
                          "          port = \"metrics\"\n          interval = \"5s\"\n          "
                          "timeout = \"1s\"\n        }\n      }\n"));
  int unknown = 0;
  for (const auto& d : ds) unknown += d.summary == "Unknown port label";
  EXPECT_EQ(unknown, 2);
  EXPECT_THAT(find(ds, "Unknown port label")->detail, HasSubstr("\"web\""));
}

TEST(Validate, ChecksNeedIntervalAndTimeout) {
  auto ds =
      check(job_with_task("      service {\n        port = \"8080\"\n        check {\n          "
                          "type = \"tcp\"\n        }\n      }\n"));
  ASSERT_TRUE(find(ds, "Missing check interval"));
  ASSERT_TRUE(find(ds, "Missing check timeout"));
  EXPECT_EQ(find(ds, "Missing check interval")->subject->start.line, 7u);
}

TEST(Validate, MemoryMaxBelowMemory) {
  auto ds = check(job_with_task(
      "      resources {\n        memory = 256\n        memory_max = 128\n      }\n"));
  const auto* d = find(ds, "Invalid resources");
  ASSERT_TRUE(d);
  EXPECT_THAT(d->detail, HasSubstr("memory_max (128 MB)"));
  EXPECT_EQ(d->subject->start.line, 7u);
}

TEST(Validate, PotDriverConfig) {
  auto missing = check(
      "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"pot\"\n      config {\n    "
      "    image = \"x\"\n      }\n    }\n  }\n}\n");
  int n = 0;
  for (const auto& d : missing) n += d.summary == "Invalid pot driver config";
  EXPECT_EQ(n, 2);  // pot and tag
  auto args =
      check("job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"pot\"\n" +
            kPot.substr(0, kPot.size() - 8) + "        args = [\"-x\"]\n      }\n    }\n  }\n}\n");
  ASSERT_TRUE(find(args, "Invalid pot driver config"));
  EXPECT_THAT(find(args, "Invalid pot driver config")->detail,
              HasSubstr("args is set without config.command"));
}

TEST(Validate, DuplicateNames) {
  auto ds = check(
      "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"exec\"\n    }\n    task "
      "\"t\" {\n      driver = \"exec\"\n    }\n  }\n"
      "  group \"g\" {\n    task \"u\" {\n      driver = \"exec\"\n    }\n  }\n}\n");
  ASSERT_TRUE(find(ds, "Duplicate task name"));
  ASSERT_TRUE(find(ds, "Duplicate group name"));
  EXPECT_EQ(find(ds, "Duplicate group name")->subject->start.line, 10u);
}

TEST(Validate, MissingDriverAndTasks) {
  auto ds = check(
      "job \"j\" {\n  group \"empty\" {\n  }\n  group \"g\" {\n    task \"t\" {\n    }\n  }\n}\n");
  ASSERT_TRUE(find(ds, "Missing tasks"));
  ASSERT_TRUE(find(ds, "Missing task driver"));
}

TEST(Validate, UnknownConstraintOperator) {
  auto ds = check(
      "job \"j\" {\n  constraint {\n    attribute = \"a\"\n    operator = \"~=\"\n    value = "
      "\"b\"\n  }\n"
      "  group \"g\" {\n    task \"t\" {\n      driver = \"exec\"\n    }\n  }\n}\n");
  ASSERT_TRUE(find(ds, "Invalid constraint"));
  ASSERT_TRUE(find(ds, "Invalid constraint")->subject);
  EXPECT_EQ(find(ds, "Invalid constraint")->subject->start.line, 2u);
}

TEST(Validate, WithoutSourceMapThereIsNoPosition) {
  Job j = parse_ok("job \"j\" {\n  priority = 0\n}\n");
  canonicalize(j);
  auto ds = validate(j);
  ASSERT_FALSE(ds.empty());
  EXPECT_FALSE(ds[0].subject.has_value());
}
