// The reconciler: what a job wants (groups × count, the current version) against what runs,
// turned into stops, in-place updates and placements, then placed node by node.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "eval.hpp"
#include "reschedule.hpp"

namespace warden::sched {

using namespace detail;

namespace {

// nomad's status descriptions, so a plan reads like nomad's.
constexpr const char* kStopJobStopped = "alloc not needed since job was stopped";
constexpr const char* kStopGroupRemoved = "alloc not needed as task group was removed";
constexpr const char* kStopNotNeeded = "alloc not needed due to job update";
constexpr const char* kStopLost = "alloc is lost since its node is down";
constexpr const char* kStopMigrating = "alloc is being migrated";
constexpr const char* kStopUpdating = "alloc is being updated due to job update";
constexpr const char* kStopRescheduled = "alloc was rescheduled because it failed";
constexpr const char* kStopTainted = "alloc not needed as node is tainted";

// Within this window after its time, a delayed reschedule is done now (as nomad's 1 s window).
constexpr int64_t kRescheduleWindow = 1'000'000'000;

struct Request {
  const GroupAsk* group = nullptr;
  int64_t index = 0;
  PlacementKind kind = PlacementKind::create;
  std::string reason;
  int previous = -1;  // allocation replaced
  int node = -1;      // system jobs: the node to place on
};

const job::TaskGroup* find_group(const job::Job* j, const std::string& name) {
  if (!j || !j->task_groups) return nullptr;
  for (const auto& g : *j->task_groups)
    if (g.name.value_or("") == name) return &g;
  return nullptr;
}

uint64_t mix(uint64_t a, uint64_t b) {
  uint64_t x = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

class Reconciler {
 public:
  Reconciler(Cluster::Impl& st, JobRec& jr, const CompiledJob& cj, Plan& plan, Eval& ev)
      : st_(st), jr_(jr), cj_(cj), plan_(plan), ev_(ev), now_(st.now()) {}

  void run() {
    std::map<std::string, std::vector<int>> live, failed, complete;
    for (int ai : jr_.allocs) {
      const Allocation& a = st_.allocs[size_t(ai)];
      if (a.desired != DesiredStatus::run) continue;
      if (a.client == ClientStatus::pending || a.client == ClientStatus::running)
        live[a.group].push_back(ai);
      else if (a.client == ClientStatus::failed && a.next_allocation.empty())
        failed[a.group].push_back(ai);
      else if (a.client == ClientStatus::complete)
        complete[a.group].push_back(ai);
    }
    if (jr_.stopped) {
      for (auto& [g, v] : live)
        for (int ai : v) stop(ai, kStopJobStopped);
      return;
    }
    for (auto& [g, v] : live)
      if (!cj_.group(g))
        for (int ai : v) stop(ai, kStopGroupRemoved);
    for (const auto& g : cj_.groups) {
      if (cj_.system())
        system_group(g, live[g.name]);
      else
        service_group(g, live[g.name], failed[g.name], complete[g.name]);
    }
  }

  // Releases the stopped allocations, then places every request group by group.
  void place() {
    // (Failed allocations being replaced hold nothing any more.)
    for (const auto& s : plan_.stops) {
      const Allocation& a = st_.allocs[size_t(st_.alloc_index(s.alloc_id))];
      if (!a.terminal()) ev_.release(a);
    }
    std::stable_sort(requests_.begin(), requests_.end(), [&](const Request& a, const Request& b) {
      return group_order(a.group) < group_order(b.group);
    });
    GroupState* current = nullptr;
    for (const auto& r : requests_) {
      GroupState& g = ev_.group(*r.group);
      if (current && current != &g) ev_.finish_group(*current);
      current = &g;
      if (g.failure >= 0 && r.node < 0) {
        ++plan_.failures[size_t(g.failure)].unplaced;
        continue;
      }
      std::unordered_set<int> penalty;
      if (r.kind == PlacementKind::reschedule && r.previous >= 0) {
        int n = st_.node_index(st_.allocs[size_t(r.previous)].node_id);
        if (n >= 0) penalty.insert(n);
      }
      Candidate c = r.node >= 0 ? ev_.select_on(g, r.node)
                                : ev_.select(g, penalty.empty() ? nullptr : &penalty);
      if (c.node < 0 && (cj_.system() || st_.config.preempt_non_system)) c = preempt(g, r);
      if (c.node < 0) {
        if (g.failure < 0) {
          g.failure = int(plan_.failures.size());
          plan_.failures.push_back({r.group->name, 0, ev_.explain_failure(g)});
        }
        ++plan_.failures[size_t(g.failure)].unplaced;
        continue;
      }
      Placement p;
      p.alloc = ev_.place(g, c.node, r.index);
      p.kind = r.kind;
      p.reason = r.reason;
      p.score = c.score;
      if (r.previous >= 0) {
        const Allocation& prev = st_.allocs[size_t(r.previous)];
        p.alloc.previous_allocation = prev.id;
        if (r.kind == PlacementKind::reschedule) {
          int64_t delay = reschedule_delay(r.group->reschedule, prev);
          p.alloc.reschedule_events =
              next_reschedule_events(r.group->reschedule, prev, now_, delay);
        } else {
          p.alloc.reschedule_events = prev.reschedule_events;
        }
      }
      plan_.placements.push_back(std::move(p));
      st_.speculative_nodes.push_back(c.node);
    }
    if (current) ev_.finish_group(*current);
  }

 private:
  size_t group_order(const GroupAsk* g) const { return size_t(g - cj_.groups.data()); }

  // System jobs always, others when configured: evict lower-priority allocations to make room.
  Candidate preempt(GroupState& g, const Request& r) {
    std::vector<int> victims;
    Candidate c;
    if (r.node >= 0) {
      if (!ev_.feasible(g, r.node)) return {};
      victims = ev_.preemptions(g, r.node);
      if (!victims.empty()) c = {r.node, 0};
    } else {
      c = ev_.select_preempting(g, victims);
    }
    if (c.node < 0) return {};
    ev_.evict(victims);
    const char* dim = nullptr;
    if (!ev_.fits(*g.ask, c.node, &dim)) return {};  // only ports were short
    c.score = ev_.score(g, c.node, nullptr);
    return c;
  }

  void stop(int ai, const char* reason, bool lost = false) {
    const Allocation& a = st_.allocs[size_t(ai)];
    Stop s;
    s.alloc_id = a.id;
    s.node_id = a.node_id;
    s.reason = reason;
    if (lost) {
      s.client = ClientStatus::lost;
      s.keep_client_status = false;
    }
    plan_.stops.push_back(std::move(s));
  }

  void request(const GroupAsk& g, int64_t index, PlacementKind kind, std::string reason,
               int previous = -1, int node = -1) {
    requests_.push_back({&g, index, kind, std::move(reason), previous, node});
  }

  const job::TaskGroup* group_of_version(int64_t version, const std::string& name) const {
    auto it = jr_.versions.find(version);
    return find_group(it == jr_.versions.end() ? nullptr : it->second.get(), name);
  }

  bool needs_replacement(const Allocation& a, const GroupAsk& g) const {
    if (a.job_version == cj_.version) return false;
    const auto* old_tg = group_of_version(a.job_version, g.name);
    const auto* new_tg = group_of_version(cj_.version, g.name);
    return !old_tg || !new_tg || destructive_change(*old_tg, *new_tg);
  }

  bool node_lost(const Allocation& a) const {
    int n = st_.node_index(a.node_id);
    return n < 0 || !st_.nodes[size_t(n)].present ||
           st_.nodes[size_t(n)].node.status == NodeStatus::down;
  }
  bool node_draining(const Allocation& a) const {
    int n = st_.node_index(a.node_id);
    return n >= 0 && st_.nodes[size_t(n)].node.drain;
  }

  void service_group(const GroupAsk& g, std::vector<int>& live, std::vector<int>& failed,
                     std::vector<int>& complete) {
    auto by_index = [&](int x, int y) {
      const auto &a = st_.allocs[size_t(x)], &b = st_.allocs[size_t(y)];
      return a.index != b.index ? a.index < b.index : a.id < b.id;
    };
    std::sort(live.begin(), live.end(), by_index);
    std::sort(failed.begin(), failed.end(), by_index);
    std::set<int64_t> taken;  // indexes that are running, replaced or waiting
    // Scale down first: indexes at or above count, and duplicates, stop (highest first).
    std::vector<int> keep;
    for (auto it = live.rbegin(); it != live.rend(); ++it) {
      const Allocation& a = st_.allocs[size_t(*it)];
      // live is sorted by (index, id): a duplicate index follows its first holder.
      auto prev = std::next(it);
      bool duplicate = prev != live.rend() && st_.allocs[size_t(*prev)].index == a.index;
      if (a.index >= g.count || duplicate) {
        stop(*it, kStopNotNeeded, node_lost(a));
        continue;
      }
      keep.push_back(*it);
    }
    std::reverse(keep.begin(), keep.end());

    int64_t migrations = 0, replacements = 0;
    for (int ai : keep) {
      const Allocation& a = st_.allocs[size_t(ai)];
      taken.insert(a.index);
      if (node_lost(a)) {
        stop(ai, kStopLost, true);
        request(g, a.index, PlacementKind::lost, "alloc was lost since its node went down", ai);
      } else if (node_draining(a)) {
        if (migrations < g.migrate_max_parallel) {
          ++migrations;
          stop(ai, kStopMigrating);
          request(g, a.index, PlacementKind::migrate, "alloc is migrating off a draining node", ai);
        } else {
          ++plan_.deferred;
        }
      } else if (needs_replacement(a, g)) {
        if (g.update_max_parallel <= 0 || replacements < g.update_max_parallel) {
          ++replacements;
          stop(ai, kStopUpdating);
          request(g, a.index, PlacementKind::replace, "alloc replaced by the new job version", ai);
        } else {
          ++plan_.deferred;
        }
      } else if (a.job_version != cj_.version) {
        plan_.inplace_updates.push_back({a.id, cj_.version, "job updated in place"});
      }
    }
    for (int ai : failed) {
      const Allocation& a = st_.allocs[size_t(ai)];
      if (a.index >= g.count || taken.count(a.index)) continue;
      taken.insert(a.index);
      if (!reschedule_eligible(g.reschedule, a, a.modify_time)) continue;  // stays failed
      int64_t at = a.modify_time + reschedule_delay(g.reschedule, a);
      if (at > now_ + kRescheduleWindow) {
        plan_.delayed.push_back({a.id, at});
        continue;
      }
      stop(ai, kStopRescheduled);
      request(g, a.index, PlacementKind::reschedule, "alloc was rescheduled because it failed", ai);
    }
    // Batch allocations that completed are done: their index is not placed again.
    if (cj_.batch())
      for (int ai : complete) taken.insert(st_.allocs[size_t(ai)].index);
    for (int64_t i = 0; i < g.count; ++i)
      if (!taken.count(i)) request(g, i, PlacementKind::create, "alloc needed for the job's count");
  }

  // System jobs: one allocation per feasible, schedulable node of the job's pool.
  void system_group(const GroupAsk& g, std::vector<int>& live) {
    GroupState& gs = ev_.group(g);
    std::set<int> covered;
    for (int ai : live) {
      const Allocation& a = st_.allocs[size_t(ai)];
      int n = st_.node_index(a.node_id);
      if (node_lost(a)) {
        stop(ai, kStopLost, true);
        continue;
      }
      const auto& rec = st_.nodes[size_t(n)];
      if (!rec.node.schedulable() || covered.count(n) || !ev_.feasible(gs, n)) {
        stop(ai, kStopTainted);
        continue;
      }
      covered.insert(n);
      if (needs_replacement(a, g)) {
        stop(ai, kStopUpdating);
        request(g, 0, PlacementKind::replace, "alloc replaced by the new job version", ai, n);
      } else if (a.job_version != cj_.version) {
        plan_.inplace_updates.push_back({a.id, cj_.version, "job updated in place"});
      }
    }
    for (size_t i = 0; i < st_.nodes.size(); ++i) {
      int n = int(i);
      const auto& rec = st_.nodes[i];
      if (!rec.present || !rec.node.schedulable() || covered.count(n)) continue;
      if (!ev_.feasible(gs, n)) continue;
      request(g, 0, PlacementKind::create, "alloc needed on a new eligible node", -1, n);
    }
  }

  Cluster::Impl& st_;
  JobRec& jr_;
  const CompiledJob& cj_;
  Plan& plan_;
  Eval& ev_;
  int64_t now_;
  std::vector<Request> requests_;
};

}  // namespace

Result<Plan> Cluster::Impl::evaluate(const std::string& job_id, const std::string& trigger) {
  settle();
  JobRec* jr = job_rec(job_id);
  if (!jr) return Error(ErrorCode::not_found, "no job \"" + job_id + "\"");
  const auto& cj = *jr->compiled.at(jr->version);
  Plan plan;
  plan.job_id = job_id;
  plan.job_version = jr->version;
  plan.trigger = trigger;
  Eval ev(*this, cj, plan, mix(mix(config.seed, std::hash<std::string>{}(job_id)), index));
  plan.eval_id = ev.make_id();
  Reconciler r(*this, *jr, cj, plan, ev);
  r.run();
  r.place();
  jr->blocked = plan.blocked();
  speculative_eval = plan.eval_id;
  return plan;
}

}  // namespace warden::sched
