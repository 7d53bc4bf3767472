// parse_job: a job file's top level (variables, locals, the job block), then nomad's
// post-processing of the decoded job (jobspec2's normalizeJob).
#include <algorithm>
#include <filesystem>
#include <optional>

#include "decoder.hpp"
#include "variables.hpp"
#include "warden/job/hcl/parser.hpp"
#include "warden/job/jobspec.hpp"

namespace warden::job {
namespace {

using detail::BlockRef;
using detail::BodyRef;
using detail::Content;

void normalize_ports(Nullable<std::vector<NetworkResource>>& networks) {
  if (!networks) return;
  for (NetworkResource& n : *networks) {
    if (!n.dynamic_ports || n.dynamic_ports->empty()) continue;
    std::vector<Port> dynamic, reserved;
    for (Port& p : *n.dynamic_ports) (p.value > 0 ? reserved : dynamic).push_back(std::move(p));
    n.dynamic_ports =
        dynamic.empty() ? std::nullopt : Nullable<std::vector<Port>>(std::move(dynamic));
    n.reserved_ports =
        reserved.empty() ? std::nullopt : Nullable<std::vector<Port>>(std::move(reserved));
  }
}

void normalize_vault(Nullable<Vault>& v) {
  if (!v) return;
  if (!v->env) v->env = true;
  if (!v->disable_file) v->disable_file = false;
  if (!v->change_mode) v->change_mode = "restart";
}

// What jobspec2 does after decoding, before any canonicalization (parse_job.go normalizeJob).
void normalize_job(Job& job, const std::string& label) {
  if (!job.name) job.name = label;
  if (!job.id) job.id = label;
  if (job.periodic && (job.periodic->spec || job.periodic->specs)) job.periodic->spec_type = "cron";
  if (!job.task_groups) return;
  for (TaskGroup& g : *job.task_groups) {
    normalize_ports(g.networks);
    if (!g.tasks) continue;
    for (Task& t : *g.tasks) {
      if (t.resources) normalize_ports(t.resources->networks);
      if (t.templates) {
        for (Template& tpl : *t.templates) {
          if (!tpl.change_mode) tpl.change_mode = "restart";
          if (!tpl.perms) tpl.perms = "0644";
          if (!tpl.splay) tpl.splay = std::chrono::seconds(5);
          if (!tpl.err_missing_key) tpl.err_missing_key = false;
          if (tpl.change_script) {
            if (!tpl.change_script->args) tpl.change_script->args.emplace();
            if (!tpl.change_script->timeout) tpl.change_script->timeout = std::chrono::seconds(5);
            if (!tpl.change_script->fail_on_error) tpl.change_script->fail_on_error = false;
          }
        }
      }
      normalize_vault(t.vault);
      // The default workload identity (unnamed or "default") moves to Task.Identity.
      if (t.identities) {
        for (auto it = t.identities->begin(); it != t.identities->end(); ++it) {
          if (it->name.empty() || it->name == "default") {
            t.identity = *it;
            t.identities->erase(it);
            break;
          }
        }
        if (t.identities->empty()) t.identities.reset();
      }
    }
  }
}

bool looks_like_json(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] == '{';
}

}  // namespace

Result<Job> parse_job(std::string_view text, const std::string& filename, const ParseOptions& opts,
                      SourceMap* sources) {
  if (looks_like_json(text)) return from_json(text);

  hcl::ParsedFile parsed = hcl::parse_config(text, filename);
  if (parsed.diagnostics.has_errors())
    return Error(ErrorCode::syntax, std::move(parsed.diagnostics));
  const hcl::File& file = *parsed.file;
  Diagnostics diags = std::move(parsed.diagnostics);

  hcl::LibraryOptions lib;
  lib.allow_fs = opts.allow_fs;
  lib.base_dir = !opts.base_dir.empty() ? opts.base_dir
                                        : std::filesystem::path(filename).parent_path().string();
  if (lib.base_dir.empty()) lib.base_dir = ".";
  // Without filesystem functions the table does not depend on the options: share one.
  std::optional<hcl::FunctionTable> own;
  if (opts.allow_fs) own = hcl::standard_library(lib);
  const hcl::FunctionTable& functions = own ? *own : hcl::default_library();

  hcl::Scope root;
  root.set_functions(&functions);
  root.set_unknown_variable(
      [](std::string_view source) { return hcl::Value::string("${" + std::string(source) + "}"); });

  detail::JobDecoder dec(file, diags);
  if (sources) {
    sources->filename = filename;
    sources->text = std::string(text);
    sources->ranges.clear();
    dec.set_source_map(&sources->ranges);
  }
  hcl::BodySchema top_schema{
      {}, {{"variables", {}}, {"variable", {"name"}}, {"locals", {}}, {"job", {"name"}}}};
  Content top = dec.content(BodyRef{&file.body(), &root}, top_schema);

  detail::Variables vars;
  vars.declare(dec, top);
  Diagnostics other_sources;
  vars.assign(opts, other_sources);
  root.set("var", vars.values(dec));
  root.set("local", detail::Variables::locals(dec, top, root));

  Job job;
  std::vector<const BlockRef*> jobs = top.blocks_of("job");
  if (jobs.empty()) {
    dec.error("Missing job block", "A job block is required", Range{});
  } else {
    for (size_t i = 1; i < jobs.size(); ++i) {
      dec.error("Duplicate job block",
                "Only one block of type \"job\" is allowed. Previous definition was at line " +
                    std::to_string(jobs[0]->def_range.start.line) + ".",
                jobs[i]->def_range);
    }
    detail::decode_struct(dec, *jobs[0], job);
    normalize_job(job, jobs[0]->labels.empty() ? std::string() : jobs[0]->labels[0]);
  }

  // Report in source order, whatever order the decoder met the problems in.
  std::vector<Diagnostic> sorted(diags.begin(), diags.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    uint32_t x = a.subject ? a.subject->start.byte : 0, y = b.subject ? b.subject->start.byte : 0;
    return x < y;
  });
  diags = Diagnostics();
  for (auto& d : sorted) diags.add(std::move(d));
  file.source().annotate(diags);
  diags.append(std::move(other_sources));
  if (diags.has_errors()) return Error(ErrorCode::invalid_job, std::move(diags));
  return job;
}

}  // namespace warden::job
