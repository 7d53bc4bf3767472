// The scheduler's data as JSON, with nomad's field names where nomad has them: nodes in (a
// cluster description for `minipot sched simulate`, the C API and Python), plans and
// allocations out.
//
// A node:
//   {"ID": "n1", "Name": "n1", "Datacenter": "dc1", "NodePool": "default", "NodeClass": "",
//    "Attributes": {"kernel.name": "freebsd"}, "Meta": {"rack": "r1"}, "Drivers": ["pot"],
//    "Resources": {"CPU": 8000, "MemoryMB": 16384, "DiskMB": 100000},
//    "Reserved": {"CPU": 500, "MemoryMB": 1024, "DiskMB": 0, "Ports": "22,80"},
//    "MinDynamicPort": 20000, "MaxDynamicPort": 32000,
//    "Status": "ready", "SchedulingEligibility": "eligible", "Drain": false,
//    "Count": 10}
// Only Resources is required; without "DiskMB" disk is not a limit. "Count": N stands for N such
// nodes named <Name>-1 … <Name>-N. "Drivers" may also be nomad's map {"pot": {"Detected": true,
// "Healthy": true}}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "warden/core/error.hpp"
#include "warden/sched/allocation.hpp"
#include "warden/sched/node.hpp"
#include "warden/sched/plan.hpp"

namespace warden::sched {

// One node object, an array of them, or {"Nodes": [...]}. Errors name the node and field.
Result<std::vector<Node>> nodes_from_json(std::string_view json);

std::string to_json(const Plan& plan, bool pretty = false);
std::string to_json(const Allocation& alloc, bool pretty = false);
std::string to_json(const std::vector<const Allocation*>& allocs, bool pretty = false);

}  // namespace warden::sched
