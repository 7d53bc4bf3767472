// A client node as the scheduler sees it: identity, attributes, capacity, status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::sched {

// CPU in MHz, memory and disk in MB (nomad's units).
struct Resources {
  int64_t cpu = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;

  Resources& operator+=(const Resources& o) {
    cpu += o.cpu, memory_mb += o.memory_mb, disk_mb += o.disk_mb;
    return *this;
  }
  Resources& operator-=(const Resources& o) {
    cpu -= o.cpu, memory_mb -= o.memory_mb, disk_mb -= o.disk_mb;
    return *this;
  }
  friend bool operator==(const Resources&, const Resources&) = default;
};

enum class NodeStatus { ready, down, disconnected };
const char* node_status_name(NodeStatus s);
std::optional<NodeStatus> parse_node_status(std::string_view s);

struct Node {
  std::string id;  // empty: a UUID is made when the node is added
  std::string name;
  std::string datacenter = "dc1";
  std::string node_pool = "default";
  std::string node_class;
  // Fingerprinted attributes without the "attr." prefix: "kernel.name" = "freebsd",
  // "driver.pot" = "1", "cpu.arch" = "amd64", "os.version" = "14.1", "unique.hostname" = ...
  std::map<std::string, std::string, std::less<>> attributes;
  std::map<std::string, std::string, std::less<>> meta;
  // Drivers that are detected and healthy ("pot", "exec", ...).
  std::vector<std::string> drivers;
  Resources total;
  Resources reserved;  // kept for the operating system and the agent
  std::vector<int> reserved_ports;
  int min_dynamic_port = 20000;
  int max_dynamic_port = 32000;
  NodeStatus status = NodeStatus::ready;
  bool eligible = true;  // scheduling eligibility
  bool drain = false;

  // Whether new allocations may be placed here.
  bool schedulable() const { return status == NodeStatus::ready && eligible && !drain; }
};

// The value of a constraint target on a node: "${node.unique.id}", "${node.datacenter}",
// "${node.unique.name}", "${node.class}", "${node.pool}", "${attr.<name>}", "${meta.<name>}";
// a target that is not interpolated is a literal. nullopt when the node does not have it.
std::optional<std::string> resolve_target(std::string_view target, const Node& node);

// Whether a target names something unique to one node (node.unique.*, attr.unique.*,
// meta.unique.*): such constraints cannot be cached per node class.
bool target_is_unique(std::string_view target);

// nomad's computed node class: a digest of everything but unique attributes, so nodes that look
// the same to constraints share one feasibility answer.
std::string computed_class(const Node& node);

}  // namespace warden::sched
