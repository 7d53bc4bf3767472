// nomad's reschedule policy for failed allocations: whether another attempt is allowed
// (attempts within interval, or unlimited) and after which delay (constant, exponential or
// fibonacci, capped by max_delay and reset once the allocation ran longer than the cap).
#pragma once

#include <cstdint>

#include "ask.hpp"
#include "warden/sched/allocation.hpp"

namespace warden::sched::detail {

bool reschedule_eligible(const ReschedulePolicy& p, const Allocation& failed, int64_t fail_time);
int64_t reschedule_delay(const ReschedulePolicy& p, const Allocation& failed);

// The events the replacement carries: the previous ones that still count, plus this one.
std::vector<RescheduleEvent> next_reschedule_events(const ReschedulePolicy& p,
                                                    const Allocation& failed, int64_t now,
                                                    int64_t delay);

}  // namespace warden::sched::detail
