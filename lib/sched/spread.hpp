// A group's allocations per value of one spread attribute (`${meta.rack}` → "r1": 3), with each
// node's value resolved once per evaluation and the smallest and largest counts kept at hand:
// scoring a spread for every node of a 10,000-node cluster would otherwise resolve the
// attribute and scan every value per node.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ask.hpp"
#include "warden/sched/node.hpp"

namespace warden::sched::detail {

class SpreadCounts {
 public:
  explicit SpreadCounts(const CompiledSpread& spread) : spread_(&spread) {}

  // The node's value, as an id; -1 when the node does not have the attribute.
  int value_of(int node_index, const Node& node);
  void add(int value) {
    if (value < 0) return;
    ++counts_[size_t(value)];
    present_[size_t(value)] = 1;
    extremes_known_ = false;
  }
  int64_t count(int value) const { return value < 0 ? 0 : counts_[size_t(value)]; }
  // Whether any value has been counted (nomad's combined use map is not empty).
  bool any() const;
  // The smallest and largest count over the values counted so far.
  int64_t min_count();
  int64_t max_count();
  // The desired count of a targeted spread for the value (the "*" target's for others), or a
  // negative number when the value has no target at all.
  double desired(int value) const { return value < 0 ? -1 : desired_[size_t(value)]; }

 private:
  void compute_extremes();

  const CompiledSpread* spread_;
  std::vector<int> node_value_;  // -2: not resolved yet
  std::unordered_map<std::string, int> ids_;
  std::vector<int64_t> counts_;
  std::vector<char> present_;
  std::vector<double> desired_;
  int64_t min_ = 0, max_ = 0;
  bool extremes_known_ = false;
};

}  // namespace warden::sched::detail
