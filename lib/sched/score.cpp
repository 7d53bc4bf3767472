// The score terms of nomad's rank iterators and their mean (ScoreNormalizationIterator).
#include <cmath>

#include "eval.hpp"

namespace warden::sched::detail {
namespace {

constexpr double kMaxFit = 18.0;  // nomad's binPackingMaxFitScore

// nomad's computeFreePercentage: the share of cpu and memory left after the allocation.
void free_shares(const Resources& cap, const Resources& util, double& cpu, double& mem) {
  cpu = cap.cpu > 0 ? 1.0 - double(util.cpu) / double(cap.cpu) : 0.0;
  mem = cap.memory_mb > 0 ? 1.0 - double(util.memory_mb) / double(cap.memory_mb) : 0.0;
}

double clamp_fit(double s) {
  return s > kMaxFit ? kMaxFit : (s < 0 ? 0 : s);
}

// nomad's evenSpreadScoreBoost: spread allocations evenly over the attribute's values.
double even_spread_boost(SpreadCounts& use, int value) {
  if (!use.any()) return 0.0;
  if (value < 0) return -1.0;
  int64_t current = use.count(value), min = use.min_count(), max = use.max_count();
  if (current != min) return min == 0 ? -1.0 : double(min - current) / double(min);
  if (min == max) return -1.0;
  if (min == 0) return 1.0;
  return double(max - min) / double(min);
}

}  // namespace

double binpack_fit(const Resources& cap, const Resources& util) {
  double cpu, mem;
  free_shares(cap, util, cpu, mem);
  return clamp_fit(20.0 - (std::pow(10.0, cpu) + std::pow(10.0, mem)));
}

double spread_fit(const Resources& cap, const Resources& util) {
  double cpu, mem;
  free_shares(cap, util, cpu, mem);
  return clamp_fit(std::pow(10.0, cpu) + std::pow(10.0, mem) - 2.0);
}

double Eval::score(GroupState& g, int n, const std::unordered_set<int>* penalty) const {
  const auto& rec = st.nodes[size_t(n)];
  const GroupAsk& ask = *g.ask;
  Resources util = rec.used;
  util += ask.resources;
  double fit = st.config.algorithm == SchedulerConfig::Algorithm::spread
                   ? spread_fit(rec.cap, util)
                   : binpack_fit(rec.cap, util);
  double sum = fit / kMaxFit;
  int terms = 1;
  // Job anti-affinity: only when the node already runs this job's group.
  if (auto it = g.collisions.find(n); it != g.collisions.end() && it->second > 0) {
    sum += -double(it->second + 1) / double(ask.count > 0 ? ask.count : 1);
    ++terms;
  }
  if (penalty && penalty->count(n)) {
    sum += -1.0;
    ++terms;
  }
  if (!ask.affinities.empty()) {
    double total = 0;
    for (const auto& a : ask.affinities) {
      if (check_operator(a.match.op, resolve_target(a.match.ltarget, rec.node),
                         resolve_target(a.match.rtarget, rec.node)))
        total += double(a.weight);
    }
    if (total != 0.0) {
      sum += total / double(ask.affinity_weight_sum);
      ++terms;
    }
  }
  if (!ask.spreads.empty()) {
    double total = 0;
    for (size_t i = 0; i < ask.spreads.size(); ++i) {
      const auto& sp = ask.spreads[i];
      auto& use = g.spreads[i];
      int value = use.value_of(n, rec.node);
      if (sp.desired.empty()) {
        total += even_spread_boost(use, value);
        continue;
      }
      double want = use.desired(value);
      if (value < 0 || want < 0) {  // no such attribute, or a value without a target
        total -= 1.0;
        continue;
      }
      if (want == 0) {
        total += g.lowest_spread_boost;
        continue;
      }
      double used = double(use.count(value)) + 1.0;
      double weight = double(sp.weight) / double(ask.spread_weight_sum);
      double boost = (want - used) / want * weight;
      total += boost;
      if (boost < g.lowest_spread_boost) g.lowest_spread_boost = boost;
    }
    if (total != 0.0) {
      sum += total;
      ++terms;
    }
  }
  return sum / double(terms);
}

}  // namespace warden::sched::detail
