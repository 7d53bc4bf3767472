#include "reschedule.hpp"

namespace warden::sched::detail {

bool reschedule_eligible(const ReschedulePolicy& p, const Allocation& failed, int64_t fail_time) {
  if (p.unlimited) return true;
  if (p.attempts <= 0) return false;
  int64_t attempted = 0;
  for (const auto& e : failed.reschedule_events)
    if (fail_time - e.time < p.interval) ++attempted;
  return attempted < p.attempts;
}

int64_t reschedule_delay(const ReschedulePolicy& p, const Allocation& failed) {
  const auto& ev = failed.reschedule_events;
  int64_t delay = p.delay;
  if (ev.empty()) return delay;
  if (p.delay_function == "exponential") {
    delay = ev.back().delay * 2;
  } else if (p.delay_function == "fibonacci") {
    if (ev.size() >= 2) {
      int64_t n1 = ev[ev.size() - 1].delay, n2 = ev[ev.size() - 2].delay;
      // A series that hit the ceiling and was reset starts again.
      delay = (n2 == p.max_delay && n1 == p.delay) ? n1 : n1 + n2;
    }
  } else {
    return delay;
  }
  if (p.max_delay > 0 && delay > p.max_delay) {
    delay = p.max_delay;
    // Once the allocation ran longer than the ceiling since its last reschedule, start over.
    if (failed.modify_time - ev.back().time > delay) delay = p.delay;
  }
  return delay;
}

std::vector<RescheduleEvent> next_reschedule_events(const ReschedulePolicy& p,
                                                    const Allocation& failed, int64_t now,
                                                    int64_t delay) {
  std::vector<RescheduleEvent> out;
  for (const auto& e : failed.reschedule_events)
    if (p.unlimited || now - e.time < p.interval) out.push_back(e);
  out.push_back({now, failed.id, failed.node_id, delay});
  return out;
}

}  // namespace warden::sched::detail
