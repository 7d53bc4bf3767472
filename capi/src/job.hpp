// The object behind the warden_job handle, shared by the parts of the C ABI that take a job.
#pragma once

#include <optional>

#include "warden/job/jobspec.hpp"

struct warden_job {
  warden::job::Job job;
  std::optional<warden::job::SourceMap> sources;  // when parsed from HCL
};
