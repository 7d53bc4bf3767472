// minipot job validate | job inspect, and minipot hcl2json: nomad's job file workflow on the C API.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "commands.hpp"
#include "job_files.hpp"
#include "warden.h"

namespace minipot {
namespace {

// The job file named by the single positional argument.
JobPtr load_one_job(const Parsed& p, int& status) {
  if (p.args.size() != 1) {
    std::fprintf(stderr,
                 "This command takes one argument: the job file (or - for standard input).\n");
    status = 1;
    return JobPtr(nullptr, warden_job_free);
  }
  return load_job(p, p.args[0], status);
}

int job_validate(const Parsed& p) {
  int status = 0;
  JobPtr job = load_one_job(p, status);
  if (!job) return status;
  if (p.has("json")) {
    std::printf("{\"Valid\":true,\"ID\":\"%s\"}\n", warden_job_id(job.get()));
  } else {
    std::printf("Job validation successful\n");
  }
  return 0;
}

int job_inspect(const Parsed& p) {
  int status = 0;
  JobPtr job = load_one_job(p, status);
  if (!job) return status;
  if (p.has("json")) {
    warden_buf out = WARDEN_BUF_INIT;
    if (warden_error* err =
            warden_job_to_json(&out, job.get(), WARDEN_JSON_ENVELOPE | WARDEN_JSON_PRETTY))
      return report(err);
    std::printf("%s\n", out.ptr);
    warden_buf_dispose(&out);
    return 0;
  }
  const warden_job* j = job.get();
  std::printf(
      "ID        = %s\nName      = %s\nType      = %s\nPriority  = %d\nRegion    = %s\nNamespace = "
      "%s\n",
      warden_job_id(j), warden_job_name(j), warden_job_type(j), warden_job_priority(j),
      warden_job_region(j), warden_job_namespace(j));
  for (size_t g = 0; g < warden_job_group_count(j); ++g) {
    std::printf("\nGroup %s (count %lld)\n", warden_job_group_name(j, g),
                static_cast<long long>(warden_job_group_desired_count(j, g)));
    for (size_t t = 0; t < warden_job_task_count(j, g); ++t) {
      std::printf("  Task %s (driver %s)\n", warden_job_task_name(j, g, t),
                  warden_job_task_driver(j, g, t));
    }
  }
  std::printf("\nUse -json for the full job as nomad's API sees it.\n");
  return 0;
}

int hcl2json(const Parsed& p) {
  if (p.args.size() != 1) {
    std::fprintf(stderr,
                 "This command takes one argument: the HCL file (or - for standard input).\n");
    return 1;
  }
  std::string text;
  if (!read_file(p.args[0], text)) {
    std::fprintf(stderr, "Error reading %s: %s\n", p.args[0].c_str(), std::strerror(errno));
    return 1;
  }
  warden_buf out = WARDEN_BUF_INIT;
  unsigned flags = p.has("compact") ? 0u : WARDEN_JSON_PRETTY;
  if (warden_error* err =
          warden_hcl_to_json(&out, text.data(), text.size(), p.args[0].c_str(), flags))
    return report(err);
  std::printf("%s\n", out.ptr);
  warden_buf_dispose(&out);
  return 0;
}

}  // namespace

namespace {
std::vector<Command> job_commands();
const Registrar registrar(job_commands);

std::vector<Command> job_commands() {
  std::vector<FlagSpec> validate_flags = var_flags();
  validate_flags.push_back({"json", false, false, "Print the result as JSON."});
  std::vector<FlagSpec> inspect_flags = var_flags();
  inspect_flags.push_back(
      {"json", false, false, "Print the canonical job as nomad API JSON ({\"Job\": ...})."});
  return {
      {"job validate", "FILE", "Check a job file: syntax, structure and semantics.",
       "  Parses the HCL2 job file as nomad does (variables, locals, functions, dynamic blocks),\n"
       "  applies nomad's defaults and validates the result. Problems are printed with file, "
       "line,\n"
       "  column and the offending source line. Exit status 0 when valid, 1 otherwise.",
       validate_flags, job_validate},
      {"job inspect", "FILE", "Show the job a file describes, after nomad's defaults.",
       "  Without -json, a summary of groups and tasks. With -json, the canonical job exactly as\n"
       "  nomad's API represents it (like `nomad job run -output`): durations in nanoseconds,\n"
       "  null for unset fields.",
       inspect_flags, job_inspect},
      {"hcl2json",
       "FILE",
       "Convert any HCL file to JSON.",
       "  Blocks nest under their type and labels, with their bodies in arrays. Expressions that\n"
       "  cannot be evaluated without variables are kept as \"${...}\" strings.",
       {{"compact", false, false, "Print compact JSON instead of indented."},
        {"json", false, false, "Accepted for symmetry; the output is always JSON."}},
       hcl2json},
  };
}

}  // namespace
}  // namespace minipot
