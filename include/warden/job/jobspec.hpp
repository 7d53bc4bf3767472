// Reading nomad job files (HCL2, like nomad's jobspec2) into the job model.
//
//   auto job = warden::job::parse_job(text, "hello-web.nomad", {});
//   if (!job) std::cerr << job.error().format();
//
// Variables come, lowest precedence first, from `variable` defaults, NOMAD_VAR_<name>
// environment entries, variable files, and explicit values. A reference to a root name no scope
// defines (e.g. `${attr.kernel.name}`, `${NOMAD_PORT_http}`) evaluates to its own source text in
// `${...}`, as nomad does, so runtime interpolations survive parsing.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/job/model.hpp"

namespace warden::job {

struct ParseOptions {
  // -var name=value: for string and number variables the value is taken literally, for other
  // types it is read as an HCL expression (as nomad does).
  std::map<std::string, std::string> variables;
  // -var-file paths (HCL or JSON), applied in order.
  std::vector<std::string> var_files;
  // Environment entries ("NOMAD_VAR_name=value"); others are ignored. Not read from the process
  // unless the caller passes them, so a library call never depends on ambient state.
  std::vector<std::string> environment;
  // The filesystem functions (file, fileset, ...) are off unless allowed, as in nomad's API.
  bool allow_fs = false;
  // Base directory for relative paths in file functions; defaults to the job file's directory.
  std::string base_dir;
  // An unknown -var or var-file entry is an error (otherwise a warning).
  bool strict = true;
};

// Where each part of a decoded job came from, so that later checks can point at the source.
// Keys are Go-style paths: "TaskGroups[0].Tasks[1]" for a block, "TaskGroups[0].Count" for an
// attribute's value.
struct SourceMap {
  std::string filename;
  std::string text;
  std::map<std::string, Range> ranges;
  const Range* find(const std::string& path) const {
    auto it = ranges.find(path);
    return it == ranges.end() ? nullptr : &it->second;
  }
};

// Parses and decodes a job file. Errors (code syntax or invalid_job) carry every diagnostic,
// each with file, line, column and the source line. A text starting with "{" is read as nomad API
// JSON instead (with or without the {"Job": ...} envelope).
// When `sources` is given it receives the ranges of the job's blocks and attributes.
Result<Job> parse_job(std::string_view text, const std::string& filename,
                      const ParseOptions& options = {}, SourceMap* sources = nullptr);

// Nomad's defaults (api Job.Canonicalize): region "global", namespace "default", type "service",
// priority 50, count 1, resources cpu 100 / memory 300, restart/reschedule/update/migrate
// defaults by job type, service names "<job>-<group>-<task>", ...
void canonicalize(Job& job);

// Semantic checks with clear messages: priority range, counts, port labels used by services,
// check intervals, memory_max, the pot driver's config, duplicate names, ... Returns all problems
// found (empty when the job is valid). With the SourceMap of parse_job, each diagnostic points at
// the offending block or attribute, with the source line.
Diagnostics validate(const Job& job, const SourceMap* sources = nullptr);

// Nomad API JSON, exactly as nomad's /v1/jobs payload (Go field names, durations as integer
// nanoseconds, null for unset fields). `envelope` wraps it as {"Job": ...}; `indent` is "" for
// compact output or e.g. "    " for nomad's `job run -output` layout.
struct JsonOptions {
  bool envelope = false;
  std::string indent;
};
std::string to_json(const Job& job, const JsonOptions& options = {});
// Reads nomad API JSON (with or without the envelope).
Result<Job> from_json(std::string_view json);

}  // namespace warden::job
