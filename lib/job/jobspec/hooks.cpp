// Nomad's custom decoders (jobspec2's hcl_conversions.go): the constraint and affinity
// shorthands, a task's vertical `scaling "cpu"` blocks, group and job level `vault` blocks,
// job-level `task` blocks and the checks of a group's `scaling` block.
#include <algorithm>

#include "../model/fields.hpp"
#include "warden/core/unicode.hpp"
#include "warden/job/hcl/convert.hpp"

namespace warden::job::detail {
namespace {

// Evaluates the listed attributes of a body as strings (and distinct_hosts as a bool).
struct ShorthandBody {
  std::map<std::string, std::string, std::less<>> strings;
  std::optional<bool> distinct_hosts;
  std::optional<int64_t> weight;
};

ShorthandBody read_shorthand(HclDecoder& dec, const BodyRef& body,
                             const std::vector<std::string_view>& string_attrs,
                             bool with_distinct_hosts, bool with_weight) {
  hcl::BodySchema schema;
  for (auto a : string_attrs) schema.attributes.push_back({a, false});
  if (with_distinct_hosts) schema.attributes.push_back({"distinct_hosts", false});
  if (with_weight) schema.attributes.push_back({"weight", false});
  Content c = dec.content(body, schema);
  ShorthandBody out;
  for (const AttrRef& a : c.attributes) {
    std::string err;
    auto v = dec.evaluate(a);
    if (!v || v->is_null()) continue;
    std::string_view name = a.attr->name;
    if (name == "distinct_hosts") {
      bool b = false;
      if (!read_bool(*v, b, err)) {
        dec.error("Incorrect attribute value type",
                  "Inappropriate value for attribute \"distinct_hosts\": " + err + ".",
                  a.attr->expr->range);
        continue;
      }
      out.distinct_hosts = b;
    } else if (name == "weight") {
      int64_t w = 0;
      if (!read_int(*v, w, err, IntRange::int64)) {
        dec.error("Incorrect attribute value type",
                  "Inappropriate value for attribute \"weight\": " + err + ".",
                  a.attr->expr->range);
        continue;
      }
      out.weight = w;
    } else {
      std::string s;
      if (!read_string(*v, s, err)) {
        dec.error("Incorrect attribute value type",
                  "Inappropriate value for attribute \"" + std::string(name) + "\": " + err + ".",
                  a.attr->expr->range);
        continue;
      }
      out.strings.emplace(std::string(name), std::move(s));
    }
  }
  return out;
}

std::string get(const ShorthandBody& b, std::string_view name) {
  auto it = b.strings.find(name);
  return it == b.strings.end() ? std::string() : it->second;
}

void decode_constraint(HclDecoder& dec, const BodyRef& body, Constraint& c) {
  ShorthandBody b = read_shorthand(
      dec, body,
      {"attribute", "value", "operator", "distinct_property", "regexp", "version", "semver",
       "set_contains", "set_contains_all", "set_contains_any", "is_set", "is_not_set"},
      true, false);
  c.ltarget = get(b, "attribute");
  c.rtarget = get(b, "value");
  c.operand = get(b, "operator");
  // Later shorthands win, in nomad's order. set_contains_all/any are accepted by nomad's schema
  // but silently dropped there; here they set the operator their name says.
  for (std::string_view op :
       {"version", "semver", "regexp", "set_contains", "set_contains_all", "set_contains_any"}) {
    std::string v = get(b, op);
    if (!v.empty()) {
      c.operand = std::string(op);
      c.rtarget = v;
    }
  }
  if (b.distinct_hosts.value_or(false)) c.operand = "distinct_hosts";
  if (std::string p = get(b, "distinct_property"); !p.empty()) {
    c.operand = "distinct_property";
    c.ltarget = p;
  }
  if (c.operand.empty()) c.operand = "=";
}

void decode_affinity(HclDecoder& dec, const BodyRef& body, Affinity& a) {
  ShorthandBody b = read_shorthand(dec, body,
                                   {"attribute", "value", "operator", "version", "semver", "regexp",
                                    "set_contains_any", "set_contains_all", "set_contains"},
                                   false, true);
  a.ltarget = get(b, "attribute");
  a.rtarget = get(b, "value");
  a.operand = get(b, "operator");
  if (b.weight) a.weight = static_cast<int8_t>(*b.weight);  // nomad converts with int8(w)
  for (std::string_view op :
       {"version", "semver", "regexp", "set_contains_any", "set_contains_all", "set_contains"}) {
    std::string v = get(b, op);
    if (!v.empty()) {
      a.operand = std::string(op);
      a.rtarget = v;
    }
  }
  if (a.operand.empty()) a.operand = "=";
}

// task { scaling "cpu" { ... } scaling "mem" { ... } }: vertical scaling policies.
void task_post(HclDecoder& dec, const Content& content, Task& t) {
  std::map<std::string, const BlockRef*> seen;
  for (const BlockRef* b : content.blocks_of("scaling")) {
    std::string label = unicode::lower(b->labels.empty() ? std::string() : b->labels[0]);
    std::string type;
    if (label == "cpu") {
      type = "vertical_cpu";
    } else if (label == "mem") {
      type = "vertical_mem";
    } else {
      dec.error("Invalid scaling policy name", "scaling policy name must be \"cpu\" or \"mem\"",
                b->label_ranges.empty() ? b->def_range : b->label_ranges[0]);
      continue;
    }
    if (auto it = seen.find(label); it != seen.end()) {
      dec.error("Duplicate scaling \"" + label + "\" block",
                "Only one scaling " + label + " block is allowed. Another was defined at line " +
                    std::to_string(it->second->def_range.start.line) + ".",
                b->def_range);
      continue;
    }
    seen.emplace(label, b);
    ScalingPolicy p;
    decode_struct(dec, *b, p);
    if (p.type.empty()) {
      p.type = type;
    } else if (p.type != type) {
      dec.error("Invalid scaling policy type",
                "Invalid policy type, expected \"" + p.type + "\" but found \"" + type + "\"",
                b->def_range);
      continue;
    }
    if (!t.scaling_policies) t.scaling_policies.emplace();
    t.scaling_policies->push_back(std::move(p));
  }
}

std::optional<Vault> read_vault(HclDecoder& dec, const Content& content) {
  auto blocks = content.blocks_of("vault");
  if (blocks.empty()) return std::nullopt;
  for (size_t i = 1; i < blocks.size(); ++i) duplicate_block(dec, "vault", *blocks[0], *blocks[i]);
  Vault v;
  decode_struct(dec, *blocks[0], v);
  return v;
}

void group_post(HclDecoder& dec, const Content& content, TaskGroup& g) {
  if (auto v = read_vault(dec, content); v && g.tasks) {
    for (Task& t : *g.tasks) {
      if (!t.vault) t.vault = *v;
    }
  }
  if (g.scaling) {
    if (g.scaling->type.empty()) g.scaling->type = "horizontal";
    if (!(g.scaling->max && g.scaling->type == "horizontal")) {
      auto blocks = content.blocks_of("scaling");
      if (!blocks.empty()) {
        const BlockRef& b = *blocks[0];
        if (!g.scaling->max) {
          dec.error("Missing required argument",
                    "The argument \"max\" is required, but no definition was found.",
                    Range{b.body.body->range.start, b.body.body->range.start});
        }
        if (g.scaling->type != "horizontal") {
          Range r = b.def_range;
          if (const hcl::Attribute* type = b.body.body->attribute("type")) r = type->expr->range;
          dec.error("Invalid group scaling type",
                    "task group scaling policy had invalid type: \"" + g.scaling->type + "\"", r);
        }
      }
    }
  }
}

void job_post(HclDecoder& dec, const Content& content, Job& j) {
  std::optional<Vault> vault = read_vault(dec, content);
  // Job-level task blocks each become a group of their own, placed before the declared groups.
  std::vector<TaskGroup> alone;
  for (const BlockRef* b : content.blocks_of("task")) {
    Task t;
    decode_struct(dec, *b, t);
    TaskGroup g;
    g.name = t.name;
    g.tasks.emplace();
    g.tasks->push_back(std::move(t));
    alone.push_back(std::move(g));
  }
  if (!alone.empty()) {
    if (j.task_groups) {
      for (auto& g : *j.task_groups) alone.push_back(std::move(g));
    }
    j.task_groups = std::move(alone);
  }
  if (vault && j.task_groups) {
    for (auto& g : *j.task_groups) {
      if (!g.tasks) continue;
      for (auto& t : *g.tasks) {
        if (!t.vault) t.vault = *vault;
      }
    }
  }
}

}  // namespace

template <>
const Hooks<Constraint>& hooks<Constraint>() {
  static const Hooks<Constraint> h{decode_constraint, {}, {}};
  return h;
}

template <>
const Hooks<Affinity>& hooks<Affinity>() {
  static const Hooks<Affinity> h{decode_affinity, {}, {}};
  return h;
}

template <>
const Hooks<Task>& hooks<Task>() {
  static const Hooks<Task> h{{}, {{"scaling", {"name"}}}, task_post};
  return h;
}

template <>
const Hooks<TaskGroup>& hooks<TaskGroup>() {
  static const Hooks<TaskGroup> h{{}, {{"vault", {}}}, group_post};
  return h;
}

template <>
const Hooks<Job>& hooks<Job>() {
  static const Hooks<Job> h{{}, {{"vault", {}}, {"task", {"name"}}}, job_post};
  return h;
}

}  // namespace warden::job::detail
