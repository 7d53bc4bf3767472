// Node selection: feasibility (cached per computed node class), fit, and the two modes.
#include <algorithm>
#include <climits>
#include <cmath>

#include "eval.hpp"

namespace warden::sched::detail {
namespace {

constexpr double kMaxFit = 18.0;
constexpr int kMaxSkip = 3;             // nomad's LimitIterator: skip up to 3 ...
constexpr double kSkipThreshold = 0.0;  // ... options scoring at or below 0

bool in_dyn_range(const Node& n, int p) {
  return p >= n.min_dynamic_port && p <= n.max_dynamic_port;
}

}  // namespace

Eval::Eval(Cluster::Impl& s, const CompiledJob& j, Plan& p, uint64_t seed)
    : st(s), job(j), plan(p), rng(seed) {}

std::string Eval::make_id() {
  // A version 4 UUID from the evaluation's generator, so a plan is reproducible.
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int pos = 0;
  auto put = [&](uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i)
      out[size_t(pos + i)] = kHex[(v >> (4 * (digits - 1 - i))) & 15];
    pos += digits + 1;
  };
  put(a >> 32, 8);
  put((a >> 16) & 0xffff, 4);
  put(a & 0xffff, 4);
  put(b >> 48, 4);
  put(b & 0xffffffffffffULL, 12);
  return out;
}

bool Eval::in_job_pool(int n) const {
  const Node& node = st.nodes[size_t(n)].node;
  if (node.node_pool != job.node_pool && job.node_pool != "all") return false;
  for (const auto& dc : job.datacenters)
    if (glob_match(dc, node.datacenter)) return true;
  return false;
}

GroupState& Eval::group(const GroupAsk& ask) {
  for (auto& g : groups_)
    if (g->ask == &ask) return *g;
  auto g = std::make_unique<GroupState>();
  g->ask = &ask;
  g->class_ok.assign(st.class_ids.size(), -1);
  for (const auto& sp : ask.spreads) g->spreads.emplace_back(sp);
  g->property_counts.resize(ask.distinct_properties.size());
  auto it = st.jobs.find(job.id);
  if (it != st.jobs.end()) {
    std::unordered_set<std::string_view> stopped;
    for (const auto& s : plan.stops) stopped.insert(s.alloc_id);
    for (int ai : it->second.allocs) {
      const Allocation& a = st.allocs[size_t(ai)];
      if (a.terminal() || stopped.count(a.id)) continue;
      int n = st.node_index(a.node_id);
      if (n < 0) continue;
      const Node& node = st.nodes[size_t(n)].node;
      for (size_t i = 0; i < ask.distinct_properties.size(); ++i) {
        const auto& p = ask.distinct_properties[i];
        if (!p.job_level && a.group != ask.name) continue;
        if (auto v = resolve_target(p.attribute, node)) ++g->property_counts[i][*v];
      }
      if (a.group != ask.name) continue;
      ++g->collisions[n];
      for (auto& sc : g->spreads) sc.add(sc.value_of(n, node));
    }
  }
  groups_.push_back(std::move(g));
  return *groups_.back();
}

bool Eval::static_feasible(const GroupAsk& ask, int n, std::string* why) const {
  const auto& rec = st.nodes[size_t(n)];
  if (!in_job_pool(n)) {
    if (why) *why = "datacenter or node pool";
    return false;
  }
  for (const auto& d : ask.drivers) {
    if (std::find(rec.node.drivers.begin(), rec.node.drivers.end(), d) == rec.node.drivers.end()) {
      if (why) *why = "missing drivers";
      return false;
    }
  }
  for (const auto& c : ask.constraints) {
    if (!check_operator(c.op, resolve_target(c.ltarget, rec.node),
                        resolve_target(c.rtarget, rec.node))) {
      if (why) *why = c.text;
      return false;
    }
  }
  return true;
}

bool Eval::feasible(GroupState& g, int n) {
  const auto& rec = st.nodes[size_t(n)];
  const GroupAsk& ask = *g.ask;
  if (ask.class_cacheable && rec.class_id >= 0) {
    if (size_t(rec.class_id) >= g.class_ok.size()) g.class_ok.resize(st.class_ids.size(), -1);
    int8_t& known = g.class_ok[size_t(rec.class_id)];
    if (known < 0) known = static_feasible(ask, n, nullptr) ? 1 : 0;
    if (!known) return false;
  } else if (!static_feasible(ask, n, nullptr)) {
    return false;
  }
  if (ask.distinct_hosts) {
    auto it = g.collisions.find(n);
    if (it != g.collisions.end() && it->second > 0) return false;
  }
  for (size_t i = 0; i < ask.distinct_properties.size(); ++i) {
    const auto& p = ask.distinct_properties[i];
    auto v = resolve_target(p.attribute, rec.node);
    if (!v) return false;
    auto it = g.property_counts[i].find(*v);
    if (it != g.property_counts[i].end() && it->second >= p.limit) return false;
  }
  return true;
}

bool Eval::fits(const GroupAsk& ask, int n, const char** dim) const {
  const auto& rec = st.nodes[size_t(n)];
  const Resources& r = ask.resources;
  if (rec.used.cpu + r.cpu > rec.cap.cpu) return *dim = "cpu", false;
  if (rec.used.memory_mb + r.memory_mb > rec.cap.memory_mb) return *dim = "memory", false;
  if (rec.used.disk_mb + r.disk_mb > rec.cap.disk_mb) return *dim = "disk", false;
  if (!ask.ports.empty()) {
    int dynamic = 0, static_in_range = 0;
    for (const auto& p : ask.ports) {
      if (p.value > 0) {
        if (rec.ports.used(p.value)) return *dim = "ports", false;
        if (in_dyn_range(rec.node, p.value)) ++static_in_range;
      } else {
        ++dynamic;
      }
    }
    int range = rec.node.max_dynamic_port - rec.node.min_dynamic_port + 1;
    if (dynamic > 0 && range - rec.dyn_used - static_in_range < dynamic)
      return *dim = "ports", false;
  }
  return true;
}

double Eval::score_bound(const GroupState& g, double fit) const {
  double b = fit / kMaxFit;
  const GroupAsk& ask = *g.ask;
  if (ask.affinities.empty()) return b;
  double best = 0;
  for (const auto& a : ask.affinities)
    if (a.weight > 0) best += double(a.weight);
  best /= double(ask.affinity_weight_sum);
  return std::max(b, (b + best) / 2.0);
}

Candidate Eval::select(GroupState& g, const std::unordered_set<int>* penalty) {
  if (st.config.mode == SelectionMode::nomad) return select_nomad(g, penalty);
  return select_exact(g, penalty);
}

Candidate Eval::select_on(GroupState& g, int n) {
  const char* dim = nullptr;
  if (!feasible(g, n) || !fits(*g.ask, n, &dim)) return {};
  return {n, score(g, n, nullptr)};
}

// nomad's GenericStack: a StaticIterator over the shuffled nodes whose offset carries over
// from one placement to the next, a LimitIterator and a MaxScoreIterator.
Candidate Eval::select_nomad(GroupState& g, const std::unordered_set<int>* penalty) {
  if (!shuffled_ready_) {
    for (size_t n = 0; n < st.nodes.size(); ++n)
      if (st.nodes[n].present && st.nodes[n].node.schedulable() && in_job_pool(int(n)))
        shuffled_.push_back(int(n));
    std::shuffle(shuffled_.begin(), shuffled_.end(), rng);
    shuffled_ready_ = true;
  }
  const size_t total = shuffled_.size();
  if (total == 0) return {};
  int limit = 2;
  if (!job.batch()) limit = std::max(2, int(std::ceil(std::log2(double(total)))));
  if (!g.ask->affinities.empty() || !g.ask->spreads.empty()) limit = INT_MAX;

  size_t seen_source = 0;
  auto next_source = [&]() -> Candidate {
    while (seen_source < total) {
      if (offset_ >= total) offset_ = 0;
      int n = shuffled_[offset_++];
      ++seen_source;
      const char* dim = nullptr;
      if (!feasible(g, n) || !fits(*g.ask, n, &dim)) continue;
      return {n, score(g, n, penalty)};
    }
    return {};
  };
  std::vector<Candidate> skipped;
  size_t skipped_next = 0;
  auto next_option = [&]() -> Candidate {
    Candidate c = next_source();
    if (c.node < 0 && skipped_next < skipped.size()) return skipped[skipped_next++];
    return c;
  };
  Candidate best;
  int seen = 0;
  while (seen < limit) {
    Candidate option = next_option();
    if (option.node < 0) break;
    if (int(skipped.size()) < kMaxSkip) {
      while (option.node >= 0 && option.score <= kSkipThreshold && int(skipped.size()) < kMaxSkip) {
        skipped.push_back(option);
        option = next_source();
      }
    }
    ++seen;
    if (option.node < 0) option = next_option();
    if (option.node < 0) break;
    if (best.node < 0 || option.score > best.score) best = option;
  }
  return best;
}

Candidate Eval::scan_all(GroupState& g, const std::unordered_set<int>* penalty) {
  Candidate best;
  for (size_t i = 0; i < st.nodes.size(); ++i) {
    int n = int(i);
    const auto& rec = st.nodes[i];
    if (!rec.present || !rec.node.schedulable()) continue;
    const char* dim = nullptr;
    if (!feasible(g, n) || !fits(*g.ask, n, &dim)) continue;
    double s = score(g, n, penalty);
    if (best.node < 0 || s > best.score) best = {n, s};
  }
  return best;
}

// The best node of all, by a best-first search: cells of the capacity grid enter a priority
// queue with the best score any node inside could have (from the cell's fullest corner); a cell
// taken from the queue is replaced by its nodes with their exact scores. The first node to come
// out beats every cell and node still queued. Nodes already running the group are kept apart,
// ordered by their (anti-affinity lowered) score.
Candidate Eval::select_exact(GroupState& g, const std::unordered_set<int>* penalty) {
  const GroupAsk& ask = *g.ask;
  if (!ask.spreads.empty() || (penalty && !penalty->empty())) return scan_all(g, penalty);
  if (!g.exact_ready) start_exact(g);
  Candidate best;
  // The best node running the group already, if any still fits and is feasible.
  for (auto it = g.collided.rbegin(); it != g.collided.rend(); ++it) {
    int n = -it->second;
    if (feasible(g, n)) {
      best = {n, it->first};
      break;
    }
  }
  while (!g.ranked.empty()) {
    GroupState::RankEntry top = g.ranked.top();
    if (best.node >= 0 && top.key < best.score) break;
    if (top.node >= 0) {
      // Placed on since (it runs the group now), or a distinct_property limit was reached.
      if (st.nodes[size_t(top.node)].hidden || !feasible(g, top.node)) {
        g.ranked.pop();
        continue;
      }
      if (best.node < 0 || top.key > best.score || (top.key == best.score && top.node < best.node))
        best = {top.node, top.key};
      break;
    }
    g.ranked.pop();
    // Copy: pushing scores does not change cells, but stay safe against reallocation.
    std::vector<int> members = st.shapes[size_t(top.shape)].cells[size_t(top.cell)];
    for (int n : members) {
      const char* dim = nullptr;
      if (!feasible(g, n) || !fits(ask, n, &dim)) continue;
      g.ranked.push({score(g, n, nullptr), n, -1, -1});
    }
  }
  return best;
}

void Eval::start_exact(GroupState& g) {
  const GroupAsk& ask = *g.ask;
  g.exact_ready = true;
  // Nodes running the group leave the grid for the group's placements.
  for (const auto& [n, count] : g.collisions) {
    if (count <= 0) continue;
    auto& rec = st.nodes[size_t(n)];
    if (!rec.present || rec.hidden) continue;
    st.index_remove(n);
    rec.hidden = true;
    collided_out_.push_back(n);
    const char* dim = nullptr;
    if (!ask.distinct_hosts && rec.node.schedulable() && feasible(g, n) && fits(ask, n, &dim)) {
      double s = score(g, n, nullptr);
      g.collided.insert({s, -n});
      g.collided_key[n] = s;
    }
  }
  const int64_t a_cpu = ask.resources.cpu, a_mem = ask.resources.memory_mb;
  for (size_t si = 0; si < st.shapes.size(); ++si) {
    const auto& shape = st.shapes[si];
    if (shape.cpu < a_cpu || shape.mem < a_mem) continue;
    const double ccap = double(shape.cpu), mcap = double(shape.mem);
    // A cell holds nodes with free cpu in [ci, ci + 1) · cap / kGrid (the last cell: up to
    // cap), and the same for memory. Bin-packing scores a node best at the cell's fullest
    // corner, the spread algorithm at its emptiest.
    const bool spread = st.config.algorithm == SchedulerConfig::Algorithm::spread;
    auto share = [](int i, double cap, int64_t ask) {  // free share after the ask at a corner
      double free = std::max(double(ask), double(i) * cap / kGrid);
      return cap > 0 ? std::min(1.0, (free - double(ask)) / cap) : 0.0;
    };
    for (int ci = 0; ci < kGrid; ++ci) {
      if (ci + 1 < kGrid && (int64_t(ci) + 1) * shape.cpu / kGrid <= a_cpu) continue;
      double fc = share(spread ? ci + 1 : ci, ccap, a_cpu);
      for (int mi = 0; mi < kGrid; ++mi) {
        int cell = ci * kGrid + mi;
        if (shape.cells[size_t(cell)].empty()) continue;
        if (mi + 1 < kGrid && (int64_t(mi) + 1) * shape.mem / kGrid <= a_mem) continue;
        double fm = share(spread ? mi + 1 : mi, mcap, a_mem);
        double total = std::pow(10.0, fc) + std::pow(10.0, fm);
        double fit = std::clamp(spread ? total - 2.0 : 20.0 - total, 0.0, kMaxFit);
        g.ranked.push({score_bound(g, fit), -1, int(si), cell});
      }
    }
  }
}

Allocation Eval::place(GroupState& g, int n, int64_t index) {
  const GroupAsk& ask = *g.ask;
  auto& rec = st.nodes[size_t(n)];
  Allocation a;
  a.id = make_id();
  a.eval_id = plan.eval_id;
  a.name = allocation_name(job.id, ask.name, index);
  a.job_id = job.id;
  a.job_version = job.version;
  a.group = ask.name;
  a.index = index;
  a.node_id = rec.node.id;
  a.resources = ask.resources;
  // Static ports first, so dynamic picks avoid them.
  for (const auto& p : ask.ports)
    if (p.value > 0) a.ports.push_back({p.label, p.value, p.to});
  std::vector<int> taken;
  for (const auto& p : a.ports) taken.push_back(p.value);
  for (const auto& p : ask.ports) {
    if (p.value > 0) continue;
    int lo = rec.node.min_dynamic_port, hi = rec.node.max_dynamic_port;
    auto free = [&](int port) {
      return !rec.ports.used(port) && std::find(taken.begin(), taken.end(), port) == taken.end();
    };
    int port = -1;
    // As nomad: a few random picks in the range, then a scan from a random point.
    for (int attempt = 0; attempt < 20 && port < 0; ++attempt) {
      int c = lo + int(rng() % uint64_t(hi - lo + 1));
      if (free(c)) port = c;
    }
    for (int c = lo + int(rng() % uint64_t(hi - lo + 1)), k = 0; port < 0 && k <= hi - lo; ++k) {
      if (free(c)) port = c;
      c = c == hi ? lo : c + 1;
    }
    a.ports.push_back({p.label, port, p.to});
    taken.push_back(port);
  }
  st.change_usage(n, ask.resources, true);
  st.take_ports(n, a.ports, true);
  ++g.collisions[n];
  for (auto& sc : g.spreads) sc.add(sc.value_of(n, rec.node));
  for (size_t i = 0; i < ask.distinct_properties.size(); ++i)
    if (auto v = resolve_target(ask.distinct_properties[i].attribute, rec.node))
      ++g.property_counts[i][*v];
  // Other groups of the job that count the job's allocations per property see it too.
  for (auto& other : groups_) {
    if (other.get() == &g) continue;
    for (size_t i = 0; i < other->ask->distinct_properties.size(); ++i)
      if (other->ask->distinct_properties[i].job_level)
        if (auto v = resolve_target(other->ask->distinct_properties[i].attribute, rec.node))
          ++other->property_counts[i][*v];
  }
  if (g.exact_ready) {
    if (!rec.hidden) {
      st.index_remove(n);
      rec.hidden = true;
      collided_out_.push_back(n);
    }
    if (auto it = g.collided_key.find(n); it != g.collided_key.end()) {
      g.collided.erase({it->second, -n});
      g.collided_key.erase(it);
    }
    const char* dim = nullptr;
    if (!ask.distinct_hosts && fits(ask, n, &dim)) {
      double s = score(g, n, nullptr);
      g.collided.insert({s, -n});
      g.collided_key[n] = s;
    }
  }
  return a;
}

void Eval::release(const Allocation& a) {
  int n = st.node_index(a.node_id);
  if (n < 0) return;
  Resources r = a.resources;
  r.cpu = -r.cpu, r.memory_mb = -r.memory_mb, r.disk_mb = -r.disk_mb;
  st.change_usage(n, r, true);
  st.release_ports(n, a.ports, true);
}

void Eval::finish_group(GroupState& g) {
  g.ranked = {};
  for (int n : collided_out_) {
    st.nodes[size_t(n)].hidden = false;
    st.index_insert(n);
  }
  collided_out_.clear();
  g.collided.clear();
  g.collided_key.clear();
  g.exact_ready = false;
}

FailureMetrics Eval::explain_failure(GroupState& g) {
  FailureMetrics m;
  const GroupAsk& ask = *g.ask;
  for (size_t i = 0; i < st.nodes.size(); ++i) {
    const auto& rec = st.nodes[i];
    int n = int(i);
    if (!rec.present) continue;
    if (rec.node.status == NodeStatus::ready) ++m.nodes_available[rec.node.datacenter];
    if (!in_job_pool(n)) continue;
    ++m.nodes_in_pool;
    if (!rec.node.schedulable()) continue;
    ++m.nodes_evaluated;
    std::string why;
    if (!static_feasible(ask, n, &why)) {
      ++m.nodes_filtered;
      ++m.constraint_filtered[why];
      ++m.class_filtered[rec.node.node_class.empty() ? rec.class_name : rec.node.node_class];
      continue;
    }
    if (!feasible(g, n)) {
      ++m.nodes_filtered;
      ++m.constraint_filtered[ask.distinct_hosts ? "distinct_hosts" : "distinct_property"];
      continue;
    }
    const char* dim = nullptr;
    if (!fits(ask, n, &dim)) {
      ++m.nodes_exhausted;
      ++m.dimension_exhausted[dim];
      ++m.class_exhausted[rec.node.node_class.empty() ? rec.class_name : rec.node.node_class];
    }
  }
  return m;
}

}  // namespace warden::sched::detail
