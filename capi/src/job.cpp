#include <optional>

#include "api.hpp"
#include "job.hpp"
#include "warden/job/hcl2json.hpp"
#include "warden/job/jobspec.hpp"

namespace {

std::vector<std::string> strings(const char* const* items, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    if (items && items[i]) out.emplace_back(items[i]);
  }
  return out;
}

const char* opt(const std::optional<std::string>& s) {
  return s ? s->c_str() : nullptr;
}

const warden::job::TaskGroup* group_at(const warden_job* job, size_t g) {
  if (!job || !job->job.task_groups || g >= job->job.task_groups->size()) return nullptr;
  return &(*job->job.task_groups)[g];
}

const warden::job::Task* task_at(const warden_job* job, size_t g, size_t t) {
  const warden::job::TaskGroup* group = group_at(job, g);
  if (!group || !group->tasks || t >= group->tasks->size()) return nullptr;
  return &(*group->tasks)[t];
}

}  // namespace

extern "C" {

warden_error* warden_job_parse(warden_job** out, const char* text, size_t len, const char* filename,
                               const warden_parse_options* opts) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_job_parse: out must not be NULL");
  WARDEN_REQUIRE(text || len == 0, "warden_job_parse: text must not be NULL");
  WARDEN_REQUIRE(!opts || opts->version >= 1,
                 "warden_job_parse: options have no version; use WARDEN_PARSE_OPTIONS_INIT");
  warden::job::ParseOptions po;
  if (opts) {
    for (const std::string& kv : strings(opts->variables, opts->variables_count)) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) {
        return warden::capi::make_error(WARDEN_ERROR_INVALID_ARGUMENT,
                                        "variable \"" + kv + "\" must have the form name=value");
      }
      po.variables[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    po.var_files = strings(opts->var_files, opts->var_files_count);
    po.environment = strings(opts->environment, opts->environment_count);
    po.allow_fs = opts->allow_filesystem != 0;
    if (opts->base_dir) po.base_dir = opts->base_dir;
  }
  auto job = std::make_unique<warden_job>();
  warden::job::SourceMap sources;
  auto r = warden::job::parse_job(std::string_view(text ? text : "", len),
                                  filename ? filename : "<input>", po, &sources);
  if (!r) return warden::capi::make_error(std::move(r).error());
  job->job = std::move(*r);
  job->sources = std::move(sources);
  *out = job.release();
  return nullptr;
  WARDEN_API_END
}

warden_error* warden_job_from_json(warden_job** out, const char* json, size_t len) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out, "warden_job_from_json: out must not be NULL");
  WARDEN_REQUIRE(json || len == 0, "warden_job_from_json: json must not be NULL");
  auto r = warden::job::from_json(std::string_view(json ? json : "", len));
  if (!r) return warden::capi::make_error(std::move(r).error());
  auto job = std::make_unique<warden_job>();
  job->job = std::move(*r);
  *out = job.release();
  return nullptr;
  WARDEN_API_END
}

void warden_job_free(warden_job* job) {
  delete job;
}

void warden_job_canonicalize(warden_job* job) {
  try {
    if (job) warden::job::canonicalize(job->job);
  } catch (...) {
    // Canonicalization only fills fields; an allocation failure leaves a partly filled job.
  }
}

warden_error* warden_job_validate(const warden_job* job) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(job, "warden_job_validate: job must not be NULL");
  warden::Diagnostics d = warden::job::validate(job->job, job->sources ? &*job->sources : nullptr);
  if (!d.has_errors()) return nullptr;
  return warden::capi::make_error(warden::Error(warden::ErrorCode::invalid_job, std::move(d)));
  WARDEN_API_END
}

warden_error* warden_job_to_json(warden_buf* out, const warden_job* job, unsigned flags) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr,
                 "warden_job_to_json: out must be an empty warden_buf (WARDEN_BUF_INIT)");
  WARDEN_REQUIRE(job, "warden_job_to_json: job must not be NULL");
  warden::job::JsonOptions o;
  o.envelope = (flags & WARDEN_JSON_ENVELOPE) != 0;
  if (flags & WARDEN_JSON_PRETTY) o.indent = "    ";
  return warden::capi::fill_buf(out, warden::job::to_json(job->job, o));
  WARDEN_API_END
}

const char* warden_job_id(const warden_job* job) {
  return job ? opt(job->job.id) : nullptr;
}
const char* warden_job_name(const warden_job* job) {
  return job ? opt(job->job.name) : nullptr;
}
const char* warden_job_type(const warden_job* job) {
  return job ? opt(job->job.type) : nullptr;
}
const char* warden_job_region(const warden_job* job) {
  return job ? opt(job->job.region) : nullptr;
}
const char* warden_job_namespace(const warden_job* job) {
  return job ? opt(job->job.namespace_) : nullptr;
}

int warden_job_priority(const warden_job* job) {
  return job && job->job.priority ? static_cast<int>(*job->job.priority) : -1;
}

size_t warden_job_group_count(const warden_job* job) {
  return job && job->job.task_groups ? job->job.task_groups->size() : 0;
}

const char* warden_job_group_name(const warden_job* job, size_t group) {
  const warden::job::TaskGroup* g = group_at(job, group);
  return g ? opt(g->name) : nullptr;
}

int64_t warden_job_group_desired_count(const warden_job* job, size_t group) {
  const warden::job::TaskGroup* g = group_at(job, group);
  return g && g->count ? *g->count : -1;
}

size_t warden_job_task_count(const warden_job* job, size_t group) {
  const warden::job::TaskGroup* g = group_at(job, group);
  return g && g->tasks ? g->tasks->size() : 0;
}

const char* warden_job_task_name(const warden_job* job, size_t group, size_t task) {
  const warden::job::Task* t = task_at(job, group, task);
  return t ? t->name.c_str() : nullptr;
}

const char* warden_job_task_driver(const warden_job* job, size_t group, size_t task) {
  const warden::job::Task* t = task_at(job, group, task);
  return t ? t->driver.c_str() : nullptr;
}

warden_error* warden_hcl_to_json(warden_buf* out, const char* text, size_t len,
                                 const char* filename, unsigned flags) {
  WARDEN_API_BEGIN
  WARDEN_REQUIRE(out && !out->ptr,
                 "warden_hcl_to_json: out must be an empty warden_buf (WARDEN_BUF_INIT)");
  WARDEN_REQUIRE(text || len == 0, "warden_hcl_to_json: text must not be NULL");
  auto r = warden::job::hcl_to_json(std::string_view(text ? text : "", len),
                                    filename ? filename : "<input>",
                                    (flags & WARDEN_JSON_PRETTY) ? "  " : "");
  if (!r) return warden::capi::make_error(std::move(r).error());
  return warden::capi::fill_buf(out, *r);
  WARDEN_API_END
}

}  // extern "C"
