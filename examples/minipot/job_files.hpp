// Reading job files the way `nomad job run` does (-var, -var-file, NOMAD_VAR_*), shared by the
// commands that take jobs (job validate/inspect, sched simulate).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "warden.h"

namespace minipot {

using ErrorPtr = std::unique_ptr<warden_error, decltype(&warden_error_free)>;
using JobPtr = std::unique_ptr<warden_job, decltype(&warden_job_free)>;

// Reads a file, or standard input for "-".
bool read_file(const std::string& path, std::string& out);
// Prints the error (every diagnostic with its source line), frees it, returns exit status 1.
int report(warden_error* err);
// -var and -var-file.
std::vector<FlagSpec> var_flags();
// Parses, canonicalizes and validates the job file at `path`; on failure prints why, sets
// `status` to 1 and returns null.
JobPtr load_job(const Parsed& p, const std::string& path, int& status);

}  // namespace minipot
