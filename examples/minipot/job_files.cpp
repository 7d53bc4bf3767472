// Reading job files for minipot's commands (see job_files.hpp).
#include "job_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

extern char** environ;

namespace minipot {

bool read_file(const std::string& path, std::string& out) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int report(warden_error* err) {
  ErrorPtr e(err, warden_error_free);
  std::fprintf(stderr, "%s\n", warden_error_format(e.get()));
  return 1;
}

std::vector<FlagSpec> var_flags() {
  return {{"var", true, true, "Set an HCL2 variable: -var key=value."},
          {"var-file", true, true, "Read HCL2 variable values from a file (HCL or JSON)."}};
}

JobPtr load_job(const Parsed& p, const std::string& path, int& status) {
  JobPtr job(nullptr, warden_job_free);
  status = 1;
  std::string text;
  if (!read_file(path, text)) {
    std::fprintf(stderr, "Error reading job file %s: %s\n", path.c_str(), std::strerror(errno));
    return job;
  }
  std::vector<const char*> vars, files, env;
  for (const auto& v : p.all("var")) vars.push_back(v.c_str());
  for (const auto& f : p.all("var-file")) files.push_back(f.c_str());
  for (char** e = environ; e && *e; ++e) {
    if (std::strncmp(*e, "NOMAD_VAR_", 10) == 0) env.push_back(*e);
  }
  warden_parse_options opts = WARDEN_PARSE_OPTIONS_INIT;
  opts.variables = vars.data();
  opts.variables_count = vars.size();
  opts.var_files = files.data();
  opts.var_files_count = files.size();
  opts.environment = env.data();
  opts.environment_count = env.size();
  warden_job* raw = nullptr;
  std::string name = path == "-" ? "<stdin>" : path;
  if (warden_error* err = warden_job_parse(&raw, text.data(), text.size(), name.c_str(), &opts)) {
    report(err);
    return job;
  }
  job.reset(raw);
  warden_job_canonicalize(job.get());
  if (warden_error* err = warden_job_validate(job.get())) {
    report(err);
    job.reset();
    return job;
  }
  status = 0;
  return job;
}

}  // namespace minipot
