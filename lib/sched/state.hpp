// The cluster's state behind sched::Cluster: nodes with their usage and port maps, jobs with
// their versions, allocations, and the capacity index the exact selection walks.
//
// An evaluation changes usage speculatively while it places (so each placement sees the ones
// before it) and records the changes in an undo log. If the next call is apply() of that very
// plan, the changes are simply kept; anything else rolls them back first (settle()).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "alloc_store.hpp"
#include "ask.hpp"
#include "id_index.hpp"
#include "ports.hpp"
#include "warden/sched/cluster.hpp"

namespace warden::sched::detail {

// String-keyed maps looked up by string_view without making a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct NodeRec {
  Node node;
  bool present = true;
  int class_id = -1;
  std::string class_name;
  Resources cap;            // total - reserved
  Resources used;           // by non-terminal allocations (and the speculative plan)
  PortSet ports;            // reserved and allocated host ports
  int shape = -1;           // its capacity shape in the index; -1: not indexed (not schedulable)
  int cell = -1;            // its cell in the shape's grid
  int slot = -1;            // its place in that cell
  bool hidden = false;      // taken out of the index by an evaluation (see Eval)
  int dyn_used = 0;         // used ports inside the dynamic range
  std::vector<int> allocs;  // allocations placed here (pruned of terminal ones lazily)
};

// Nodes of one capacity (cpu, memory) in a grid over their free cpu and free memory, for the
// exact selection: a best-first search over the cells (their lower corner bounds the score of
// every node inside) finds the best node without looking at most of the others.
constexpr int kGrid = 32;  // cells per dimension
struct Shape {
  int64_t cpu = 0;
  int64_t mem = 0;
  std::vector<std::vector<int>> cells = std::vector<std::vector<int>>(kGrid * kGrid);
  int cell_of(int64_t free_cpu, int64_t free_mem) const {
    auto bucket = [](int64_t free, int64_t cap) {
      if (cap <= 0 || free <= 0) return 0;
      int64_t b = free * kGrid / cap;
      return int(b >= kGrid ? kGrid - 1 : b);
    };
    return bucket(free_cpu, cpu) * kGrid + bucket(free_mem, mem);
  }
};

struct JobRec {
  std::map<int64_t, std::shared_ptr<const job::Job>> versions;
  std::map<int64_t, std::shared_ptr<const CompiledJob>> compiled;
  int64_t version = 0;
  bool stopped = false;
  bool blocked = false;
  std::vector<int> allocs;  // every allocation of the job, terminal included
};

// One undoable change of the speculative plan.
struct Undo {
  int node = -1;
  Resources delta;  // added to used
  std::vector<int> ports_set;
  std::vector<int> ports_cleared;
};

}  // namespace warden::sched::detail

namespace warden::sched {

struct Cluster::Impl {
  SchedulerConfig config;
  int64_t fixed_now = 0;
  uint64_t index = 0;  // bumped by every change, mixed into evaluation seeds

  std::vector<detail::NodeRec> nodes;
  detail::StringMap<int> node_by_id;
  detail::StringMap<int> class_ids;
  std::vector<detail::Shape> shapes;
  std::map<std::pair<int64_t, int64_t>, int> shape_by_cap;

  std::map<std::string, detail::JobRec, std::less<>> jobs;
  // Allocations never move, so positions are their handles.
  detail::AllocStore allocs;
  struct AllocId {
    const detail::AllocStore* allocs;
    std::string_view operator()(int pos) const { return (*allocs)[size_t(pos)].id; }
  };
  detail::IdIndex<AllocId> alloc_by_id{AllocId{&allocs}};
  int alloc_index(std::string_view id) const { return alloc_by_id.find(id); }

  // The speculative plan's undo log, and which evaluation it belongs to.
  std::vector<detail::Undo> undo;
  std::string speculative_eval;
  std::vector<int> speculative_nodes;  // the node of each of its placements

  int64_t now() const;
  void settle();                                       // rolls back a speculative plan
  Result<void> apply(const Plan& plan, bool movable);  // cluster.cpp

  // Usage changes, keeping the capacity index in step.
  void index_remove(int n);
  void index_insert(int n);
  void change_usage(int n, const Resources& delta, bool record);
  void take_ports(int n, const std::vector<AllocatedPort>& ports, bool record);
  void release_ports(int n, const std::vector<AllocatedPort>& ports, bool record);
  void reindex(int n);  // after status/eligibility/drain or capacity changes

  detail::JobRec* job_rec(std::string_view id);
  // Plans a stored job (reconcile.cpp); leaves the plan's changes in place speculatively.
  Result<Plan> evaluate(const std::string& job_id, const std::string& trigger);
  int node_index(std::string_view id) const;
};

}  // namespace warden::sched
