// An allocation: one copy (index) of a job's task group placed on a node.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/sched/node.hpp"

namespace warden::sched {

enum class DesiredStatus { run, stop, evict };
enum class ClientStatus { pending, running, complete, failed, lost };
const char* desired_status_name(DesiredStatus s);
const char* client_status_name(ClientStatus s);
std::optional<ClientStatus> parse_client_status(std::string_view s);

// A host port given to a port label; `to` is the port inside the jail (0: same as value).
struct AllocatedPort {
  std::string label;
  int value = 0;
  int to = 0;
  friend bool operator==(const AllocatedPort&, const AllocatedPort&) = default;
};

// One earlier reschedule of the allocation chain that led here.
struct RescheduleEvent {
  int64_t time = 0;  // unix nanoseconds
  std::string prev_alloc_id;
  std::string prev_node_id;
  int64_t delay = 0;  // nanoseconds waited before the replacement
  friend bool operator==(const RescheduleEvent&, const RescheduleEvent&) = default;
};

struct Allocation {
  std::string id;
  std::string eval_id;
  std::string name;  // "<job>.<group>[<index>]", as nomad names allocations
  std::string job_id;
  int64_t job_version = 0;
  std::string group;
  int64_t index = 0;
  std::string node_id;
  Resources resources;
  std::vector<AllocatedPort> ports;
  DesiredStatus desired = DesiredStatus::run;
  std::string desired_description;
  ClientStatus client = ClientStatus::pending;
  std::string previous_allocation;
  std::string next_allocation;  // set when a replacement has been placed
  std::vector<RescheduleEvent> reschedule_events;
  int64_t modify_time = 0;  // unix nanoseconds of the last client status change
  // Set when a failed allocation is to be replaced later (its reschedule delay).
  int64_t reschedule_at = 0;

  // No longer running and not going to: stopped, evicted, complete, failed or lost.
  bool terminal() const {
    return desired != DesiredStatus::run || client == ClientStatus::complete ||
           client == ClientStatus::failed || client == ClientStatus::lost;
  }
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

std::string allocation_name(std::string_view job, std::string_view group, int64_t index);

}  // namespace warden::sched
