#include "warden/sched/json.hpp"

#include "warden/core/json_writer.hpp"
#include "warden/job/hcl/json.hpp"

namespace warden::sched {
namespace {

using hcl::Value;

constexpr int64_t kUnlimitedDisk = int64_t(1) << 40;  // MB

struct Reader {
  std::string where;
  Error error(const std::string& field, const std::string& what) const {
    return Error(ErrorCode::invalid_argument, where + ": \"" + field + "\" " + what);
  }
};

Result<int64_t> integer(const Reader& r, const Value& v, const std::string& field) {
  if (v.is_null() || !(v.type() == hcl::Type::number())) return r.error(field, "must be a number");
  auto n = v.as_number().to_int64();
  if (!n || !v.as_number().is_whole()) return r.error(field, "must be a whole number");
  return *n;
}

Result<std::string> text(const Reader& r, const Value& v, const std::string& field) {
  if (v.is_null() || !(v.type() == hcl::Type::string())) return r.error(field, "must be a string");
  return v.as_string();
}

Result<void> string_map(const Reader& r, const Value& v, const std::string& field,
                        std::map<std::string, std::string, std::less<>>& out) {
  if (v.is_null()) return {};
  if (!v.type().is_map_like()) return r.error(field, "must be an object");
  for (const auto& [k, e] : v.entries()) {
    if (e.is_null()) continue;
    if (e.type() == hcl::Type::string())
      out[k] = e.as_string();
    else if (e.type() == hcl::Type::number())
      out[k] = e.as_number().to_string();
    else if (e.type() == hcl::Type::boolean())
      out[k] = e.as_bool() ? "true" : "false";
    else
      return r.error(field + "." + k, "must be a string, number or boolean");
  }
  return {};
}

Result<void> resources(const Reader& r, const Value& v, const std::string& field, Resources& out,
                       std::vector<int>* ports) {
  if (v.is_null()) return {};
  if (!v.type().is_map_like()) return r.error(field, "must be an object");
  for (const auto& [k, e] : v.entries()) {
    if (k == "CPU" || k == "MemoryMB" || k == "DiskMB") {
      auto n = integer(r, e, field + "." + k);
      if (!n) return std::move(n).error();
      if (*n < 0) return r.error(field + "." + k, "must not be negative");
      (k == "CPU" ? out.cpu : k == "MemoryMB" ? out.memory_mb : out.disk_mb) = *n;
    } else if (k == "Ports" && ports) {
      // nomad writes reserved ports as "22,80,8000-8010".
      auto s = text(r, e, field + ".Ports");
      if (!s) return std::move(s).error();
      size_t start = 0;
      while (start < s->size()) {
        size_t comma = s->find(',', start);
        std::string part =
            s->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        start = comma == std::string::npos ? s->size() : comma + 1;
        if (part.empty()) continue;
        size_t dash = part.find('-');
        try {
          int lo = std::stoi(part.substr(0, dash));
          int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
          if (lo < 1 || hi > 65535 || lo > hi) throw std::out_of_range("port");
          for (int p = lo; p <= hi; ++p) ports->push_back(p);
        } catch (const std::exception&) {
          return r.error(field + ".Ports", "has a bad port or range \"" + part + "\"");
        }
      }
    } else {
      return r.error(field + "." + k, "is not a known field");
    }
  }
  return {};
}

Result<std::vector<Node>> read_node(const Value& v, size_t index) {
  Reader r{"node " + std::to_string(index + 1)};
  if (!v.type().is_map_like()) return r.error("node", "must be an object");
  if (const Value* name = v.get("Name");
      name && !name->is_null() && name->type() == hcl::Type::string())
    r.where = "node \"" + name->as_string() + "\"";
  Node n;
  int64_t count = 1;
  bool has_resources = false;
  for (const auto& entry : v.entries()) {
    // (Not a structured binding: clang 14 cannot capture those in the lambda below.)
    const std::string& k = entry.first;
    const Value& e = entry.second;
    Result<void> ok;
    auto set_text = [&](std::string& field) -> Result<void> {
      auto s = text(r, e, k);
      if (!s) return std::move(s).error();
      field = *s;
      return {};
    };
    if (k == "ID")
      ok = set_text(n.id);
    else if (k == "Name")
      ok = set_text(n.name);
    else if (k == "Datacenter")
      ok = set_text(n.datacenter);
    else if (k == "NodePool")
      ok = set_text(n.node_pool);
    else if (k == "NodeClass")
      ok = set_text(n.node_class);
    else if (k == "Attributes")
      ok = string_map(r, e, k, n.attributes);
    else if (k == "Meta")
      ok = string_map(r, e, k, n.meta);
    else if (k == "Drivers") {
      if (e.type().is_map_like()) {
        for (const auto& [d, info] : e.entries()) {
          const Value* healthy = info.type().is_map_like() ? info.get("Healthy") : nullptr;
          if (!healthy || healthy->is_null() || !(healthy->type() == hcl::Type::boolean()) ||
              healthy->as_bool())
            n.drivers.push_back(d);
        }
      } else if (e.type().is_list_like()) {
        for (const auto& d : e.elements()) {
          auto s = text(r, d, "Drivers[]");
          if (!s) return std::move(s).error();
          n.drivers.push_back(*s);
        }
      } else {
        ok = r.error(k, "must be a list of driver names or nomad's driver map");
      }
    } else if (k == "Resources") {
      has_resources = true;
      // A description without disk does not limit by disk.
      n.total.disk_mb = kUnlimitedDisk;
      ok = resources(r, e, k, n.total, nullptr);
    } else if (k == "Reserved") {
      ok = resources(r, e, k, n.reserved, &n.reserved_ports);
    } else if (k == "ReservedPorts") {
      if (!e.type().is_list_like())
        ok = r.error(k, "must be a list of ports");
      else
        for (const auto& p : e.elements()) {
          auto port = integer(r, p, k);
          if (!port) return std::move(port).error();
          n.reserved_ports.push_back(int(*port));
        }
    } else if (k == "MinDynamicPort" || k == "MaxDynamicPort") {
      auto p = integer(r, e, k);
      if (!p) return std::move(p).error();
      (k == "MinDynamicPort" ? n.min_dynamic_port : n.max_dynamic_port) = int(*p);
    } else if (k == "Status") {
      auto s = text(r, e, k);
      if (!s) return std::move(s).error();
      auto st = parse_node_status(*s);
      if (!st) return r.error(k, "must be ready, down or disconnected");
      n.status = *st;
    } else if (k == "SchedulingEligibility") {
      auto s = text(r, e, k);
      if (!s) return std::move(s).error();
      if (*s != "eligible" && *s != "ineligible")
        return r.error(k, "must be eligible or ineligible");
      n.eligible = *s == "eligible";
    } else if (k == "Drain") {
      if (e.is_null() || !(e.type() == hcl::Type::boolean()))
        return r.error(k, "must be true or false");
      n.drain = e.as_bool();
    } else if (k == "Count") {
      auto c = integer(r, e, k);
      if (!c) return std::move(c).error();
      if (*c < 1 || *c > 1000000) return r.error(k, "must be between 1 and 1000000");
      count = *c;
    } else {
      ok = r.error(k, "is not a known node field");
    }
    if (!ok) return std::move(ok).error();
  }
  if (!has_resources) return r.error("Resources", "is required (CPU, MemoryMB)");
  std::vector<Node> out;
  if (count == 1) {
    out.push_back(std::move(n));
    return out;
  }
  if (!n.id.empty()) return r.error("ID", "cannot be given with Count (each node needs its own)");
  std::string base = n.name.empty() ? "node" : n.name;
  for (int64_t i = 1; i <= count; ++i) {
    Node copy = n;
    copy.name = base + "-" + std::to_string(i);
    copy.id = copy.name;
    out.push_back(std::move(copy));
  }
  return out;
}

void write_alloc(JsonWriter& w, const Allocation& a) {
  w.begin_object();
  w.key("ID").string(a.id);
  w.key("EvalID").string(a.eval_id);
  w.key("Name").string(a.name);
  w.key("JobID").string(a.job_id);
  w.key("JobVersion").integer(a.job_version);
  w.key("TaskGroup").string(a.group);
  w.key("Index").integer(a.index);
  w.key("NodeID").string(a.node_id);
  w.key("Resources").begin_object();
  w.key("CPU").integer(a.resources.cpu);
  w.key("MemoryMB").integer(a.resources.memory_mb);
  w.key("DiskMB").integer(a.resources.disk_mb);
  w.end_object();
  w.key("Ports").begin_array();
  for (const auto& p : a.ports) {
    w.begin_object();
    w.key("Label").string(p.label);
    w.key("Value").integer(p.value);
    w.key("To").integer(p.to);
    w.end_object();
  }
  w.end_array();
  w.key("DesiredStatus").string(desired_status_name(a.desired));
  w.key("DesiredDescription").string(a.desired_description);
  w.key("ClientStatus").string(client_status_name(a.client));
  w.key("PreviousAllocation").string(a.previous_allocation);
  w.key("NextAllocation").string(a.next_allocation);
  w.key("RescheduleTracker").begin_array();
  for (const auto& e : a.reschedule_events) {
    w.begin_object();
    w.key("RescheduleTime").integer(e.time);
    w.key("PrevAllocID").string(e.prev_alloc_id);
    w.key("PrevNodeID").string(e.prev_node_id);
    w.key("Delay").integer(e.delay);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_counts(JsonWriter& w, const char* key, const std::map<std::string, int64_t>& m) {
  w.key(key).begin_object();
  for (const auto& [k, v] : m) w.key(k).integer(v);
  w.end_object();
}

}  // namespace

Result<std::vector<Node>> nodes_from_json(std::string_view json) {
  std::string err;
  auto v = hcl::value_from_json(json, err);
  if (!v) return Error(ErrorCode::syntax, "nodes JSON: " + err);
  const Value* list = &*v;
  if (v->type().is_map_like() && v->get("Nodes")) list = v->get("Nodes");
  std::vector<Node> out;
  if (list->type().is_list_like()) {
    for (size_t i = 0; i < list->elements().size(); ++i) {
      auto nodes = read_node(list->elements()[i], i);
      if (!nodes) return std::move(nodes).error();
      for (auto& n : *nodes) out.push_back(std::move(n));
    }
  } else {
    auto nodes = read_node(*list, 0);
    if (!nodes) return std::move(nodes).error();
    out = std::move(*nodes);
  }
  return out;
}

std::string to_json(const Allocation& alloc, bool pretty) {
  JsonWriter w(pretty ? "    " : "");
  write_alloc(w, alloc);
  return w.take();
}

std::string to_json(const std::vector<const Allocation*>& allocs, bool pretty) {
  JsonWriter w(pretty ? "    " : "");
  w.begin_array();
  for (const auto* a : allocs) write_alloc(w, *a);
  w.end_array();
  return w.take();
}

std::string to_json(const Plan& plan, bool pretty) {
  JsonWriter w(pretty ? "    " : "");
  w.begin_object();
  w.key("EvalID").string(plan.eval_id);
  w.key("JobID").string(plan.job_id);
  w.key("JobVersion").integer(plan.job_version);
  w.key("Trigger").string(plan.trigger);
  w.key("Placements").begin_array();
  for (const auto& p : plan.placements) {
    w.begin_object();
    w.key("Kind").string(placement_kind_name(p.kind));
    w.key("Reason").string(p.reason);
    w.key("Score").number(p.score);
    w.key("Allocation");
    write_alloc(w, p.alloc);
    w.end_object();
  }
  w.end_array();
  w.key("Stops").begin_array();
  for (const auto& s : plan.stops) {
    w.begin_object();
    w.key("AllocID").string(s.alloc_id);
    w.key("NodeID").string(s.node_id);
    w.key("Reason").string(s.reason);
    w.key("Lost").boolean(!s.keep_client_status && s.client == ClientStatus::lost);
    w.end_object();
  }
  w.end_array();
  w.key("InPlaceUpdates").begin_array();
  for (const auto& u : plan.inplace_updates) {
    w.begin_object();
    w.key("AllocID").string(u.alloc_id);
    w.key("JobVersion").integer(u.job_version);
    w.key("Reason").string(u.reason);
    w.end_object();
  }
  w.end_array();
  w.key("Failures").begin_array();
  for (const auto& f : plan.failures) {
    const auto& m = f.metrics;
    w.begin_object();
    w.key("TaskGroup").string(f.group);
    w.key("Unplaced").integer(f.unplaced);
    w.key("NodesInPool").integer(m.nodes_in_pool);
    w.key("NodesEvaluated").integer(m.nodes_evaluated);
    w.key("NodesFiltered").integer(m.nodes_filtered);
    w.key("NodesExhausted").integer(m.nodes_exhausted);
    write_counts(w, "NodesAvailable", m.nodes_available);
    write_counts(w, "ClassFiltered", m.class_filtered);
    write_counts(w, "ConstraintFiltered", m.constraint_filtered);
    write_counts(w, "ClassExhausted", m.class_exhausted);
    write_counts(w, "DimensionExhausted", m.dimension_exhausted);
    w.key("Explanation").begin_array();
    for (const auto& line : m.explain()) w.string(line);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("Delayed").begin_array();
  for (const auto& d : plan.delayed) {
    w.begin_object();
    w.key("AllocID").string(d.alloc_id);
    w.key("At").integer(d.at);
    w.end_object();
  }
  w.end_array();
  w.key("Deferred").integer(plan.deferred);
  w.key("Blocked").boolean(plan.blocked());
  w.end_object();
  return w.take();
}

}  // namespace warden::sched
