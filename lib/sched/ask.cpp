#include "ask.hpp"

#include <charconv>

namespace warden::sched::detail {
namespace {

template <class T>
const std::vector<T>& items(const job::Nullable<std::vector<T>>& v) {
  static const std::vector<T> empty;
  return v ? *v : empty;
}

Result<CompiledConstraint> compile_constraint(const std::string& l, const std::string& op,
                                              const std::string& r, const std::string& where) {
  auto parsed = parse_operator(op);
  if (!parsed)
    return Error(ErrorCode::invalid_job, where + ": unknown constraint operator \"" + op + "\"");
  CompiledConstraint c;
  c.ltarget = l;
  c.rtarget = r;
  c.op = *parsed;
  c.unique = target_is_unique(l) || target_is_unique(r);
  c.text = l + " " + (op.empty() ? "=" : op) + " " + r;
  return c;
}

// Adds constraints of one level (job, group or task) to the group's ask.
Result<void> add_constraints(GroupAsk& g, const std::vector<job::Constraint>& cs, bool job_level,
                             const std::string& where) {
  for (const auto& c : cs) {
    auto cc = compile_constraint(c.ltarget, c.operand, c.rtarget, where);
    if (!cc) return std::move(cc).error();
    if (cc->op == Operator::distinct_hosts) {
      // `distinct_hosts = false` is allowed and means nothing.
      if (c.rtarget != "false") g.distinct_hosts = true;
      continue;
    }
    if (cc->op == Operator::distinct_property) {
      DistinctProperty p;
      p.attribute = c.ltarget;
      p.job_level = job_level;
      if (!c.rtarget.empty()) {
        int64_t n = 0;
        auto [end, ec] = std::from_chars(c.rtarget.data(), c.rtarget.data() + c.rtarget.size(), n);
        if (ec != std::errc() || end != c.rtarget.data() + c.rtarget.size() || n < 1)
          return Error(ErrorCode::invalid_job, where + ": distinct_property limit \"" + c.rtarget +
                                                   "\" is not a positive integer");
        p.limit = n;
      }
      g.distinct_properties.push_back(std::move(p));
      continue;
    }
    if (cc->unique) g.class_cacheable = false;
    g.constraints.push_back(std::move(*cc));
  }
  return {};
}

Result<void> add_affinities(GroupAsk& g, const std::vector<job::Affinity>& as,
                            const std::string& where) {
  for (const auto& a : as) {
    auto cc = compile_constraint(a.ltarget, a.operand, a.rtarget, where);
    if (!cc) return std::move(cc).error();
    int64_t w = a.weight.value_or(50);
    if (w == 0) continue;
    g.affinity_weight_sum += w < 0 ? -w : w;
    g.affinities.push_back({std::move(*cc), w});
  }
  return {};
}

void add_spreads(GroupAsk& g, const std::vector<job::Spread>& ss) {
  for (const auto& s : ss) {
    CompiledSpread cs;
    cs.attribute = s.attribute;
    cs.weight = s.weight.value_or(50);
    double sum = 0;
    for (const auto& t : items(s.spread_target)) {
      double want = double(t.percent) / 100.0 * double(g.count);
      cs.desired.emplace_back(t.value, want);
      sum += want;
    }
    if (sum > 0 && sum < double(g.count)) cs.desired.emplace_back("*", double(g.count) - sum);
    g.spread_weight_sum += cs.weight;
    g.spreads.push_back(std::move(cs));
  }
}

void add_ports(GroupAsk& g, const std::vector<job::NetworkResource>& nets) {
  for (const auto& n : nets) {
    for (const auto& p : items(n.reserved_ports))
      g.ports.push_back({p.label, int(p.value), int(p.to)});
    for (const auto& p : items(n.dynamic_ports)) g.ports.push_back({p.label, 0, int(p.to)});
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative `*` matching with backtracking to the last star.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<CompiledJob> compile_job(const job::Job& job) {
  CompiledJob cj;
  cj.id = job.id.value_or("");
  cj.type = job.type.value_or("service");
  cj.priority = job.priority.value_or(50);
  cj.version = job.version.value_or(0);
  cj.datacenters = job.datacenters.value_or(std::vector<std::string>{"*"});
  if (cj.datacenters.empty()) cj.datacenters = {"*"};
  cj.node_pool = job.node_pool.value_or("default");
  if (cj.node_pool.empty()) cj.node_pool = "default";
  for (const auto& tg : items(job.task_groups)) {
    GroupAsk g;
    g.name = tg.name.value_or("");
    g.count = tg.count.value_or(1);
    std::string where = "group \"" + g.name + "\"";
    if (auto r = add_constraints(g, items(job.constraints), true, "job"); !r)
      return std::move(r).error();
    if (auto r = add_constraints(g, items(tg.constraints), false, where); !r)
      return std::move(r).error();
    if (auto r = add_affinities(g, items(job.affinities), "job"); !r) return std::move(r).error();
    if (auto r = add_affinities(g, items(tg.affinities), where); !r) return std::move(r).error();
    add_ports(g, items(tg.networks));
    for (const auto& t : items(tg.tasks)) {
      std::string twhere = where + " task \"" + t.name + "\"";
      if (auto r = add_constraints(g, items(t.constraints), false, twhere); !r)
        return std::move(r).error();
      if (auto r = add_affinities(g, items(t.affinities), twhere); !r) return std::move(r).error();
      bool known = false;
      for (const auto& d : g.drivers) known = known || d == t.driver;
      if (!known && !t.driver.empty()) g.drivers.push_back(t.driver);
      if (t.resources) {
        g.resources.cpu += t.resources->cpu.value_or(0);
        g.resources.memory_mb += t.resources->memory_mb.value_or(0);
        add_ports(g, items(t.resources->networks));
      }
    }
    if (tg.ephemeral_disk) g.resources.disk_mb = tg.ephemeral_disk->size_mb.value_or(0);
    // Group spreads first, then the job's, as nomad combines them.
    add_spreads(g, items(tg.spreads));
    add_spreads(g, items(job.spreads));
    if (const auto& rp = tg.reschedule_policy ? tg.reschedule_policy : job.reschedule) {
      g.reschedule.attempts = rp->attempts.value_or(0);
      g.reschedule.interval = rp->interval.value_or(job::Duration{}).count();
      g.reschedule.delay = rp->delay.value_or(job::Duration{}).count();
      g.reschedule.delay_function = rp->delay_function.value_or("constant");
      g.reschedule.max_delay = rp->max_delay.value_or(job::Duration{}).count();
      g.reschedule.unlimited = rp->unlimited.value_or(false);
    }
    if (tg.update) g.update_max_parallel = tg.update->max_parallel.value_or(0);
    if (tg.migrate) g.migrate_max_parallel = tg.migrate->max_parallel.value_or(1);
    if (g.migrate_max_parallel < 1) g.migrate_max_parallel = 1;
    cj.groups.push_back(std::move(g));
  }
  return cj;
}

bool destructive_change(const job::TaskGroup& a, const job::TaskGroup& b) {
  job::TaskGroup x = a, y = b;
  for (auto* g : {&x, &y}) {
    g->count.reset();
    g->update.reset();
    g->migrate.reset();
    g->reschedule_policy.reset();
    g->restart_policy.reset();
    g->scaling.reset();
    g->constraints.reset();
    if (g->tasks)
      for (auto& t : *g->tasks) {
        t.constraints.reset();
        t.restart_policy.reset();
      }
  }
  return !(x == y);
}

}  // namespace warden::sched::detail
