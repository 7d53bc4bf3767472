// Helpers for the job layer tests: parse a job from text and get either the job or the error.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "warden/job/jobspec.hpp"

namespace warden::job::test {

// Parses `text`; fails the test (with the diagnostics) if it does not parse.
inline Job parse_ok(const std::string& text, const ParseOptions& opts = {}) {
  auto r = parse_job(text, "test.nomad", opts);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : Job{};
}

// Parses `text` expecting failure; returns the error.
inline Error parse_err(const std::string& text, const ParseOptions& opts = {}) {
  auto r = parse_job(text, "test.nomad", opts);
  EXPECT_FALSE(r.ok()) << "expected an error";
  return r.ok() ? Error() : std::move(r).error();
}

// A minimal job around a task body.
inline std::string job_with_task(const std::string& task_body,
                                 const std::string& group_extra = "") {
  return "job \"j\" {\n  group \"g\" {\n" + group_extra +
         "    task \"t\" {\n      driver = \"exec\"\n" + task_body + "    }\n  }\n}\n";
}

}  // namespace warden::job::test
