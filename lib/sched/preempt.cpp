// Preemption: making room for a higher-priority job by evicting lower-priority allocations.
#include <algorithm>
#include <cmath>

#include "eval.hpp"

namespace warden::sched::detail {
namespace {

constexpr int64_t kPriorityGap = 10;  // nomad preempts only jobs at least this much lower

// How far an allocation is from what is still missing, over the dimensions that are short
// (nomad's basicResourceDistance): 0 is a perfect fit.
double distance(const Resources& need, const Resources& have) {
  double d = 0;
  auto add = [&](int64_t n, int64_t h) {
    if (n > 0) d += std::pow(double(n - h) / double(n), 2);
  };
  add(need.cpu, have.cpu);
  add(need.memory_mb, have.memory_mb);
  add(need.disk_mb, have.disk_mb);
  return std::sqrt(d);
}

bool covers(const Resources& freed, const Resources& need) {
  return freed.cpu >= need.cpu && freed.memory_mb >= need.memory_mb &&
         freed.disk_mb >= need.disk_mb;
}

}  // namespace

std::vector<int> Eval::preemptions(GroupState& g, int n) {
  const auto& rec = st.nodes[size_t(n)];
  Resources need = rec.used;
  need += g.ask->resources;
  need -= rec.cap;  // what is missing per dimension (<= 0: enough)
  need.cpu = std::max<int64_t>(need.cpu, 0);
  need.memory_mb = std::max<int64_t>(need.memory_mb, 0);
  need.disk_mb = std::max<int64_t>(need.disk_mb, 0);
  struct Candidate {
    int alloc;
    int64_t priority;
  };
  std::vector<Candidate> candidates;
  for (int ai : rec.allocs) {
    const Allocation& a = st.allocs[size_t(ai)];
    if (a.terminal() || a.job_id == job.id) continue;
    bool stopping = std::any_of(plan.stops.begin(), plan.stops.end(),
                                [&](const Stop& s) { return s.alloc_id == a.id; });
    if (stopping) continue;
    auto jt = st.jobs.find(a.job_id);
    if (jt == st.jobs.end()) continue;
    auto ct = jt->second.compiled.find(a.job_version);
    int64_t priority = ct == jt->second.compiled.end() ? 50 : ct->second->priority;
    if (priority > job.priority - kPriorityGap) continue;
    candidates.push_back({ai, priority});
  }
  std::vector<int> chosen;
  Resources freed;
  while (!covers(freed, need) && !candidates.empty()) {
    Resources missing = need;
    missing -= freed;
    auto best = std::min_element(candidates.begin(), candidates.end(),
                                 [&](const Candidate& x, const Candidate& y) {
                                   if (x.priority != y.priority) return x.priority < y.priority;
                                   return distance(missing, st.allocs[size_t(x.alloc)].resources) <
                                          distance(missing, st.allocs[size_t(y.alloc)].resources);
                                 });
    chosen.push_back(best->alloc);
    freed += st.allocs[size_t(best->alloc)].resources;
    candidates.erase(best);
  }
  if (!covers(freed, need)) return {};
  // Drop evictions that turned out unnecessary, latest choices first.
  for (size_t i = chosen.size(); i-- > 0;) {
    Resources without = freed;
    without -= st.allocs[size_t(chosen[i])].resources;
    if (covers(without, need)) {
      freed = without;
      chosen.erase(chosen.begin() + long(i));
    }
  }
  return chosen;
}

void Eval::evict(const std::vector<int>& allocs) {
  for (int ai : allocs) {
    const Allocation& a = st.allocs[size_t(ai)];
    Stop s;
    s.alloc_id = a.id;
    s.node_id = a.node_id;
    s.reason = "alloc preempted by a higher priority job (" + job.id + ")";
    s.preempted = true;
    plan.stops.push_back(std::move(s));
    release(a);
  }
}

Candidate Eval::select_preempting(GroupState& g, std::vector<int>& evictions) {
  Candidate best;
  size_t best_count = 0;
  int64_t best_priority = 0;
  for (size_t i = 0; i < st.nodes.size(); ++i) {
    int n = int(i);
    const auto& rec = st.nodes[i];
    if (!rec.present || !rec.node.schedulable() || !feasible(g, n)) continue;
    auto victims = preemptions(g, n);
    if (victims.empty()) continue;
    int64_t top = 0;
    for (int ai : victims) {
      auto jt = st.jobs.find(st.allocs[size_t(ai)].job_id);
      auto ct = jt->second.compiled.find(st.allocs[size_t(ai)].job_version);
      top = std::max(top, ct == jt->second.compiled.end() ? int64_t(50) : ct->second->priority);
    }
    if (best.node < 0 || victims.size() < best_count ||
        (victims.size() == best_count && top < best_priority)) {
      best = {n, 0};
      best_count = victims.size();
      best_priority = top;
      evictions = std::move(victims);
    }
  }
  return best;
}

}  // namespace warden::sched::detail
