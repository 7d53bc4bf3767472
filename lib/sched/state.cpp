#include "state.hpp"

#include <chrono>

namespace warden::sched {

using detail::NodeRec;

int64_t Cluster::Impl::now() const {
  if (fixed_now) return fixed_now;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Cluster::Impl::index_remove(int n) {
  NodeRec& r = nodes[size_t(n)];
  if (r.shape < 0) return;
  auto& cell = shapes[size_t(r.shape)].cells[size_t(r.cell)];
  int last = cell.back();
  cell[size_t(r.slot)] = last;
  nodes[size_t(last)].slot = r.slot;
  cell.pop_back();
  r.shape = r.cell = r.slot = -1;
}

void Cluster::Impl::index_insert(int n) {
  NodeRec& r = nodes[size_t(n)];
  if (r.shape >= 0 || r.hidden || !r.present || !r.node.schedulable()) return;
  auto key = std::make_pair(r.cap.cpu, r.cap.memory_mb);
  auto it = shape_by_cap.find(key);
  if (it == shape_by_cap.end()) {
    it = shape_by_cap.emplace(key, int(shapes.size())).first;
    shapes.emplace_back();
    shapes.back().cpu = r.cap.cpu;
    shapes.back().mem = r.cap.memory_mb;
  }
  r.shape = it->second;
  auto& shape = shapes[size_t(r.shape)];
  r.cell = shape.cell_of(r.cap.cpu - r.used.cpu, r.cap.memory_mb - r.used.memory_mb);
  auto& cell = shape.cells[size_t(r.cell)];
  r.slot = int(cell.size());
  cell.push_back(n);
}

void Cluster::Impl::reindex(int n) {
  index_remove(n);
  index_insert(n);
}

void Cluster::Impl::change_usage(int n, const Resources& delta, bool record) {
  NodeRec& r = nodes[size_t(n)];
  bool indexed = r.shape >= 0;
  if (indexed) index_remove(n);
  r.used += delta;
  if (indexed) index_insert(n);
  if (record) undo.push_back({n, delta, {}, {}});
}

void Cluster::Impl::take_ports(int n, const std::vector<AllocatedPort>& ports, bool record) {
  if (ports.empty()) return;
  NodeRec& r = nodes[size_t(n)];
  detail::Undo u;
  u.node = n;
  for (const auto& p : ports) {
    if (r.ports.used(p.value)) continue;
    r.ports.set(p.value);
    if (p.value >= r.node.min_dynamic_port && p.value <= r.node.max_dynamic_port) ++r.dyn_used;
    u.ports_set.push_back(p.value);
  }
  if (record) undo.push_back(std::move(u));
}

void Cluster::Impl::release_ports(int n, const std::vector<AllocatedPort>& ports, bool record) {
  if (ports.empty()) return;
  NodeRec& r = nodes[size_t(n)];
  detail::Undo u;
  u.node = n;
  for (const auto& p : ports) {
    if (!r.ports.used(p.value)) continue;
    r.ports.clear(p.value);
    if (p.value >= r.node.min_dynamic_port && p.value <= r.node.max_dynamic_port) --r.dyn_used;
    u.ports_cleared.push_back(p.value);
  }
  if (record) undo.push_back(std::move(u));
}

void Cluster::Impl::settle() {
  for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
    NodeRec& r = nodes[size_t(it->node)];
    if (it->delta.cpu || it->delta.memory_mb || it->delta.disk_mb) {
      Resources back;
      back -= it->delta;
      change_usage(it->node, back, false);
    }
    for (int p : it->ports_set) {
      r.ports.clear(p);
      if (p >= r.node.min_dynamic_port && p <= r.node.max_dynamic_port) --r.dyn_used;
    }
    for (int p : it->ports_cleared) {
      r.ports.set(p);
      if (p >= r.node.min_dynamic_port && p <= r.node.max_dynamic_port) ++r.dyn_used;
    }
  }
  undo.clear();
  speculative_eval.clear();
  speculative_nodes.clear();
}

detail::JobRec* Cluster::Impl::job_rec(std::string_view id) {
  auto it = jobs.find(id);
  return it == jobs.end() ? nullptr : &it->second;
}

int Cluster::Impl::node_index(std::string_view id) const {
  auto it = node_by_id.find(id);
  return it == node_by_id.end() ? -1 : it->second;
}

}  // namespace warden::sched
