// Nomad API JSON: the /v1/jobs payload, written and read through the field tables.
#include "fields.hpp"
#include "warden/job/hcl/json.hpp"
#include "warden/job/jobspec.hpp"

namespace warden::job {

std::string to_json(const Job& job, const JsonOptions& options) {
  JsonWriter w(options.indent);
  if (options.envelope) {
    w.begin_object();
    w.key("Job");
  }
  detail::desc<Job>().write_json(w, job);
  if (options.envelope) w.end_object();
  return w.take();
}

Result<Job> from_json(std::string_view json) {
  std::string err;
  auto root = hcl::value_from_json(json, err);
  if (!root) return Error(ErrorCode::syntax, "invalid JSON: " + err);
  if (!root->type().is_map_like())
    return Error(ErrorCode::invalid_job, "a job must be a JSON object");
  const hcl::Value* body = &*root;
  // The {"Job": {...}} envelope of nomad's register request, if present.
  if (const hcl::Value* inner = root->get("Job"); inner && inner->type().is_map_like())
    body = inner;
  Job job;
  if (!detail::desc<Job>().read_json(*body, job, err))
    return Error(ErrorCode::invalid_job, "job JSON: " + err);
  return job;
}

}  // namespace warden::job
