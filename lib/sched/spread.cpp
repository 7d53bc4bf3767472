#include "spread.hpp"

#include <algorithm>

namespace warden::sched::detail {

int SpreadCounts::value_of(int node_index, const Node& node) {
  if (size_t(node_index) >= node_value_.size()) node_value_.resize(size_t(node_index) + 1, -2);
  int& known = node_value_[size_t(node_index)];
  if (known != -2) return known;
  auto value = resolve_target(spread_->attribute, node);
  if (!value) return known = -1;
  auto [it, added] = ids_.emplace(*value, int(counts_.size()));
  if (added) {
    counts_.push_back(0);
    present_.push_back(0);
    double want = -1, rest = -1;
    for (const auto& [v, d] : spread_->desired) {
      if (v == *value) want = d;
      if (v == "*") rest = d;
    }
    desired_.push_back(want >= 0 ? want : rest);
  }
  return known = it->second;
}

bool SpreadCounts::any() const {
  return std::find(present_.begin(), present_.end(), 1) != present_.end();
}

void SpreadCounts::compute_extremes() {
  min_ = max_ = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (!present_[i]) continue;
    // As nomad's evenSpreadScoreBoost: 0 stands for "not set yet".
    if (min_ == 0 || counts_[i] < min_) min_ = counts_[i];
    if (max_ == 0 || counts_[i] > max_) max_ = counts_[i];
  }
  extremes_known_ = true;
}

int64_t SpreadCounts::min_count() {
  if (!extremes_known_) compute_extremes();
  return min_;
}

int64_t SpreadCounts::max_count() {
  if (!extremes_known_) compute_extremes();
  return max_;
}

}  // namespace warden::sched::detail
